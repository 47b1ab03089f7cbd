//===- QNNOps.cpp - qnn operations: verifiers and folders -----------------===//
//
// Every structural rule of docs/semantics.md that can be checked on one op is
// checked here, with a diagnostic that names the attribute or operand and
// the offending value.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::qnn;

//===----------------------------------------------------------------------===//
// Shared rules
//===----------------------------------------------------------------------===//

rules::Rounding mlir::qnn::toRulesRounding(RoundingMode mode) {
  switch (mode) {
  case RoundingMode::half_up:
    return rules::Rounding::HalfUp;
  case RoundingMode::half_even:
    return rules::Rounding::HalfEven;
  case RoundingMode::half_away_from_zero:
    return rules::Rounding::HalfAwayFromZero;
  }
  llvm_unreachable("unknown rounding mode");
}

rules::IntRange mlir::qnn::integerRange(IntegerType type) {
  // rules::intRange is defined for unsigned widths up to 63 bits; ui64 and
  // wider are capped at what an int64_t (and an I64Attr) can hold.
  if (type.isUnsigned() && type.getWidth() >= 64)
    return {0, INT64_MAX};
  return rules::intRange(type.getWidth(), !type.isUnsigned());
}

unsigned mlir::qnn::containerBits(IntegerType type) {
  unsigned w = type.getWidth();
  return w <= 8 ? 8 : w <= 16 ? 16 : w <= 32 ? 32 : 64;
}

int64_t mlir::qnn::slidingWindowOutputSize(int64_t in, int64_t kernel,
                                           int64_t stride, int64_t padBefore,
                                           int64_t padAfter, int64_t dilation) {
  int64_t span = dilation * (kernel - 1) + 1;
  int64_t room = in + padBefore + padAfter - span;
  if (room < 0)
    return -1;
  return room / stride + 1;
}

namespace {

IntegerType elementIntType(Value v) {
  return cast<IntegerType>(cast<ShapedType>(v.getType()).getElementType());
}

ArrayRef<int64_t> shapeOf(Value v) {
  return cast<ShapedType>(v.getType()).getShape();
}

std::string typeString(Type t) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << t;
  return s;
}

/// `value` must be representable in `type` (zero points, pad values, bounds).
LogicalResult verifyInRange(Operation *op, StringRef what, int64_t value,
                            IntegerType type) {
  rules::IntRange range = integerRange(type);
  if (range.contains(value))
    return success();
  return op->emitOpError() << what << " " << value << " is outside the range ["
                           << range.min << ", " << range.max << "] of "
                           << typeString(type);
}

LogicalResult verifyRank(Operation *op, StringRef what, Value v,
                         int64_t rank) {
  int64_t actual = cast<ShapedType>(v.getType()).getRank();
  if (actual == rank)
    return success();
  return op->emitOpError() << "expects " << what << " of rank " << rank
                           << ", got rank " << actual;
}

/// Operands of accumulating ops: 1 to 16 bits, so that every exact product
/// and sum is computable in 64 bits (docs/semantics.md, "Accumulation").
LogicalResult verifyNarrowOperand(Operation *op, StringRef what, Value v) {
  unsigned width = elementIntType(v).getWidth();
  if (width <= 16)
    return success();
  return op->emitOpError() << "expects " << what
                           << " elements of at most 16 bits, got "
                           << typeString(elementIntType(v));
}

/// Accumulators are signless (signed) i32 or i64.
LogicalResult verifyAccumulator(Operation *op, StringRef what, Value v) {
  IntegerType type = elementIntType(v);
  if (type.isSignless() && (type.getWidth() == 32 || type.getWidth() == 64))
    return success();
  return op->emitOpError() << "expects " << what
                           << " of accumulator type i32 or i64, got "
                           << typeString(type);
}

LogicalResult verifyArraySize(Operation *op, StringRef name,
                              ArrayRef<int64_t> values, size_t size) {
  if (values.size() == size)
    return success();
  return op->emitOpError() << "expects '" << name << "' to have " << size
                           << " elements, got " << values.size();
}

/// Bound of every window and padding attribute value: with it,
/// dilation * (kernel - 1) and size + padding cannot overflow int64_t.
constexpr int64_t kMaxExtent = (int64_t(1) << 31) - 1;

