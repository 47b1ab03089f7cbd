//===- Quantization.cpp - Operands, parameters, clips, graph outputs ------===//
//
// QuantizeLinear itself (the Quantizer) is in Quantizer.cpp.

#include "Quantization.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "llvm/ADT/STLExtras.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::frontend;
using Kind = ImportedValue::Kind;
namespace rules = ::qnn::rules;

using ErrorFn = llvm::function_ref<InFlightDiagnostic()>;

//===----------------------------------------------------------------------===//
// Small helpers
//===----------------------------------------------------------------------===//

int64_t mlir::qnn::frontend::channelOf(int64_t index, ArrayRef<int64_t> shape,
                                       int64_t axis, size_t numChannels) {
  if (numChannels == 1)
    return 0;
  int64_t stride = 1;
  for (int64_t d = axis + 1; d < int64_t(shape.size()); ++d)
    stride *= shape[d];
  return (index / stride) % shape[axis];
}

RankedTensorType mlir::qnn::frontend::withShape(RankedTensorType type,
                                                ArrayRef<int64_t> shape) {
  return RankedTensorType::get(shape, type.getElementType());
}

std::optional<int64_t> QuantParams::uniformZeroPoint() const {
  if (llvm::all_equal(zeroPoints))
    return zeroPoints.front();
  return std::nullopt;
}

bool QuantParams::hasUniformScale() const { return llvm::all_equal(scales); }

bool Interval::isFull() const {
  return lo == -std::numeric_limits<double>::infinity() &&
         hi == std::numeric_limits<double>::infinity();
}

Interval Interval::intersect(const Interval &other) const {
  return {std::max(lo, other.lo), std::min(hi, other.hi)};
}

/// The scale of a quantized value printed for diagnostics.
static std::string describeScales(const QuantParams &quant) {
  if (quant.isPerTensor())
    return "scale " + std::to_string(quant.scales[0]);
  return std::to_string(quant.scales.size()) + " per-channel scales";
}

ImportedValue mlir::qnn::frontend::accumulator(Value acc,
                                               ArrayRef<double> scales,
                                               int64_t axis) {
  ImportedValue v;
  v.kind = Kind::Accum;
  v.type = cast<RankedTensorType>(acc.getType());
  v.ints = acc;
  v.quant.scales.assign(scales.begin(), scales.end());
  v.quant.zeroPoints.assign(scales.size(), 0);
  v.quant.axis = axis;
  if (v.quant.hasUniformScale())
    v.quant.scales.resize(1), v.quant.zeroPoints.resize(1);
  return v;
}

QuantTarget mlir::qnn::frontend::makeTarget(QuantParams quant,
                                            IntegerType type) {
  rules::IntRange range = integerRange(type);
  return {std::move(quant), type, range.min, range.max,
          RoundingMode::half_even};
}

//===----------------------------------------------------------------------===//
// Operands of integer ops
//===----------------------------------------------------------------------===//

Value mlir::qnn::frontend::operandValue(NodeContext &ctx,
                                        GridOperand &operand) {
  if (!operand.ints)
    operand.ints = ctx.importer.constant(operand.data, operand.type, ctx.loc);
  return operand.ints;
}

/// The integer bounds [qlo, qhi] equivalent to clipping the reals of a
/// quantized value to `clip`, within the type's range, if they exist: each
/// finite bound a point of the quantization grid, the same in every channel.
static std::optional<std::pair<int64_t, int64_t>>
exactIntegerClamp(const Interval &clip, const QuantParams &quant,
                  IntegerType type) {
  rules::IntRange range = integerRange(type);
  std::optional<std::pair<int64_t, int64_t>> bounds;
  for (size_t c = 0; c < quant.scales.size(); ++c) {
    int64_t qb[2] = {range.min, range.max};
    double realBounds[2] = {clip.lo, clip.hi};
    Interval unbounded;
    double open[2] = {unbounded.lo, unbounded.hi};
    for (int k = 0; k < 2; ++k) {
      if (realBounds[k] == open[k])
        continue;
      double q = realBounds[k] / quant.scale(c) + double(quant.zeroPoint(c));
      double rounded = std::nearbyint(q);
      if (std::fabs(q - rounded) > 1e-6 * std::max(1.0, std::fabs(q)))
        return std::nullopt;
      qb[k] = int64_t(std::clamp(rounded, double(range.min),
                                 double(range.max)));
    }
    if (bounds && *bounds != std::make_pair(qb[0], qb[1]))
      return std::nullopt;
    bounds = {qb[0], qb[1]};
  }
  return bounds;
}

