//===- CheckRanges.cpp - Prove that accumulators cannot overflow ----------===//
//
// The worst case of an accumulator is a sum of K products (or, for a
// residual add, two scaled operands) plus a bias; each product ranges over
// the product of its factors' intervals. With constant weights the sum is
// taken channel by channel over the actual weights, which is exact for the
// extremes of the input interval. Padded window positions contribute 0, so
// with padding every term's interval also holds 0.
//
//===----------------------------------------------------------------------===//

#include "Ranges.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"

#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNCHECKRANGES
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

namespace {

/// The unit attribute marking an accumulator that provably fits 16 bits.
constexpr StringLiteral kAcc16Attr = "qnn.acc16";

/// A worst-case accumulator interval and the facts it was derived from.
struct AccumulatorBound {
  Interval range;
  std::string derivation;
};

bool hasPadding(ArrayRef<int64_t> padding) {
  return llvm::any_of(padding, [](int64_t p) { return p != 0; });
}

/// Bias interval of each of `channels` output channels: the actual values of
/// a constant bias, the bias's element range otherwise, 0 without a bias.
SmallVector<Interval> biasRanges(Value bias, int64_t channels) {
  if (!bias)
    return SmallVector<Interval>(channels, Interval::point(0));
  if (std::optional<SmallVector<int64_t>> values = constantValues(bias))
    return llvm::map_to_vector(
        *values, [](int64_t b) { return Interval::point(b); });
  return SmallVector<Interval>(channels, elementRange(bias));
}

/// The accumulator of a sum of `k` products x * (w - weightZp) per output
/// channel plus its bias, with x the zero-point-adjusted data interval.
/// `weightIndex(channel, j)` is the flat index of the j-th weight of a
/// channel when the weights are a constant.
AccumulatorBound
sumOfProducts(Interval x, bool padded, Value weight, int64_t weightZp,
              Value bias, int64_t channels, int64_t k,
              function_ref<int64_t(int64_t, int64_t)> weightIndex) {
  if (channels == 0)
    return {Interval::point(0), "no output channel"};
  auto term = [&](Interval w) {
    Interval t = x * w;
    return padded ? t.hull(Interval::point(0)) : t;
  };
  SmallVector<Interval> biases = biasRanges(bias, channels);
  std::string derivation = "K = " + std::to_string(k) + ", data - zp in " +
                           x.str() + (padded ? " (or 0 when padded)" : "");
  std::optional<Interval> range;
  if (std::optional<SmallVector<int64_t>> weights = constantValues(weight)) {
    derivation += ", constant weights";
    for (int64_t c = 0; c < channels; ++c) {
      Interval sum = biases[c];
      for (int64_t j = 0; j < k; ++j)
        sum = sum + term(Interval::point((*weights)[weightIndex(c, j)] -
                                         weightZp));
      range = range ? range->hull(sum) : sum;
    }
  } else {
    Interval w = elementRange(weight) - weightZp;
    derivation += ", weight - zp in " + w.str();
    Interval products = term(w).repeated(k);
    for (const Interval &b : biases)
      range = range ? range->hull(products + b) : products + b;
  }
  if (bias) {
    Interval all = biases.front();
    for (const Interval &b : biases)
      all = all.hull(b);
    derivation += ", bias in " + all.str();
  }
  return {*range, derivation};
}

AccumulatorBound bound(Conv2DOp op) {
  auto weightType = cast<ShapedType>(op.getWeight().getType());
  int64_t channels = weightType.getDimSize(0);
  // OIHW: a channel's K = (I / groups) * KH * KW weights are contiguous.
  int64_t k = weightType.getNumElements() / std::max<int64_t>(channels, 1);
  Interval x = elementRange(op.getInput()) - op.getInputZp();
  return sumOfProducts(x, hasPadding(op.getPadding()), op.getWeight(),
                       op.getWeightZp(), op.getBias(), channels, k,
                       [&](int64_t c, int64_t j) { return c * k + j; });
}

AccumulatorBound bound(MatmulOp op) {
  auto rhsType = cast<ShapedType>(op.getRhs().getType());
  int64_t k = rhsType.getDimSize(0), channels = rhsType.getDimSize(1);
  Interval x = elementRange(op.getLhs()) - op.getLhsZp();
  // [K, N]: column c holds the weights of channel c.
  return sumOfProducts(x, /*padded=*/false, op.getRhs(), op.getRhsZp(),
                       op.getBias(), channels, k,
                       [&](int64_t c, int64_t j) { return j * channels + c; });
}

AccumulatorBound bound(AddOp op) {
  Interval lhs = elementRange(op.getLhs()) - op.getLhsZp();
  Interval rhs = elementRange(op.getRhs()) - op.getRhsZp();
  Interval range = lhs * Interval::point(op.getLhsMultiplier()) +
                   rhs * Interval::point(op.getRhsMultiplier());
  return {range, "lhs - zp in " + lhs.str() + " times " +
                     std::to_string(op.getLhsMultiplier()) +
                     ", rhs - zp in " + rhs.str() + " times " +
                     std::to_string(op.getRhsMultiplier())};
}

AccumulatorBound bound(AvgPool2DOp op) {
  bool padded = hasPadding(op.getPadding());
  Interval x = elementRange(op.getInput()) - op.getInputZp();
  if (padded)
    x = x.hull(Interval::point(0));
  int64_t area = op.getKernel()[0] * op.getKernel()[1];
  return {x.repeated(area), "window of " + std::to_string(area) +
                                ", data - zp in " + x.str()};
}

struct CheckRangesPass : public mlir::qnn::impl::QNNCheckRangesBase<CheckRangesPass> {
  using Base::Base;

  void runOnOperation() override {
    bool failedAny = false;
    getOperation()->walk([&](Operation *op) {
      std::optional<AccumulatorBound> b =
          llvm::TypeSwitch<Operation *, std::optional<AccumulatorBound>>(op)
              .Case<Conv2DOp, MatmulOp, AddOp, AvgPool2DOp>(
                  [](auto typed) { return bound(typed); })
              .Default([](Operation *) { return std::nullopt; });
      if (!b)
        return;
      IntegerType accType = elementIntType(op->getResult(0));
      if (!b->range.within(integerRange(accType))) {
        op->emitOpError() << "worst-case accumulator range " << b->range.str()
                          << " does not fit " << accType << " ("
                          << b->derivation << ")";
        failedAny = true;
        return;
      }
      bool fits16 = b->range.within(rules::intRange(16, true));
      if (fits16)
        op->setAttr(kAcc16Attr, UnitAttr::get(op->getContext()));
      else
        op->removeAttr(kAcc16Attr);
      if (report)
        op->emitRemark() << "accumulator range " << b->range.str()
                         << " fits " << accType
                         << (fits16 ? " and 16 bits" : "") << " ("
                         << b->derivation << ")";
    });
    if (failedAny)
      signalPassFailure();
  }
};

} // namespace