LogicalResult verifyAllInRange(Operation *op, StringRef name,
                               ArrayRef<int64_t> values, int64_t min,
                               int64_t max) {
  for (int64_t v : values)
    if (v < min || v > max)
      return op->emitOpError() << "expects every '" << name << "' value in ["
                               << min << ", " << max << "], got " << v;
  return success();
}


/// Kernel/stride/padding/dilation attributes of a 2-D sliding window.
struct Window2D {
  ArrayRef<int64_t> kernel, strides, padding, dilations;
};

LogicalResult verifyWindowAttrs(Operation *op, const Window2D &w) {
  if (failed(verifyArraySize(op, "kernel", w.kernel, 2)) ||
      failed(verifyArraySize(op, "strides", w.strides, 2)) ||
      failed(verifyArraySize(op, "padding", w.padding, 4)) ||
      failed(verifyArraySize(op, "dilations", w.dilations, 2)) ||
      failed(verifyAllInRange(op, "kernel", w.kernel, 1, kMaxExtent)) ||
      failed(verifyAllInRange(op, "strides", w.strides, 1, kMaxExtent)) ||
      failed(verifyAllInRange(op, "padding", w.padding, 0, kMaxExtent)) ||
      failed(verifyAllInRange(op, "dilations", w.dilations, 1,
                              kMaxExtent)))
    return failure();
  return success();
}

/// The result must be [N, channels, Ho, Wo] with Ho, Wo given by the window.
LogicalResult verifyWindowResultShape(Operation *op, Value input,
                                      int64_t channels, const Window2D &w,
                                      Value output) {
  ArrayRef<int64_t> in = shapeOf(input);
  int64_t expected[4] = {in[0], channels, 0, 0};
  for (int i = 0; i < 2; ++i) {
    expected[2 + i] = slidingWindowOutputSize(in[2 + i], w.kernel[i],
                                              w.strides[i], w.padding[i],
                                              w.padding[2 + i], w.dilations[i]);
    if (expected[2 + i] < 1)
      return op->emitOpError()
             << "window of extent "
             << w.dilations[i] * (w.kernel[i] - 1) + 1 << " does not fit "
             << (i == 0 ? "height " : "width ") << in[2 + i]
             << " with padding " << w.padding[i] << "+" << w.padding[2 + i];
  }
  if (shapeOf(output) == ArrayRef<int64_t>(expected))
    return success();
  return op->emitOpError() << "expects result shape [" << expected[0] << ", "
                           << expected[1] << ", " << expected[2] << ", "
                           << expected[3] << "], got "
                           << typeString(output.getType());
}

} // namespace

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

LogicalResult ConstantOp::verify() {
  if (!isa<DenseIntElementsAttr>(getValue()))
    return emitOpError("expects a dense integer elements value");
  return success();
}

//===----------------------------------------------------------------------===//
// ReshapeOp, ConcatOp, PadOp
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  auto in = cast<ShapedType>(getInput().getType());
  auto out = cast<ShapedType>(getOutput().getType());
  if (in.getNumElements() == out.getNumElements())
    return success();
  return emitOpError() << "cannot reshape " << in.getNumElements()
                       << " elements into " << out.getNumElements();
}

LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError("expects at least one input");
  auto out = cast<ShapedType>(getOutput().getType());
  int64_t rank = out.getRank();
  int64_t axis = getAxis();
  if (axis < 0 || axis >= rank)
    return emitOpError() << "axis " << axis << " is out of range for rank "
                         << rank;
  int64_t axisSum = 0;
  for (auto [i, input] : llvm::enumerate(getInputs())) {
    ArrayRef<int64_t> shape = shapeOf(input);
    if (int64_t(shape.size()) != rank)
      return emitOpError() << "input #" << i << " has rank " << shape.size()
                           << ", expected " << rank;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && shape[d] != out.getDimSize(d))
        return emitOpError() << "input #" << i << " has size " << shape[d]
                             << " in dimension " << d << ", expected "
                             << out.getDimSize(d);
    axisSum += shape[axis];
  }
  if (axisSum != out.getDimSize(axis))
    return emitOpError() << "result size " << out.getDimSize(axis)
                         << " along axis " << axis
                         << " is not the sum of the inputs' sizes " << axisSum;
  return success();
}