/// Clamps the integers of `operand` to `bounds`.
static void clampOperand(OpBuilder &builder, Location loc,
                         std::pair<int64_t, int64_t> bounds,
                         GridOperand &operand) {
  auto [lo, hi] = bounds;
  if (operand.data) {
    auto data = TensorData::integers(operand.data->shape);
    for (int64_t v : operand.data->ints)
      data->ints.push_back(std::clamp(v, lo, hi));
    operand.data = data;
    operand.ints = nullptr;
    return;
  }
  operand.ints = ClampOp::create(builder, loc, operand.ints, lo, hi);
}

/// Applies `clip` to the integers of a quantized operand as an exact clamp,
/// or fails through `error` (which names the operand).
static LogicalResult applyExactClip(ErrorFn error, OpBuilder &builder,
                                    Location loc, const Interval &clip,
                                    GridOperand &operand) {
  if (clip.isFull())
    return success();
  std::optional<std::pair<int64_t, int64_t>> bounds =
      exactIntegerClamp(clip, operand.quant, intElementType(operand.type));
  if (!bounds)
    return error() << "is clipped to [" << clip.lo << ", " << clip.hi
                   << "], which is not a range of quantization grid points ("
                   << describeScales(operand.quant)
                   << "); a QuantizeLinear must follow the Clip";
  clampOperand(builder, loc, *bounds, operand);
  return success();
}

FailureOr<ImportedValue> mlir::qnn::frontend::clipReals(
    NodeContext &ctx, const ImportedValue &x, const Interval &clip) {
  ImportedValue out = x;
  switch (x.kind) {
  case Kind::Int:
    return ctx.error() << "clipping the reals of integers without a scale";
  case Kind::Concat:
    return ctx.error() << "input '" << ctx.node.input(0)
                       << "' is a Concat of differently quantized tensors; "
                          "quantize it before clipping";
  case Kind::Constant: {
    if (x.data->isInteger())
      return ctx.error() << "clipping the reals of integers without a scale";
    auto data = std::make_shared<TensorData>(*x.data);
    for (double &r : data->reals)
      r = std::clamp(r, clip.lo, clip.hi);
    out.data = data;
    return out;
  }
  case Kind::Grid: {
    // Clamp the integers now when that is exact (always for a ReLU);
    // otherwise the clip waits for the QuantizeLinear.
    out.clip = x.clip.intersect(clip);
    std::optional<std::pair<int64_t, int64_t>> bounds =
        exactIntegerClamp(out.clip, x.quant, intElementType(x.type));
    if (!bounds)
      return out;
    GridOperand operand{x.ints, x.data, x.type, x.quant};
    clampOperand(ctx.builder(), ctx.loc, *bounds, operand);
    out.ints = operand.ints;
    out.data = operand.data;
    out.clip = Interval{};
    return out;
  }
  case Kind::Accum:
  case Kind::Sum:
  case Kind::FloatArg:
    out.clip = x.clip.intersect(clip);
    return out;
  }
  llvm_unreachable("unknown value kind");
}

/// Input i of an integer op: any value with at least one element.
static FailureOr<ValueRef> operandInput(NodeContext &ctx, unsigned i,
                                        StringRef role) {
  FailureOr<ValueRef> input = ctx.input(i);
  if (failed(input))
    return failure();
  if ((*input)->type.getNumElements() == 0)
    return ctx.error() << role << " '" << ctx.node.input(i)
                       << "' has no elements";
  return input;
}

FailureOr<GridOperand> mlir::qnn::frontend::gridInput(NodeContext &ctx,
                                                      unsigned i,
                                                      StringRef role) {
  FailureOr<ValueRef> input = operandInput(ctx, i, role);
  if (failed(input))
    return failure();
  const ImportedValue &v = **input;
  auto refuse = [&]() -> InFlightDiagnostic {
    return ctx.error() << role << " '" << ctx.node.input(i) << "' ";
  };
  switch (v.kind) {
  case Kind::Grid:
    break;
  case Kind::Accum:
  case Kind::Sum:
  case Kind::Concat:
    return refuse() << "is the real-valued result of " << v.origin
                    << ", which no QuantizeLinear quantizes: float op outside "
                       "a quantized region";
  case Kind::FloatArg:
    return refuse() << "is the float " << v.origin
                    << ", which no QuantizeLinear/DequantizeLinear pair "
                       "quantizes: float op outside a quantized region";
  case Kind::Constant:
    if (!v.data->isInteger())
      return refuse() << "is the float " << v.origin
                      << ", which no QuantizeLinear quantizes: float op "
                         "outside a quantized region";
    [[fallthrough]];
  case Kind::Int:
    return refuse() << "is the integer tensor " << v.origin
                    << " without a scale; it needs a DequantizeLinear";
  }
  GridOperand operand{v.ints, v.data, v.type, v.quant};
  auto error = [&]() -> InFlightDiagnostic { return refuse(); };
  if (failed(applyExactClip(error, ctx.builder(), ctx.loc, v.clip, operand)))
    return failure();
  return operand;
}

