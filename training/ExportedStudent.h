//===- ExportedStudent.h - The integer student as plain integers -*- C++ -*-===//
//
// What the exporters write (the qnn module, the ONNX models): the weights,
// biases and per-channel (M, s) that simulateInteger runs, as plain vectors.
// The exporters see no LibTorch type, so they compile in a second and link
// the ONNX protobuf classes without LibTorch headers in the same unit.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_TRAINING_EXPORTEDSTUDENT_H
#define QNN_TRAINING_EXPORTEDSTUDENT_H

#include "Expected.h"
#include "qnn/Support/IntegerRules.h"

#include <cstdint>
#include <string>
#include <vector>

namespace qnn::train {

/// What follows a hidden layer's activation.
enum class PoolKind {
  None,
  /// kernel x kernel max-pool with stride and padding (padded taps never
  /// win): 2x2/2 (VGG, LeNet) or 3x3/2 (AlexNet, ResNet-18's stem).
  Max,
  /// The mean over the whole map: the window sum (qnn.avg_pool2d), then a
  /// rescale by (M, s) of 1 / (H W) back to the activation's codes.
  GlobalAvg,
};

struct PoolSpec {
  PoolKind kind = PoolKind::None;
  int64_t kernel = 2, stride = 2, padding = 0; ///< Max only
};

/// Residual values (a join's two branches) are int16 codes on the grid
/// s_out / 2^residualShift of the join's output scale s_out.
inline constexpr unsigned kResidualBits = 16;

/// The extra bits of the residual grid for A-bit output codes: the largest
/// output code, 2^A - 1, is below 2^13 grid units, so either branch may
/// reach four times the output range before int16 clamps it.
inline constexpr unsigned residualShift(unsigned actBits) {
  return 13 - actBits;
}

/// Layer indices in ExportedLayer::input and LayerSpec::input.
inline constexpr int kImage = -1;    ///< the network's input image
inline constexpr int kPrevious = -2; ///< the layer before (layer 0: the image)

/// The index of the layer whose output layer `self` reads (kImage: none).
inline int sourceLayer(int input, size_t self) {
  return input == kPrevious ? int(self) - 1 : input;
}

struct ExportedLayer {
  bool isConv = true;
  /// The last layer: its i32 accumulators are the logits (no rescale).
  bool classifier = false;
  /// The layer whose output this layer reads (sourceLayer).
  int input = kPrevious;
  /// A residual block's projection shortcut: its accumulator is rescaled
  /// per channel (`requant`) to int16 codes on the residual grid of the
  /// join that names it, with no activation and no pool.
  bool projection = false;
  /// A join (residual block's last layer) adds the output of layer
  /// `shortcut` (-1: none): a projection's int16 codes, or (identity) an
  /// activation's codes rescaled per tensor by `shortcutRequant`. Its own
  /// accumulator goes to the residual grid by `requant`; the int32 sum is
  /// rescaled by (1, residualShift) and clamped to [0, 2^A - 1].
  int shortcut = -1;
  rules::MultiplierShift shortcutRequant{1, 0};
  unsigned residualShift = 0;
  PoolSpec pool;                            ///< after the activation
  rules::MultiplierShift poolRequant{1, 0}; ///< GlobalAvg: 1 / (H W)
  int64_t stride = 1, padding = 0;          ///< conv, on every side
  unsigned weightBits = 8, actBits = 8;
  /// conv [O, I, kh, kw], linear [O, I] (PyTorch's order).
  std::vector<int64_t> weightShape;
  std::vector<int64_t> weight; ///< signed weightBits codes, row-major
  std::vector<int64_t> bias;   ///< [O], in accumulator units, int32 range
  /// Per output channel; empty for the classifier.
  std::vector<rules::MultiplierShift> requant;

  int64_t outputs() const { return weightShape[0]; }
  bool isJoin() const { return shortcut >= 0; }
};

/// A student on uint8 images [1, channels, rows, cols].
struct ExportedStudent {
  int64_t channels = 1, rows = 28, cols = 28;
  std::vector<ExportedLayer> layers;
};

/// The values simulateInteger computes for each layer, in order; each is a
/// value of the exported qnn module (ExportQnn.h's describeStep names them).
enum class IntegerStep {
  Flatten,    ///< the input codes of a linear layer, flattened [N, features]
  Accumulate, ///< the int32 accumulator, bias included (conv or linear)
  Residual,   ///< a join's accumulator on the residual grid (int16)
  Shortcut,   ///< a join's identity shortcut on the residual grid (int16)
  Add,        ///< a join's int32 sum of the two
  /// The activation codes after the clamp (hidden layers); a projection's
  /// int16 codes on the residual grid.
  Rescale,
  PoolSum, ///< global average pool: the int32 window sum
  Pool,    ///< the codes after max-pooling, or the global average's codes
};

/// Writes `bytes` to `path + ".tmp"`, then renames it to `path`, so that a
/// reader never sees a partial file.
Expected<bool> writeFileAtomically(const std::string &path,
                                   const std::string &bytes);

/// The [cols, rows] transpose of a row-major [rows, cols] matrix.
std::vector<int64_t> transposed(const std::vector<int64_t> &matrix,
                                int64_t rows, int64_t cols);

} // namespace qnn::train

#endif // QNN_TRAINING_EXPORTEDSTUDENT_H
