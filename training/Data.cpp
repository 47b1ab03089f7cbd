//===- Data.cpp - IDX datasets and the train/validation split -------------===//

#include "Data.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <sys/stat.h>

namespace qnn::train {

Expected<std::vector<uint8_t>> readAllBytes(const std::string &path) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0)
    return Expected<std::vector<uint8_t>>::failure(path + ": file not found");
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file)
    return Expected<std::vector<uint8_t>>::failure(path + ": cannot open");
  std::vector<uint8_t> bytes;
  std::vector<uint8_t> chunk(1 << 20);
  for (;;) {
    int n = gzread(file, chunk.data(), unsigned(chunk.size()));
    if (n < 0) {
      int code = 0;
      std::string why = gzerror(file, &code);
      gzclose(file);
      return Expected<std::vector<uint8_t>>::failure(
          path + ": corrupt gzip stream (" + why + ")");
    }
    if (n == 0)
      break;
    bytes.insert(bytes.end(), chunk.begin(), chunk.begin() + n);
  }
  // A gzip stream cut short reads as a clean end of file; gzclose reports it.
  int closeStatus = gzclose(file);
  if (closeStatus != Z_OK)
    return Expected<std::vector<uint8_t>>::failure(
        path + ": corrupt or truncated gzip stream");
  return bytes;
}

namespace {

uint32_t readBigEndian32(const uint8_t *p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 |
         uint32_t(p[3]);
}

} // namespace

bool fileExists(const std::string &path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0;
}

Expected<IdxArray> readIdx(const std::string &path) {
  auto bytes = readAllBytes(path);
  if (!bytes)
    return Expected<IdxArray>::failure(bytes.error());
  const std::vector<uint8_t> &b = *bytes;
  // Magic: two zero bytes, the element type (0x08 = unsigned byte), the rank.
  if (b.size() < 4 || b[0] != 0 || b[1] != 0)
    return Expected<IdxArray>::failure(path +
                                       ": not an IDX file (wrong magic number)");
  if (b[2] != 0x08)
    return Expected<IdxArray>::failure(
        path + ": IDX element type " + std::to_string(b[2]) +
        " is not unsigned byte (8)");
  size_t rank = b[3];
  if (rank < 1 || rank > 4)
    return Expected<IdxArray>::failure(path + ": IDX rank " +
                                       std::to_string(rank) +
                                       " outside 1..4");
  size_t header = 4 + 4 * rank;
  if (b.size() < header)
    return Expected<IdxArray>::failure(path + ": truncated IDX header");
  IdxArray array;
  uint64_t elements = 1;
  for (size_t d = 0; d < rank; ++d) {
    uint32_t dim = readBigEndian32(&b[4 + 4 * d]);
    array.dims.push_back(dim);
    elements *= dim;
  }
  if (b.size() - header != elements)
    return Expected<IdxArray>::failure(
        path + ": " + (b.size() - header < elements ? "truncated" : "trailing") +
        " data: header promises " + std::to_string(elements) +
        " bytes, file holds " + std::to_string(b.size() - header));
  array.data.assign(b.begin() + header, b.end());
  return array;
}

Expected<ImageSet> readIdxImageSet(const std::string &imagesPath,
                                   const std::string &labelsPath,
                                   int numClasses) {
  auto images = readIdx(imagesPath);
  if (!images)
    return Expected<ImageSet>::failure(images.error());
  auto labels = readIdx(labelsPath);
  if (!labels)
    return Expected<ImageSet>::failure(labels.error());
  if (images->dims.size() != 3)
    return Expected<ImageSet>::failure(imagesPath +
                                       ": expected 3 dimensions (idx3)");
  if (labels->dims.size() != 1)
    return Expected<ImageSet>::failure(labelsPath +
                                       ": expected 1 dimension (idx1)");
  if (labels->dims[0] != images->dims[0])
    return Expected<ImageSet>::failure(
        labelsPath + ": " + std::to_string(labels->dims[0]) +
        " labels for " + std::to_string(images->dims[0]) + " images in " +
        imagesPath);
  for (size_t i = 0; i < labels->data.size(); ++i)
    if (labels->data[i] >= numClasses)
      return Expected<ImageSet>::failure(
          labelsPath + ": label " + std::to_string(labels->data[i]) +
          " at index " + std::to_string(i) + " outside [0, " +
          std::to_string(numClasses) + ")");
  ImageSet set;
  set.count = images->dims[0];
  set.channels = 1;
  set.rows = images->dims[1];
  set.cols = images->dims[2];
  set.pixels = std::move(images->data);
  set.labels = std::move(labels->data);
  return set;
}

Expected<Dataset> readMnistDirectory(const std::string &dir) {
  auto pick = [&](const std::string &stem) {
    std::string gz = dir + "/" + stem + ".gz";
    return fileExists(gz) ? gz : dir + "/" + stem;
  };
  const int numClasses = 10;
  auto train = readIdxImageSet(pick("train-images-idx3-ubyte"),
                               pick("train-labels-idx1-ubyte"), numClasses);
  if (!train)
    return Expected<Dataset>::failure(train.error());
  auto test = readIdxImageSet(pick("t10k-images-idx3-ubyte"),
                              pick("t10k-labels-idx1-ubyte"), numClasses);
  if (!test)
    return Expected<Dataset>::failure(test.error());
  return Dataset{std::move(*train), std::move(*test), numClasses};
}

std::vector<int64_t> seededPermutation(int64_t n, uint64_t seed) {
  std::vector<int64_t> order(n);
  for (int64_t i = 0; i < n; ++i)
    order[i] = i;
  std::mt19937_64 rng(seed);
  for (int64_t i = n - 1; i > 0; --i)
    std::swap(order[i], order[rng() % uint64_t(i + 1)]);
  return order;
}

Split splitTrainValidation(int64_t n, int64_t validationCount, uint64_t seed) {
  std::vector<int64_t> order = seededPermutation(n, seed);
  validationCount = std::clamp<int64_t>(validationCount, 0, n);
  Split split;
  split.validation.assign(order.begin(), order.begin() + validationCount);
  split.train.assign(order.begin() + validationCount, order.end());
  std::sort(split.validation.begin(), split.validation.end());
  std::sort(split.train.begin(), split.train.end());
  return split;
}

std::vector<int64_t> shardForRank(const std::vector<int64_t> &order, int rank,
                                  int ranks, bool padToEqual) {
  int64_t n = int64_t(order.size());
  int64_t length = padToEqual && n > 0 ? (n + ranks - 1) / ranks * ranks : n;
  std::vector<int64_t> shard;
  for (int64_t i = rank; i < length; i += ranks)
    shard.push_back(order[i % n]);
  return shard;
}

} // namespace qnn::train
