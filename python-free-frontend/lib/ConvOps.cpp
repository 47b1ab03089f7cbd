//===- ConvOps.cpp - Conv (QDQ), QLinearConv, ConvInteger -----------------===//
//
// All three become one qnn.conv2d whose i32 accumulator has the real scale
// input_scale * weight_scale[c]: QDQ Conv leaves it to the QuantizeLinear
// that follows, QLinearConv quantizes it itself, ConvInteger returns it.
//
//===----------------------------------------------------------------------===//

#include "Quantization.h"
#include "Window.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::frontend;

using BiasFn = llvm::function_ref<FailureOr<Value>(ArrayRef<double> accScales,
                                                   int64_t channels)>;

/// qnn.conv2d of `x` (NCHW) and `w` (OIHW), with the bias `makeBias` gives
/// for the accumulator's scales (if any): an Accum value.
static FailureOr<ImportedValue> buildConv(NodeContext &ctx, GridOperand &x,
                                          GridOperand &w, BiasFn makeBias) {
  if (x.type.getRank() != 4 || w.type.getRank() != 4)
    return ctx.error() << "only 2-D convolutions (4-D input and weight) are "
                          "supported";
  if (failed(checkOperandWidth(ctx, x, "input")) ||
      failed(checkOperandWidth(ctx, w, "weight")) ||
      failed(checkPerTensor(ctx, x, "input")))
    return failure();
  if (!w.quant.isPerTensor() && w.quant.axis != 0)
    return ctx.error() << "the weight is quantized along axis "
                       << w.quant.axis
                       << "; only axis 0 (output channels) is supported";
  if (failed(foldWeightZeroPoints(ctx, w, 0, "weight")))
    return failure();

  ArrayRef<int64_t> xs = x.type.getShape(), ws = w.type.getShape();
  int64_t group = 1;
  if (failed(ctx.readAttribute("group", group)))
    return failure();
  int64_t inChannels = xs[1], outChannels = ws[0];
  if (group < 1 || inChannels % group != 0 || outChannels % group != 0 ||
      ws[1] * group != inChannels)
    return ctx.error() << "group " << group << " does not fit "
                       << inChannels << " input channels, " << outChannels
                       << " output channels and a weight of "
                       << ws[1] << " input channels";
  FailureOr<Window2D> window = readWindow2D(ctx, xs, ws.drop_front(2),
                                            /*allowCeilMode=*/false);
  if (failed(window))
    return failure();

  SmallVector<double> accScales;
  for (double ws : w.quant.scales)
    accScales.push_back(x.quant.scales[0] * ws);
  Value bias;
  if (makeBias) {
    FailureOr<Value> b = makeBias(accScales, outChannels);
    if (failed(b))
      return failure();
    bias = *b;
  }
  auto resultType = RankedTensorType::get(
      {xs[0], outChannels, window->output[0], window->output[1]},
      IntegerType::get(ctx.context(), 32));
  Value conv = Conv2DOp::create(
      ctx.builder(), ctx.loc, resultType, operandValue(ctx, x),
      operandValue(ctx, w), bias, window->strides, window->pads,
      window->dilations, group, x.quant.zeroPoints[0], w.quant.zeroPoints[0]);
  return accumulator(conv, accScales, 1);
}

static constexpr StringRef kConvAttributes[] = {
    "auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"};

static LogicalResult lowerConv(NodeContext &ctx) {
  if (failed(ctx.checkArity(3, 1)) ||
      failed(ctx.checkAttributes(kConvAttributes)))
    return failure();
  FailureOr<GridOperand> x = gridInput(ctx, 0, "input");
  if (failed(x))
    return failure();
  FailureOr<GridOperand> w = gridInput(ctx, 1, "weight");
  if (failed(w))
    return failure();
  auto bias = [&](ArrayRef<double> scales, int64_t channels) {
    return biasInAccumulatorUnits(ctx, 2, scales, channels);
  };
  FailureOr<ImportedValue> acc =
      buildConv(ctx, *x, *w, ctx.hasInput(2) ? BiasFn(bias) : BiasFn());
  if (failed(acc))
    return failure();
  ctx.setOutput(0, std::move(*acc));
  return success();
}

/// The int32 bias of QLinearConv, already in accumulator units.
static FailureOr<Value> qlinearBias(NodeContext &ctx, unsigned i,
                                   int64_t channels) {
  FailureOr<ValueRef> b = ctx.input(i);
  if (failed(b))
    return failure();
  auto type = dyn_cast<IntegerType>((*b)->type.getElementType());
  if ((*b)->isRealValued() || !type || type.getWidth() != 32 ||
      type.isUnsigned() || (*b)->type.getRank() != 1 ||
      (*b)->type.getDimSize(0) != channels)
    return ctx.error() << "the bias must be an INT32 tensor of " << channels
                       << " elements";
  return ctx.importer.materialize(**b, ctx.loc);
}

static LogicalResult lowerQLinearConv(NodeContext &ctx) {
  if (failed(ctx.checkArity(9, 1)) ||
      failed(ctx.checkAttributes(kConvAttributes)))
    return failure();
  FailureOr<GridOperand> x = qlinearInput(ctx, 0, 1, 2, 1, "input");
  if (failed(x))
    return failure();
  FailureOr<GridOperand> w = qlinearInput(ctx, 3, 4, 5, 0, "weight");
  if (failed(w))
    return failure();
  FailureOr<QuantTarget> y = qlinearOutputTarget(ctx, 6, 7, x->type);
  if (failed(y))
    return failure();
  auto bias = [&](ArrayRef<double>, int64_t channels) {
    return qlinearBias(ctx, 8, channels);
  };
  FailureOr<ImportedValue> acc =
      buildConv(ctx, *x, *w, ctx.hasInput(8) ? BiasFn(bias) : BiasFn());
  if (failed(acc))
    return failure();
  FailureOr<ImportedValue> q = quantize(ctx, *acc, *y);
  if (failed(q))
    return failure();
  ctx.setOutput(0, std::move(*q));
  return success();
}

static LogicalResult lowerConvInteger(NodeContext &ctx) {
  if (failed(ctx.checkArity(4, 1)) ||
      failed(ctx.checkAttributes(kConvAttributes)))
    return failure();
  FailureOr<GridOperand> x = integerInput(ctx, 0, 2, 1, "input");
  if (failed(x))
    return failure();
  FailureOr<GridOperand> w = integerInput(ctx, 1, 3, 0, "weight");
  if (failed(w))
    return failure();
  FailureOr<ImportedValue> acc = buildConv(ctx, *x, *w, BiasFn());
  if (failed(acc))
    return failure();
  // Unit scales: the accumulator is the result.
  acc->kind = ImportedValue::Kind::Int;
  ctx.setOutput(0, std::move(*acc));
  return success();
}

void mlir::qnn::frontend::registerConvOps(OpTable &table) {
  table.add("", "Conv", lowerConv);
  table.add("", "QLinearConv", lowerQLinearConv);
  table.add("", "ConvInteger", lowerConvInteger);
}
