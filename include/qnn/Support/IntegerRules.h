//===- IntegerRules.h - The one definition of qnn's integer arithmetic ----===//
//
// Every integer rule of qnn-mlir lives here, once: rounding right shifts,
// saturation, the rescale primitive, and the derivation of an integer
// (multiplier, shift) pair from a real scale. The training module's integer
// simulation, the reference interpreter and the code generator all call these
// functions, so that "bit-exact" means "the same formula", not "the same
// formula written three times". docs/semantics.md states each rule as an
// exact formula; the unit tests in unittests/Support check the two agree.
//
// Dependency-free on purpose (C++17 standard library only, no MLIR, no LLVM,
// no LibTorch): it is compiled into RTTI and non-RTTI code alike.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_SUPPORT_INTEGERRULES_H
#define QNN_SUPPORT_INTEGERRULES_H

#include <cmath>
#include <cstdint>
#include <optional>
#include <string_view>

namespace qnn::rules {

//===----------------------------------------------------------------------===//
// Integer ranges and saturation
//===----------------------------------------------------------------------===//

/// The closed range [min, max] of an integer type.
struct IntRange {
  int64_t min;
  int64_t max;
  constexpr bool contains(int64_t v) const { return min <= v && v <= max; }
};

/// Range of a `bits`-wide integer; signed is two's complement.
/// Valid for 1 <= bits <= 64 (signed) and 1 <= bits <= 63 (unsigned: the
/// maximum must fit in int64_t).
constexpr IntRange intRange(unsigned bits, bool isSigned) {
  if (isSigned) {
    if (bits >= 64)
      return {INT64_MIN, INT64_MAX};
    return {-(int64_t(1) << (bits - 1)), (int64_t(1) << (bits - 1)) - 1};
  }
  return {0, static_cast<int64_t>((uint64_t(1) << bits) - 1)};
}

/// clamp(v, lo, hi). Requires lo <= hi.
constexpr int64_t saturate(int64_t v, int64_t lo, int64_t hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

/// Two's-complement wrap of v to `bits` bits (1 <= bits <= 64): the value an
/// N-bit register holds after an exact result that does not fit. Accumulators
/// are defined to wrap; `--qnn-check-ranges` proves that they never need to.
constexpr int64_t wrapToBits(int64_t v, unsigned bits, bool isSigned) {
  if (bits >= 64)
    return v;
  uint64_t mask = (uint64_t(1) << bits) - 1;
  uint64_t low = static_cast<uint64_t>(v) & mask;
  if (isSigned && (low >> (bits - 1)))
    low |= ~mask;
  return static_cast<int64_t>(low);
}

//===----------------------------------------------------------------------===//
// Rounding right shift
//===----------------------------------------------------------------------===//

/// How a right shift by s rounds the exact quotient q = x / 2^s.
enum class Rounding : uint8_t {
  /// floor(q + 1/2): ties go towards +infinity. The default everywhere.
  HalfUp,
  /// Nearest, ties to the even integer (IEEE-754 / ONNX QuantizeLinear).
  HalfEven,
  /// Nearest, ties away from zero (gemmlowp / TFLite "rounding divide").
  HalfAwayFromZero,
};

constexpr std::string_view roundingName(Rounding r) {
  switch (r) {
  case Rounding::HalfUp:
    return "half_up";
  case Rounding::HalfEven:
    return "half_even";
  case Rounding::HalfAwayFromZero:
    return "half_away_from_zero";
  }
  return "";
}

constexpr std::optional<Rounding> parseRounding(std::string_view name) {
  for (Rounding r :
       {Rounding::HalfUp, Rounding::HalfEven, Rounding::HalfAwayFromZero})
    if (roundingName(r) == name)
      return r;
  return std::nullopt;
}

/// round(x / 2^shift) with the given tie rule, for 0 <= shift <= 63, exactly,
/// for every int64_t x. Never overflows: it does not form x + 2^(shift-1).
///
/// Write x = q*2^s + r with q = floor(x / 2^s) (the arithmetic shift) and
/// 0 <= r < 2^s. Then r >= 2^(s-1) is bit s-1 of x, and r == 2^(s-1) (a tie)
/// is "bit s-1 set and bits 0..s-2 clear".
constexpr int64_t roundingShiftRight(int64_t x, unsigned shift, Rounding r) {
  if (shift == 0)
    return x;
  int64_t floorQ = x >> shift; // arithmetic: floor division by 2^shift
  uint64_t rem = static_cast<uint64_t>(x) & ((uint64_t(1) << shift) - 1);
  uint64_t half = uint64_t(1) << (shift - 1);
  if (rem < half)
    return floorQ;
  if (rem > half)
    return floorQ + 1;
  // Exact tie: q = floorQ + 1/2.
  switch (r) {
  case Rounding::HalfUp:
    return floorQ + 1;
  case Rounding::HalfEven:
    return (floorQ & 1) ? floorQ + 1 : floorQ;
  case Rounding::HalfAwayFromZero:
    return floorQ >= 0 ? floorQ + 1 : floorQ;
  }
  return floorQ;
}

//===----------------------------------------------------------------------===//
// Rescale: the one requantization primitive
//===----------------------------------------------------------------------===//

/// Limits on rescale parameters, checked by the op verifier and by the
/// derivation below. x and inZp in one <= 32-bit type give |x - inZp| <=
/// 2^32 - 1; with 0 <= multiplier <= 2^31 - 1 the product has magnitude at
/// most 2^63 - 2^32 - 2^31 + 1: it fits in int64_t, with no bit to spare, and
/// so does the product plus an output zero point of a <= 32-bit type.
inline constexpr int64_t kMaxMultiplier = (int64_t(1) << 31) - 1;
inline constexpr unsigned kMaxShift = 63;
/// Widest rescale input: the product (x - inZp) * M must fit in int64_t.
inline constexpr unsigned kMaxRescaleInputBits = 32;

/// The parameters of one output channel of a rescale.
struct RescaleParams {
  int32_t multiplier; ///< 0 <= multiplier <= kMaxMultiplier
  unsigned shift;     ///< 0 <= shift <= kMaxShift
  int64_t inputZp;
  int64_t outputZp;
  int64_t clampMin; ///< within the output type's range
  int64_t clampMax;
  Rounding rounding;
};

/// y = clamp(round((x - inputZp) * multiplier / 2^shift) + outputZp,
///           clampMin, clampMax)
/// computed exactly in 64-bit integers. Preconditions (verified on the op):
/// x and inputZp within a <= 32-bit type, the parameter limits above.
constexpr int64_t rescale(int64_t x, const RescaleParams &p) {
  int64_t product = (x - p.inputZp) * static_cast<int64_t>(p.multiplier);
  int64_t rounded = roundingShiftRight(product, p.shift, p.rounding);
  return saturate(rounded + p.outputZp, p.clampMin, p.clampMax);
}

//===----------------------------------------------------------------------===//
// Real-valued requantization (the pre-folding reference)
//===----------------------------------------------------------------------===//

/// Rounds a real number to an integer with the given tie rule. Used only by
/// the pre-folding reference semantics (qnn.requantize) and by quantize.
///
/// Works on |v|: |v| - floor(|v|) is exact (floor(|v|) is 0 or at least
/// |v| / 2), whereas v - floor(v) is not for -1/2 < v < 0 (it is 1/2 for
/// v = -(1/2 - 2^-54), a false tie). A zero result may be -0.
inline double roundReal(double v, Rounding r) {
  double a = std::fabs(v);
  double f = std::floor(a);
  double frac = a - f;
  bool up = frac > 0.5; // round |v| up
  if (frac == 0.5) {
    switch (r) {
    case Rounding::HalfUp:
      up = v > 0;
      break;
    case Rounding::HalfEven:
      up = std::fmod(f, 2.0) != 0;
      break;
    case Rounding::HalfAwayFromZero:
      up = true;
      break;
    }
  }
  return std::copysign(up ? f + 1 : f, v);
}

/// clamp(round(v) + outputZp, lo, hi) for a real v, saturating in double
/// first (v may lie far outside int64_t). NaN maps to outputZp (clamped): the
/// real value 0.
inline int64_t saturateRounded(double v, int64_t outputZp, int64_t lo,
                               int64_t hi, Rounding r) {
  if (std::isnan(v))
    return saturate(outputZp, lo, hi);
  double rounded = roundReal(v, r);
  if (rounded < static_cast<double>(lo) - static_cast<double>(outputZp))
    return lo;
  if (rounded > static_cast<double>(hi) - static_cast<double>(outputZp))
    return hi;
  return saturate(static_cast<int64_t>(rounded) + outputZp, lo, hi);
}

/// y = clamp(round((x - inputZp) * scale) + outputZp, lo, hi) in double.
/// The reference for what the integer rescale approximates; exact (and equal
/// to `rescale`) when scale is a power of two 2^-s and the product is exact.
inline int64_t requantizeReal(int64_t x, double scale, int64_t inputZp,
                              int64_t outputZp, int64_t lo, int64_t hi,
                              Rounding r) {
  return saturateRounded(static_cast<double>(x - inputZp) * scale, outputZp,
                         lo, hi, r);
}

/// y = clamp(round((a - aZp) * aScale + (b - bZp) * bScale) + outputZp,
///           lo, hi) in double, rounding once: the pre-folding residual add
/// (qnn.requantize_add), which --qnn-fold-scales approximates with integer
/// multipliers at one common shift.
inline int64_t requantizeAddReal(int64_t a, double aScale, int64_t aZp,
                                 int64_t b, double bScale, int64_t bZp,
                                 int64_t outputZp, int64_t lo, int64_t hi,
                                 Rounding r) {
  return saturateRounded(static_cast<double>(a - aZp) * aScale +
                             static_cast<double>(b - bZp) * bScale,
                         outputZp, lo, hi, r);
}

/// y = clamp(round_half_up(x * scale + offset), lo, hi) in double: an
/// inference BatchNorm kept as an affine map in accumulator units
/// (qnn.batch_norm), before --qnn-fold-batch-norm folds it away.
inline int64_t affineReal(int64_t x, double scale, double offset, int64_t lo,
                          int64_t hi) {
  return saturateRounded(static_cast<double>(x) * scale + offset, 0, lo, hi,
                         Rounding::HalfUp);
}

/// q = clamp(round(x / scale) + zeroPoint, lo, hi): quantization of a real
/// input at the float boundary (ONNX QuantizeLinear divides, so do we).
inline int64_t quantizeReal(double x, double scale, int64_t zeroPoint,
                            int64_t lo, int64_t hi, Rounding r) {
  return saturateRounded(x / scale, zeroPoint, lo, hi, r);
}

//===----------------------------------------------------------------------===//
// Deriving (multiplier, shift) from a real scale
//===----------------------------------------------------------------------===//

/// An integer approximation M / 2^s of a real scale.
struct MultiplierShift {
  int32_t multiplier;
  unsigned shift;
  double value() const { return std::ldexp(double(multiplier), -int(shift)); }
};

enum class DeriveError : uint8_t {
  /// scale <= 0, NaN or infinite: no non-negative integer multiplier fits.
  NotPositiveFinite,
  /// scale >= 2^multiplierBits (rounded): the multiplier would not fit even
  /// with shift 0.
  TooLarge,
  /// scale < 2^-64 (rounded): the multiplier is 0 even with the largest shift.
  TooSmall,
  /// multiplierBits outside [1, 31].
  BadWidth,
};

constexpr std::string_view deriveErrorMessage(DeriveError e) {
  switch (e) {
  case DeriveError::NotPositiveFinite:
    return "scale must be positive and finite";
  case DeriveError::TooLarge:
    return "scale too large: the multiplier does not fit its width even with "
           "shift 0";
  case DeriveError::TooSmall:
    return "scale too small: the multiplier rounds to 0 even with shift 63";
  case DeriveError::BadWidth:
    return "multiplier width must be between 1 and 31 bits";
  }
  return "";
}

/// A derivation result: either a pair or the reason there is none.
struct DeriveResult {
  std::optional<MultiplierShift> value;
  DeriveError error = DeriveError::NotPositiveFinite;
  explicit operator bool() const { return value.has_value(); }
};

/// The most precise M / 2^s with 1 <= M < 2^multiplierBits, 0 <= s <= 63:
/// s is the largest shift for which M = floor(scale * 2^s + 1/2) still fits,
/// so M is normalized into [2^(w-1), 2^w - 1] unless the shift range stops
/// it. scale * 2^s is exact in double (a power-of-two scaling), so the only
/// rounding is the final one to an integer, half up (by roundReal: the
/// shortcut floor(v + 0.5) gives 1 for v = 1/2 - 2^-54).
inline DeriveResult deriveMultiplierShift(double scale,
                                          unsigned multiplierBits) {
  if (multiplierBits < 1 || multiplierBits > 31)
    return {std::nullopt, DeriveError::BadWidth};
  if (!(scale > 0) || !std::isfinite(scale))
    return {std::nullopt, DeriveError::NotPositiveFinite};
  const double limit = std::ldexp(1.0, int(multiplierBits)); // 2^w
  int exponent = 0;
  (void)std::frexp(scale, &exponent); // scale = f * 2^exponent, f in [0.5,1)
  // scale * 2^s lies in [2^(w-1), 2^w) for s = w - exponent.
  int shift = int(multiplierBits) - exponent;
  if (shift > int(kMaxShift))
    shift = int(kMaxShift);
  if (shift < 0)
    return {std::nullopt, DeriveError::TooLarge};
  double m = roundReal(std::ldexp(scale, shift), Rounding::HalfUp);
  if (m >= limit) {
    // Rounding carried into 2^w: halve (exactly representable).
    if (shift == 0)
      return {std::nullopt, DeriveError::TooLarge};
    --shift;
    m = roundReal(std::ldexp(scale, shift), Rounding::HalfUp);
  }
  if (m < 1)
    return {std::nullopt, DeriveError::TooSmall};
  return {MultiplierShift{static_cast<int32_t>(m), unsigned(shift)},
          DeriveError::NotPositiveFinite};
}

/// The nearest power of two (in log distance) to scale, 2^k with k =
/// round(log2(scale)), as M / 2^s: (2^k, 0) for k >= 0, (1, -k) for k < 0.
/// Multiplier-free hardware applies it with shifts alone. Errors as
/// deriveMultiplierShift, at other thresholds: TooLarge for k >= 31 (scale >=
/// 2^30.5), TooSmall for k < -63 (scale < 2^-63.5).
inline DeriveResult derivePowerOfTwo(double scale) {
  if (!(scale > 0) || !std::isfinite(scale))
    return {std::nullopt, DeriveError::NotPositiveFinite};
  int exponent = 0;
  double f = std::frexp(scale, &exponent); // f in [0.5, 1)
  // log2(scale) = exponent + log2(f); round it: up when f >= 2^-1/2.
  int log2Rounded = f >= 0.70710678118654752440 ? exponent : exponent - 1;
  if (log2Rounded >= 31)
    return {std::nullopt, DeriveError::TooLarge};
  if (log2Rounded >= 0)
    return {MultiplierShift{int32_t(1) << log2Rounded, 0},
            DeriveError::NotPositiveFinite};
  if (-log2Rounded > int(kMaxShift))
    return {std::nullopt, DeriveError::TooSmall};
  return {MultiplierShift{1, unsigned(-log2Rounded)},
          DeriveError::NotPositiveFinite};
}

/// |M / 2^s - scale| / scale: the relative error that --qnn-fold-scales
/// reports.
inline double relativeError(MultiplierShift ms, double scale) {
  return std::fabs(ms.value() - scale) / scale;
}

} // namespace qnn::rules

#endif // QNN_SUPPORT_INTEGERRULES_H