FailureOr<GridOperand>
mlir::qnn::frontend::integerInput(NodeContext &ctx, unsigned i,
                                  std::optional<unsigned> zeroPointInput,
                                  int64_t zeroPointAxis, StringRef role) {
  FailureOr<ValueRef> input = operandInput(ctx, i, role);
  if (failed(input))
    return failure();
  const ImportedValue &v = **input;
  if (v.isRealValued())
    return ctx.error() << role << " '" << ctx.node.input(i)
                       << "' must be an integer tensor, got the float "
                       << v.origin;
  GridOperand operand{v.ints, v.data, v.type, {}};
  operand.quant.scales = {1.0};
  operand.quant.zeroPoints = {0};
  if (!zeroPointInput || !ctx.hasInput(*zeroPointInput))
    return operand;
  FailureOr<std::shared_ptr<const TensorData>> zp =
      ctx.constantInput(*zeroPointInput, "zero point");
  if (failed(zp))
    return failure();
  const TensorData &zps = **zp;
  int64_t channels = v.type.getRank() > zeroPointAxis
                         ? v.type.getDimSize(zeroPointAxis)
                         : 1;
  if (!zps.isInteger() ||
      (zps.numElements() != 1 &&
       (zps.shape.size() != 1 || zps.numElements() != channels)))
    return ctx.error() << "the zero point of " << role << " '"
                       << ctx.node.input(i) << "' must be an integer scalar "
                       << "or have one value per index of dimension "
                       << zeroPointAxis;
  operand.quant.zeroPoints.assign(zps.ints.begin(), zps.ints.end());
  operand.quant.scales.assign(zps.ints.size(), 1.0);
  operand.quant.axis = zeroPointAxis;
  return operand;
}

FailureOr<QuantParams> mlir::qnn::frontend::readQuantParams(
    NodeContext &ctx, unsigned scaleInput,
    std::optional<unsigned> zeroPointInput, int64_t axis,
    ArrayRef<int64_t> shape, int32_t &zeroPointType) {
  zeroPointType = 0;
  FailureOr<std::shared_ptr<const TensorData>> scaleData =
      ctx.constantInput(scaleInput, "scale");
  if (failed(scaleData))
    return failure();
  const TensorData &scales = **scaleData;
  int64_t count = scales.numElements();
  if (scales.isInteger())
    return ctx.error() << "the scale must be a float tensor, got "
                       << elementTypeName(scales.dataType);
  if (count == 0)
    return ctx.error() << "the scale is empty";
  QuantParams quant;
  quant.axis = 0;
  if (count > 1) {
    int64_t rank = shape.size();
    if (scales.shape.size() != 1)
      return ctx.error() << "the scale must be a scalar or a 1-D tensor";
    int64_t normalized = axis < 0 ? axis + rank : axis;
    if (normalized < 0 || normalized >= rank)
      return ctx.error() << "axis " << axis << " is out of range for rank "
                         << rank;
    if (shape[normalized] != count)
      return ctx.error() << "has " << count << " scales for dimension "
                         << normalized << " of size " << shape[normalized];
    quant.axis = normalized;
  }
  for (int64_t c = 0; c < count; ++c) {
    double s = scales.reals[c];
    if (!(s > 0) || !std::isfinite(s))
      return ctx.error() << "scale " << s << " is not positive and finite";
    quant.scales.push_back(s);
  }
  if (!zeroPointInput || !ctx.hasInput(*zeroPointInput)) {
    quant.zeroPoints.assign(count, 0);
    return quant;
  }
  FailureOr<std::shared_ptr<const TensorData>> zpData =
      ctx.constantInput(*zeroPointInput, "zero point");
  if (failed(zpData))
    return failure();
  const TensorData &zps = **zpData;
  if (!zps.isInteger())
    return ctx.error() << "the zero point must be an integer tensor, got "
                       << elementTypeName(zps.dataType);
  if (zps.numElements() != count && zps.numElements() != 1)
    return ctx.error() << "has " << zps.numElements()
                       << " zero points for " << count << " scales";
  for (int64_t c = 0; c < count; ++c)
    quant.zeroPoints.push_back(zps.ints[zps.numElements() == 1 ? 0 : c]);
  zeroPointType = zps.dataType;
  return quant;
}

