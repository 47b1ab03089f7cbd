//===- QuantizeOps.cpp - QuantizeLinear, DequantizeLinear, QONNX Quant ----===//
//
// The nodes that start and end quantized regions. DequantizeLinear only
// attaches a scale to integers (a Grid value); QuantizeLinear decides how
// the real value before it becomes integers (Quantization.cpp). A QONNX
// Quant is both at once, with its own bit width and range.
//
//===----------------------------------------------------------------------===//

#include "Quantization.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "onnx/onnx_pb.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::frontend;
using Kind = ImportedValue::Kind;
using TP = ::onnx::TensorProto;

/// Input 0, which a quantizing node takes as a real-valued tensor.
static FailureOr<ValueRef> realInput(NodeContext &ctx) {
  FailureOr<ValueRef> x = ctx.input(0);
  if (failed(x))
    return failure();
  if (!(*x)->isRealValued())
    return ctx.error() << "input '" << ctx.node.input(0)
                       << "' must be a float tensor, got the integer "
                       << (*x)->origin;
  return x;
}

/// block_size (opset 21) splits a tensor into blocks with their own scales;
/// only the per-tensor and per-axis forms are supported.
static LogicalResult checkNoBlocks(NodeContext &ctx) {
  int64_t blockSize = 0;
  if (failed(ctx.readAttribute("block_size", blockSize)))
    return failure();
  if (blockSize != 0)
    return ctx.error() << "attribute 'block_size' value " << blockSize
                       << " is not supported (blocked quantization)";
  return success();
}

static LogicalResult lowerQuantizeLinear(NodeContext &ctx) {
  if (failed(ctx.checkArity(3, 1)) ||
      failed(ctx.checkAttributes(
          {"axis", "saturate", "block_size", "output_dtype"})) ||
      failed(checkNoBlocks(ctx)))
    return failure();
  int64_t axis = 1, outputType = 0;
  if (failed(ctx.readAttribute("axis", axis)) ||
      failed(ctx.readAttribute("output_dtype", outputType)))
    return failure();
  FailureOr<ValueRef> x = realInput(ctx);
  if (failed(x))
    return failure();
  int32_t zeroPointType = 0;
  FailureOr<QuantParams> quant = readQuantParams(
      ctx, 1, 2, axis, (*x)->type.getShape(), zeroPointType);
  if (failed(quant))
    return failure();
  // The zero point's type is the output type; without one, output_dtype
  // (opset 21) or UINT8.
  int32_t type = zeroPointType ? zeroPointType
                               : (outputType ? int32_t(outputType)
                                             : int32_t(TP::UINT8));
  if (zeroPointType && outputType && outputType != zeroPointType)
    return ctx.error() << "attribute 'output_dtype' disagrees with the zero "
                          "point's type";
  auto intType =
      dyn_cast_or_null<IntegerType>(toMLIRElementType(ctx.context(), type));
  if (!intType || intType.getWidth() > 16)
    return ctx.error() << "quantizing to " << elementTypeName(type)
                       << " is not supported (8- and 16-bit integers are)";
  FailureOr<ImportedValue> q =
      quantize(ctx, **x, makeTarget(std::move(*quant), intType));
  if (failed(q))
    return failure();
  ctx.setOutput(0, std::move(*q));
  return success();
}

static LogicalResult lowerDequantizeLinear(NodeContext &ctx) {
  if (failed(ctx.checkArity(3, 1)) ||
      failed(ctx.checkAttributes({"axis", "block_size"})) ||
      failed(checkNoBlocks(ctx)))
    return failure();
  int64_t axis = 1;
  if (failed(ctx.readAttribute("axis", axis)))
    return failure();
  FailureOr<GridOperand> x = qlinearInput(ctx, 0, 1, 2, axis, "input");
  if (failed(x))
    return failure();
  if (cast<IntegerType>(x->type.getElementType()).getWidth() > 32)
    return ctx.error() << "dequantizing 64-bit integers is not supported";
  ImportedValue v;
  v.kind = Kind::Grid;
  v.type = x->type;
  v.ints = x->ints;
  v.data = x->data;
  v.quant = std::move(x->quant);
  ctx.setOutput(0, std::move(v));
  return success();
}

//===----------------------------------------------------------------------===//
// QONNX Quant and BipolarQuant (domain qonnx.custom_op.general)
//===----------------------------------------------------------------------===//

/// Reads a QONNX parameter tensor that broadcasts against `shape`: one
/// value, or values along exactly one dimension (e.g. [C, 1, 1, 1] for
/// weights, [1, C, 1, 1] for activations). Sets `axis` for the latter.
static FailureOr<std::vector<double>>
readBroadcastParam(NodeContext &ctx, unsigned input, StringRef role,
                   ArrayRef<int64_t> shape, int64_t &axis) {
  FailureOr<std::shared_ptr<const TensorData>> data =
      ctx.constantInput(input, role);
  if (failed(data))
    return failure();
  const TensorData &t = **data;
  std::vector<double> values;
  for (int64_t i = 0; i < t.numElements(); ++i)
    values.push_back(t.realAt(i));
  if (values.size() <= 1) {
    if (values.empty())
      return ctx.error() << "the " << role << " is empty";
    return values;
  }
  // Align the parameter's shape to the right of the value's.
  int64_t offset = int64_t(shape.size()) - int64_t(t.shape.size());
  int64_t found = -1;
  for (auto [d, size] : llvm::enumerate(t.shape)) {
    if (size == 1)
      continue;
    int64_t target = offset + int64_t(d);
    if (found >= 0 || target < 0 || shape[target] != size)
      return ctx.error() << "the " << role
                         << " must be one value or vary along one dimension "
                            "of the input";
    found = target;
  }
  if (axis >= 0 && axis != found)
    return ctx.error() << "the scale and the zero point vary along different "
                          "dimensions";
  axis = found;
  return values;
}

