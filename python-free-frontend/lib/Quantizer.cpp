//===- Quantizer.cpp - QuantizeLinear of every real-valued form -----------===//
//
// How a QuantizeLinear (or a QOperator output, or a QONNX Quant) turns the
// value before it into integers: qnn.quantize of a float input,
// qnn.requantize of a grid or accumulator value with the pending clip as
// bounds, qnn.requantize_add of a sum, a requantize per part of a concat,
// or evaluation at import of reals known at import.
//
//===----------------------------------------------------------------------===//

#include "Quantization.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::frontend;
using Kind = ImportedValue::Kind;
namespace rules = ::qnn::rules;

namespace {

/// Builds the qnn ops (or folds the constants) that realize QuantizeLinear
/// of one value to one target.
class Quantizer {
public:
  Quantizer(NodeContext &ctx, const QuantTarget &target)
      : ctx(ctx), target(target) {}

  FailureOr<ImportedValue> run(const ImportedValue &v);

private:
  RankedTensorType resultType(const ImportedValue &v) const {
    return withShape(v.type, v.type.getShape()).clone(target.type);
  }
  ImportedValue intValue(RankedTensorType type, Value ints,
                         std::shared_ptr<const TensorData> data) const {
    ImportedValue out;
    out.kind = Kind::Int;
    out.type = type;
    out.ints = ints;
    out.data = std::move(data);
    return out;
  }
  FailureOr<std::pair<int64_t, int64_t>> bounds(const Interval &clip);
  /// clamp_min and clamp_max for `bounds`: absent where a bound is the end
  /// of the target type's range.
  std::pair<IntegerAttr, IntegerAttr>
  clampAttributes(std::pair<int64_t, int64_t> bounds) const {
    rules::IntRange range = integerRange(target.type);
    Builder builder(target.type.getContext());
    auto attr = [&](int64_t bound, int64_t end) {
      return bound != end ? builder.getI64IntegerAttr(bound) : IntegerAttr();
    };
    return {attr(bounds.first, range.min), attr(bounds.second, range.max)};
  }
  LogicalResult checkChannels(const QuantParams &in, ArrayRef<int64_t> shape,
                              SmallVectorImpl<double> &ratios, int64_t &axis);
  FailureOr<ImportedValue> fold(const ImportedValue &v,
                                llvm::function_ref<double(int64_t)> real);
  FailureOr<ImportedValue> requantize(const ImportedValue &v, Value input,
                                      int64_t inputZp);
  FailureOr<ImportedValue> quantizeFloatArg(const ImportedValue &v);
  FailureOr<ImportedValue> quantizeSum(const ImportedValue &v);
  FailureOr<ImportedValue> quantizeConcat(const ImportedValue &v);

  NodeContext &ctx;
  const QuantTarget &target;
};

} // namespace

/// [clamp_min, clamp_max]: the target's range narrowed by the quantized
/// clip bounds. Quantization is monotone, so quantizing the clipped reals
/// equals clamping the quantized reals to the quantized bounds.
FailureOr<std::pair<int64_t, int64_t>>
Quantizer::bounds(const Interval &clip) {
  std::optional<std::pair<int64_t, int64_t>> result;
  for (size_t c = 0; c < target.quant.scales.size(); ++c) {
    // Infinite bounds quantize to the ends of the range.
    auto q = [&](double bound) {
      return rules::quantizeReal(bound, target.quant.scale(c),
                                 target.quant.zeroPoint(c), target.clampMin,
                                 target.clampMax, toRulesRounding(target.rounding));
    };
    std::pair<int64_t, int64_t> b = {q(clip.lo), q(clip.hi)};
    if (result && *result != b)
      return ctx.error() << "a per-channel QuantizeLinear after a Clip/ReLU "
                            "needs the same quantized bounds in every channel";
    result = b;
  }
  return *result;
}