LogicalResult PadOp::verify() {
  ArrayRef<int64_t> in = shapeOf(getInput());
  ArrayRef<int64_t> out = shapeOf(getOutput());
  if (failed(verifyArraySize(*this, "low", getLow(), in.size())) ||
      failed(verifyArraySize(*this, "high", getHigh(), in.size())) ||
      failed(verifyAllInRange(*this, "low", getLow(), 0, kMaxExtent)) ||
      failed(verifyAllInRange(*this, "high", getHigh(), 0, kMaxExtent)) ||
      failed(verifyInRange(*this, "pad value", getValue(),
                           elementIntType(getInput()))))
    return failure();
  if (failed(verifyRank(*this, "result", getOutput(), in.size())))
    return failure();
  for (size_t d = 0; d < in.size(); ++d)
    if (out[d] != in[d] + getLow()[d] + getHigh()[d])
      return emitOpError() << "expects result size "
                           << in[d] + getLow()[d] + getHigh()[d]
                           << " in dimension " << d << ", got " << out[d];
  return success();
}

//===----------------------------------------------------------------------===//
// Conv2DOp, MatmulOp, AddOp, AvgPool2DOp
//===----------------------------------------------------------------------===//

/// Optional bias: rank 1, `size` elements, same element type as the result.
static LogicalResult verifyBias(Operation *op, Value bias, int64_t size,
                                Value output) {
  if (!bias)
    return success();
  if (failed(verifyRank(op, "bias", bias, 1)))
    return failure();
  if (shapeOf(bias)[0] != size)
    return op->emitOpError() << "expects bias of " << size
                             << " elements (one per output channel), got "
                             << shapeOf(bias)[0];
  if (elementIntType(bias) != elementIntType(output))
    return op->emitOpError() << "expects bias element type "
                             << typeString(elementIntType(output))
                             << " (the accumulator type), got "
                             << typeString(elementIntType(bias));
  return success();
}

LogicalResult Conv2DOp::verify() {
  Value input = getInput(), weight = getWeight(), output = getOutput();
  if (failed(verifyRank(*this, "input", input, 4)) ||
      failed(verifyRank(*this, "weight", weight, 4)) ||
      failed(verifyRank(*this, "result", output, 4)) ||
      failed(verifyNarrowOperand(*this, "input", input)) ||
      failed(verifyNarrowOperand(*this, "weight", weight)) ||
      failed(verifyAccumulator(*this, "result", output)) ||
      failed(verifyInRange(*this, "input_zp", getInputZp(),
                           elementIntType(input))) ||
      failed(verifyInRange(*this, "weight_zp", getWeightZp(),
                           elementIntType(weight))))
    return failure();
  ArrayRef<int64_t> kernel = shapeOf(weight).drop_front(2);
  if (kernel[0] < 1 || kernel[1] < 1)
    return emitOpError() << "expects a weight kernel of at least 1x1, got "
                         << kernel[0] << "x" << kernel[1];
  Window2D window{kernel, getStrides(), getPadding(), getDilations()};
  if (failed(verifyWindowAttrs(*this, window)))
    return failure();
  int64_t groups = getGroups();
  int64_t inChannels = shapeOf(input)[1];
  int64_t outChannels = shapeOf(weight)[0];
  if (groups < 1)
    return emitOpError() << "expects 'groups' >= 1, got " << groups;
  if (inChannels % groups != 0 || outChannels % groups != 0)
    return emitOpError() << "groups " << groups
                         << " must divide the input channels " << inChannels
                         << " and the output channels " << outChannels;
  if (shapeOf(weight)[1] != inChannels / groups)
    return emitOpError() << "expects weight dimension 1 to be input channels "
                            "/ groups = "
                         << inChannels / groups << ", got "
                         << shapeOf(weight)[1];
  if (failed(verifyBias(*this, getBias(), outChannels, output)))
    return failure();
  return verifyWindowResultShape(*this, input, outChannels, window, output);
}

