//===- Cifar.h - The CIFAR-10 and CIFAR-100 binary formats ----------------===//
//
// The "binary version" of CIFAR as distributed (cifar-10-batches-bin,
// cifar-100-binary): files of fixed-size records, each the label byte(s)
// then 3072 pixel bytes, channel-planar R, G, B planes of 32 x 32 rows. That
// is already [channels, rows, cols], the layout of ImageSet. No LibTorch.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_TRAINING_CIFAR_H
#define QNN_TRAINING_CIFAR_H

#include "Data.h"

namespace qnn::train {

/// The two CIFAR variants: their files and record layout.
struct CifarFormat {
  const char *name;
  std::vector<std::string> trainFiles, testFiles;
  int labelBytes; // CIFAR-100: coarse then fine label; the fine one is used
  int numClasses;
};
const CifarFormat &cifar10Format();
const CifarFormat &cifar100Format();

constexpr int64_t kCifarImageBytes = 3 * 32 * 32;

/// Reads one CIFAR file of the given format (gzipped or raw) and appends its
/// records to `set`. Errors name the file: missing, empty, size not a whole
/// number of records (truncated), label outside the format's classes.
Expected<bool> appendCifarFile(const std::string &path,
                               const CifarFormat &format, ImageSet &set);

/// The format whose files are present in dir (any one of them is enough, so
/// that a missing file is reported by name), or null when dir is no CIFAR
/// directory.
const CifarFormat *detectCifarFormat(const std::string &dir);

/// All train and test files of a CIFAR directory; fails when dir is none.
Expected<Dataset> readCifarDirectory(const std::string &dir);

} // namespace qnn::train

#endif // QNN_TRAINING_CIFAR_H
