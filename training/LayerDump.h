//===- LayerDump.h - Per-layer dump directories, the training side -------===//
//
// Writes the per-layer dump format of docs/tools.md (layers.txt plus one
// NumPy .npy file per layer), which qnn-diff compares with the dumps of the
// reference interpreter and of the compiled code. The compiler's writer
// (lib/Reference/LayerDump.cpp) works on MLIR types and tensors, which the
// training module cannot link, so this is the format's second writer; it
// writes the same bytes for the same layers. No LibTorch.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_TRAINING_LAYERDUMP_H
#define QNN_TRAINING_LAYERDUMP_H

#include "Expected.h"

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace qnn::train {

/// The MLIR spelling of a ranked tensor type: tensor<1x16x28x28xui4>.
std::string tensorType(const std::vector<int64_t> &shape,
                       const std::string &element);

/// Writes a dump directory layer by layer, each index line after its file.
class LayerDumpWriter {
public:
  /// Creates `dir` if needed and starts its layers.txt (replacing one
  /// already there).
  static Expected<LayerDumpWriter> create(const std::string &dir);

  /// Appends the next layer: `element` is i<N> or ui<N> (1 <= N <= 64),
  /// `values` are in C order and must fit the element type.
  Expected<bool> write(const std::string &name, const std::string &op,
                       const std::string &element,
                       const std::vector<int64_t> &shape,
                       const std::vector<int64_t> &values);

private:
  LayerDumpWriter(std::string dir, std::ofstream index)
      : dir(std::move(dir)), index(std::move(index)) {}

  std::string dir;
  std::ofstream index;
  int64_t next = 0;
};

} // namespace qnn::train

#endif // QNN_TRAINING_LAYERDUMP_H
