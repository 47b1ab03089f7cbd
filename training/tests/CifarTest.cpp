//===- CifarTest.cpp - CIFAR-10/100 binary readers, corrupt files ---------===//
//
// Real CIFAR cannot be downloaded here (no network, no Debian package): the
// files are generated, record by record, in the distributed layout.
//
//===----------------------------------------------------------------------===//

#include "Cifar.h"
#include "TestFiles.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace qnn::train;
using namespace qnn::train::testing;
namespace fs = std::filesystem;

namespace {

/// Pixel p of image `image`: distinct per image and position.
uint8_t pixelOf(int image, int p) { return uint8_t(image * 31 + p * 7); }

/// Records whose labels are `labels` (one byte each, or coarse then fine),
/// image i with the pixels pixelOf(firstImage + i, ...).
std::vector<uint8_t> records(const std::vector<std::vector<uint8_t>> &labels,
                             int firstImage) {
  std::vector<uint8_t> bytes;
  for (size_t i = 0; i < labels.size(); ++i) {
    bytes.insert(bytes.end(), labels[i].begin(), labels[i].end());
    for (int p = 0; p < kCifarImageBytes; ++p)
      bytes.push_back(pixelOf(firstImage + int(i), p));
  }
  return bytes;
}

void writeFile(const fs::path &path, const std::vector<uint8_t> &bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char *>(bytes.data()),
             std::streamsize(bytes.size()));
}

/// cifar-10-batches-bin: two images in data_batch_1, one in each other
/// batch (labels 0..5), two test images.
fs::path cifar10Dir(const std::string &name) {
  fs::path dir = freshDirectory("qnn-cifar-" + name);
  writeFile(dir / "data_batch_1.bin", records({{0}, {9}}, 0));
  for (int b = 2; b <= 5; ++b)
    writeFile(dir / ("data_batch_" + std::to_string(b) + ".bin"),
              records({{uint8_t(b)}}, b));
  writeFile(dir / "test_batch.bin", records({{3}, {7}}, 100));
  return dir;
}

fs::path cifar100Dir(const std::string &name) {
  fs::path dir = freshDirectory("qnn-cifar-" + name);
  writeFile(dir / "train.bin", records({{19, 99}, {0, 42}, {5, 0}}, 0));
  writeFile(dir / "test.bin", records({{1, 57}}, 100));
  return dir;
}

std::string errorOf(const fs::path &dir) {
  auto data = readCifarDirectory(dir.string());
  EXPECT_FALSE(data);
  return data ? "" : data.error();
}

} // namespace

TEST(CifarReader, ReadsCifar10AsDistributed) {
  fs::path dir = cifar10Dir("ten");
  EXPECT_EQ(detectCifarFormat(dir.string()), &cifar10Format());
  auto data = readCifarDirectory(dir.string());
  ASSERT_TRUE(data) << data.error();
  EXPECT_EQ(data->numClasses, 10);
  EXPECT_EQ(data->train.count, 6);
  EXPECT_EQ(data->test.count, 2);
  for (const ImageSet *set : {&data->train, &data->test}) {
    EXPECT_EQ(set->channels, 3);
    EXPECT_EQ(set->rows, 32);
    EXPECT_EQ(set->cols, 32);
  }
  EXPECT_EQ(data->train.labels, (std::vector<uint8_t>{0, 9, 2, 3, 4, 5}));
  EXPECT_EQ(data->test.labels, (std::vector<uint8_t>{3, 7}));
  // Files in order, records in order, the 3072 bytes as [C, H, W]: the
  // green plane of the third image (data_batch_2's) at row 5, column 6.
  int64_t at = 2 * kCifarImageBytes + 1 * 1024 + 5 * 32 + 6;
  EXPECT_EQ(data->train.pixels[at], pixelOf(2, 1024 + 5 * 32 + 6));
  EXPECT_EQ(data->test.pixels.back(), pixelOf(101, kCifarImageBytes - 1));
}

TEST(CifarReader, ReadsCifar100FineLabels) {
  fs::path dir = cifar100Dir("hundred");
  EXPECT_EQ(detectCifarFormat(dir.string()), &cifar100Format());
  auto data = readCifarDirectory(dir.string());
  ASSERT_TRUE(data) << data.error();
  EXPECT_EQ(data->numClasses, 100);
  EXPECT_EQ(data->train.labels, (std::vector<uint8_t>{99, 42, 0}));
  EXPECT_EQ(data->test.labels, (std::vector<uint8_t>{57}));
  EXPECT_EQ(data->train.pixels[kCifarImageBytes], pixelOf(1, 0));
}

TEST(CifarReader, OtherDirectoriesAreNotCifar) {
  fs::path dir = freshDirectory("qnn-cifar-other");
  writeFile(dir / "train-images-idx3-ubyte", {0, 0, 8, 1, 0, 0, 0, 0});
  EXPECT_EQ(detectCifarFormat(dir.string()), nullptr);
  EXPECT_NE(errorOf(dir).find("no CIFAR-10 or CIFAR-100 files"),
            std::string::npos);
}

TEST(CifarReader, MissingFileIsNamed) {
  fs::path dir = cifar10Dir("missing");
  fs::remove(dir / "data_batch_4.bin");
  std::string error = errorOf(dir);
  EXPECT_NE(error.find("data_batch_4.bin: file not found"), std::string::npos)
      << error;
}

TEST(CifarReader, TruncatedFileIsNamed) {
  fs::path dir = cifar10Dir("truncated");
  fs::resize_file(dir / "data_batch_1.bin", 2 * 3073 - 100);
  std::string error = errorOf(dir);
  EXPECT_NE(error.find("data_batch_1.bin: truncated or not CIFAR-10: 6046 "
                       "bytes is not a whole number of 3073-byte records"),
            std::string::npos)
      << error;
}

TEST(CifarReader, WrongRecordSize) {
  // CIFAR-100's 3074-byte records where CIFAR-10's 3073-byte ones belong.
  fs::path dir = cifar10Dir("record-size");
  writeFile(dir / "test_batch.bin", records({{0, 3}, {1, 4}}, 0));
  std::string error = errorOf(dir);
  EXPECT_NE(error.find("test_batch.bin: truncated or not CIFAR-10: 6148 bytes"),
            std::string::npos)
      << error;
}

TEST(CifarReader, EmptyFileIsNamed) {
  fs::path dir = cifar100Dir("empty");
  writeFile(dir / "test.bin", {});
  std::string error = errorOf(dir);
  EXPECT_NE(error.find("test.bin: empty file"), std::string::npos) << error;
}

TEST(CifarReader, LabelOutOfRange) {
  fs::path ten = cifar10Dir("label10");
  writeFile(ten / "data_batch_5.bin", records({{1}, {10}}, 0));
  EXPECT_NE(errorOf(ten).find(
                "data_batch_5.bin: label 10 of record 1 outside [0, 10)"),
            std::string::npos)
      << errorOf(ten);
  fs::path fine = cifar100Dir("fine100");
  writeFile(fine / "train.bin", records({{0, 100}}, 0));
  EXPECT_NE(errorOf(fine).find("train.bin: label 100 of record 0 outside "
                               "[0, 100)"),
            std::string::npos)
      << errorOf(fine);
  fs::path coarse = cifar100Dir("coarse20");
  writeFile(coarse / "test.bin", records({{1, 5}, {2, 6}, {20, 7}}, 0));
  EXPECT_NE(errorOf(coarse).find("test.bin: label 20 of record 2 outside "
                                 "[0, 20)"),
            std::string::npos)
      << errorOf(coarse);
}
