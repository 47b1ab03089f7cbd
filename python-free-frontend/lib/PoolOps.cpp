//===- PoolOps.cpp - MaxPool, AveragePool, GlobalAveragePool --------------===//
//
// MaxPool commutes with every positive per-channel affine map, so it applies
// to the integers of any form (Int, Grid, Accum) and keeps the form's scales
// and pending clip. Average pooling is a qnn.avg_pool2d window sum whose
// 1/area joins the accumulator's scale; the QuantizeLinear after it divides.
//
//===----------------------------------------------------------------------===//

#include "Quantization.h"
#include "Window.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::frontend;
using Kind = ImportedValue::Kind;

static LogicalResult lowerMaxPool(NodeContext &ctx) {
  if (failed(ctx.checkArity(1, 1)) ||
      failed(ctx.checkAttributes({"auto_pad", "ceil_mode", "dilations",
                                  "kernel_shape", "pads", "storage_order",
                                  "strides"})))
    return failure();
  FailureOr<ValueRef> input = ctx.input(0);
  if (failed(input))
    return failure();
  const ImportedValue &x = **input;
  if (x.kind != Kind::Int && x.kind != Kind::Grid && x.kind != Kind::Accum)
    return ctx.error() << "input '" << ctx.node.input(0)
                       << "' must be integers (quantized or not), got "
                       << x.origin;
  if (x.kind != Kind::Int && !x.quant.isPerTensor() && x.quant.axis != 1)
    return ctx.error() << "the input is quantized along axis " << x.quant.axis
                       << "; max pooling needs one scale per channel (axis 1)";
  FailureOr<Window2D> w =
      readWindow2D(ctx, x.type.getShape(), {}, /*allowCeilMode=*/true);
  if (failed(w))
    return failure();
  for (int i = 0; i < 4; ++i)
    if (w->pads[i] >= w->dilations[i % 2] * (w->kernel[i % 2] - 1) + 1)
      return ctx.error() << "padding " << w->pads[i]
                         << " is not smaller than the window";
  ArrayRef<int64_t> xs = x.type.getShape();
  ImportedValue out = x;
  out.data = nullptr;
  out.type = withShape(x.type, {xs[0], xs[1], w->output[0], w->output[1]});
  out.ints = MaxPool2DOp::create(ctx.builder(), ctx.loc, out.type,
                                 ctx.importer.materialize(x, ctx.loc),
                                 w->kernel, w->strides, w->pads,
                                 w->dilations);
  ctx.setOutput(0, std::move(out));
  return success();
}

/// qnn.avg_pool2d of a quantized NCHW operand: an Accum value of scale
/// input_scale[c] / area.
static FailureOr<ImportedValue> buildAvgPool(NodeContext &ctx,
                                             GridOperand &x,
                                             const Window2D &w) {
  if (failed(checkOperandWidth(ctx, x, "input")))
    return failure();
  std::optional<int64_t> zp = x.quant.uniformZeroPoint();
  if (!zp || (!x.quant.isPerTensor() && x.quant.axis != 1))
    return ctx.error() << "the input must have one zero point and one scale "
                          "per tensor or per channel";
  double area = double(w.kernel[0] * w.kernel[1]);
  SmallVector<double> scales;
  for (double s : x.quant.scales)
    scales.push_back(s / area);
  ArrayRef<int64_t> xs = x.type.getShape();
  auto type = RankedTensorType::get({xs[0], xs[1], w.output[0], w.output[1]},
                                    IntegerType::get(ctx.context(), 32));
  Value sum = AvgPool2DOp::create(ctx.builder(), ctx.loc, type,
                                  operandValue(ctx, x), w.kernel, w.strides,
                                  w.pads, *zp);
  return accumulator(sum, scales, 1);
}

static LogicalResult lowerAveragePool(NodeContext &ctx) {
  if (failed(ctx.checkArity(1, 1)) ||
      failed(ctx.checkAttributes({"auto_pad", "ceil_mode", "count_include_pad",
                                  "dilations", "kernel_shape", "pads",
                                  "strides"})))
    return failure();
  FailureOr<GridOperand> x = gridInput(ctx, 0, "input");
  if (failed(x))
    return failure();
  FailureOr<Window2D> w =
      readWindow2D(ctx, x->type.getShape(), {}, /*allowCeilMode=*/true);
  if (failed(w))
    return failure();
  if (w->dilations[0] != 1 || w->dilations[1] != 1)
    return ctx.error() << "dilated average pooling is not supported";
  int64_t countIncludePad = 0;
  if (failed(ctx.readAttribute("count_include_pad", countIncludePad)))
    return failure();
  if (countIncludePad == 0 && llvm::any_of(w->pads, [](int64_t p) {
        return p != 0;
      }))
    return ctx.error() << "padding with count_include_pad = 0 divides border "
                          "windows by fewer taps; only a constant divisor "
                          "(count_include_pad = 1) is supported";
  FailureOr<ImportedValue> acc = buildAvgPool(ctx, *x, *w);
  if (failed(acc))
    return failure();
  ctx.setOutput(0, std::move(*acc));
  return success();
}

static LogicalResult lowerGlobalAveragePool(NodeContext &ctx) {
  if (failed(ctx.checkArity(1, 1)) || failed(ctx.checkAttributes({})))
    return failure();
  FailureOr<GridOperand> x = gridInput(ctx, 0, "input");
  if (failed(x))
    return failure();
  if (x->type.getRank() != 4)
    return ctx.error() << "expects a 4-D NCHW input";
  Window2D w;
  w.kernel = {x->type.getDimSize(2), x->type.getDimSize(3)};
  w.output = {1, 1};
  FailureOr<ImportedValue> acc = buildAvgPool(ctx, *x, w);
  if (failed(acc))
    return failure();
  ctx.setOutput(0, std::move(*acc));
  return success();
}

void mlir::qnn::frontend::registerPoolOps(OpTable &table) {
  table.add("", "MaxPool", lowerMaxPool);
  table.add("", "AveragePool", lowerAveragePool);
  table.add("", "GlobalAveragePool", lowerGlobalAveragePool);
}
