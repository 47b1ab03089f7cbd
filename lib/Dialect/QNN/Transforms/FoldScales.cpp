//===- FoldScales.cpp - Real scales to integer multiplier and shift -------===//
//
// qnn.requantize -> qnn.rescale, qnn.requantize_add -> qnn.add + qnn.rescale.
// Every multiplier comes from the derivations of IntegerRules.h; this file
// only decides which scale to derive, at which width or shift, and reports.
//
//===----------------------------------------------------------------------===//

#include "Ranges.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"

#include <algorithm>
#include <cmath>

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNFOLDSCALES
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

namespace {

/// round(scale * 2^shift), half up, the multiplier of `scale` at a given
/// shift: deriveMultiplierShift at the width whose normalized shift is
/// `shift`. nullopt when scale * 2^shift < 1: a multiplier of 0 would drop
/// the operand, and a multiplier rounded up from below 1 would be off by up
/// to 100%. The caller guarantees the result fits 31 bits.
std::optional<int64_t> multiplierAtShift(double scale, unsigned shift) {
  int exponent = 0;
  (void)std::frexp(scale, &exponent); // scale in [2^(exponent-1), 2^exponent)
  int width = int(shift) + exponent;  // scale * 2^shift < 2^width
  if (width < 1)
    return std::nullopt;
  assert(width <= 31 && "the caller's shift fits the multiplier in 31 bits");
  rules::DeriveResult r = rules::deriveMultiplierShift(scale, unsigned(width));
  // When rounding carries into 2^width the derivation lowers the shift by
  // one (the multiplier at `shift` is then exactly twice its result), or, at
  // shift 0, fails as too large: the multiplier at shift 0 is 2^width.
  if (!r)
    return int64_t(1) << width;
  return int64_t(r.value->multiplier) << (shift - r.value->shift);
}

/// "M / 2^s"
std::string fraction(int64_t multiplier, unsigned shift) {
  return std::to_string(multiplier) + " / 2^" + std::to_string(shift);
}

std::string scientific(double v) {
  std::string s;
  llvm::raw_string_ostream(s) << llvm::format("%.3e", v);
  return s;
}

struct FoldScalesPass
    : public mlir::qnn::impl::QNNFoldScalesBase<FoldScalesPass> {
  using Base::Base;

  void runOnOperation() override;

private:
  /// The integer approximation of one real scale, or a located error naming
  /// `what` (a channel or an operand).
  FailureOr<rules::MultiplierShift> derive(Operation *op, double scale,
                                           StringRef what);
  LogicalResult fold(RequantizeOp op, RewriterBase &rewriter);
  LogicalResult fold(RequantizeAddOp op, RewriterBase &rewriter);
};

} // namespace

FailureOr<rules::MultiplierShift>
FoldScalesPass::derive(Operation *op, double scale, StringRef what) {
  rules::DeriveResult r = shiftOnly
                              ? rules::derivePowerOfTwo(scale)
                              : rules::deriveMultiplierShift(scale,
                                                             multiplierBits);
  if (r && r.value->multiplier >> multiplierBits == 0)
    return *r.value;
  InFlightDiagnostic diag = op->emitOpError()
                            << "cannot represent the scale " << scale << " of "
                            << what << " with a "
                            << (shiftOnly ? "power-of-two " : "")
                            << "multiplier of " << multiplierBits.getValue()
                            << " bits: ";
  if (r)
    diag << "scale too large: the multiplier "
         << fraction(r.value->multiplier, r.value->shift)
         << " does not fit its width";
  else
    diag << rules::deriveErrorMessage(r.error);
  return failure();
}

