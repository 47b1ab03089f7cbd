//===- FoldBatchNorm.cpp - BatchNorm into bias and requantize scale -------===//
//
//   acc = conv2d|matmul(x, w, b)          acc' = conv2d|matmul(x, w', b')
//   y   = batch_norm(acc, g, o)     ->    z    = requantize(acc', s * |g|)
//   z   = requantize(y, s)
//
// Per channel c: g*acc + o = |g| * (sign(g)*acc + o/|g|), so the requantize
// scale takes |g|, the bias becomes b' = sign(g)*b + round(o/|g|), and a
// negative g negates the channel's weights (w' - wz = -(w - wz)). The only
// approximation is round(o/|g|): at most half an accumulator unit.
//
//===----------------------------------------------------------------------===//

#include "Ranges.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNFOLDBATCHNORM
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

namespace {

/// The channel axis of a conv2d (NCHW) and a matmul ([M, N]) result.
constexpr int64_t kChannelAxis = 1;

/// A dense integer constant of `type` holding `values`.
DenseIntElementsAttr denseOf(ShapedType type, ArrayRef<int64_t> values) {
  unsigned width = cast<IntegerType>(type.getElementType()).getWidth();
  SmallVector<APInt> elements;
  elements.reserve(values.size());
  for (int64_t v : values)
    elements.push_back(APInt(width, uint64_t(v), /*isSigned=*/true,
                             /*implicitTrunc=*/true));
  return DenseIntElementsAttr::get(type, elements);
}

/// Negates the weights of the output channels in `negate`: w' = 2*wz - w, so
/// that w' - wz = -(w - wz). `channelOf` maps a flat weight index to its
/// output channel.
FailureOr<DenseIntElementsAttr>
negateChannels(BatchNormOp bn, Value weight, int64_t weightZp,
               ArrayRef<bool> negate,
               function_ref<int64_t(int64_t)> channelOf) {
  std::optional<SmallVector<int64_t>> values = constantValues(weight);
  if (!values)
    return bn.emitOpError()
           << "has a negative scale, which is folded by negating the weights "
              "of its channel, but the weights are not a constant";
  IntegerType type = elementIntType(weight);
  rules::IntRange range = integerRange(type);
  for (auto [i, w] : llvm::enumerate(*values)) {
    int64_t channel = channelOf(int64_t(i));
    if (!negate[channel])
      continue;
    int64_t negated = 2 * weightZp - w;
    if (!range.contains(negated))
      return bn.emitOpError()
             << "cannot fold the negative scale of channel " << channel
             << " into the weights: weight " << w << " negates to " << negated
             << " (2 * weight_zp - w), outside the range [" << range.min
             << ", " << range.max << "] of " << type;
    w = negated;
  }
  return denseOf(cast<ShapedType>(weight.getType()), *values);
}

LogicalResult foldBatchNorm(BatchNormOp bn, RewriterBase &rewriter) {
  Operation *producer = bn.getInput().getDefiningOp();
  if (!isa_and_nonnull<Conv2DOp, MatmulOp>(producer))
    return bn.emitOpError(
        "expects its input to be the result of a qnn.conv2d or qnn.matmul");
  if (!bn.getInput().hasOneUse())
    return bn.emitOpError("expects to be the only user of its accumulator: "
                          "the folded bias would change the other users");
  auto requant = bn->hasOneUse()
                     ? dyn_cast<RequantizeOp>(*bn->getUsers().begin())
                     : RequantizeOp();
  if (!requant)
    return bn.emitOpError(
        "expects its result to have exactly one user, a qnn.requantize");
  if (requant.getInputZp() != 0)
    return bn.emitOpError() << "expects the qnn.requantize that follows to "
                               "have input_zp 0, got "
                            << requant.getInputZp();
  ArrayRef<double> gammas = bn.getScale(), offsets = bn.getOffset();
  ArrayRef<double> requantScales = requant.getScale();
  if (gammas.size() > 1 && bn.getAxis() != kChannelAxis)
    return bn.emitOpError() << "expects per-channel parameters along the "
                               "output channel axis 1, got axis "
                            << bn.getAxis();
  if (requantScales.size() > 1 && requant.getAxis() != kChannelAxis)
    return bn.emitOpError() << "expects the qnn.requantize that follows to be "
                               "per-tensor or per-channel along axis 1, got "
                               "axis "
                            << requant.getAxis();

  auto accType = cast<ShapedType>(bn.getInput().getType());
  int64_t channels = accType.getDimSize(kChannelAxis);
  auto at = [](ArrayRef<double> values, int64_t c) {
    return values.size() == 1 ? values[0] : values[c];
  };
  Value bias = producer->getNumOperands() == 3 ? producer->getOperand(2)
                                               : Value();
  SmallVector<int64_t> biasValues(channels, 0);
  if (bias) {
    std::optional<SmallVector<int64_t>> values = constantValues(bias);
    if (!values)
      return bn.emitOpError(
          "expects the bias of its conv2d/matmul to be a constant");
    biasValues = *values;
  }

  rules::IntRange accRange = integerRange(elementIntType(bn.getInput()));
  SmallVector<double> newScales;
  SmallVector<int64_t> newBias;
  SmallVector<bool> negate;
  for (int64_t c = 0; c < channels; ++c) {
    double gamma = at(gammas, c);
    if (gamma == 0)
      return bn.emitOpError()
             << "has scale 0 at channel " << c
             << ": the channel is constant, which no requantize scale can "
                "express";
    double magnitude = std::fabs(gamma);
    double scale = at(requantScales, c) * magnitude;
    if (!std::isfinite(scale) || scale == 0)
      return bn.emitOpError()
             << "folds to the requantize scale " << scale << " at channel "
             << c << ", which is not positive and finite";
    double offsetUnits = rules::roundReal(at(offsets, c) / magnitude,
                                          rules::Rounding::HalfUp);
    Wide folded = gamma < 0 ? -Wide(biasValues[c]) : Wide(biasValues[c]);
    // Beyond 2^64 the offset cannot fit any accumulator, and converting it
    // to an integer would be undefined.
    bool fits = std::fabs(offsetUnits) <= 0x1p64;
    if (fits) {
      folded += Wide(offsetUnits);
      fits = Interval::point(folded).within(accRange);
    }
    if (!fits)
      return bn.emitOpError()
             << "folds channel " << c << " into the bias "
             << (gamma < 0 ? "-" : "") << biasValues[c] << " + round("
             << at(offsets, c) << " / " << magnitude
             << "), which does not fit the accumulator type "
             << elementIntType(bn.getInput());
    newScales.push_back(scale);
    newBias.push_back(int64_t(folded));
    negate.push_back(gamma < 0);
  }

  Value newWeight;
  if (llvm::is_contained(negate, true)) {
    FailureOr<DenseIntElementsAttr> weights =
        llvm::TypeSwitch<Operation *, FailureOr<DenseIntElementsAttr>>(producer)
            .Case([&](Conv2DOp conv) {
              // OIHW: the output channel is the outermost dimension.
              int64_t perChannel =
                  cast<ShapedType>(conv.getWeight().getType())
                      .getNumElements() /
                  channels;
              return negateChannels(bn, conv.getWeight(), conv.getWeightZp(),
                                    negate, [&](int64_t i) {
                                      return i / perChannel;
                                    });
            })
            .Case([&](MatmulOp matmul) {
              // [K, N]: the output channel is the column.
              return negateChannels(bn, matmul.getRhs(), matmul.getRhsZp(),
                                    negate,
                                    [&](int64_t i) { return i % channels; });
            });
    if (failed(weights))
      return failure();
    rewriter.setInsertionPoint(producer);
    newWeight = ConstantOp::create(rewriter, producer->getLoc(),
                                   weights->getType(), *weights);
  }

  rewriter.setInsertionPoint(producer);
  auto biasType = RankedTensorType::get({channels}, accType.getElementType());
  Value newBiasValue = ConstantOp::create(rewriter, bn.getLoc(), biasType,
                                          denseOf(biasType, newBias));
  rewriter.modifyOpInPlace(producer, [&] {
    if (newWeight)
      producer->setOperand(1, newWeight);
    if (bias)
      producer->setOperand(2, newBiasValue);
    else
      producer->insertOperands(2, newBiasValue);
  });
  rewriter.modifyOpInPlace(requant, [&] {
    requant.setScale(newScales);
    requant.setAxis(kChannelAxis);
    requant->setOperand(0, producer->getResult(0));
  });
  rewriter.eraseOp(bn);
  return success();
}

struct FoldBatchNormPass
    : public mlir::qnn::impl::QNNFoldBatchNormBase<FoldBatchNormPass> {
  void runOnOperation() override {
    SmallVector<BatchNormOp> ops;
    getOperation()->walk([&](BatchNormOp op) { ops.push_back(op); });
    IRRewriter rewriter(&getContext());
    bool failedAny = false;
    for (BatchNormOp op : ops)
      failedAny |= failed(foldBatchNorm(op, rewriter));
    if (failedAny)
      signalPassFailure();
  }
};

} // namespace