static LogicalResult lowerQONNXQuant(NodeContext &ctx) {
  if (failed(ctx.checkArity(4, 1)) ||
      failed(ctx.checkAttributes({"signed", "narrow", "rounding_mode"})))
    return failure();
  int64_t isSigned = 1, narrow = 0;
  std::string rounding = "ROUND";
  if (failed(ctx.readAttribute("signed", isSigned)) ||
      failed(ctx.readAttribute("narrow", narrow)) ||
      failed(ctx.readAttribute("rounding_mode", rounding)))
    return failure();
  // QONNX's ROUND is NumPy's round, half to even; its HALF_UP rounds half
  // away from zero.
  std::optional<RoundingMode> mode;
  if (rounding == "ROUND" || rounding == "HALF_EVEN")
    mode = RoundingMode::half_even;
  else if (rounding == "HALF_UP")
    mode = RoundingMode::half_away_from_zero;
  else
    return ctx.error() << "rounding_mode '" << rounding
                       << "' is not supported (ROUND, HALF_EVEN, HALF_UP are)";
  FailureOr<ValueRef> x = realInput(ctx);
  if (failed(x))
    return failure();
  FailureOr<std::shared_ptr<const TensorData>> bitWidthData =
      ctx.constantInput(3, "bit width");
  if (failed(bitWidthData))
    return failure();
  const TensorData &bw = **bitWidthData;
  double bits = bw.numElements() == 1 ? bw.realAt(0) : 0;
  if (bits != std::floor(bits) || bits < 2 || bits > 16)
    return ctx.error() << "the bit width must be one integer from 2 to 16";

  ArrayRef<int64_t> shape = (*x)->type.getShape();
  int64_t axis = -1;
  FailureOr<std::vector<double>> scales =
      readBroadcastParam(ctx, 1, "scale", shape, axis);
  if (failed(scales))
    return failure();
  FailureOr<std::vector<double>> zeroPoints =
      readBroadcastParam(ctx, 2, "zero point", shape, axis);
  if (failed(zeroPoints))
    return failure();
  size_t channels = std::max(scales->size(), zeroPoints->size());
  if ((scales->size() != 1 && scales->size() != channels) ||
      (zeroPoints->size() != 1 && zeroPoints->size() != channels))
    return ctx.error() << "the scale and the zero point sizes disagree";

  auto type = IntegerType::get(ctx.context(), unsigned(bits),
                               isSigned ? IntegerType::Signless
                                        : IntegerType::Unsigned);
  QuantTarget target = makeTarget({}, type);
  target.rounding = *mode;
  if (narrow) {
    if (isSigned)
      ++target.clampMin;
    else
      --target.clampMax;
  }
  target.quant.axis = std::max<int64_t>(axis, 0);
  for (size_t c = 0; c < channels; ++c) {
    double s = (*scales)[scales->size() == 1 ? 0 : c];
    double zp = (*zeroPoints)[zeroPoints->size() == 1 ? 0 : c];
    if (!(s > 0) || !std::isfinite(s))
      return ctx.error() << "scale " << s << " is not positive and finite";
    if (zp != std::floor(zp) || zp < target.clampMin || zp > target.clampMax)
      return ctx.error() << "zero point " << zp
                         << " is not an integer of the quantized range";
    target.quant.scales.push_back(s);
    target.quant.zeroPoints.push_back(int64_t(zp));
  }
  FailureOr<ImportedValue> q = quantize(ctx, **x, target);
  if (failed(q))
    return failure();
  // Quant is QuantizeLinear and DequantizeLinear in one: its output is real.
  q->kind = Kind::Grid;
  q->quant = std::move(target.quant);
  ctx.setOutput(0, std::move(*q));
  return success();
}

static LogicalResult lowerBipolarQuant(NodeContext &ctx) {
  if (failed(ctx.checkArity(2, 1)) || failed(ctx.checkAttributes({})))
    return failure();
  FailureOr<ValueRef> x = ctx.input(0);
  if (failed(x))
    return failure();
  const ImportedValue &v = **x;
  if (v.kind != Kind::Constant || v.data->isInteger())
    return ctx.error() << "BipolarQuant is supported on float constants "
                          "(weights) only";
  int64_t axis = -1;
  FailureOr<std::vector<double>> scales =
      readBroadcastParam(ctx, 1, "scale", v.type.getShape(), axis);
  if (failed(scales))
    return failure();
  ImportedValue out;
  out.kind = Kind::Grid;
  out.type = RankedTensorType::get(v.type.getShape(),
                                   IntegerType::get(ctx.context(), 2));
  auto data = TensorData::integers(v.data->shape);
  for (double r : v.data->reals)
    data->ints.push_back(r >= 0 ? 1 : -1);
  out.data = data;
  for (double s : *scales) {
    if (!(s > 0) || !std::isfinite(s))
      return ctx.error() << "scale " << s << " is not positive and finite";
    out.quant.scales.push_back(s);
  }
  out.quant.zeroPoints.assign(scales->size(), 0);
  out.quant.axis = std::max<int64_t>(axis, 0);
  ctx.setOutput(0, std::move(out));
  return success();
}

void mlir::qnn::frontend::registerQuantizeOps(OpTable &table) {
  table.add("", "QuantizeLinear", lowerQuantizeLinear);
  table.add("", "DequantizeLinear", lowerDequantizeLinear);
  table.add("qonnx", "Quant", lowerQONNXQuant);
  table.add("qonnx", "BipolarQuant", lowerBipolarQuant);
}