/// The per-channel ratios input scale / output scale and their axis.
LogicalResult Quantizer::checkChannels(const QuantParams &in,
                                       ArrayRef<int64_t> shape,
                                       SmallVectorImpl<double> &ratios,
                                       int64_t &axis) {
  const QuantParams &out = target.quant;
  if (!in.isPerTensor() && !out.isPerTensor() && in.axis != out.axis)
    return ctx.error() << "the input is quantized along axis " << in.axis
                       << " and the output along axis " << out.axis;
  axis = in.isPerTensor() ? out.axis : in.axis;
  size_t channels = std::max(in.scales.size(), out.scales.size());
  if (channels > 1 && (axis >= int64_t(shape.size()) ||
                       shape[axis] != int64_t(channels)))
    return ctx.error() << "has " << channels
                       << " scales for a dimension of another size";
  for (size_t c = 0; c < channels; ++c) {
    double ratio = in.scale(c) / out.scale(c);
    if (!(ratio > 0) || !std::isfinite(ratio))
      return ctx.error() << "the scale ratio " << in.scale(c) << " / "
                         << out.scale(c) << " is not representable";
    ratios.push_back(ratio);
  }
  if (llvm::all_equal(ratios))
    ratios.resize(1);
  return success();
}

/// QuantizeLinear evaluated at import on reals known at import.
FailureOr<ImportedValue>
Quantizer::fold(const ImportedValue &v,
                llvm::function_ref<double(int64_t)> real) {
  FailureOr<std::pair<int64_t, int64_t>> b = bounds(Interval{});
  if (failed(b))
    return failure();
  ArrayRef<int64_t> shape = v.type.getShape();
  auto data = TensorData::integers(shape);
  const QuantParams &q = target.quant;
  int64_t count = v.type.getNumElements();
  for (int64_t i = 0; i < count; ++i) {
    int64_t c = channelOf(i, shape, q.axis, q.scales.size());
    double x = std::clamp(real(i), v.clip.lo, v.clip.hi);
    data->ints.push_back(rules::quantizeReal(x, q.scale(c), q.zeroPoint(c),
                                             b->first, b->second,
                                             toRulesRounding(target.rounding)));
  }
  return intValue(resultType(v), nullptr, data);
}

FailureOr<ImportedValue> Quantizer::requantize(const ImportedValue &v,
                                               Value input, int64_t inputZp) {
  SmallVector<double> ratios;
  int64_t axis = 0;
  if (failed(checkChannels(v.quant, v.type.getShape(), ratios, axis)))
    return failure();
  std::optional<int64_t> outputZp = target.quant.uniformZeroPoint();
  if (!outputZp)
    return ctx.error() << "per-channel output zero points are not supported "
                          "on a runtime tensor";
  FailureOr<std::pair<int64_t, int64_t>> b = bounds(v.clip);
  if (failed(b))
    return failure();
  OpBuilder &builder = ctx.builder();
  auto [clampMin, clampMax] = clampAttributes(*b);
  RankedTensorType type = resultType(v);
  Value out = RequantizeOp::create(builder, ctx.loc, type, input, ratios,
                                   ratios.size() == 1 ? 1 : axis, inputZp,
                                   *outputZp, clampMin, clampMax,
                                   target.rounding);
  return intValue(type, out, nullptr);
}

FailureOr<ImportedValue>
Quantizer::quantizeFloatArg(const ImportedValue &v) {
  const QuantParams &q = target.quant;
  std::optional<int64_t> zp = q.uniformZeroPoint();
  if (!q.hasUniformScale() || !zp) {
    // qnn.quantize has one scale; per-axis quantization of a float input
    // exists only for values known at import.
    if (v.data)
      return fold(v, [&](int64_t i) { return v.data->realAt(i); });
    return ctx.error() << "per-axis QuantizeLinear of the float " << v.origin
                       << " is not supported (qnn.quantize is per-tensor)";
  }
  FailureOr<std::pair<int64_t, int64_t>> b = bounds(v.clip);
  if (failed(b))
    return failure();
  OpBuilder &builder = ctx.builder();
  RankedTensorType type = resultType(v);
  Value out = QuantizeOp::create(builder, ctx.loc, type, v.ints,
                                 llvm::APFloat(q.scales[0]), *zp,
                                 target.rounding);
  rules::IntRange range = integerRange(target.type);
  if (b->first != range.min || b->second != range.max)
    out = ClampOp::create(builder, ctx.loc, out, b->first, b->second);
  return intValue(type, out, nullptr);
}