LogicalResult MatmulOp::verify() {
  Value lhs = getLhs(), rhs = getRhs(), output = getOutput();
  if (failed(verifyRank(*this, "lhs", lhs, 2)) ||
      failed(verifyRank(*this, "rhs", rhs, 2)) ||
      failed(verifyRank(*this, "result", output, 2)) ||
      failed(verifyNarrowOperand(*this, "lhs", lhs)) ||
      failed(verifyNarrowOperand(*this, "rhs", rhs)) ||
      failed(verifyAccumulator(*this, "result", output)) ||
      failed(verifyInRange(*this, "lhs_zp", getLhsZp(), elementIntType(lhs))) ||
      failed(verifyInRange(*this, "rhs_zp", getRhsZp(), elementIntType(rhs))))
    return failure();
  ArrayRef<int64_t> a = shapeOf(lhs), b = shapeOf(rhs), c = shapeOf(output);
  if (a[1] != b[0])
    return emitOpError() << "contraction sizes differ: lhs is " << a[0] << "x"
                         << a[1] << ", rhs is " << b[0] << "x" << b[1];
  if (c[0] != a[0] || c[1] != b[1])
    return emitOpError() << "expects result shape [" << a[0] << ", " << b[1]
                         << "], got " << typeString(output.getType());
  return verifyBias(*this, getBias(), b[1], output);
}

LogicalResult AddOp::verify() {
  Value lhs = getLhs(), rhs = getRhs(), output = getOutput();
  if (failed(verifyNarrowOperand(*this, "lhs", lhs)) ||
      failed(verifyNarrowOperand(*this, "rhs", rhs)) ||
      failed(verifyAccumulator(*this, "result", output)) ||
      failed(verifyInRange(*this, "lhs_zp", getLhsZp(), elementIntType(lhs))) ||
      failed(verifyInRange(*this, "rhs_zp", getRhsZp(), elementIntType(rhs))))
    return failure();
  if (shapeOf(lhs) != shapeOf(rhs) || shapeOf(lhs) != shapeOf(output))
    return emitOpError() << "expects operands and result of one shape, got "
                         << typeString(lhs.getType()) << ", "
                         << typeString(rhs.getType()) << " -> "
                         << typeString(output.getType());
  rules::IntRange i32 = rules::intRange(32, true);
  for (auto [name, m] : {std::pair<StringRef, int64_t>{"lhs_multiplier",
                                                       getLhsMultiplier()},
                         {"rhs_multiplier", getRhsMultiplier()}})
    if (!i32.contains(m))
      return emitOpError() << name << " " << m
                           << " does not fit in 32 signed bits";
  return success();
}

LogicalResult AvgPool2DOp::verify() {
  Value input = getInput(), output = getOutput();
  if (failed(verifyRank(*this, "input", input, 4)) ||
      failed(verifyRank(*this, "result", output, 4)) ||
      failed(verifyNarrowOperand(*this, "input", input)) ||
      failed(verifyAccumulator(*this, "result", output)) ||
      failed(verifyInRange(*this, "input_zp", getInputZp(),
                           elementIntType(input))))
    return failure();
  int64_t unitDilations[2] = {1, 1};
  Window2D window{getKernel(), getStrides(), getPadding(), unitDilations};
  if (failed(verifyWindowAttrs(*this, window)))
    return failure();
  return verifyWindowResultShape(*this, input, shapeOf(input)[1], window,
                                 output);
}

//===----------------------------------------------------------------------===//
// MaxPool2DOp, ClampOp
//===----------------------------------------------------------------------===//

LogicalResult MaxPool2DOp::verify() {
  Value input = getInput(), output = getOutput();
  if (failed(verifyRank(*this, "input", input, 4)) ||
      failed(verifyRank(*this, "result", output, 4)))
    return failure();
  Window2D window{getKernel(), getStrides(), getPadding(), getDilations()};
  if (failed(verifyWindowAttrs(*this, window)))
    return failure();
  // Every window must hold at least one real element: a pad as wide as the
  // window would make a maximum over nothing.
  for (int i = 0; i < 4; ++i) {
    int64_t extent = window.dilations[i % 2] * (window.kernel[i % 2] - 1) + 1;
    if (window.padding[i] >= extent)
      return emitOpError() << "padding " << window.padding[i]
                           << " must be smaller than the window extent "
                           << extent;
  }
  if (failed(verifyWindowResultShape(*this, input, shapeOf(input)[1], window,
                                     output)))
    return failure();
  // With dilation > 1 the padding bound is not enough: a window can straddle
  // an input narrower than the gap between its taps and read only padding.
  ArrayRef<int64_t> in = shapeOf(input), out = shapeOf(output);
  for (int i = 0; i < 2; ++i) {
    int64_t d = window.dilations[i], k = window.kernel[i];
    if (d == 1)
      continue;
    for (int64_t o = 0; o < out[2 + i]; ++o) {
      int64_t start = o * window.strides[i] - window.padding[i];
      int64_t firstTap = start >= 0 ? 0 : (-start + d - 1) / d;
      if (firstTap >= k || start + firstTap * d >= in[2 + i])
        return emitOpError()
               << "window " << o << " along the "
               << (i == 0 ? "height" : "width") << " reads only padding: "
               << "kernel " << k << " with dilation " << d << " and padding "
               << window.padding[i] << "+" << window.padding[2 + i]
               << " has no tap on the input of size " << in[2 + i];
    }
  }
  return success();
}

