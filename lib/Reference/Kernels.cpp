//===- Kernels.cpp - Reference kernels of the qnn ops ---------------------===//
//
// Accumulations run in uint64_t, where overflow is defined (modulo 2^64),
// and are then wrapped to the accumulator's width: the interpreter states
// what an N-bit register holds, and --qnn-check-ranges proves separately
// that no wrap occurs in a checked model.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "qnn/Support/IntegerRules.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::qnn::reference;
namespace rules = ::qnn::rules;

namespace {

RankedTensorType resultType(Operation *op) {
  return cast<RankedTensorType>(op->getResult(0).getType());
}

IntegerType intElementType(RankedTensorType type) {
  return cast<IntegerType>(type.getElementType());
}

/// The integer an accumulator of `type`'s element type holds for the exact
/// sum `acc` (taken modulo 2^64).
int64_t wrapToAccumulator(uint64_t acc, RankedTensorType type) {
  return rules::wrapToBits(static_cast<int64_t>(acc),
                           intElementType(type).getWidth(), /*isSigned=*/true);
}

/// Input spatial index of output index `out` at kernel offset `k`, or -1 if
/// it falls into padding.
int64_t windowIndex(int64_t out, int64_t k, int64_t stride, int64_t padBefore,
                    int64_t dilation, int64_t size) {
  int64_t i = out * stride - padBefore + k * dilation;
  return (i >= 0 && i < size) ? i : -1;
}

/// A 2-D sliding window over NCHW data, as the pooling ops describe it.
struct Window {
  ArrayRef<int64_t> kernel, strides, padding, dilations;

  /// Calls fn(flatInputIndex, kernelIndex) for every in-bounds position of
  /// the window of output (n, c, oy, ox) of an input of NCHW shape `in`;
  /// kernelIndex = ky * kernel[1] + kx. Padded positions are skipped.
  template <typename Fn>
  void forEach(ArrayRef<int64_t> in, int64_t n, int64_t c, int64_t oy,
               int64_t ox, Fn fn) const {
    int64_t base = (n * in[1] + c) * in[2] * in[3];
    for (int64_t ky = 0; ky < kernel[0]; ++ky) {
      int64_t iy = windowIndex(oy, ky, strides[0], padding[0], dilations[0],
                               in[2]);
      if (iy < 0)
        continue;
      for (int64_t kx = 0; kx < kernel[1]; ++kx) {
        int64_t ix = windowIndex(ox, kx, strides[1], padding[1],
                                 dilations[1], in[3]);
        if (ix >= 0)
          fn(base + iy * in[3] + ix, ky * kernel[1] + kx);
      }
    }
  }
};

/// Applies fn(n, c, oy, ox) -> value to every element of an NCHW result.
template <typename Fn>
Tensor forEachNCHW(RankedTensorType type, Fn fn) {
  Tensor out = Tensor::zeros(type);
  ArrayRef<int64_t> s = type.getShape();
  int64_t i = 0;
  for (int64_t n = 0; n < s[0]; ++n)
    for (int64_t c = 0; c < s[1]; ++c)
      for (int64_t y = 0; y < s[2]; ++y)
        for (int64_t x = 0; x < s[3]; ++x)
          out.ints[i++] = fn(n, c, y, x);
  return out;
}

/// Channel index of flat element `i` along `axis`, or 0 when the op has a
/// single (per-tensor) parameter.
int64_t channelOf(int64_t i, ArrayRef<int64_t> shape, int64_t axis,
                  size_t numParams) {
  if (numParams == 1)
    return 0;
  int64_t inner = 1;
  for (size_t d = axis + 1; d < shape.size(); ++d)
    inner *= shape[d];
  return (i / inner) % shape[axis];
}

} // namespace

Tensor mlir::qnn::reference::constantKernel(mlir::qnn::ConstantOp op) {
  auto value = cast<DenseIntElementsAttr>(op.getValue());
  Tensor out = Tensor::zeros(resultType(op));
  bool isUnsigned = intElementType(out.type).isUnsigned();
  int64_t i = 0;
  for (const APInt &v : value.getValues<APInt>())
    out.ints[i++] = isUnsigned ? int64_t(v.getZExtValue()) : v.getSExtValue();
  return out;
}

