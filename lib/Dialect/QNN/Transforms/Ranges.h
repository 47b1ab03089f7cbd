//===- Ranges.h - Provable value ranges of qnn tensors ----------*- C++ -*-===//
//
// Interval arithmetic and the element ranges of qnn values that the passes
// reason with: --qnn-check-ranges proves accumulators cannot overflow with
// it, --qnn-fold-scales chooses a residual add's common shift with it, and
// --qnn-fold-batch-norm reads constant weights and biases through it.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_DIALECT_QNN_TRANSFORMS_RANGES_H
#define QNN_LIB_DIALECT_QNN_TRANSFORMS_RANGES_H

#include "qnn/Support/IntegerRules.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>

namespace mlir::qnn {

/// Wide enough for every worst-case sum the passes form: a product of two
/// values of at most 32 bits, times a window size below 2^63, plus a 64-bit
/// bias, stays below 2^127.
using Wide = __int128;

/// Decimal text of a Wide (the standard streams do not print __int128).
std::string toString(Wide v);

/// The closed interval [lo, hi] of integers.
struct Interval {
  Wide lo;
  Wide hi;

  static Interval of(::qnn::rules::IntRange r) { return {r.min, r.max}; }
  static Interval point(Wide v) { return {v, v}; }

  Interval operator+(const Interval &o) const { return {lo + o.lo, hi + o.hi}; }
  Interval operator-(Wide c) const { return {lo - c, hi - c}; }
  /// {a * b : a in *this, b in o}.
  Interval operator*(const Interval &o) const;
  /// The sum of `count` values each in *this (count >= 0).
  Interval repeated(Wide count) const { return {lo * count, hi * count}; }
  /// The smallest interval holding both.
  Interval hull(const Interval &o) const {
    return {lo < o.lo ? lo : o.lo, hi > o.hi ? hi : o.hi};
  }
  bool within(::qnn::rules::IntRange r) const {
    return lo >= r.min && hi <= r.max;
  }
  /// "[lo, hi]"
  std::string str() const;
};

/// The integer element type of a tensor value.
IntegerType elementIntType(Value v);

/// The elements of an integer constant (qnn.constant or arith.constant), read
/// with the element type's signedness; nullopt if `v` is not a constant.
std::optional<llvm::SmallVector<int64_t>> constantValues(Value v);

/// An interval every element of `v` provably lies in: the element type's
/// range, narrowed by the op that defines `v` (the actual values of a
/// constant, the clamp bounds of a rescale/requantize/clamp) and carried
/// through the ops that only move or select elements (reshape, pad, concat,
/// max_pool2d).
Interval elementRange(Value v);

} // namespace mlir::qnn

#endif // QNN_LIB_DIALECT_QNN_TRANSFORMS_RANGES_H
