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

struct ExportedLayer {
  bool isConv = true;
  /// The last layer: its i32 accumulators are the logits (no rescale).
  bool classifier = false;
  /// A 2x2 max-pool with stride 2 after the activation.
  bool poolAfter = false;
  int64_t padding = 0; ///< conv, on every side; stride is always 1
  unsigned weightBits = 8, actBits = 8;
  /// conv [O, I, kh, kw], linear [O, I] (PyTorch's order).
  std::vector<int64_t> weightShape;
  std::vector<int64_t> weight; ///< signed weightBits codes, row-major
  std::vector<int64_t> bias;   ///< [O], in accumulator units, int32 range
  /// Per output channel; empty for the classifier.
  std::vector<rules::MultiplierShift> requant;

  int64_t outputs() const { return weightShape[0]; }
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
  Rescale,    ///< the activation codes after the clamp (hidden layers)
  Pool,       ///< the codes after 2x2 max-pooling, where the layer pools
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
