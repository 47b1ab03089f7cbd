//===- IntegerRulesTest.cpp - Tests of the shared integer rules ----------===//
//
// Checks include/qnn/Support/IntegerRules.h against reference computations
// written here independently of it:
//
//  - integer rules against exact arithmetic in __int128, where every rounding
//    is written straight from its definition (floor(q + 1/2), nearest with
//    ties to even, nearest with ties away from zero) as a rational floor
//    division, and, where long double has a 64-bit mantissa, against the C
//    library's nearbyintl/roundl;
//  - the (multiplier, shift) derivation against a brute-force search over all
//    64 shifts on the exact dyadic value of the scale (mantissa and exponent
//    read from the IEEE-754 bits), and for optimality against every
//    representable candidate, compared exactly in __int128;
//  - the power-of-two derivation against an exact integer test of
//    log2(scale) >= k + 1/2 (that is, 2 * f^2 >= 1 for the mantissa f).
//
// Tests named DocExample* check the hand-worked examples of docs/semantics.md
// (the doc names each one). Randomized sweeps use a fixed seed.
//
//===----------------------------------------------------------------------===//

#include "qnn/Support/IntegerRules.h"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <tuple>
#include <vector>

using namespace qnn::rules;

namespace {

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

constexpr Rounding kAllRoundings[] = {Rounding::HalfUp, Rounding::HalfEven,
                                      Rounding::HalfAwayFromZero};

constexpr int64_t kI32Min = INT32_MIN, kI32Max = INT32_MAX;
constexpr int64_t kU32Max = UINT32_MAX;

std::mt19937_64 &rng() {
  static std::mt19937_64 engine(0x51a7e5eedULL);
  return engine;
}

int64_t uniformInt(int64_t lo, int64_t hi) {
  return std::uniform_int_distribution<int64_t>(lo, hi)(rng());
}

/// A random int64 with a log-uniform magnitude (every bit length equally
/// likely) and a random sign, so that small and huge values both occur.
int64_t logUniformInt64() {
  uint64_t bits = rng()();
  unsigned length = unsigned(uniformInt(0, 64));
  uint64_t mag = length == 0 ? 0 : (length == 64 ? bits : bits >> (64 - length));
  return static_cast<int64_t>(mag); // a 64-bit length gives any sign
}

/// A value of a random <= 32-bit type, biased to the type's extremes.
int64_t valueIn(IntRange range) {
  switch (uniformInt(0, 7)) {
  case 0:
    return range.min;
  case 1:
    return range.max;
  default:
    return uniformInt(range.min, range.max);
  }
}

IntRange randomType32() {
  bool isSigned = uniformInt(0, 1);
  return intRange(unsigned(uniformInt(1, 32)), isSigned);
}

const char *name(Rounding r) { return roundingName(r).data(); }

//===----------------------------------------------------------------------===//
// Reference computations
//===----------------------------------------------------------------------===//

/// floor(a / b) for b > 0, exactly.
i128 floorDiv(i128 a, i128 b) {
  i128 q = a / b; // truncates towards zero
  if (a % b != 0 && a < 0)
    --q;
  return q;
}

/// round(x / 2^s) from the definition of each tie rule, in exact rational
/// arithmetic: x / d + 1/2 = (2x + d) / 2d.
i128 refRoundDiv(i128 x, unsigned s, Rounding r) {
  i128 d = i128(1) << s;
  switch (r) {
  case Rounding::HalfUp: // floor(q + 1/2)
    return floorDiv(2 * x + d, 2 * d);
  case Rounding::HalfAwayFromZero: // sign(q) * floor(|q| + 1/2)
    return x >= 0 ? floorDiv(2 * x + d, 2 * d) : -floorDiv(-2 * x + d, 2 * d);
  case Rounding::HalfEven: {
    i128 lo = floorDiv(x, d);
    i128 twiceRem = 2 * (x - lo * d); // in [0, 2d)
    if (twiceRem < d)
      return lo;
    if (twiceRem > d)
      return lo + 1;
    return (lo % 2 == 0) ? lo : lo + 1;
  }
  }
  ADD_FAILURE() << "unknown rounding";
  return 0;
}

constexpr bool kLongDoubleHas64Bits =
    std::numeric_limits<long double>::digits >= 64;

/// round(x / 2^s) by the C library, in long double; exact for 1 <= s <= 63
/// when long double has a 64-bit mantissa (x / 2^s and x / 2^s + 1/2 both
/// fit in 64 significant bits).
int64_t libmRoundDiv(int64_t x, unsigned s, Rounding r) {
  long double q = std::ldexp(static_cast<long double>(x), -int(s));
  long double v = 0;
  switch (r) {
  case Rounding::HalfUp:
    v = std::floor(q + 0.5L);
    break;
  case Rounding::HalfEven:
    v = std::nearbyint(q); // default rounding mode: to nearest, ties to even
    break;
  case Rounding::HalfAwayFromZero:
    v = std::round(q);
    break;
  }
  return static_cast<int64_t>(v);
}

/// rescale from its formula, exactly in __int128.
i128 refRescale(int64_t x, int64_t m, unsigned s, int64_t inZp, int64_t outZp,
                int64_t lo, int64_t hi, Rounding r) {
  i128 y = refRoundDiv((i128(x) - inZp) * m, s, r) + outZp;
  return y < lo ? lo : (y > hi ? hi : y);
}

/// Rounds a double to an integer-valued double with the tie rule, with the C
/// library's round (ties away) as the base and a correction for negative
/// ties (half up), or nearbyint (ties to even).
double refRoundReal(double v, Rounding r) {
  switch (r) {
  case Rounding::HalfUp: {
    double a = std::round(v);
    // A negative tie rounded away from zero: half up goes the other way.
    // (a - v is exact: both are within 1/2 of each other.)
    return (a - v == -0.5) ? a + 1 : a;
  }
  case Rounding::HalfEven:
    return std::nearbyint(v);
  case Rounding::HalfAwayFromZero:
    return std::round(v);
  }
  return v;
}

/// requantizeReal from its formula: one double multiplication, then an exact
/// rounding of that double, then saturation.
int64_t refRequantizeReal(int64_t x, double scale, int64_t inZp,
                          int64_t outZp, int64_t lo, int64_t hi, Rounding r) {
  double p = static_cast<double>(x - inZp) * scale;
  double q = refRoundReal(p, r);
  if (q > 0x1p40)
    return hi;
  if (q < -0x1p40)
    return lo;
  i128 y = i128(static_cast<int64_t>(q)) + outZp;
  return int64_t(y < lo ? lo : (y > hi ? hi : y));
}

/// A positive finite double as m * 2^e, m < 2^53, read from its bits.
struct Dyadic {
  uint64_t m;
  int e;
};

Dyadic decompose(double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  int biased = int((bits >> 52) & 0x7ff);
  uint64_t fraction = bits & ((uint64_t(1) << 52) - 1);
  if (biased == 0)
    return {fraction, -1074}; // subnormal
  return {fraction | (uint64_t(1) << 52), biased - 1075};
}

constexpr uint64_t kHuge = uint64_t(1) << 62;

/// floor(v * 2^k + 1/2) for v = d.m * 2^d.e, exactly; kHuge if >= 2^62.
uint64_t roundHalfUpScaled(Dyadic d, int k) {
  int t = d.e + k;
  if (t >= 0)
    return t >= 9 ? kHuge : d.m << t; // m < 2^53
  int u = -t;                         // m / 2^u
  if (u > 120)
    return 0; // < 2^53 / 2^121: rounds to 0
  u128 twice = (u128(d.m) << 1) + (u128(1) << u); // 2m + 2^u
  return uint64_t(twice >> (u + 1));
}

/// Brute-force derivation: the largest shift in [0, 63] for which the
/// half-up rounded multiplier fits in `width` bits.
DeriveResult refDerive(double scale, unsigned width) {
  if (width < 1 || width > 31)
    return {std::nullopt, DeriveError::BadWidth};
  if (std::isnan(scale) || std::isinf(scale) || scale <= 0)
    return {std::nullopt, DeriveError::NotPositiveFinite};
  Dyadic d = decompose(scale);
  uint64_t limit = uint64_t(1) << width;
  for (int s = 63; s >= 0; --s) {
    uint64_t m = roundHalfUpScaled(d, s);
    if (m < limit) {
      if (m == 0) // and so for every smaller shift
        return {std::nullopt, DeriveError::TooSmall};
      return {MultiplierShift{int32_t(m), unsigned(s)},
              DeriveError::NotPositiveFinite};
    }
  }
  return {std::nullopt, DeriveError::TooLarge};
}

/// Exact nearest power of two in log distance: 2^k with k = floor(log2 v),
/// plus one if log2(v) >= k + 1/2, i.e. if f^2 >= 2^105 for the 53-bit
/// normalized mantissa f (v = f * 2^(k-52)).
DeriveResult refPowerOfTwo(double scale) {
  if (std::isnan(scale) || std::isinf(scale) || scale <= 0)
    return {std::nullopt, DeriveError::NotPositiveFinite};
  Dyadic d = decompose(scale);
  uint64_t f = d.m;
  int e = d.e;
  while (f < (uint64_t(1) << 52)) { // normalize subnormals
    f <<= 1;
    --e;
  }
  int k = e + 52;
  if (u128(f) * f >= (u128(1) << 105))
    ++k;
  if (k >= 31)
    return {std::nullopt, DeriveError::TooLarge};
  if (k >= 0)
    return {MultiplierShift{int32_t(1) << k, 0}, DeriveError::NotPositiveFinite};
  if (k < -63)
    return {std::nullopt, DeriveError::TooSmall};
  return {MultiplierShift{1, unsigned(-k)}, DeriveError::NotPositiveFinite};
}

::testing::AssertionResult sameResult(const DeriveResult &got,
                                      const DeriveResult &want) {
  if (got.value.has_value() != want.value.has_value())
    return ::testing::AssertionFailure()
           << (got ? "got a pair, want an error"
                   : "got an error, want a pair")
           << " (got error " << int(got.error) << ", want "
           << (want ? "M=" + std::to_string(want.value->multiplier) +
                          " s=" + std::to_string(want.value->shift)
                    : "error " + std::to_string(int(want.error)))
           << ")";
  if (!got)
    return got.error == want.error
               ? ::testing::AssertionSuccess()
               : ::testing::AssertionFailure()
                     << "error " << int(got.error) << ", want "
                     << int(want.error);
  if (got.value->multiplier != want.value->multiplier ||
      got.value->shift != want.value->shift)
    return ::testing::AssertionFailure()
           << "got M=" << got.value->multiplier << " s=" << got.value->shift
           << ", want M=" << want.value->multiplier
           << " s=" << want.value->shift;
  return ::testing::AssertionSuccess();
}

/// |M / 2^s - v| * 2^L exactly, v = d.m * 2^d.e; needs L >= s, L >= -d.e and
/// the values below 2^126.
i128 scaledError(int64_t m, unsigned s, Dyadic d, int L) {
  i128 approx = i128(m) << (L - int(s));
  i128 exact = i128(d.m) << (d.e + L);
  i128 diff = approx - exact;
  return diff < 0 ? -diff : diff;
}

/// Scales across the interesting range: every power of two, its neighbours,
/// the rounding boundaries 2^k * (1 - 2^-w-1) of every width, and common
/// fractions.
std::vector<double> edgeScales() {
  std::vector<double> v;
  for (int k = -1080; k <= 40; ++k) {
    double p = std::ldexp(1.0, k);
    if (p == 0)
      continue;
    v.push_back(p);
    v.push_back(std::nextafter(p, 0.0));
    v.push_back(std::nextafter(p, INFINITY));
    if (k >= -80) {
      for (unsigned w = 1; w <= 31; ++w) {
        // The largest value that rounds below 2^w at shift w - k - 1 ...
        double boundary = std::ldexp(1.0 - std::ldexp(1.0, -int(w) - 1), k);
        v.push_back(boundary);
        v.push_back(std::nextafter(boundary, 0.0));
        v.push_back(std::nextafter(boundary, INFINITY));
      }
      v.push_back(std::ldexp(0.70710678118654752440, k));
      v.push_back(std::ldexp(std::nextafter(0.70710678118654752440, 0.0), k));
      v.push_back(std::ldexp(0.75, k));
    }
  }
  for (double x : {1.0 / 3, 1.0 / 6, 0.1, 0.2, 0.3, 1.0 / 9, 1.0 / 255,
                   1.0 / 127, 0.0078125 / 3, 3.0, 7.0, 1e-3, 1e-6, 1e-9, 1e-12,
                   1e-15, 1e-18, 1e-19, 1e-20, 1e-25, 123456.789, 1e9, 2e9,
                   2147483647.0, 2147483647.25, 2147483647.5, 2147483646.5,
                   DBL_MIN, DBL_TRUE_MIN, DBL_MAX, 0.99999999999999989})
    v.push_back(x);
  return v;
}

double randomScale(int minExp, int maxExp) {
  double mantissa = std::uniform_real_distribution<double>(0.5, 1.0)(rng());
  return std::ldexp(mantissa, int(uniformInt(minExp, maxExp)));
}

//===----------------------------------------------------------------------===//
// Ranges, saturation, wrap
//===----------------------------------------------------------------------===//

static_assert(intRange(8, true).min == -128 && intRange(8, true).max == 127);
static_assert(intRange(8, false).min == 0 && intRange(8, false).max == 255);
static_assert(intRange(64, true).min == INT64_MIN);
static_assert(saturate(300, -128, 127) == 127);
static_assert(wrapToBits(128, 8, true) == -128);

TEST(IntRange, EveryWidth) {
  for (unsigned bits = 1; bits <= 64; ++bits) {
    IntRange s = intRange(bits, true);
    EXPECT_EQ(i128(s.min), -(i128(1) << (bits - 1))) << bits;
    EXPECT_EQ(i128(s.max), (i128(1) << (bits - 1)) - 1) << bits;
    if (bits <= 63) {
      IntRange u = intRange(bits, false);
      EXPECT_EQ(u.min, 0) << bits;
      EXPECT_EQ(i128(u.max), (i128(1) << bits) - 1) << bits;
    }
  }
  // i1 is signed too: {-1, 0}.
  EXPECT_EQ(intRange(1, true).min, -1);
  EXPECT_EQ(intRange(1, true).max, 0);
  EXPECT_EQ(intRange(32, true).min, kI32Min);
  EXPECT_EQ(intRange(32, false).max, kU32Max);
}

TEST(IntRange, Contains) {
  IntRange r = intRange(4, true);
  EXPECT_FALSE(r.contains(-9));
  EXPECT_TRUE(r.contains(-8));
  EXPECT_TRUE(r.contains(7));
  EXPECT_FALSE(r.contains(8));
  IntRange all = intRange(64, true);
  EXPECT_TRUE(all.contains(INT64_MIN));
  EXPECT_TRUE(all.contains(INT64_MAX));
}

TEST(Saturate, Edges) {
  EXPECT_EQ(saturate(INT64_MIN, -128, 127), -128);
  EXPECT_EQ(saturate(INT64_MAX, -128, 127), 127);
  EXPECT_EQ(saturate(-129, -128, 127), -128);
  EXPECT_EQ(saturate(-128, -128, 127), -128);
  EXPECT_EQ(saturate(127, -128, 127), 127);
  EXPECT_EQ(saturate(128, -128, 127), 127);
  EXPECT_EQ(saturate(5, 3, 3), 3);
  EXPECT_EQ(saturate(INT64_MIN, INT64_MIN, INT64_MAX), INT64_MIN);
  EXPECT_EQ(saturate(INT64_MAX, INT64_MIN, INT64_MAX), INT64_MAX);
  for (int i = 0; i < 10000; ++i) {
    int64_t a = logUniformInt64(), b = logUniformInt64(), v = logUniformInt64();
    int64_t lo = std::min(a, b), hi = std::max(a, b);
    int64_t want = v < lo ? lo : (v > hi ? hi : v);
    ASSERT_EQ(saturate(v, lo, hi), want);
  }
}

/// v mod 2^bits, as the signed or unsigned representative.
int64_t refWrap(int64_t v, unsigned bits, bool isSigned) {
  i128 mod = i128(1) << bits;
  i128 r = ((i128(v) % mod) + mod) % mod; // in [0, 2^bits)
  if (isSigned && r >= mod / 2)
    r -= mod;
  return int64_t(r);
}

TEST(WrapToBits, EveryWidthAgainstModulo) {
  std::vector<int64_t> values = {0,        1,         -1,       127,
                                 128,      -128,      -129,     255,
                                 256,      kI32Max,   kI32Min,  kU32Max,
                                 kU32Max + 1, INT64_MAX, INT64_MIN,
                                 INT64_MIN + 1, INT64_MAX - 1};
  for (int i = 0; i < 2000; ++i)
    values.push_back(logUniformInt64());
  for (unsigned bits = 1; bits <= 64; ++bits)
    for (bool isSigned : {true, false}) {
      if (!isSigned && bits == 64)
        continue; // ui64 has no int64_t representation
      IntRange range = intRange(bits, isSigned);
      for (int64_t v : values) {
        int64_t got = wrapToBits(v, bits, isSigned);
        ASSERT_EQ(got, refWrap(v, bits, isSigned))
            << v << " to " << bits << (isSigned ? " signed" : " unsigned");
        ASSERT_TRUE(range.contains(got));
        if (range.contains(v))
          ASSERT_EQ(got, v); // in-range values are unchanged
      }
    }
  EXPECT_EQ(wrapToBits(INT64_MIN, 64, true), INT64_MIN);
  EXPECT_EQ(wrapToBits(kI32Max + 1, 32, true), kI32Min);
  EXPECT_EQ(wrapToBits(-1, 32, false), kU32Max);
  EXPECT_EQ(wrapToBits(1, 1, true), -1);
  EXPECT_EQ(wrapToBits(2, 1, true), 0);
  EXPECT_EQ(wrapToBits(3, 1, false), 1);
}

//===----------------------------------------------------------------------===//
// Rounding names
//===----------------------------------------------------------------------===//

static_assert(parseRounding("half_even") == Rounding::HalfEven);

TEST(RoundingNames, RoundTripAndRejects) {
  EXPECT_EQ(roundingName(Rounding::HalfUp), "half_up");
  EXPECT_EQ(roundingName(Rounding::HalfEven), "half_even");
  EXPECT_EQ(roundingName(Rounding::HalfAwayFromZero), "half_away_from_zero");
  for (Rounding r : kAllRoundings)
    EXPECT_EQ(parseRounding(roundingName(r)), r);
  for (std::string_view bad :
       {"", "half", "half_down", "HALF_UP", "half_up ", "nearest", "even"})
    EXPECT_FALSE(parseRounding(bad).has_value()) << bad;
}

//===----------------------------------------------------------------------===//
// Rounding right shift
//===----------------------------------------------------------------------===//

static_assert(roundingShiftRight(5, 1, Rounding::HalfUp) == 3);
static_assert(roundingShiftRight(INT64_MIN, 63, Rounding::HalfUp) == -1);

TEST(RoundingShiftRight, TiesFollowTheRule) {
  // q = x / 2^s for the ties +-0.5, +-1.5, +-2.5 at shifts 1, 2 and 5:
  //            q:   -2.5 -1.5 -0.5 0.5 1.5 2.5
  const int64_t halfUp[] = {-2, -1, 0, 1, 2, 3};
  const int64_t halfEven[] = {-2, -2, 0, 0, 2, 2};
  const int64_t away[] = {-3, -2, -1, 1, 2, 3};
  const int64_t twiceQ[] = {-5, -3, -1, 1, 3, 5};
  for (unsigned s : {1u, 2u, 5u})
    for (int i = 0; i < 6; ++i) {
      int64_t x = twiceQ[i] * (int64_t(1) << (s - 1));
      EXPECT_EQ(roundingShiftRight(x, s, Rounding::HalfUp), halfUp[i]) << x;
      EXPECT_EQ(roundingShiftRight(x, s, Rounding::HalfEven), halfEven[i])
          << x;
      EXPECT_EQ(roundingShiftRight(x, s, Rounding::HalfAwayFromZero), away[i])
          << x;
    }
}

TEST(RoundingShiftRight, NonTiesIgnoreTheRule) {
  // 7/4 = 1.75, -7/4 = -1.75, 5/4 = 1.25, -5/4 = -1.25
  for (Rounding r : kAllRoundings) {
    EXPECT_EQ(roundingShiftRight(7, 2, r), 2) << name(r);
    EXPECT_EQ(roundingShiftRight(-7, 2, r), -2) << name(r);
    EXPECT_EQ(roundingShiftRight(5, 2, r), 1) << name(r);
    EXPECT_EQ(roundingShiftRight(-5, 2, r), -1) << name(r);
    EXPECT_EQ(roundingShiftRight(-1, 1, r) + roundingShiftRight(1, 1, r),
              r == Rounding::HalfUp ? 1 : 0)
        << name(r);
  }
}

TEST(RoundingShiftRight, ShiftZeroIsIdentity) {
  for (Rounding r : kAllRoundings)
    for (int64_t x : {INT64_MIN, INT64_MIN + 1, int64_t(-1), int64_t(0),
                      int64_t(1), INT64_MAX - 1, INT64_MAX})
      EXPECT_EQ(roundingShiftRight(x, 0, r), x);
}

TEST(RoundingShiftRight, Shift63) {
  const int64_t p62 = int64_t(1) << 62;
  struct Case {
    int64_t x;
    int64_t halfUp, halfEven, away;
  } cases[] = {
      {INT64_MIN, -1, -1, -1},         // exactly -1
      {INT64_MIN + 1, -1, -1, -1},     // -1 + 2^-63
      {-p62 - 1, -1, -1, -1},          // just below -1/2
      {-p62, 0, 0, -1},                // -1/2: the tie
      {-p62 + 1, 0, 0, 0},             // just above -1/2
      {-1, 0, 0, 0},                   //
      {0, 0, 0, 0},                    //
      {p62 - 1, 0, 0, 0},              // just below 1/2
      {p62, 1, 0, 1},                  // 1/2: the tie
      {p62 + 1, 1, 1, 1},              // just above 1/2
      {INT64_MAX, 1, 1, 1},            // 1 - 2^-63
  };
  for (const Case &c : cases) {
    EXPECT_EQ(roundingShiftRight(c.x, 63, Rounding::HalfUp), c.halfUp) << c.x;
    EXPECT_EQ(roundingShiftRight(c.x, 63, Rounding::HalfEven), c.halfEven)
        << c.x;
    EXPECT_EQ(roundingShiftRight(c.x, 63, Rounding::HalfAwayFromZero), c.away)
        << c.x;
  }
}

TEST(RoundingShiftRight, ExtremesAtEveryShift) {
  std::vector<int64_t> xs = {INT64_MIN, INT64_MIN + 1, INT64_MAX,
                             INT64_MAX - 1, 0, 1, -1};
  for (unsigned s = 1; s <= 63; ++s) {
    // Ties and their neighbours next to both ends of int64_t.
    int64_t half = int64_t(1) << (s - 1);
    for (int64_t d : {int64_t(-1), int64_t(0), int64_t(1)}) {
      xs.push_back(INT64_MIN + half + d);
      xs.push_back(INT64_MAX - half + d);
      xs.push_back(half + d);
      xs.push_back(-half + d);
    }
  }
  for (unsigned s = 0; s <= 63; ++s)
    for (int64_t x : xs)
      for (Rounding r : kAllRoundings) {
        int64_t got = roundingShiftRight(x, s, r);
        ASSERT_EQ(i128(got), refRoundDiv(x, s, r))
            << x << " >> " << s << " " << name(r);
        if (kLongDoubleHas64Bits && s >= 1)
          ASSERT_EQ(got, libmRoundDiv(x, s, r))
              << x << " >> " << s << " " << name(r);
      }
}

TEST(RoundingShiftRight, ExhaustiveSmall) {
  for (unsigned s = 0; s <= 12; ++s)
    for (int64_t x = -4096; x <= 4096; ++x)
      for (Rounding r : kAllRoundings)
        ASSERT_EQ(i128(roundingShiftRight(x, s, r)), refRoundDiv(x, s, r))
            << x << " >> " << s << " " << name(r);
}

TEST(RoundingShiftRight, RandomSweep) {
  for (int i = 0; i < 100000; ++i) {
    int64_t x = i % 2 ? logUniformInt64() : int64_t(rng()());
    unsigned s = unsigned(uniformInt(0, 63));
    for (Rounding r : kAllRoundings) {
      int64_t got = roundingShiftRight(x, s, r);
      ASSERT_EQ(i128(got), refRoundDiv(x, s, r))
          << x << " >> " << s << " " << name(r);
      if (kLongDoubleHas64Bits && s >= 1)
        ASSERT_EQ(got, libmRoundDiv(x, s, r));
    }
  }
}

TEST(RoundingShiftRight, RandomTies) {
  // x with exactly s - 1 trailing zero bits: x / 2^s is a tie.
  for (int i = 0; i < 50000; ++i) {
    int64_t x = logUniformInt64();
    if (x == 0)
      continue;
    unsigned s = unsigned(__builtin_ctzll(uint64_t(x))) + 1;
    if (s > 63)
      continue;
    for (Rounding r : kAllRoundings)
      ASSERT_EQ(i128(roundingShiftRight(x, s, r)), refRoundDiv(x, s, r))
          << x << " >> " << s << " " << name(r);
    // The three rules differ only here, and by at most one.
    int64_t up = roundingShiftRight(x, s, Rounding::HalfUp);
    int64_t even = roundingShiftRight(x, s, Rounding::HalfEven);
    int64_t away = roundingShiftRight(x, s, Rounding::HalfAwayFromZero);
    ASSERT_EQ(up, (x >> s) + 1);
    ASSERT_EQ(even % 2, 0);
    ASSERT_EQ(away, x > 0 ? up : x >> s);
  }
}

TEST(RoundingShiftRight, Symmetry) {
  // Ties to even and away from zero are odd functions; half up is not.
  for (int i = 0; i < 20000; ++i) {
    int64_t x = logUniformInt64();
    if (x == INT64_MIN)
      continue;
    unsigned s = unsigned(uniformInt(0, 63));
    for (Rounding r : {Rounding::HalfEven, Rounding::HalfAwayFromZero})
      ASSERT_EQ(roundingShiftRight(-x, s, r), -roundingShiftRight(x, s, r));
  }
}

//===----------------------------------------------------------------------===//
// Rescale
//===----------------------------------------------------------------------===//

static_assert(rescale(7, RescaleParams{3, 2, 1, 0, -128, 127,
                                       Rounding::HalfUp}) == 5);

/// The precondition bound: |x - inputZp| <= 2^32 - 1 (both in one <= 32-bit
/// type), 0 <= M <= 2^31 - 1 and |outputZp| <= 2^32 - 1 keep every
/// intermediate of rescale inside int64_t, with no bit to spare.
static_assert((i128(kU32Max) * kMaxMultiplier + kU32Max) <
              (i128(1) << 63));
static_assert((i128(1) << 32) * ((i128(1) << 31)) == (i128(1) << 63),
              "a 2^33 bound on |x - zp| would not fit");

TEST(Rescale, ProductAtTheLimits) {
  // The largest |x - inputZp| a <= 32-bit type allows is 2^32 - 1, with the
  // largest multiplier: the product is 2^63 - 2^32 - 2^31 + 1.
  struct Diff {
    int64_t x, zp;
  } diffs[] = {{kI32Max, kI32Min}, {kI32Min, kI32Max}, {kU32Max, 0},
               {0, kU32Max},       {kI32Min, 0},       {kI32Max, 0},
               {0, 0},             {-1, 0},            {1, 0}};
  for (const Diff &d : diffs)
    for (int64_t m : {int64_t(0), int64_t(1), int64_t(3), int64_t(1) << 30,
                      kMaxMultiplier - 1, kMaxMultiplier})
      for (unsigned s : {0u, 1u, 2u, 30u, 31u, 32u, 33u, 61u, 62u, 63u})
        for (int64_t outZp : {kI32Min, int64_t(0), kI32Max, kU32Max})
          for (Rounding r : kAllRoundings) {
            // Unclamped: the exact rounded value must come out.
            RescaleParams p{int32_t(m), s,         d.zp, outZp,
                            INT64_MIN,  INT64_MAX, r};
            ASSERT_EQ(i128(rescale(d.x, p)),
                      refRescale(d.x, m, s, d.zp, outZp, INT64_MIN, INT64_MAX,
                                 r))
                << d.x << " - " << d.zp << " * " << m << " >> " << s;
            // And clamped to i8, ui8, i32.
            for (IntRange out :
                 {intRange(8, true), intRange(8, false), intRange(32, true)}) {
              p.clampMin = out.min;
              p.clampMax = out.max;
              ASSERT_EQ(i128(rescale(d.x, p)),
                        refRescale(d.x, m, s, d.zp, outZp, out.min, out.max,
                                   r));
            }
          }
  RescaleParams top{int32_t(kMaxMultiplier), 0, kI32Min, 0, INT64_MIN,
                    INT64_MAX, Rounding::HalfUp};
  EXPECT_EQ(rescale(kI32Max, top), INT64_MAX - (int64_t(1) << 32) -
                                       (int64_t(1) << 31) + 2);
}

TEST(Rescale, ZeroMultiplierGivesTheOutputZeroPoint) {
  for (Rounding r : kAllRoundings)
    for (unsigned s : {0u, 7u, 63u}) {
      RescaleParams p{0, s, 5, -3, -128, 127, r};
      EXPECT_EQ(rescale(kI32Max, p), -3);
      EXPECT_EQ(rescale(kI32Min, p), -3);
      p.outputZp = 200;
      EXPECT_EQ(rescale(0, p), 127); // the zero point is clamped too
    }
}

TEST(Rescale, ClampBounds) {
  RescaleParams p{1, 0, 0, 0, -10, 10, Rounding::HalfUp};
  EXPECT_EQ(rescale(-11, p), -10);
  EXPECT_EQ(rescale(-10, p), -10);
  EXPECT_EQ(rescale(10, p), 10);
  EXPECT_EQ(rescale(11, p), 10);
  p.clampMin = p.clampMax = 4;
  EXPECT_EQ(rescale(-100, p), 4);
  EXPECT_EQ(rescale(100, p), 4);
  // ReLU6-like bounds within ui8 after a zero point.
  RescaleParams relu{1 << 30, 31, 0, 0, 0, 6, Rounding::HalfUp}; // * 1/2
  EXPECT_EQ(rescale(-5, relu), 0);  // -2.5 -> -2 -> 0
  EXPECT_EQ(rescale(11, relu), 6);  // 5.5 -> 6
  EXPECT_EQ(rescale(13, relu), 6);  // 6.5 -> 7 -> 6
}

TEST(Rescale, RoundingModesAtTies) {
  // (x - 1) * 3 / 4 for x = 3: 6/4 = 1.5; for x = -1: -6/4 = -1.5.
  for (auto [r, pos, neg] :
       {std::tuple{Rounding::HalfUp, 2, -1}, std::tuple{Rounding::HalfEven, 2, -2},
        std::tuple{Rounding::HalfAwayFromZero, 2, -2}}) {
    RescaleParams p{3, 2, 1, 0, -128, 127, r};
    EXPECT_EQ(rescale(3, p), pos) << name(r);
    EXPECT_EQ(rescale(-1, p), neg) << name(r);
  }
  // (x * 5) / 2 for x = 1: 2.5.
  for (auto [r, want] : {std::pair{Rounding::HalfUp, 3},
                         std::pair{Rounding::HalfEven, 2},
                         std::pair{Rounding::HalfAwayFromZero, 3}}) {
    RescaleParams p{5, 1, 0, 0, -128, 127, r};
    EXPECT_EQ(rescale(1, p), want) << name(r);
  }
}

TEST(Rescale, RandomSweep) {
  for (int i = 0; i < 100000; ++i) {
    IntRange in = randomType32(), out = randomType32();
    int64_t x = valueIn(in), inZp = valueIn(in), outZp = valueIn(out);
    int64_t m = 0;
    switch (uniformInt(0, 4)) {
    case 0:
      m = uniformInt(0, kMaxMultiplier);
      break;
    case 1:
      m = uniformInt(0, 16);
      break;
    case 2:
      m = int64_t(1) << uniformInt(0, 30);
      break;
    case 3:
      m = kMaxMultiplier;
      break;
    default:
      m = uniformInt(int64_t(1) << 30, kMaxMultiplier); // normalized
    }
    unsigned s = unsigned(uniformInt(0, 63));
    int64_t lo = out.min, hi = out.max;
    if (uniformInt(0, 1)) {
      int64_t a = valueIn(out), b = valueIn(out);
      lo = std::min(a, b);
      hi = std::max(a, b);
    }
    Rounding r = kAllRoundings[uniformInt(0, 2)];
    RescaleParams p{int32_t(m), s, inZp, outZp, lo, hi, r};
    ASSERT_EQ(i128(rescale(x, p)),
              refRescale(x, m, s, inZp, outZp, lo, hi, r))
        << "(" << x << " - " << inZp << ") * " << m << " >> " << s << " + "
        << outZp << " in [" << lo << ", " << hi << "] " << name(r);
  }
}

TEST(Rescale, RandomTies) {
  // Products with exactly s - 1 trailing zeros: every rounding is a tie.
  int ties = 0;
  for (int i = 0; i < 50000; ++i) {
    IntRange in = randomType32();
    int64_t x = valueIn(in), inZp = valueIn(in);
    int64_t m = uniformInt(1, kMaxMultiplier);
    int64_t product = (x - inZp) * m;
    if (product == 0)
      continue;
    unsigned s = unsigned(__builtin_ctzll(uint64_t(product))) + 1;
    if (s > 63)
      continue;
    ++ties;
    for (Rounding r : kAllRoundings) {
      RescaleParams p{int32_t(m), s, inZp, 0, INT64_MIN, INT64_MAX, r};
      ASSERT_EQ(i128(rescale(x, p)),
                refRescale(x, m, s, inZp, 0, INT64_MIN, INT64_MAX, r));
    }
  }
  EXPECT_GT(ties, 40000);
}

//===----------------------------------------------------------------------===//
// Real-valued rounding and requantization
//===----------------------------------------------------------------------===//

TEST(RoundReal, TiesAndNeighbours) {
  const double below = std::nextafter(0.5, 0.0); // 0.5 - 2^-54
  const double above = std::nextafter(0.5, 1.0);
  struct Case {
    double v, halfUp, halfEven, away;
  } cases[] = {
      {-2.5, -2, -2, -3}, {-1.5, -1, -2, -2}, {-0.5, 0, 0, -1},
      {0.5, 1, 0, 1},     {1.5, 2, 2, 2},     {2.5, 3, 2, 3},
      {below, 0, 0, 0},   {-below, 0, 0, 0},  {above, 1, 1, 1},
      {-above, -1, -1, -1}, {0.0, 0, 0, 0},   {-0.0, 0, 0, 0},
      {1e-300, 0, 0, 0},  {-1e-300, 0, 0, 0}, {0x1p52 + 1, 0x1p52 + 1,
                                               0x1p52 + 1, 0x1p52 + 1},
      {0x1p51 + 0.5, 0x1p51 + 1, 0x1p51, 0x1p51 + 1},
      {-(0x1p51 + 0.5), -0x1p51, -0x1p51, -(0x1p51 + 1)},
      {0x1p60, 0x1p60, 0x1p60, 0x1p60},
      {-1e300, -1e300, -1e300, -1e300},
  };
  for (const Case &c : cases) {
    EXPECT_EQ(roundReal(c.v, Rounding::HalfUp), c.halfUp) << c.v;
    EXPECT_EQ(roundReal(c.v, Rounding::HalfEven), c.halfEven) << c.v;
    EXPECT_EQ(roundReal(c.v, Rounding::HalfAwayFromZero), c.away) << c.v;
  }
}

TEST(RoundReal, RandomAgainstLibm) {
  for (int i = 0; i < 100000; ++i) {
    double v;
    if (i % 3 == 0) // ties
      v = double(uniformInt(-(int64_t(1) << 40), int64_t(1) << 40)) + 0.5;
    else
      v = std::ldexp(std::uniform_real_distribution<double>(-1, 1)(rng()),
                     int(uniformInt(-60, 60)));
    for (Rounding r : kAllRoundings)
      ASSERT_EQ(roundReal(v, r), refRoundReal(v, r)) << v << " " << name(r);
  }
}

TEST(RequantizeReal, PowerOfTwoScaleEqualsRescale) {
  // Exact: (x - zp) * 2^-s is exact in double, so both round the same
  // rational number.
  for (int i = 0; i < 50000; ++i) {
    IntRange in = randomType32(), out = randomType32();
    int64_t x = valueIn(in), inZp = valueIn(in), outZp = valueIn(out);
    unsigned s = unsigned(uniformInt(0, 63));
    Rounding r = kAllRoundings[uniformInt(0, 2)];
    RescaleParams p{1, s, inZp, outZp, out.min, out.max, r};
    ASSERT_EQ(requantizeReal(x, std::ldexp(1.0, -int(s)), inZp, outZp, out.min,
                             out.max, r),
              rescale(x, p))
        << x << " " << s;
  }
}

TEST(RequantizeReal, ExactProductEqualsRescale) {
  // rescale(M, s) == requantizeReal(M * 2^-s) whenever |(x - zp) * M| < 2^53:
  // the double product is then exact.
  for (int i = 0; i < 50000; ++i) {
    IntRange in = intRange(unsigned(uniformInt(1, 16)), uniformInt(0, 1));
    IntRange out = randomType32();
    int64_t x = valueIn(in), inZp = valueIn(in), outZp = valueIn(out);
    int64_t m = uniformInt(1, kMaxMultiplier);
    unsigned s = unsigned(uniformInt(0, 63));
    Rounding r = kAllRoundings[uniformInt(0, 2)];
    ASSERT_LT(std::abs((x - inZp) * m), int64_t(1) << 53);
    MultiplierShift ms{int32_t(m), s};
    RescaleParams p{int32_t(m), s, inZp, outZp, out.min, out.max, r};
    ASSERT_EQ(requantizeReal(x, ms.value(), inZp, outZp, out.min, out.max, r),
              rescale(x, p));
  }
}

TEST(RequantizeReal, RandomAgainstReference) {
  for (int i = 0; i < 100000; ++i) {
    IntRange in = randomType32(), out = randomType32();
    int64_t x = valueIn(in), inZp = valueIn(in), outZp = valueIn(out);
    double scale = randomScale(-40, 8);
    Rounding r = kAllRoundings[uniformInt(0, 2)];
    ASSERT_EQ(requantizeReal(x, scale, inZp, outZp, out.min, out.max, r),
              refRequantizeReal(x, scale, inZp, outZp, out.min, out.max, r))
        << x << " " << inZp << " " << scale;
  }
}

TEST(RequantizeReal, SaturatesFarOutOfRange) {
  IntRange i8 = intRange(8, true);
  for (Rounding r : kAllRoundings) {
    // The product overflows to +-infinity.
    EXPECT_EQ(requantizeReal(kI32Max, DBL_MAX, kI32Min, 0, i8.min, i8.max, r),
              127);
    EXPECT_EQ(requantizeReal(kI32Min, DBL_MAX, kI32Max, 0, i8.min, i8.max, r),
              -128);
    // Far outside int64_t but finite.
    EXPECT_EQ(requantizeReal(1, 1e30, 0, 0, i8.min, i8.max, r), 127);
    EXPECT_EQ(requantizeReal(-1, 1e30, 0, 0, i8.min, i8.max, r), -128);
    // Zero times anything finite is zero.
    EXPECT_EQ(requantizeReal(5, DBL_MAX, 5, -7, i8.min, i8.max, r), -7);
    // The zero point moves the saturation point.
    EXPECT_EQ(requantizeReal(100, 1.0, 0, 100, i8.min, i8.max, r), 127);
    EXPECT_EQ(requantizeReal(27, 1.0, 0, 100, i8.min, i8.max, r), 127);
    EXPECT_EQ(requantizeReal(26, 1.0, 0, 100, i8.min, i8.max, r), 126);
  }
}

TEST(RoundReal, NoFalseTieJustAboveMinusHalf) {
  // Regression: v - floor(v) rounds to exactly 1/2 for v = -(1/2 - 2^-54),
  // which made ties-away-from-zero give -1 instead of 0.
  const double v = -std::nextafter(0.5, 0.0);
  for (Rounding r : kAllRoundings)
    EXPECT_EQ(roundReal(v, r), 0.0) << name(r);
  // The same value as a requantization product: -1 * (1/2 - 2^-54).
  EXPECT_EQ(requantizeReal(-1, -v, 0, 0, -128, 127,
                           Rounding::HalfAwayFromZero),
            0);
  // Non-finite inputs pass through.
  EXPECT_TRUE(std::isnan(roundReal(NAN, Rounding::HalfUp)));
  for (Rounding r : kAllRoundings) {
    EXPECT_EQ(roundReal(INFINITY, r), INFINITY);
    EXPECT_EQ(roundReal(-INFINITY, r), -INFINITY);
  }
}

TEST(SaturateRounded, NaNInfinityAndZeroPoint) {
  for (Rounding r : kAllRoundings) {
    EXPECT_EQ(saturateRounded(NAN, 3, -128, 127, r), 3); // the real value 0
    EXPECT_EQ(saturateRounded(NAN, 300, -128, 127, r), 127);
    EXPECT_EQ(saturateRounded(INFINITY, 0, -128, 127, r), 127);
    EXPECT_EQ(saturateRounded(-INFINITY, 0, -128, 127, r), -128);
    EXPECT_EQ(saturateRounded(1e300, -5, 0, 255, r), 255);
    EXPECT_EQ(saturateRounded(-1e300, 5, 0, 255, r), 0);
    EXPECT_EQ(saturateRounded(-0.4, 0, 0, 255, r), 0);
    EXPECT_EQ(saturateRounded(122.6, 5, -128, 127, r), 127);
    EXPECT_EQ(saturateRounded(121.6, 5, -128, 127, r), 127);
    EXPECT_EQ(saturateRounded(121.4, 5, -128, 127, r), 126);
  }
  EXPECT_EQ(saturateRounded(-2.5, 0, -128, 127, Rounding::HalfUp), -2);
  EXPECT_EQ(saturateRounded(-2.5, 0, -128, 127, Rounding::HalfEven), -2);
  EXPECT_EQ(saturateRounded(-2.5, 0, -128, 127, Rounding::HalfAwayFromZero),
            -3);
}

TEST(QuantizeReal, DividesThenRounds) {
  IntRange i8 = intRange(8, true), u8 = intRange(8, false);
  // 0.25 / 0.5 = 0.5: a tie.
  EXPECT_EQ(quantizeReal(0.25, 0.5, 0, i8.min, i8.max, Rounding::HalfUp), 1);
  EXPECT_EQ(quantizeReal(0.25, 0.5, 0, i8.min, i8.max, Rounding::HalfEven), 0);
  EXPECT_EQ(quantizeReal(-0.25, 0.5, 0, i8.min, i8.max,
                         Rounding::HalfAwayFromZero),
            -1);
  EXPECT_EQ(quantizeReal(-0.25, 0.5, 0, i8.min, i8.max, Rounding::HalfUp), 0);
  // An f32 input widened to double: 0.3f = 0.300000011920928955078125.
  EXPECT_EQ(quantizeReal(double(0.3f), 0.1, 0, i8.min, i8.max,
                         Rounding::HalfEven),
            3);
  // Zero point and saturation.
  EXPECT_EQ(quantizeReal(0.0, 0.1, 128, u8.min, u8.max, Rounding::HalfEven),
            128);
  EXPECT_EQ(quantizeReal(13.0, 0.1, 128, u8.min, u8.max, Rounding::HalfEven),
            255);
  EXPECT_EQ(quantizeReal(-13.0, 0.1, 128, u8.min, u8.max, Rounding::HalfEven),
            0);
  EXPECT_EQ(quantizeReal(NAN, 0.1, 128, u8.min, u8.max, Rounding::HalfEven),
            128);
  EXPECT_EQ(quantizeReal(INFINITY, 0.1, 0, i8.min, i8.max, Rounding::HalfUp),
            127);
  EXPECT_EQ(quantizeReal(-INFINITY, 0.1, 0, i8.min, i8.max, Rounding::HalfUp),
            -128);
  // x / scale overflows to infinity for a tiny scale.
  EXPECT_EQ(quantizeReal(1e300, 1e-300, 0, i8.min, i8.max, Rounding::HalfUp),
            127);
}

TEST(QuantizeReal, RandomAgainstReference) {
  for (int i = 0; i < 50000; ++i) {
    IntRange out = randomType32();
    int64_t zp = valueIn(out);
    double scale = randomScale(-20, 4);
    double x = double(float(std::ldexp(
        std::uniform_real_distribution<double>(-1, 1)(rng()),
        int(uniformInt(-20, 40)))));
    if (i % 4 == 0) // an exact tie x / scale = n + 1/2
      x = (double(uniformInt(-1000, 1000)) + 0.5) * std::ldexp(1.0, -3),
      scale = std::ldexp(1.0, -3);
    Rounding r = kAllRoundings[uniformInt(0, 2)];
    double q = refRoundReal(x / scale, r);
    int64_t want = q > 0x1p40 ? out.max
                   : q < -0x1p40
                       ? out.min
                       : saturate(int64_t(q) + zp, out.min, out.max);
    ASSERT_EQ(quantizeReal(x, scale, zp, out.min, out.max, r), want)
        << x << " / " << scale << " + " << zp << " " << name(r);
  }
}

//===----------------------------------------------------------------------===//
// (multiplier, shift) derivation
//===----------------------------------------------------------------------===//

TEST(DeriveMultiplierShift, InvalidWidth) {
  for (unsigned w : {0u, 32u, 33u, 64u, 1000u})
    for (double scale : {0.5, 1.0, double(NAN), -1.0}) {
      DeriveResult d = deriveMultiplierShift(scale, w);
      EXPECT_FALSE(d);
      EXPECT_EQ(d.error, DeriveError::BadWidth) << w; // checked first
    }
}

TEST(DeriveMultiplierShift, NotPositiveFinite) {
  for (unsigned w : {1u, 8u, 16u, 31u})
    for (double scale : {0.0, -0.0, -1.0, -DBL_MIN, -DBL_TRUE_MIN, -DBL_MAX,
                         double(NAN), -double(NAN), double(INFINITY),
                         -double(INFINITY)}) {
      DeriveResult d = deriveMultiplierShift(scale, w);
      EXPECT_FALSE(d) << scale;
      EXPECT_EQ(d.error, DeriveError::NotPositiveFinite) << scale;
    }
}

TEST(DeriveMultiplierShift, HandPicked) {
  struct Case {
    double scale;
    unsigned w;
    int32_t m;
    unsigned s;
  } cases[] = {
      {1.0, 31, 1 << 30, 30},
      {1.0, 8, 128, 7},
      {1.0, 1, 1, 0},
      {0.5, 31, 1 << 30, 31},
      {0.1, 31, 1717986918, 34}, // 0.1 * 2^34 = 1717986918.4
      {0.1, 16, 52429, 19},      // 0.1 * 2^19 = 52428.8
      {0.1, 8, 205, 11},         // 0.1 * 2^11 = 204.8
      {0.1, 1, 1, 3},            // 0.8 -> 1: 1/8
      {1.0 / 3, 31, 1431655765, 32},
      {3.0, 31, 3 << 29, 29},
      {2147483647.0, 31, 2147483647, 0},       // 2^31 - 1, shift 0
      {0x1p30, 31, 1 << 30, 0},                // 2^30, shift 0
      {255.5 / 256, 8, 128, 7},                // carries: 255.5 -> 256
      {0x1p-33, 31, 1 << 30, 63},              // normalized at shift 63
      {0x1p-34, 31, 1 << 29, 63},              // shift range stops it
      {0x1p-64, 31, 1, 63},                    // 1/2 rounds half up to 1
      {0x1p-63, 1, 1, 63},
      {1.4999999999999998, 1, 1, 0},
      {0.75, 1, 1, 0},                         // 1.5 carries to 2 at shift 1
      {std::nextafter(0.75, 0.0), 1, 1, 1},    // 0.5
  };
  for (const Case &c : cases) {
    DeriveResult d = deriveMultiplierShift(c.scale, c.w);
    ASSERT_TRUE(d) << c.scale << " w=" << c.w;
    EXPECT_EQ(d.value->multiplier, c.m) << c.scale << " w=" << c.w;
    EXPECT_EQ(d.value->shift, c.s) << c.scale << " w=" << c.w;
  }
}

TEST(DeriveMultiplierShift, TooLarge) {
  for (unsigned w = 1; w <= 31; ++w) {
    double limit = std::ldexp(1.0, int(w));
    // scale >= 2^w - 1/2 rounds to 2^w at shift 0.
    for (double scale : {limit - 0.5, limit, 2 * limit, 1e300, DBL_MAX}) {
      DeriveResult d = deriveMultiplierShift(scale, w);
      EXPECT_FALSE(d) << scale << " w=" << w;
      EXPECT_EQ(d.error, DeriveError::TooLarge) << scale << " w=" << w;
    }
    DeriveResult d = deriveMultiplierShift(std::nextafter(limit - 0.5, 0.0), w);
    ASSERT_TRUE(d) << w;
    EXPECT_EQ(d.value->multiplier, int64_t(limit) - 1);
    EXPECT_EQ(d.value->shift, 0u);
  }
}

TEST(DeriveMultiplierShift, TooSmall) {
  // M = floor(scale * 2^63 + 1/2) is 0 exactly when scale < 2^-64. Regression:
  // for the largest double below 2^-64, scale * 2^63 = 1/2 - 2^-54 and the
  // shortcut floor(v + 0.5) rounded v + 0.5 up to 1.
  const double threshold = 0x1p-64;
  for (unsigned w : {1u, 2u, 8u, 16u, 31u}) {
    for (double scale :
         {std::nextafter(threshold, 0.0), 0x1p-65, 1e-30, DBL_MIN,
          DBL_TRUE_MIN}) {
      DeriveResult d = deriveMultiplierShift(scale, w);
      EXPECT_FALSE(d) << scale << " w=" << w;
      EXPECT_EQ(d.error, DeriveError::TooSmall) << scale << " w=" << w;
    }
    for (double scale : {threshold, std::nextafter(threshold, 1.0),
                         1.4 * threshold}) {
      DeriveResult d = deriveMultiplierShift(scale, w);
      ASSERT_TRUE(d) << scale << " w=" << w;
      EXPECT_EQ(d.value->multiplier, 1);
      EXPECT_EQ(d.value->shift, 63u);
    }
  }
}

TEST(DeriveMultiplierShift, EdgeScalesAgainstBruteForce) {
  std::vector<double> scales = edgeScales();
  for (unsigned w = 1; w <= 31; ++w)
    for (double scale : scales)
      ASSERT_TRUE(sameResult(deriveMultiplierShift(scale, w),
                             refDerive(scale, w)))
          << "scale " << scale << " (" << std::hexfloat << scale
          << std::defaultfloat << ") w=" << w;
}

TEST(DeriveMultiplierShift, RandomAgainstBruteForce) {
  for (int i = 0; i < 40000; ++i) {
    double scale = randomScale(-75, 34);
    static const unsigned widths[] = {0, 8, 16, 31};
    unsigned w = i % 4 == 0 ? unsigned(uniformInt(1, 31)) : widths[i % 4];
    ASSERT_TRUE(sameResult(deriveMultiplierShift(scale, w),
                           refDerive(scale, w)))
        << "scale " << std::hexfloat << scale << " w=" << w;
  }
}

/// Checks that no (M, s) with 1 <= M < 2^w, 0 <= s <= 63 is strictly closer
/// to `scale` than the derived pair, exactly. For scales in [2^-40, 2^31].
void expectMostPrecise(double scale, unsigned w) {
  DeriveResult got = deriveMultiplierShift(scale, w);
  if (!got)
    return; // compared with the brute force elsewhere
  Dyadic d = decompose(scale);
  ASSERT_GE(d.e, -95);
  const int L = std::max(63, -d.e);
  const int64_t maxM = (int64_t(1) << w) - 1;
  i128 best = scaledError(got.value->multiplier, got.value->shift, d, L);
  for (unsigned s = 0; s <= 63; ++s) {
    int t = d.e + int(s);
    i128 floorM = t >= 0 ? i128(d.m) << t : i128(d.m >> std::min(-t, 63));
    for (i128 m : {floorM, floorM + 1}) {
      int64_t c = int64_t(m < 1 ? 1 : (m > maxM ? maxM : m));
      ASSERT_GE(scaledError(c, s, d, L), best)
          << "scale " << std::hexfloat << scale << std::defaultfloat
          << " w=" << w << ": " << c << "/2^" << s << " beats "
          << got.value->multiplier << "/2^" << got.value->shift;
    }
  }
}

TEST(DeriveMultiplierShift, MostPreciseForTheWidth) {
  std::vector<double> scales;
  for (double s : edgeScales())
    if (s >= 0x1p-40 && s <= 0x1p31)
      scales.push_back(s);
  for (int i = 0; i < 3000; ++i)
    scales.push_back(randomScale(-39, 31));
  for (double scale : scales)
    for (unsigned w : {1u, 2u, 3u, 8u, 16u, 24u, 31u})
      expectMostPrecise(scale, w);
}

TEST(DeriveMultiplierShift, NormalizedUnlessShiftStops) {
  for (int i = 0; i < 20000; ++i) {
    double scale = randomScale(-75, 34);
    unsigned w = unsigned(uniformInt(1, 31));
    DeriveResult d = deriveMultiplierShift(scale, w);
    if (!d)
      continue;
    int64_t m = d.value->multiplier;
    ASSERT_GE(m, 1);
    ASSERT_LT(m, int64_t(1) << w);
    ASSERT_LE(d.value->shift, 63u);
    if (d.value->shift < 63)
      ASSERT_GE(m, int64_t(1) << (w - 1)) << scale << " w=" << w;
    // Within half a unit of the last place: |M - scale * 2^s| <= 1/2.
    Dyadic dy = decompose(scale);
    int t = dy.e + int(d.value->shift);
    if (t < 0 && -t <= 64) {
      i128 twiceDiff = (i128(m) << (-t + 1)) - (i128(dy.m) << 1);
      ASSERT_LE(twiceDiff < 0 ? -twiceDiff : twiceDiff, i128(1) << -t);
    }
  }
}

TEST(DeriveMultiplierShift, ValueAndRelativeError) {
  MultiplierShift ms{205, 11};
  EXPECT_EQ(ms.value(), 0.10009765625); // exact
  EXPECT_NEAR(relativeError(ms, 0.1), 0.0009765625, 1e-15);
  MultiplierShift exact{1 << 30, 32};
  EXPECT_EQ(exact.value(), 0.25);
  EXPECT_EQ(relativeError(exact, 0.25), 0.0);
  MultiplierShift smallest{1, 63}, largest{int32_t(kMaxMultiplier), 0};
  EXPECT_EQ(smallest.value(), 0x1p-63);
  EXPECT_EQ(largest.value(), 2147483647.0);
  // Relative error against a long double computation, for widths 8..31: at
  // most 2^-(w-1) / 2 for normalized pairs.
  for (int i = 0; i < 10000; ++i) {
    unsigned w = unsigned(uniformInt(8, 31));
    double scale = randomScale(-30, int(w) - 1); // below 2^(w-1)
    DeriveResult d = deriveMultiplierShift(scale, w);
    ASSERT_TRUE(d);
    long double approx =
        std::ldexp((long double)d.value->multiplier, -int(d.value->shift));
    long double want = std::fabs(approx - scale) / scale;
    ASSERT_NEAR(relativeError(*d.value, scale), double(want),
                1e-15 * double(want) + 1e-300);
    ASSERT_LE(relativeError(*d.value, scale), std::ldexp(1.0, -int(w)) * 1.0000001);
  }
}

TEST(DeriveMultiplierShift, ErrorMessages) {
  std::vector<std::string_view> seen;
  for (DeriveError e : {DeriveError::NotPositiveFinite, DeriveError::TooLarge,
                        DeriveError::TooSmall, DeriveError::BadWidth}) {
    std::string_view msg = deriveErrorMessage(e);
    EXPECT_FALSE(msg.empty());
    for (std::string_view other : seen)
      EXPECT_NE(msg, other);
    seen.push_back(msg);
  }
}

//===----------------------------------------------------------------------===//
// Power-of-two derivation
//===----------------------------------------------------------------------===//

TEST(DerivePowerOfTwo, HandPicked) {
  const double rootHalf = 0.70710678118654752440; // nearest double: above
  struct Case {
    double scale;
    int32_t m;
    unsigned s;
  } cases[] = {
      {1.0, 1, 0},
      {0.75, 1, 0},                          // log2 = -0.415
      {rootHalf, 1, 0},                      // just above 2^-1/2
      {std::nextafter(rootHalf, 0.0), 1, 1}, // just below
      {0.7, 1, 1},
      {0.5, 1, 1},
      {3.0, 4, 0},
      {2.8, 2, 0},                           // 2.8 < 2^1.5 = 2.83
      {0.1, 1, 3},                           // log2 = -3.32
      {1.0 / 6, 1, 3},                       // log2 = -2.58
      {0x1p30, 1 << 30, 0},
      {0x1p-63, 1, 63},
      {0x1p-63 * rootHalf, 1, 63},
  };
  for (const Case &c : cases) {
    DeriveResult d = derivePowerOfTwo(c.scale);
    ASSERT_TRUE(d) << c.scale;
    EXPECT_EQ(d.value->multiplier, c.m) << c.scale;
    EXPECT_EQ(d.value->shift, c.s) << c.scale;
  }
  // The boundaries: 2^30.5 (TooLarge above) and 2^-63.5 (TooSmall below).
  double top = 0x1p30 * rootHalf * 2;
  EXPECT_EQ(derivePowerOfTwo(top).error, DeriveError::TooLarge);
  EXPECT_EQ(derivePowerOfTwo(std::nextafter(top, 0.0)).value->multiplier,
            1 << 30);
  double bottom = 0x1p-64 * rootHalf * 2;
  EXPECT_EQ(derivePowerOfTwo(bottom).value->shift, 63u);
  EXPECT_FALSE(derivePowerOfTwo(std::nextafter(bottom, 0.0)));
  EXPECT_EQ(derivePowerOfTwo(std::nextafter(bottom, 0.0)).error,
            DeriveError::TooSmall);
}

TEST(DerivePowerOfTwo, Errors) {
  for (double scale : {0.0, -0.0, -1.0, double(NAN), double(INFINITY),
                       -double(INFINITY)})
    EXPECT_EQ(derivePowerOfTwo(scale).error, DeriveError::NotPositiveFinite);
  for (double scale : {0x1p31, 0x1p40, DBL_MAX})
    EXPECT_EQ(derivePowerOfTwo(scale).error, DeriveError::TooLarge);
  for (double scale : {0x1p-64, 0x1p-70, DBL_MIN, DBL_TRUE_MIN})
    EXPECT_EQ(derivePowerOfTwo(scale).error, DeriveError::TooSmall);
}

TEST(DerivePowerOfTwo, AgainstExactLog2Rounding) {
  std::vector<double> scales = edgeScales();
  for (int i = 0; i < 40000; ++i)
    scales.push_back(randomScale(-80, 40));
  for (double scale : scales)
    ASSERT_TRUE(sameResult(derivePowerOfTwo(scale), refPowerOfTwo(scale)))
        << "scale " << std::hexfloat << scale;
}

TEST(DerivePowerOfTwo, DiffersFromWidthOneDerivation) {
  // Width 1 rounds linearly (boundary 0.75 * 2^k); the power-of-two rule
  // rounds log2 (boundary 2^-1/2 * 2^k).
  DeriveResult linear = deriveMultiplierShift(0.72, 1);
  DeriveResult logarithmic = derivePowerOfTwo(0.72);
  ASSERT_TRUE(linear && logarithmic);
  EXPECT_EQ(linear.value->value(), 0.5);
  EXPECT_EQ(logarithmic.value->value(), 1.0);
}

//===----------------------------------------------------------------------===//
// The worked examples of docs/semantics.md
//===----------------------------------------------------------------------===//

TEST(DocExample, RoundingShiftTable) {
  // Section 2.1.
  const int64_t p62 = int64_t(1) << 62;
  struct Row {
    int64_t x;
    unsigned s;
    int64_t halfUp, halfEven, away;
  } rows[] = {{5, 1, 3, 2, 3},          {-5, 1, -2, -2, -3},
              {-3, 1, -1, -2, -2},      {-2, 2, 0, 0, -1},
              {7, 2, 2, 2, 2},          {p62, 63, 1, 0, 1},
              {-p62, 63, 0, 0, -1},     {INT64_MIN, 63, -1, -1, -1},
              {INT64_MAX, 63, 1, 1, 1}};
  for (const Row &r : rows) {
    EXPECT_EQ(roundingShiftRight(r.x, r.s, Rounding::HalfUp), r.halfUp) << r.x;
    EXPECT_EQ(roundingShiftRight(r.x, r.s, Rounding::HalfEven), r.halfEven)
        << r.x;
    EXPECT_EQ(roundingShiftRight(r.x, r.s, Rounding::HalfAwayFromZero), r.away)
        << r.x;
  }
}

TEST(DocExample, DeriveMultiplierShift) {
  // Section 2.4.
  auto pair = [](double scale, unsigned w) {
    DeriveResult d = deriveMultiplierShift(scale, w);
    EXPECT_TRUE(d) << scale << " w=" << w;
    return d ? std::pair{int64_t(d.value->multiplier), d.value->shift}
             : std::pair{int64_t(-1), 0u};
  };
  EXPECT_EQ(pair(0.1, 31), (std::pair{int64_t(1717986918), 34u}));
  EXPECT_NEAR(relativeError({1717986918, 34}, 0.1), 2.3e-10, 0.05e-10);
  EXPECT_EQ(pair(0.1, 8), (std::pair{int64_t(205), 11u}));
  EXPECT_EQ(MultiplierShift({205, 11}).value(), 0.10009765625);
  EXPECT_NEAR(relativeError({205, 11}, 0.1), 9.8e-4, 0.05e-4);
  EXPECT_EQ(pair(3.0, 31), (std::pair{int64_t(1610612736), 29u}));
  EXPECT_EQ(pair(255.5 / 256, 8), (std::pair{int64_t(128), 7u}));
  EXPECT_EQ(pair(0x1p-34, 31), (std::pair{int64_t(1) << 29, 63u}));
  EXPECT_EQ(pair(0x1p-64, 31), (std::pair{int64_t(1), 63u}));
  EXPECT_EQ(deriveMultiplierShift(std::nextafter(0x1p-64, 0.0), 31).error,
            DeriveError::TooSmall);
  EXPECT_EQ(deriveMultiplierShift(0x1p31 - 0.5, 31).error,
            DeriveError::TooLarge);
}

TEST(DocExample, DerivePowerOfTwo) {
  // Section 2.5.
  auto pair = [](double scale) {
    DeriveResult d = derivePowerOfTwo(scale);
    EXPECT_TRUE(d) << scale;
    return d ? std::pair{int64_t(d.value->multiplier), d.value->shift}
             : std::pair{int64_t(-1), 0u};
  };
  EXPECT_EQ(pair(0.1), (std::pair{int64_t(1), 3u}));
  EXPECT_EQ(pair(0.72), (std::pair{int64_t(1), 0u}));
  EXPECT_EQ(pair(2.8), (std::pair{int64_t(2), 0u}));
  EXPECT_EQ(pair(3.0), (std::pair{int64_t(4), 0u}));
  // Width 1 rounds linearly instead.
  EXPECT_EQ(deriveMultiplierShift(0.72, 1).value->value(), 0.5);
  EXPECT_EQ(derivePowerOfTwo(0x1p30 * 1.5).error, DeriveError::TooLarge);
  EXPECT_EQ(derivePowerOfTwo(0x1p-64).error, DeriveError::TooSmall);
}

TEST(DocExample, Rescale) {
  // Section 3, qnn.rescale: i32 -> i8, 0.1 as (1717986918, 34), zp -5.
  IntRange i8 = intRange(8, true);
  RescaleParams p{1717986918, 34, 0, -5, i8.min, i8.max, Rounding::HalfUp};
  EXPECT_EQ(rescale(1000, p), 95);
  EXPECT_EQ(rescale(1500, p), 127);
  RescaleParams half{1, 1, 0, 0, i8.min, i8.max, Rounding::HalfUp};
  EXPECT_EQ(rescale(-5, half), -2);
  half.rounding = Rounding::HalfEven;
  EXPECT_EQ(rescale(-5, half), -2);
  half.rounding = Rounding::HalfAwayFromZero;
  EXPECT_EQ(rescale(-5, half), -3);
}

TEST(DocExample, RequantizeVsRescale) {
  // Section 3, qnn.requantize: scale 1/6, x = 3, half_up.
  IntRange i8 = intRange(8, true);
  EXPECT_EQ(3 * (1.0 / 6), 0.5); // the double product is exactly 1/2
  EXPECT_EQ(requantizeReal(3, 1.0 / 6, 0, 0, i8.min, i8.max, Rounding::HalfUp),
            1);
  EXPECT_EQ(requantizeReal(3, 1.0 / 6, 0, 0, i8.min, i8.max,
                           Rounding::HalfEven),
            0);
  DeriveResult d = deriveMultiplierShift(1.0 / 6, 31);
  ASSERT_TRUE(d);
  EXPECT_EQ(d.value->multiplier, 1431655765);
  EXPECT_EQ(d.value->shift, 33u);
  RescaleParams p{d.value->multiplier, d.value->shift, 0, 0, i8.min, i8.max,
                  Rounding::HalfUp};
  EXPECT_EQ(3 * int64_t(1431655765), (int64_t(1) << 32) - 1);
  EXPECT_EQ(rescale(3, p), 0);
}

TEST(DocExample, AvgPool) {
  // Section 4.1: a 3x3 window sum of 40, divisor 9.
  DeriveResult d = deriveMultiplierShift(1.0 / 9, 31);
  ASSERT_TRUE(d);
  EXPECT_EQ(d.value->multiplier, 1908874354);
  EXPECT_EQ(d.value->shift, 34u);
  IntRange i8 = intRange(8, true);
  RescaleParams p{d.value->multiplier, d.value->shift, 0, 0, i8.min, i8.max,
                  Rounding::HalfUp};
  EXPECT_EQ(rescale(40, p), 4);
  // A 2x2 corner window with one real tap of 7 still divides by 4.
  RescaleParams quarter{1, 2, 0, 0, i8.min, i8.max, Rounding::HalfUp};
  EXPECT_EQ(rescale(7, quarter), 2);
}

TEST(DocExample, ResidualAddRoundsOnce) {
  // Section 4.2: ratios 1/2 and 1/4 at common shift 2, multipliers 2 and 1.
  int64_t acc = 2 * 1 + 1 * 2;
  IntRange i8 = intRange(8, true);
  RescaleParams p{1, 2, 0, 0, i8.min, i8.max, Rounding::HalfUp};
  EXPECT_EQ(rescale(acc, p), 1);
  // Rounding each operand first would give 2.
  EXPECT_EQ(roundReal(0.5, Rounding::HalfUp) + roundReal(0.5, Rounding::HalfUp),
            2.0);
}

} // namespace
