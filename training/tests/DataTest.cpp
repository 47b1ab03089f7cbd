//===- DataTest.cpp - IDX readers, corrupt inputs, the split --------------===//

#include "Data.h"
#include "Ptl.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <unistd.h>

using namespace qnn::train;

namespace {

std::string tempPath(const std::string &name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("qnn-training-data-test-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

/// An IDX file of unsigned bytes with the given dimensions and data.
std::vector<uint8_t> idxBytes(const std::vector<uint32_t> &dims,
                              const std::vector<uint8_t> &data) {
  std::vector<uint8_t> bytes = {0, 0, 0x08, uint8_t(dims.size())};
  for (uint32_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8)
      bytes.push_back(uint8_t(d >> shift));
  bytes.insert(bytes.end(), data.begin(), data.end());
  return bytes;
}

void writeRaw(const std::string &path, const std::vector<uint8_t> &bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
}

void writeGzip(const std::string &path, const std::vector<uint8_t> &bytes) {
  gzFile file = gzopen(path.c_str(), "wb");
  gzwrite(file, bytes.data(), unsigned(bytes.size()));
  gzclose(file);
}

std::vector<uint8_t> fourImages() {
  std::vector<uint8_t> pixels(4 * 2 * 3);
  for (size_t i = 0; i < pixels.size(); ++i)
    pixels[i] = uint8_t(i * 7);
  return pixels;
}

} // namespace

TEST(IdxReader, ReadsRawAndGzipAlike) {
  auto bytes = idxBytes({4, 2, 3}, fourImages());
  writeRaw(tempPath("raw-idx3"), bytes);
  writeGzip(tempPath("gz-idx3.gz"), bytes);
  for (const char *name : {"raw-idx3", "gz-idx3.gz"}) {
    auto array = readIdx(tempPath(name));
    ASSERT_TRUE(array) << array.error();
    EXPECT_EQ(array->dims, (std::vector<int64_t>{4, 2, 3}));
    EXPECT_EQ(array->data, fourImages());
  }
}

TEST(IdxReader, MissingFileNamesIt) {
  auto array = readIdx(tempPath("does-not-exist"));
  ASSERT_FALSE(array);
  EXPECT_NE(array.error().find("does-not-exist"), std::string::npos);
  EXPECT_NE(array.error().find("not found"), std::string::npos);
}

TEST(IdxReader, WrongMagicNumber) {
  auto bytes = idxBytes({4, 2, 3}, fourImages());
  bytes[0] = 0x1f;
  writeRaw(tempPath("bad-magic"), bytes);
  auto array = readIdx(tempPath("bad-magic"));
  ASSERT_FALSE(array);
  EXPECT_NE(array.error().find("bad-magic: not an IDX file"), std::string::npos);
}

TEST(IdxReader, TruncatedAndTrailingData) {
  auto bytes = idxBytes({4, 2, 3}, fourImages());
  auto shorter = bytes;
  shorter.resize(bytes.size() - 5);
  writeGzip(tempPath("truncated.gz"), shorter);
  auto truncated = readIdx(tempPath("truncated.gz"));
  ASSERT_FALSE(truncated);
  EXPECT_NE(truncated.error().find("truncated.gz: truncated data"),
            std::string::npos)
      << truncated.error();
  bytes.push_back(0);
  writeRaw(tempPath("trailing"), bytes);
  auto trailing = readIdx(tempPath("trailing"));
  ASSERT_FALSE(trailing);
  EXPECT_NE(trailing.error().find("trailing data"), std::string::npos);
}

TEST(IdxReader, CorruptGzipStream) {
  auto bytes = idxBytes({4, 2, 3}, fourImages());
  writeGzip(tempPath("corrupt.gz"), bytes);
  // Cut the compressed stream in half: deflate data without its end.
  auto size = std::filesystem::file_size(tempPath("corrupt.gz"));
  std::filesystem::resize_file(tempPath("corrupt.gz"), size / 2);
  auto array = readIdx(tempPath("corrupt.gz"));
  ASSERT_FALSE(array);
  EXPECT_NE(array.error().find("corrupt.gz:"), std::string::npos)
      << array.error();
}

TEST(IdxReader, LabelOutOfRange) {
  writeRaw(tempPath("images"), idxBytes({4, 2, 3}, fourImages()));
  writeRaw(tempPath("labels"), idxBytes({4}, {1, 2, 12, 3}));
  auto set = readIdxImageSet(tempPath("images"), tempPath("labels"), 10);
  ASSERT_FALSE(set);
  EXPECT_NE(set.error().find("labels: label 12 at index 2 outside [0, 10)"),
            std::string::npos)
      << set.error();
}

TEST(IdxReader, CountMismatch) {
  writeRaw(tempPath("images"), idxBytes({4, 2, 3}, fourImages()));
  writeRaw(tempPath("labels3"), idxBytes({3}, {1, 2, 3}));
  auto set = readIdxImageSet(tempPath("images"), tempPath("labels3"), 10);
  ASSERT_FALSE(set);
  EXPECT_NE(set.error().find("3 labels for 4 images"), std::string::npos);
}

TEST(IdxReader, FashionMnistFromDebian) {
  const std::string dir = "/usr/share/datasets/fashion-mnist";
  if (!std::filesystem::exists(dir))
    GTEST_SKIP() << dir << " not installed (dataset-fashion-mnist)";
  auto data = readMnistDirectory(dir);
  ASSERT_TRUE(data) << data.error();
  EXPECT_EQ(data->train.count, 60000);
  EXPECT_EQ(data->test.count, 10000);
  EXPECT_EQ(data->train.rows, 28);
  EXPECT_EQ(data->train.cols, 28);
}

TEST(IdxReader, ImageShapeTheModelCannotTakeIsOneLine) {
  // 4 x 4 images: lenet5's second 5 x 5 convolution (unpadded) sees 2 x 2
  // after a pool.
  std::string dir = tempPath("tiny-mnist");
  std::filesystem::create_directories(dir);
  std::vector<uint8_t> pixels(8 * 16, 7), labels = {0, 1, 2, 3, 4, 5, 6, 7};
  for (const char *prefix : {"train", "t10k"}) {
    writeRaw(dir + "/" + prefix + "-images-idx3-ubyte",
             idxBytes({8, 4, 4}, pixels));
    writeRaw(dir + "/" + prefix + "-labels-idx1-ubyte", idxBytes({8}, labels));
  }
  TrainOptions o;
  o.model = "lenet5";
  o.dataDir = dir;
  o.outDir = tempPath("tiny-mnist-out");
  o.validationSize = 2;
  auto run = runTraining(o);
  ASSERT_FALSE(run);
  EXPECT_EQ(run.error(), "model lenet5 cannot take the 1x4x4 images of " +
                             dir + ": layer 1's output would be 16x0x0");
}

TEST(Split, DeterministicDisjointAndComplete) {
  Split a = splitTrainValidation(1000, 100, 7);
  Split b = splitTrainValidation(1000, 100, 7);
  Split c = splitTrainValidation(1000, 100, 8);
  EXPECT_EQ(a.train, b.train);
  EXPECT_EQ(a.validation, b.validation);
  EXPECT_NE(a.validation, c.validation);
  EXPECT_EQ(a.validation.size(), 100u);
  std::set<int64_t> all(a.train.begin(), a.train.end());
  all.insert(a.validation.begin(), a.validation.end());
  EXPECT_EQ(all.size(), 1000u);
}

TEST(Shard, RanksTogetherTakeOneRanksBatches) {
  std::vector<int64_t> order = seededPermutation(11, 5);
  const int ranks = 3;
  const size_t batch = 2;
  std::vector<std::vector<int64_t>> shards;
  for (int r = 0; r < ranks; ++r)
    shards.push_back(shardForRank(order, r, ranks, /*padToEqual=*/true));
  // 11 padded to 12: every rank 4 indices, the 12th is order[0] again.
  for (const auto &shard : shards)
    EXPECT_EQ(shard.size(), 4u);
  EXPECT_EQ(shards[2][3], order[0]);
  // Batch b of each rank together = positions [b*B*ranks, (b+1)*B*ranks).
  for (size_t b = 0; b < 2; ++b) {
    std::multiset<int64_t> together, single;
    for (const auto &shard : shards)
      together.insert(shard.begin() + b * batch, shard.begin() + (b + 1) * batch);
    for (size_t i = b * batch * ranks; i < (b + 1) * batch * ranks; ++i)
      single.insert(order[i % order.size()]);
    EXPECT_EQ(together, single) << "batch " << b;
  }
}

TEST(Shard, UnpaddedCoversEveryIndexOnce) {
  std::vector<int64_t> order = seededPermutation(10, 2);
  std::multiset<int64_t> all;
  for (int r = 0; r < 4; ++r) {
    auto shard = shardForRank(order, r, 4, /*padToEqual=*/false);
    EXPECT_EQ(shard.size(), r < 2 ? 3u : 2u);
    all.insert(shard.begin(), shard.end());
  }
  EXPECT_EQ(all, std::multiset<int64_t>(order.begin(), order.end()));
  EXPECT_TRUE(shardForRank({}, 0, 2, /*padToEqual=*/true).empty());
}