FailureOr<GridOperand> mlir::qnn::frontend::qlinearInput(
    NodeContext &ctx, unsigned valueInput, unsigned scaleInput,
    unsigned zeroPointInput, int64_t axis, StringRef role) {
  FailureOr<ValueRef> input = operandInput(ctx, valueInput, role);
  if (failed(input))
    return failure();
  const ImportedValue &v = **input;
  if (v.isRealValued())
    return ctx.error() << role << " '" << ctx.node.input(valueInput)
                       << "' must be an integer tensor, got the float "
                       << v.origin;
  int32_t zeroPointType = 0;
  FailureOr<QuantParams> quant =
      readQuantParams(ctx, scaleInput, zeroPointInput, axis,
                      v.type.getShape(), zeroPointType);
  if (failed(quant))
    return failure();
  IntegerType type = intElementType(v.type);
  if (zeroPointType && zeroPointType != toONNXElementType(type))
    return ctx.error() << "the zero point of " << role << " has type "
                       << elementTypeName(zeroPointType)
                       << ", the tensor has type "
                       << elementTypeName(toONNXElementType(type));
  return GridOperand{v.ints, v.data, v.type, std::move(*quant)};
}

LogicalResult mlir::qnn::frontend::checkOperandWidth(
    NodeContext &ctx, const GridOperand &operand, StringRef role) {
  unsigned width = intElementType(operand.type).getWidth();
  if (width <= 16)
    return success();
  return ctx.error() << "the " << role << " has " << width
                     << "-bit integers; integer ops take at most 16 bits";
}

LogicalResult mlir::qnn::frontend::checkPerTensor(NodeContext &ctx,
                                                  const GridOperand &operand,
                                                  StringRef role) {
  if (operand.quant.hasUniformScale() && operand.quant.uniformZeroPoint())
    return success();
  return ctx.error() << "the " << role
                     << " must be quantized per tensor (one scale and zero "
                        "point)";
}

FailureOr<QuantTarget>
mlir::qnn::frontend::qlinearOutputTarget(NodeContext &ctx,
                                         unsigned scaleInput,
                                         unsigned zeroPointInput,
                                         RankedTensorType inputType) {
  int32_t zeroPointType = 0;
  FailureOr<QuantParams> quant = readQuantParams(
      ctx, scaleInput, zeroPointInput, 0, {}, zeroPointType);
  if (failed(quant))
    return failure();
  IntegerType type = intElementType(inputType);
  if (zeroPointType)
    type = dyn_cast_or_null<IntegerType>(
        toMLIRElementType(ctx.context(), zeroPointType));
  if (!type || type.getWidth() > 16)
    return ctx.error() << "the output must be an 8- or 16-bit integer";
  return makeTarget(std::move(*quant), type);
}

LogicalResult mlir::qnn::frontend::foldWeightZeroPoints(NodeContext &ctx,
                                                        GridOperand &weight,
                                                        int64_t axis,
                                                        StringRef role) {
  if (weight.quant.uniformZeroPoint())
    return success();
  if (weight.quant.axis != axis)
    return ctx.error() << "the " << role << " is quantized along axis "
                       << weight.quant.axis << "; only axis " << axis
                       << " (output channels) is supported";
  if (!weight.data)
    return ctx.error() << "the " << role
                       << " has per-channel zero points but is not a "
                          "constant";
  // w - zp[c] of two 8-bit (or narrower) values fits in 16 bits; wider
  // weights are checked value by value.
  rules::IntRange i16 = rules::intRange(16, true);
  auto data = TensorData::integers(weight.data->shape);
  for (auto [i, w] : llvm::enumerate(weight.data->ints)) {
    int64_t c = channelOf(i, weight.data->shape, axis, 2);
    int64_t v = w - weight.quant.zeroPoints[c];
    if (!i16.contains(v))
      return ctx.error() << "the " << role
                         << " minus its per-channel zero point does not fit "
                            "in 16 bits";
    data->ints.push_back(v);
  }
  weight.data = data;
  weight.ints = nullptr;
  weight.type = RankedTensorType::get(weight.type.getShape(),
                                      IntegerType::get(ctx.context(), 16));
  weight.quant.zeroPoints.assign(weight.quant.scales.size(), 0);
  return success();
}