LogicalResult FoldScalesPass::fold(RequantizeOp op, RewriterBase &rewriter) {
  ArrayRef<double> scales = op.getScale();
  // Per-tensor: one scale for all channels, the geometric mean of the
  // extremes, which minimizes the worst ratio max(s / c, c / s) over the
  // channel scales c.
  SmallVector<double> targets(scales);
  if (perTensor && scales.size() > 1) {
    auto [lo, hi] = std::minmax_element(scales.begin(), scales.end());
    targets = {std::sqrt(*lo) * std::sqrt(*hi)};
  }

  SmallVector<int32_t> multipliers, shifts;
  for (auto [i, scale] : llvm::enumerate(targets)) {
    std::string what =
        targets.size() < scales.size()
            ? "the per-tensor collapse of " + std::to_string(scales.size()) +
                  " channel scales"
            : (scales.size() == 1 ? "the tensor"
                                  : "channel " + std::to_string(i));
    FailureOr<rules::MultiplierShift> ms = derive(op, scale, what);
    if (failed(ms))
      return failure();
    multipliers.push_back(ms->multiplier);
    shifts.push_back(int32_t(ms->shift));
  }

  if (report) {
    size_t worst = 0;
    double worstError = -1;
    for (auto [c, scale] : llvm::enumerate(scales)) {
      size_t t = targets.size() == 1 ? 0 : c;
      double error = rules::relativeError(
          {multipliers[t], unsigned(shifts[t])}, scale);
      if (error > worstError) {
        worstError = error;
        worst = c;
      }
    }
    size_t t = targets.size() == 1 ? 0 : worst;
    op->emitRemark() << "worst relative error " << scientific(worstError)
                     << " at channel " << worst << ": scale "
                     << scientific(scales[worst]) << " ~ "
                     << fraction(multipliers[t], shifts[t]);
  }

  rewriter.setInsertionPoint(op);
  auto rescale = RescaleOp::create(
      rewriter, op.getLoc(), op.getOutput().getType(), op.getInput(),
      rewriter.getDenseI32ArrayAttr(multipliers),
      rewriter.getDenseI32ArrayAttr(shifts), op.getAxisAttr(),
      op.getInputZpAttr(), op.getOutputZpAttr(), op.getClampMinAttr(),
      op.getClampMaxAttr(), op.getRoundingAttr());
  rewriter.replaceOp(op, rescale);
  return success();
}

