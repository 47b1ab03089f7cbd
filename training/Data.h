//===- Data.h - IDX datasets and the train/validation split ---------------===//
//
// LibTorch-free on purpose: readers and index bookkeeping compile fast and are
// tested without a tensor library. Images stay uint8 (the student's input is
// the raw 8-bit pixels, zero point 0).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_TRAINING_DATA_H
#define QNN_TRAINING_DATA_H

#include "Expected.h"

#include <cstdint>
#include <string>
#include <vector>

namespace qnn::train {

/// True when path names an existing file or directory.
bool fileExists(const std::string &path);

/// The whole file, gunzipped when it is gzipped (zlib reads both), or why
/// not: missing, unreadable, corrupt or truncated gzip stream.
Expected<std::vector<uint8_t>> readAllBytes(const std::string &path);

/// An IDX file's contents: its dimensions and its unsigned-byte elements.
struct IdxArray {
  std::vector<int64_t> dims;
  std::vector<uint8_t> data;
};

/// Reads an IDX file of unsigned bytes (type code 0x08), gzipped or raw
/// (zlib reads both). Errors name the file: missing, corrupt gzip stream,
/// wrong magic number, truncated or with trailing bytes.
Expected<IdxArray> readIdx(const std::string &path);

/// Images [count, channels, rows, cols] as uint8 and one label per image.
struct ImageSet {
  int64_t count = 0, channels = 0, rows = 0, cols = 0;
  std::vector<uint8_t> pixels;
  std::vector<uint8_t> labels;
};

/// Pairs an idx3 image file with an idx1 label file; checks that counts
/// agree and every label is below numClasses.
Expected<ImageSet> readIdxImageSet(const std::string &imagesPath,
                                   const std::string &labelsPath,
                                   int numClasses);

struct Dataset {
  ImageSet train, test;
  int numClasses = 0;
};

/// MNIST-layout directory (train-images-idx3-ubyte[.gz], ...), e.g. Debian's
/// /usr/share/datasets/fashion-mnist. Prefers the .gz name when both exist.
Expected<Dataset> readMnistDirectory(const std::string &dir);

/// A permutation of 0..n-1 from a seeded 64-bit Mersenne twister with our own
/// Fisher-Yates, so it is the same on every standard library.
std::vector<int64_t> seededPermutation(int64_t n, uint64_t seed);

/// A deterministic split of 0..n-1: the first validationCount indices of the
/// seeded permutation validate, the rest train (both sorted).
struct Split {
  std::vector<int64_t> train, validation;
};
Split splitTrainValidation(int64_t n, int64_t validationCount, uint64_t seed);

/// One rank's share of an epoch's order as PyTorch's DistributedSampler deals
/// it: positions rank, rank + ranks, rank + 2 ranks, ... With padToEqual the
/// order is first extended by repeating its beginning to a multiple of
/// ranks, so every rank takes the same number of steps and the ranks' b-th
/// batches of B together are the b-th batch of B * ranks of one rank. Without
/// it every index goes to exactly one rank (for counting validation hits).
std::vector<int64_t> shardForRank(const std::vector<int64_t> &order, int rank,
                                  int ranks, bool padToEqual);

} // namespace qnn::train

#endif // QNN_TRAINING_DATA_H
