//===- LayerDump.h - Per-layer dump directories -----------------*- C++ -*-===//
//
// A per-layer dump (docs/tools.md) is a directory holding `layers.txt`, one
// line `<order> <name> <op> <type>` per layer in execution order, and the
// values of each layer in `<order, at least 3 digits>_<name>.npy` (Npy.h's
// containers). qnn-run writes it, compiled code writes it through
// test/Target/Inputs/dump-layers.c, and qnn-diff reads two of them.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_REFERENCE_LAYERDUMP_H
#define QNN_REFERENCE_LAYERDUMP_H

#include "qnn/Reference/Tensor.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir::qnn::reference {

/// One line of a dump's layers.txt.
struct DumpedLayer {
  int64_t order;
  std::string name; ///< unique in the dump; [A-Za-z0-9_.-] only
  std::string op;   ///< e.g. qnn.conv2d, or argument
  std::string type; ///< e.g. tensor<1x6x28x28xui4>

  /// The file of its values in the dump directory.
  std::string fileName() const;
};

/// Writes a dump directory layer by layer, the index line with the values,
/// so that a run that stops early leaves a readable dump of what it did.
class LayerDumpWriter {
public:
  /// Creates `dir` if needed and starts its layers.txt (replacing one
  /// already there).
  static llvm::Expected<LayerDumpWriter> create(llvm::StringRef dir);

  /// Appends the next layer.
  llvm::Error write(llvm::StringRef name, llvm::StringRef op,
                    const Tensor &values);

private:
  LayerDumpWriter(std::string dir, std::unique_ptr<llvm::raw_fd_ostream> index)
      : dir(std::move(dir)), index(std::move(index)) {}

  std::string dir;
  std::unique_ptr<llvm::raw_fd_ostream> index;
  int64_t next = 0;
};

/// Reads and checks `dir`/layers.txt: four fields per line, orders 0, 1, 2,
/// ... in sequence, unique names. Lines starting with '#' are comments.
llvm::Expected<std::vector<DumpedLayer>> readLayerIndex(llvm::StringRef dir);

} // namespace mlir::qnn::reference

#endif // QNN_REFERENCE_LAYERDUMP_H