LogicalResult FoldScalesPass::fold(RequantizeAddOp op,
                                   RewriterBase &rewriter) {
  double lhsScale = op.getLhsScale().convertToDouble();
  double rhsScale = op.getRhsScale().convertToDouble();
  Interval lhs = elementRange(op.getLhs()) - op.getLhsZp();
  Interval rhs = elementRange(op.getRhs()) - op.getRhsZp();
  rules::IntRange i32 = rules::intRange(32, true);
  auto accumulator = [&](int64_t lhsMultiplier, int64_t rhsMultiplier) {
    return lhs * Interval::point(lhsMultiplier) +
           rhs * Interval::point(rhsMultiplier);
  };

  int64_t lhsMultiplier = 0, rhsMultiplier = 0;
  unsigned shift = 0;
  if (shiftOnly) {
    // Both powers of two: bring them to the larger shift, exactly.
    FailureOr<rules::MultiplierShift> l = derive(op, lhsScale, "the lhs");
    FailureOr<rules::MultiplierShift> r = derive(op, rhsScale, "the rhs");
    if (failed(l) || failed(r))
      return failure();
    shift = std::max(l->shift, r->shift);
    lhsMultiplier = int64_t(l->multiplier) << (shift - l->shift);
    rhsMultiplier = int64_t(r->multiplier) << (shift - r->shift);
    for (auto [name, m] : {std::pair<StringRef, int64_t>{"lhs", lhsMultiplier},
                           {"rhs", rhsMultiplier}})
      if (m >> multiplierBits != 0)
        return op->emitOpError()
               << "cannot bring both power-of-two scales to the common shift "
               << shift << ": the " << name << " multiplier " << m
               << " does not fit " << multiplierBits.getValue() << " bits";
    Interval acc = accumulator(lhsMultiplier, rhsMultiplier);
    if (!acc.within(i32))
      return op->emitOpError()
             << "the power-of-two multipliers " << lhsMultiplier << " and "
             << rhsMultiplier << " at shift " << shift
             << " give an accumulator range " << acc.str()
             << " that does not fit i32";
  } else {
    // The larger scale fixes the most precise shift the width allows; lower
    // shifts trade precision for accumulator headroom.
    bool lhsLarger = lhsScale >= rhsScale;
    FailureOr<rules::MultiplierShift> larger =
        derive(op, std::max(lhsScale, rhsScale),
               lhsLarger ? "the lhs" : "the rhs");
    if (failed(larger))
      return failure();
    bool found = false;
    for (int s = int(larger->shift); s >= 0 && !found; --s) {
      std::optional<int64_t> l = multiplierAtShift(lhsScale, s);
      std::optional<int64_t> r = multiplierAtShift(rhsScale, s);
      if (!l || !r) {
        InFlightDiagnostic diag =
            op->emitOpError()
            << "cannot bring the operand scales " << lhsScale << " and "
            << rhsScale << " to a common shift: the " << (l ? "rhs" : "lhs")
            << " multiplier is less than 1 at shift " << s;
        if (s < int(larger->shift))
          diag << " (every larger shift overflows the i32 accumulator)";
        return diag;
      }
      if (accumulator(*l, *r).within(i32)) {
        found = true;
        lhsMultiplier = *l;
        rhsMultiplier = *r;
        shift = unsigned(s);
      }
    }
    if (!found)
      return op->emitOpError()
             << "no common shift keeps the i32 accumulator of the operand "
                "ranges "
             << lhs.str() << " and " << rhs.str() << " from overflowing";
  }

  if (report) {
    double lhsError = rules::relativeError(
        {int32_t(lhsMultiplier), shift}, lhsScale);
    double rhsError = rules::relativeError(
        {int32_t(rhsMultiplier), shift}, rhsScale);
    op->emitRemark() << "worst relative error "
                     << scientific(std::max(lhsError, rhsError))
                     << ": lhs scale " << scientific(lhsScale) << " ~ "
                     << fraction(lhsMultiplier, shift) << ", rhs scale "
                     << scientific(rhsScale) << " ~ "
                     << fraction(rhsMultiplier, shift);
  }

  rewriter.setInsertionPoint(op);
  auto accType = RankedTensorType::get(
      cast<ShapedType>(op.getOutput().getType()).getShape(),
      rewriter.getI32Type());
  auto add = AddOp::create(rewriter, op.getLoc(), accType, op.getLhs(),
                           op.getRhs(), op.getLhsZpAttr(), op.getRhsZpAttr(),
                           rewriter.getI64IntegerAttr(lhsMultiplier),
                           rewriter.getI64IntegerAttr(rhsMultiplier));
  auto rescale = RescaleOp::create(
      rewriter, op.getLoc(), op.getOutput().getType(), add.getOutput(),
      rewriter.getDenseI32ArrayAttr({1}),
      rewriter.getDenseI32ArrayAttr({int32_t(shift)}), IntegerAttr(),
      IntegerAttr(), op.getOutputZpAttr(), op.getClampMinAttr(),
      op.getClampMaxAttr(), op.getRoundingAttr());
  rewriter.replaceOp(op, rescale);
  return success();
}

void FoldScalesPass::runOnOperation() {
  Operation *root = getOperation();
  if (multiplierBits < 1 || multiplierBits > 31) {
    root->emitError() << "qnn-fold-scales: multiplier-bits must be between 1 "
                         "and 31, got "
                      << multiplierBits.getValue();
    return signalPassFailure();
  }
  SmallVector<Operation *> ops;
  root->walk([&](Operation *op) {
    if (isa<RequantizeOp, RequantizeAddOp>(op))
      ops.push_back(op);
  });
  IRRewriter rewriter(&getContext());
  bool failedAny = false;
  for (Operation *op : ops) {
    LogicalResult folded =
        llvm::TypeSwitch<Operation *, LogicalResult>(op)
            .Case<RequantizeOp, RequantizeAddOp>(
                [&](auto typed) { return fold(typed, rewriter); });
    failedAny |= failed(folded);
  }
  if (failedAny)
    signalPassFailure();
}