LogicalResult ClampOp::verify() {
  IntegerType type = elementIntType(getInput());
  if (failed(verifyInRange(*this, "min", getMin(), type)) ||
      failed(verifyInRange(*this, "max", getMax(), type)))
    return failure();
  if (getMin() > getMax())
    return emitOpError() << "min " << getMin() << " is greater than max "
                         << getMax();
  return success();
}

//===----------------------------------------------------------------------===//
// RescaleOp, RequantizeOp
//===----------------------------------------------------------------------===//

/// The checks qnn.rescale and qnn.requantize share: widths, zero points,
/// clamp bounds, and the per-channel parameter count along `axis`.
template <typename OpTy>
static LogicalResult verifyRequantCommon(OpTy op, size_t numChannelParams,
                                         StringRef paramName) {
  IntegerType inType = elementIntType(op.getInput());
  IntegerType outType = elementIntType(op.getOutput());
  if (inType.getWidth() > rules::kMaxRescaleInputBits)
    return op.emitOpError() << "expects input elements of at most "
                            << rules::kMaxRescaleInputBits << " bits, got "
                            << typeString(inType);
  if (outType.getWidth() > 32)
    return op.emitOpError() << "expects result elements of at most 32 bits, "
                               "got "
                            << typeString(outType);
  if (failed(verifyInRange(op, "input_zp", op.getInputZp(), inType)) ||
      failed(verifyInRange(op, "output_zp", op.getOutputZp(), outType)))
    return failure();
  rules::IntRange outRange = integerRange(outType);
  int64_t lo = op.getClampMin().value_or(outRange.min);
  int64_t hi = op.getClampMax().value_or(outRange.max);
  if (failed(verifyInRange(op, "clamp_min", lo, outType)) ||
      failed(verifyInRange(op, "clamp_max", hi, outType)))
    return failure();
  if (lo > hi)
    return op.emitOpError() << "clamp_min " << lo << " is greater than "
                            << "clamp_max " << hi;
  if (numChannelParams == 1)
    return success();
  ArrayRef<int64_t> shape = shapeOf(op.getInput());
  int64_t axis = op.getAxis();
  if (axis < 0 || axis >= int64_t(shape.size()))
    return op.emitOpError() << "axis " << axis << " is out of range for rank "
                            << shape.size();
  if (int64_t(numChannelParams) != shape[axis])
    return op.emitOpError()
           << "expects 1 (per-tensor) or " << shape[axis]
           << " (one per channel along axis " << axis << ") " << paramName
           << " values, got " << numChannelParams;
  return success();
}

LogicalResult RescaleOp::verify() {
  ArrayRef<int32_t> multipliers = getMultiplier(), shifts = getShift();
  if (multipliers.empty())
    return emitOpError("expects at least one multiplier");
  if (multipliers.size() != shifts.size())
    return emitOpError() << "expects as many shifts as multipliers, got "
                         << shifts.size() << " and " << multipliers.size();
  for (int32_t m : multipliers)
    if (m < 0)
      return emitOpError() << "multiplier " << m << " is outside [0, "
                           << rules::kMaxMultiplier << "]";
  for (int32_t s : shifts)
    if (s < 0 || s > int32_t(rules::kMaxShift))
      return emitOpError() << "shift " << s << " is outside [0, "
                           << rules::kMaxShift << "]";
  return verifyRequantCommon(*this, multipliers.size(), "multiplier");
}

LogicalResult RequantizeOp::verify() {
  ArrayRef<double> scales = getScale();
  if (scales.empty())
    return emitOpError("expects at least one scale");
  for (double s : scales)
    if (!(s > 0) || !std::isfinite(s))
      return emitOpError() << "scale " << s << " is not positive and finite";
  return verifyRequantCommon(*this, scales.size(), "scale");
}

