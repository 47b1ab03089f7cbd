//===- QNNCanonicalize.cpp - qnn folders and canonicalization patterns ----===//
//
// Every rewrite here is exact: it changes no output value of any input.
// --qnn-fuse applies these (and only these); --canonicalize does too.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::qnn;

namespace {

IntegerType elementIntType(Value v) {
  return cast<IntegerType>(cast<ShapedType>(v.getType()).getElementType());
}

/// The bounds of two clamps in sequence: for a <= b and c <= d,
/// clamp(clamp(v, a, b), c, d) == clamp(v, clamp(a, c, d), clamp(b, c, d)).
rules::IntRange composeClamps(rules::IntRange first, rules::IntRange second) {
  return {rules::saturate(first.min, second.min, second.max),
          rules::saturate(first.max, second.min, second.max)};
}

/// A scale of exactly 1 on every channel: multiplier == 2^shift.
bool hasUnitScale(RescaleOp op) {
  for (auto [m, s] : llvm::zip_equal(op.getMultiplier(), op.getShift()))
    if (s > 30 || m != int32_t(1) << s)
      return false;
  return true;
}

/// qnn.clamp of the only use of a requantizing op: the op clamps to the
/// composed bounds itself (a ReLU becomes clamp_min = output_zp).
template <typename OpTy>
struct FuseClampIntoRequantization : public OpRewritePattern<ClampOp> {
  using OpRewritePattern<ClampOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(ClampOp clamp,
                                PatternRewriter &rewriter) const override {
    auto producer = clamp.getInput().getDefiningOp<OpTy>();
    if (!producer || !producer->hasOneUse())
      return failure();
    rules::IntRange bounds = composeClamps(clampBounds(producer),
                                           {clamp.getMin(), clamp.getMax()});
    rewriter.modifyOpInPlace(producer, [&] {
      producer.setClampMinAttr(rewriter.getI64IntegerAttr(bounds.min));
      producer.setClampMaxAttr(rewriter.getI64IntegerAttr(bounds.max));
    });
    rewriter.replaceOp(clamp, producer.getOutput());
    return success();
  }
};

/// clamp(clamp(x)) -> one clamp of x.
struct MergeClamps : public OpRewritePattern<ClampOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ClampOp outer,
                                PatternRewriter &rewriter) const override {
    auto inner = outer.getInput().getDefiningOp<ClampOp>();
    if (!inner)
      return failure();
    rules::IntRange bounds = composeClamps({inner.getMin(), inner.getMax()},
                                           {outer.getMin(), outer.getMax()});
    rewriter.replaceOpWithNewOp<ClampOp>(outer, inner.getInput(), bounds.min,
                                         bounds.max);
    return success();
  }
};

/// rescale2(rescale1(x)) where rescale2 has a unit scale: rescale2 only adds
/// output_zp - input_zp and clamps, both exact, so rescale1 does it instead:
///   clamp(clamp(r + z1, lo1, hi1) + d, lo2, hi2)
///     == clamp(r + (z1 + d), clamp(lo1 + d, lo2, hi2), clamp(hi1 + d, lo2, hi2)).
/// (A scale other than 1 would round twice, which one rescale cannot do.)
struct MergeUnitRescale : public OpRewritePattern<RescaleOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(RescaleOp second,
                                PatternRewriter &rewriter) const override {
    auto first = second.getInput().getDefiningOp<RescaleOp>();
    if (!first || !first->hasOneUse() || !hasUnitScale(second))
      return failure();
    int64_t delta = second.getOutputZp() - second.getInputZp();
    int64_t outputZp = first.getOutputZp() + delta;
    if (!integerRange(elementIntType(second.getOutput())).contains(outputZp))
      return failure();
    rules::IntRange firstBounds = clampBounds(first);
    rules::IntRange bounds =
        composeClamps({firstBounds.min + delta, firstBounds.max + delta},
                      clampBounds(second));
    rewriter.replaceOpWithNewOp<RescaleOp>(
        second, second.getOutput().getType(), first.getInput(),
        first.getMultiplierAttr(), first.getShiftAttr(), first.getAxisAttr(),
        first.getInputZpAttr(), rewriter.getI64IntegerAttr(outputZp),
        rewriter.getI64IntegerAttr(bounds.min),
        rewriter.getI64IntegerAttr(bounds.max), first.getRoundingAttr());
    return success();
  }
};

} // namespace

void ClampOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                          MLIRContext *context) {
  patterns.add<FuseClampIntoRequantization<RescaleOp>,
               FuseClampIntoRequantization<RequantizeOp>,
               FuseClampIntoRequantization<RequantizeAddOp>, MergeClamps>(
      context);
}

void RescaleOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                            MLIRContext *context) {
  patterns.add<MergeUnitRescale>(context);
}

OpFoldResult ClampOp::fold(FoldAdaptor adaptor) {
  IntegerType type = elementIntType(getInput());
  rules::IntRange range = integerRange(type);
  if (getMin() <= range.min && getMax() >= range.max)
    return getInput();
  auto constant = dyn_cast_or_null<DenseIntElementsAttr>(adaptor.getInput());
  if (!constant)
    return {};
  return constant.mapValues(type, [&](const APInt &v) {
    int64_t x = type.isUnsigned() ? int64_t(v.getZExtValue()) : v.getSExtValue();
    return APInt(type.getWidth(), uint64_t(rules::saturate(x, getMin(), getMax())),
                 /*isSigned=*/true, /*implicitTrunc=*/true);
  });
}

OpFoldResult RescaleOp::fold(FoldAdaptor) {
  // The identity: unit scale, no zero-point change, no clamping, no change
  // of type.
  rules::IntRange range = integerRange(elementIntType(getOutput()));
  rules::IntRange bounds = clampBounds(*this);
  if (getInput().getType() == getOutput().getType() && hasUnitScale(*this) &&
      getInputZp() == getOutputZp() && bounds.min == range.min &&
      bounds.max == range.max)
    return getInput();
  return {};
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getOutput().getType())
    return getInput();
  if (auto inner = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(inner.getInput());
    return getOutput();
  }
  if (auto constant = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput()))
    return constant.reshape(cast<ShapedType>(getOutput().getType()));
  return {};
}

OpFoldResult PadOp::fold(FoldAdaptor) {
  auto isZero = [](int64_t v) { return v == 0; };
  if (llvm::all_of(getLow(), isZero) && llvm::all_of(getHigh(), isZero))
    return getInput();
  return {};
}

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1)
    return getInputs().front();
  return {};
}