FailureOr<ImportedValue> Quantizer::quantizeSum(const ImportedValue &v) {
  const QuantParams &q = target.quant;
  std::optional<int64_t> zp = q.uniformZeroPoint();
  if (!q.hasUniformScale() || !zp)
    return ctx.error() << "an Add result must be quantized per tensor";
  FailureOr<std::pair<int64_t, int64_t>> b = bounds(v.clip);
  if (failed(b))
    return failure();
  const ImportedValue &lhs = *v.parts[0], &rhs = *v.parts[1];
  double lhsScale = lhs.quant.scales[0] / q.scales[0];
  double rhsScale = rhs.quant.scales[0] / q.scales[0];
  if (!(lhsScale > 0 && std::isfinite(lhsScale) && rhsScale > 0 &&
        std::isfinite(rhsScale)))
    return ctx.error() << "the Add's scale ratios are not representable";
  OpBuilder &builder = ctx.builder();
  auto [clampMin, clampMax] = clampAttributes(*b);
  RankedTensorType type = resultType(v);
  Value out = RequantizeAddOp::create(
      builder, ctx.loc, type, ctx.importer.materialize(lhs, ctx.loc),
      ctx.importer.materialize(rhs, ctx.loc), llvm::APFloat(lhsScale),
      llvm::APFloat(rhsScale), lhs.quant.zeroPoints[0],
      rhs.quant.zeroPoints[0], *zp, clampMin, clampMax,
      target.rounding);
  return intValue(type, out, nullptr);
}

FailureOr<ImportedValue> Quantizer::quantizeConcat(const ImportedValue &v) {
  if (!target.quant.isPerTensor())
    return ctx.error() << "a Concat of differently quantized tensors must be "
                          "quantized per tensor";
  SmallVector<Value> parts;
  for (const ValueRef &part : v.parts) {
    FailureOr<ImportedValue> q = run(*part);
    if (failed(q))
      return failure();
    parts.push_back(ctx.importer.materialize(*q, ctx.loc));
  }
  RankedTensorType type = resultType(v);
  Value out = ConcatOp::create(ctx.builder(), ctx.loc, type, parts,
                               v.concatAxis);
  return intValue(type, out, nullptr);
}

FailureOr<ImportedValue> Quantizer::run(const ImportedValue &v) {
  switch (v.kind) {
  case Kind::Int:
    return ctx.error() << "cannot quantize the integer tensor " << v.origin;
  case Kind::Constant:
    if (v.data->isInteger())
      return ctx.error() << "cannot quantize the integer " << v.origin;
    return fold(v, [&](int64_t i) { return v.data->reals[i]; });
  case Kind::FloatArg:
    return quantizeFloatArg(v);
  case Kind::Grid: {
    const QuantParams &in = v.quant;
    if (v.data)
      return fold(v, [&](int64_t i) {
        int64_t c = channelOf(i, v.type.getShape(), in.axis,
                              in.scales.size());
        return double(v.data->ints[i] - in.zeroPoint(c)) * in.scale(c);
      });
    // QuantizeLinear(DequantizeLinear(x)) with the same parameters is x.
    rules::IntRange range = integerRange(target.type);
    if (v.clip.isFull() && in.scales == target.quant.scales &&
        in.zeroPoints == target.quant.zeroPoints &&
        (in.isPerTensor() || in.axis == target.quant.axis) &&
        intElementType(v.type) == target.type &&
        target.clampMin == range.min && target.clampMax == range.max)
      return intValue(v.type, v.ints, nullptr);
    std::optional<int64_t> inputZp = in.uniformZeroPoint();
    if (!inputZp)
      return ctx.error() << "per-channel input zero points are not supported "
                            "on a runtime tensor";
    return requantize(v, v.ints, *inputZp);
  }
  case Kind::Accum:
    return requantize(v, v.ints, 0);
  case Kind::Sum:
    return quantizeSum(v);
  case Kind::Concat:
    return quantizeConcat(v);
  }
  llvm_unreachable("unknown value kind");
}

FailureOr<ImportedValue> mlir::qnn::frontend::quantize(
    NodeContext &ctx, const ImportedValue &value, const QuantTarget &target) {
  return Quantizer(ctx, target).run(value);
}