//===----------------------------------------------------------------------===//
// QuantizeOp, DequantizeOp
//===----------------------------------------------------------------------===//

static LogicalResult verifyBoundary(Operation *op, double scale, int64_t zp,
                                    IntegerType intType) {
  if (!(scale > 0) || !std::isfinite(scale))
    return op->emitOpError() << "scale " << scale
                             << " is not positive and finite";
  if (intType.getWidth() > 32)
    return op->emitOpError() << "expects integer elements of at most 32 bits, "
                                "got "
                             << typeString(intType);
  return verifyInRange(op, "zero_point", zp, intType);
}

LogicalResult QuantizeOp::verify() {
  return verifyBoundary(*this, getScale().convertToDouble(), getZeroPoint(),
                        elementIntType(getOutput()));
}

LogicalResult DequantizeOp::verify() {
  return verifyBoundary(*this, getScale().convertToDouble(), getZeroPoint(),
                        elementIntType(getInput()));
}

//===----------------------------------------------------------------------===//
// RequantizeAddOp, BatchNormOp (pre-folding forms of the passes)
//===----------------------------------------------------------------------===//

static LogicalResult verifyPositiveFinite(Operation *op, StringRef name,
                                          double value) {
  if (value > 0 && std::isfinite(value))
    return success();
  return op->emitOpError() << name << " " << value
                           << " is not positive and finite";
}

LogicalResult RequantizeAddOp::verify() {
  Value lhs = getLhs(), rhs = getRhs(), output = getOutput();
  IntegerType outType = elementIntType(output);
  if (failed(verifyNarrowOperand(*this, "lhs", lhs)) ||
      failed(verifyNarrowOperand(*this, "rhs", rhs)) ||
      failed(verifyInRange(*this, "lhs_zp", getLhsZp(), elementIntType(lhs))) ||
      failed(verifyInRange(*this, "rhs_zp", getRhsZp(), elementIntType(rhs))) ||
      failed(verifyPositiveFinite(*this, "lhs_scale",
                                  getLhsScale().convertToDouble())) ||
      failed(verifyPositiveFinite(*this, "rhs_scale",
                                  getRhsScale().convertToDouble())))
    return failure();
  if (shapeOf(lhs) != shapeOf(rhs) || shapeOf(lhs) != shapeOf(output))
    return emitOpError("expects operands and result of one shape");
  if (outType.getWidth() > 32)
    return emitOpError() << "expects result elements of at most 32 bits, got "
                         << typeString(outType);
  rules::IntRange bounds = clampBounds(*this);
  if (failed(verifyInRange(*this, "output_zp", getOutputZp(), outType)) ||
      failed(verifyInRange(*this, "clamp_min", bounds.min, outType)) ||
      failed(verifyInRange(*this, "clamp_max", bounds.max, outType)))
    return failure();
  if (bounds.min > bounds.max)
    return emitOpError() << "clamp_min " << bounds.min
                         << " is greater than clamp_max " << bounds.max;
  return success();
}

LogicalResult BatchNormOp::verify() {
  if (failed(verifyAccumulator(*this, "input", getInput())))
    return failure();
  ArrayRef<double> scales = getScale(), offsets = getOffset();
  if (scales.empty())
    return emitOpError("expects at least one scale");
  if (scales.size() != offsets.size())
    return emitOpError() << "expects as many offsets as scales, got "
                         << offsets.size() << " and " << scales.size();
  for (auto [name, values] : {std::pair<StringRef, ArrayRef<double>>{
                                  "scale", scales},
                              {"offset", offsets}})
    for (double v : values)
      if (!std::isfinite(v))
        return emitOpError() << name << " " << v << " is not finite";
  if (scales.size() == 1)
    return success();
  ArrayRef<int64_t> shape = shapeOf(getInput());
  int64_t axis = getAxis();
  if (axis < 0 || axis >= int64_t(shape.size()))
    return emitOpError() << "axis " << axis << " is out of range for rank "
                         << shape.size();
  if (int64_t(scales.size()) != shape[axis])
    return emitOpError() << "expects 1 (per-tensor) or " << shape[axis]
                         << " (one per channel along axis " << axis
                         << ") scale values, got " << scales.size();
  return success();
}

#define GET_OP_CLASSES
#include "qnn/Dialect/QNN/IR/QNNOps.cpp.inc"