Tensor mlir::qnn::reference::conv2dKernel(mlir::qnn::Conv2DOp op,
                                    const Tensor &input, const Tensor &weight,
                                    const Tensor *bias) {
  ArrayRef<int64_t> in = input.shape(), w = weight.shape();
  int64_t outPerGroup = w[0] / op.getGroups();
  int64_t inPerGroup = w[1];
  int64_t inZp = op.getInputZp(), wZp = op.getWeightZp();
  Window window{w.drop_front(2), op.getStrides(), op.getPadding(),
                op.getDilations()};
  RankedTensorType type = resultType(op);
  return forEachNCHW(type, [&](int64_t n, int64_t o, int64_t oy, int64_t ox) {
    uint64_t acc = bias ? uint64_t(bias->ints[o]) : 0;
    int64_t firstChannel = (o / outPerGroup) * inPerGroup;
    for (int64_t c = 0; c < inPerGroup; ++c) {
      const int64_t *kernel = &weight.ints[(o * inPerGroup + c) * w[2] * w[3]];
      // Padded positions read input_zp and contribute 0: skipping them is
      // the same sum.
      window.forEach(in, n, firstChannel + c, oy, ox,
                     [&](int64_t i, int64_t k) {
                       acc += uint64_t((input.ints[i] - inZp) *
                                       (kernel[k] - wZp));
                     });
    }
    return wrapToAccumulator(acc, type);
  });
}

Tensor mlir::qnn::reference::matmulKernel(mlir::qnn::MatmulOp op, const Tensor &lhs,
                                    const Tensor &rhs, const Tensor *bias) {
  RankedTensorType type = resultType(op);
  Tensor out = Tensor::zeros(type);
  int64_t m = lhs.shape()[0], k = lhs.shape()[1], n = rhs.shape()[1];
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      uint64_t acc = bias ? uint64_t(bias->ints[j]) : 0;
      for (int64_t p = 0; p < k; ++p)
        acc += uint64_t((lhs.ints[i * k + p] - op.getLhsZp()) *
                        (rhs.ints[p * n + j] - op.getRhsZp()));
      out.ints[i * n + j] = wrapToAccumulator(acc, type);
    }
  return out;
}

Tensor mlir::qnn::reference::addKernel(mlir::qnn::AddOp op, const Tensor &lhs,
                                 const Tensor &rhs) {
  RankedTensorType type = resultType(op);
  Tensor out = Tensor::zeros(type);
  for (int64_t i = 0; i < out.numElements(); ++i) {
    uint64_t sum =
        uint64_t(op.getLhsMultiplier() * (lhs.ints[i] - op.getLhsZp())) +
        uint64_t(op.getRhsMultiplier() * (rhs.ints[i] - op.getRhsZp()));
    out.ints[i] = wrapToAccumulator(sum, type);
  }
  return out;
}

Tensor mlir::qnn::reference::avgPool2dKernel(mlir::qnn::AvgPool2DOp op,
                                       const Tensor &input) {
  int64_t unitDilations[2] = {1, 1};
  Window window{op.getKernel(), op.getStrides(), op.getPadding(),
                unitDilations};
  RankedTensorType type = resultType(op);
  return forEachNCHW(type, [&](int64_t n, int64_t c, int64_t oy, int64_t ox) {
    uint64_t sum = 0;
    window.forEach(input.shape(), n, c, oy, ox, [&](int64_t i, int64_t) {
      sum += uint64_t(input.ints[i] - op.getInputZp());
    });
    return wrapToAccumulator(sum, type);
  });
}

Tensor mlir::qnn::reference::maxPool2dKernel(mlir::qnn::MaxPool2DOp op,
                                       const Tensor &input) {
  Window window{op.getKernel(), op.getStrides(), op.getPadding(),
                op.getDilations()};
  return forEachNCHW(resultType(op), [&](int64_t n, int64_t c, int64_t oy,
                                         int64_t ox) {
    int64_t best = INT64_MIN; // the verifier guarantees a non-empty window
    window.forEach(input.shape(), n, c, oy, ox, [&](int64_t i, int64_t) {
      best = std::max(best, input.ints[i]);
    });
    return best;
  });
}

Tensor mlir::qnn::reference::clampKernel(mlir::qnn::ClampOp op,
                                   const Tensor &input) {
  Tensor out = input;
  for (int64_t &v : out.ints)
    v = rules::saturate(v, op.getMin(), op.getMax());
  return out;
}

Tensor mlir::qnn::reference::padKernel(mlir::qnn::PadOp op, const Tensor &input) {
  Tensor out = Tensor::zeros(resultType(op));
  std::fill(out.ints.begin(), out.ints.end(), op.getValue());
  std::vector<int64_t> inStrides = rowMajorStrides(input.shape());
  std::vector<int64_t> outStrides = rowMajorStrides(out.shape());
  ArrayRef<int64_t> low = op.getLow();
  for (int64_t i = 0; i < input.numElements(); ++i) {
    int64_t dst = 0;
    for (size_t d = 0; d < inStrides.size(); ++d)
      dst += ((i / inStrides[d]) % input.shape()[d] + low[d]) * outStrides[d];
    out.ints[dst] = input.ints[i];
  }
  return out;
}

Tensor mlir::qnn::reference::reshapeKernel(mlir::qnn::ReshapeOp op,
                                     const Tensor &input) {
  Tensor out = input;
  out.type = resultType(op);
  return out;
}

