//===- Ranges.cpp - Provable value ranges of qnn tensors ------------------===//

#include "Ranges.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::qnn;

std::string mlir::qnn::toString(Wide v) {
  if (v == 0)
    return "0";
  bool negative = v < 0;
  // Work on the magnitude as unsigned: -v overflows for the most negative v.
  unsigned __int128 magnitude =
      negative ? -static_cast<unsigned __int128>(v) : v;
  std::string digits;
  for (; magnitude != 0; magnitude /= 10)
    digits.push_back(char('0' + int(magnitude % 10)));
  if (negative)
    digits.push_back('-');
  std::reverse(digits.begin(), digits.end());
  return digits;
}

Interval Interval::operator*(const Interval &o) const {
  Wide products[4] = {lo * o.lo, lo * o.hi, hi * o.lo, hi * o.hi};
  return {*std::min_element(products, products + 4),
          *std::max_element(products, products + 4)};
}

std::string Interval::str() const {
  return "[" + toString(lo) + ", " + toString(hi) + "]";
}

IntegerType mlir::qnn::elementIntType(Value v) {
  return cast<IntegerType>(getElementTypeOrSelf(v.getType()));
}

std::optional<SmallVector<int64_t>> mlir::qnn::constantValues(Value v) {
  DenseIntElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  bool isUnsigned = elementIntType(v).isUnsigned();
  SmallVector<int64_t> values;
  values.reserve(attr.getNumElements());
  for (const APInt &element : attr.getValues<APInt>())
    values.push_back(isUnsigned ? int64_t(element.getZExtValue())
                                : element.getSExtValue());
  return values;
}

Interval mlir::qnn::elementRange(Value v) {
  Interval typeRange = Interval::of(integerRange(elementIntType(v)));
  if (std::optional<SmallVector<int64_t>> values = constantValues(v)) {
    if (values->empty())
      return typeRange;
    auto [lo, hi] = std::minmax_element(values->begin(), values->end());
    return {*lo, *hi};
  }
  Operation *def = v.getDefiningOp();
  if (!def)
    return typeRange;
  return llvm::TypeSwitch<Operation *, Interval>(def)
      .Case<RescaleOp, RequantizeOp, RequantizeAddOp>(
          [](auto op) { return Interval::of(clampBounds(op)); })
      .Case([](ClampOp op) {
        // clamp(x, a, b) for x in [lo, hi] lies in [clamp(lo), clamp(hi)].
        Interval in = elementRange(op.getInput());
        auto clamp = [&](Wide x) {
          return std::clamp<Wide>(x, op.getMin(), op.getMax());
        };
        return Interval{clamp(in.lo), clamp(in.hi)};
      })
      .Case<ReshapeOp, MaxPool2DOp>(
          [](auto op) { return elementRange(op.getInput()); })
      .Case([](PadOp op) {
        return elementRange(op.getInput()).hull(Interval::point(op.getValue()));
      })
      .Case([](ConcatOp op) {
        Interval range = elementRange(op.getInputs().front());
        for (Value input : op.getInputs().drop_front())
          range = range.hull(elementRange(input));
        return range;
      })
      .Default([&](Operation *) { return typeRange; });
}
