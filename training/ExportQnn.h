//===- ExportQnn.h - The integer student as a qnn module --------*- C++ -*-===//
//
// Writes the integer student as an integer-only `qnn` MLIR module that
// qnn-translate compiles directly: the same weights, biases and per-channel
// (M, s) that simulateInteger uses, so the compiled code reproduces the
// integer simulation bit for bit. ExportOnnx.h writes the same student as
// ONNX, for the frontend and for other tools.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_TRAINING_EXPORTQNN_H
#define QNN_TRAINING_EXPORTQNN_H

#include "ExportedStudent.h"

#include <string>
#include <vector>

namespace qnn::train {

/// Writes `func.func @main(%image: tensor<1xCxHxWxui8>) -> tensor<1xKxi32>`
/// to `path` (atomically: write, then rename). Per hidden layer: conv2d
/// (strides where not 1) or matmul with its i32 bias, rescale (per-channel
/// M, s, half up, clamp to [0, 2^A - 1] = the ReLU), the max-pool where the
/// topology has one; a reshape before the first linear layer; the
/// classifier's i32 logits. A residual block's projection rescales to i16
/// codes on the residual grid; its join rescales its own accumulator (and
/// an identity shortcut) to i16, adds them with qnn.add into i32 and
/// rescales the sum by (1, R); a global average pool is qnn.avg_pool2d and
/// a rescale by 1 / (H W). Every op carries its layer's name as location
/// ("layer3.conv", ...).
Expected<bool> writeQnnModule(const ExportedStudent &net,
                              const std::string &path);

/// How the exported module spells a value simulateInteger computes: the
/// location of its op (layer `index`'s "layer3.conv", "layer3.rescale",
/// ...; the value's name in per-layer dumps), the op, the element type.
struct StepInModule {
  std::string location, op, element;
};
StepInModule describeStep(const ExportedStudent &net, size_t index,
                          IntegerStep step);

/// Writes int32 values little-endian (e.g. the test set's logits,
/// image-major), atomically.
Expected<bool> writeInt32File(const std::vector<int32_t> &values,
                              const std::string &path);

} // namespace qnn::train

#endif // QNN_TRAINING_EXPORTQNN_H