Tensor mlir::qnn::reference::concatKernel(mlir::qnn::ConcatOp op,
                                    ArrayRef<Tensor> inputs) {
  Tensor out = Tensor::zeros(resultType(op));
  int64_t axis = op.getAxis();
  // Row-major: the result is `outer` rows, each the inputs' rows side by
  // side, where an input's row is its sizes from `axis` on.
  int64_t outer = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= out.shape()[d];
  int64_t dst = 0;
  for (int64_t row = 0; row < outer; ++row)
    for (const Tensor &in : inputs) {
      int64_t rowSize = in.numElements() / outer;
      std::copy_n(in.ints.begin() + row * rowSize, rowSize,
                  out.ints.begin() + dst);
      dst += rowSize;
    }
  return out;
}

Tensor mlir::qnn::reference::rescaleKernel(mlir::qnn::RescaleOp op,
                                     const Tensor &input) {
  Tensor out = Tensor::zeros(resultType(op));
  ArrayRef<int32_t> multipliers = op.getMultiplier(), shifts = op.getShift();
  rules::IntRange bounds = mlir::qnn::clampBounds(op);
  rules::Rounding rounding = mlir::qnn::toRulesRounding(op.getRounding());
  for (int64_t i = 0; i < out.numElements(); ++i) {
    int64_t c = channelOf(i, input.shape(), op.getAxis(), multipliers.size());
    rules::RescaleParams p{multipliers[c], unsigned(shifts[c]),
                           op.getInputZp(), op.getOutputZp(),
                           bounds.min,      bounds.max,
                           rounding};
    out.ints[i] = rules::rescale(input.ints[i], p);
  }
  return out;
}

Tensor mlir::qnn::reference::requantizeKernel(mlir::qnn::RequantizeOp op,
                                        const Tensor &input) {
  Tensor out = Tensor::zeros(resultType(op));
  ArrayRef<double> scales = op.getScale();
  rules::IntRange bounds = mlir::qnn::clampBounds(op);
  rules::Rounding rounding = mlir::qnn::toRulesRounding(op.getRounding());
  for (int64_t i = 0; i < out.numElements(); ++i) {
    int64_t c = channelOf(i, input.shape(), op.getAxis(), scales.size());
    out.ints[i] = rules::requantizeReal(input.ints[i], scales[c],
                                        op.getInputZp(), op.getOutputZp(),
                                        bounds.min, bounds.max, rounding);
  }
  return out;
}

Tensor mlir::qnn::reference::requantizeAddKernel(mlir::qnn::RequantizeAddOp op,
                                                const Tensor &lhs,
                                                const Tensor &rhs) {
  Tensor out = Tensor::zeros(resultType(op));
  rules::IntRange bounds = mlir::qnn::clampBounds(op);
  rules::Rounding rounding = mlir::qnn::toRulesRounding(op.getRounding());
  double lhsScale = op.getLhsScale().convertToDouble();
  double rhsScale = op.getRhsScale().convertToDouble();
  for (int64_t i = 0; i < out.numElements(); ++i)
    out.ints[i] = rules::requantizeAddReal(
        lhs.ints[i], lhsScale, op.getLhsZp(), rhs.ints[i], rhsScale,
        op.getRhsZp(), op.getOutputZp(), bounds.min, bounds.max, rounding);
  return out;
}

Tensor mlir::qnn::reference::batchNormKernel(mlir::qnn::BatchNormOp op,
                                            const Tensor &input) {
  Tensor out = Tensor::zeros(resultType(op));
  ArrayRef<double> scales = op.getScale(), offsets = op.getOffset();
  rules::IntRange range =
      mlir::qnn::integerRange(intElementType(resultType(op)));
  for (int64_t i = 0; i < out.numElements(); ++i) {
    int64_t c = channelOf(i, input.shape(), op.getAxis(), scales.size());
    out.ints[i] = rules::affineReal(input.ints[i], scales[c], offsets[c],
                                    range.min, range.max);
  }
  return out;
}

Tensor mlir::qnn::reference::quantizeKernel(mlir::qnn::QuantizeOp op,
                                      const Tensor &input) {
  Tensor out = Tensor::zeros(resultType(op));
  rules::IntRange range =
      mlir::qnn::integerRange(intElementType(resultType(op)));
  double scale = op.getScale().convertToDouble();
  rules::Rounding rounding = mlir::qnn::toRulesRounding(op.getRounding());
  for (int64_t i = 0; i < out.numElements(); ++i)
    out.ints[i] = rules::quantizeReal(input.floats[i], scale,
                                      op.getZeroPoint(), range.min, range.max,
                                      rounding);
  return out;
}

Tensor mlir::qnn::reference::dequantizeKernel(mlir::qnn::DequantizeOp op,
                                        const Tensor &input) {
  Tensor out = Tensor::zeros(resultType(op));
  double scale = op.getScale().convertToDouble();
  for (int64_t i = 0; i < out.numElements(); ++i)
    out.floats[i] =
        static_cast<float>(double(input.ints[i] - op.getZeroPoint()) * scale);
  return out;
}