FailureOr<Value> mlir::qnn::frontend::biasInAccumulatorUnits(
    NodeContext &ctx, unsigned i, ArrayRef<double> accScales,
    int64_t channels, double factor) {
  FailureOr<ValueRef> input = ctx.input(i);
  if (failed(input))
    return failure();
  const ImportedValue &v = **input;
  bool isDequantizedConstant = v.kind == Kind::Grid && v.data;
  bool isFloatConstant = v.kind == Kind::Constant && !v.data->isInteger();
  if (!isDequantizedConstant && !isFloatConstant)
    return ctx.error() << "the bias '" << ctx.node.input(i)
                       << "' must be a constant: a float initializer or a "
                          "DequantizeLinear of integers";
  const TensorData &data = *v.data;
  int64_t count = data.numElements();
  if (count != channels && count != 1)
    return ctx.error() << "the bias has " << count << " elements for "
                       << channels << " output channels";
  auto bias = TensorData::integers({channels});
  rules::IntRange i32 = rules::intRange(32, true);
  for (int64_t c = 0; c < channels; ++c) {
    int64_t j = count == 1 ? 0 : c;
    double real = isFloatConstant
                      ? data.reals[j]
                      : double(data.ints[j] - v.quant.zeroPoint(
                                                  count == 1 ? 0 : j)) *
                            v.quant.scale(count == 1 ? 0 : j);
    double units = factor * real / accScales[accScales.size() == 1 ? 0 : c];
    double rounded = rules::roundReal(units, rules::Rounding::HalfEven);
    if (!(rounded >= double(i32.min) && rounded <= double(i32.max)))
      return ctx.error() << "the bias of channel " << c << " (" << real
                         << ") does not fit in i32 at the accumulator scale";
    bias->ints.push_back(int64_t(rounded));
  }
  return ctx.importer.constant(
      bias,
      RankedTensorType::get({channels}, IntegerType::get(ctx.context(), 32)),
      ctx.loc);
}

//===----------------------------------------------------------------------===//
// Graph outputs
//===----------------------------------------------------------------------===//

FailureOr<Value> mlir::qnn::frontend::materializeOutput(
    Importer &importer, const ImportedValue &value, StringRef name,
    Location loc) {
  auto error = [&]() -> InFlightDiagnostic {
    return emitError(loc) << "graph output '" << name << "' ";
  };
  OpBuilder &builder = importer.builder;
  switch (value.kind) {
  case Kind::Int:
    return importer.materialize(value, loc);
  case Kind::Constant:
    if (!value.data->isInteger())
      return error() << "is the float " << value.origin
                     << "; qnn has no float constants";
    return importer.materialize(value, loc);
  case Kind::FloatArg:
    if (!value.clip.isFull())
      return error() << "is a clipped float graph input, which no "
                        "QuantizeLinear quantizes";
    return value.ints;
  case Kind::Grid:
  case Kind::Accum: {
    GridOperand operand{value.ints, value.data, value.type, value.quant};
    if (failed(applyExactClip(error, builder, loc, value.clip, operand)))
      return failure();
    std::optional<int64_t> zp = value.quant.uniformZeroPoint();
    if (!value.quant.hasUniformScale() || !zp)
      return error() << "is quantized per channel; qnn.dequantize is "
                        "per-tensor";
    if (intElementType(value.type).getWidth() > 32)
      return error() << "has integers wider than 32 bits";
    Value ints = operand.ints ? operand.ints
                              : importer.constant(operand.data, operand.type,
                                                  loc);
    return DequantizeOp::create(
               builder, loc, withShape(value.type, value.type.getShape())
                                 .clone(builder.getF32Type()),
               ints, llvm::APFloat(value.quant.scales[0]), *zp)
        .getResult();
  }
  case Kind::Sum:
  case Kind::Concat:
    return error() << "is the real-valued result of " << value.origin
                   << ", which no QuantizeLinear quantizes";
  }
  llvm_unreachable("unknown value kind");
}
