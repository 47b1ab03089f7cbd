//===- ImageFolderTest.cpp - JPEG/PNG decoding, resize, image folders -----===//

#include "ImageFolder.h"
#include "Ptl.h"
#include "TestFiles.h"

#include <cstddef>
#include <cstdio>

#include <gtest/gtest.h>
#include <jpeglib.h>

#include <filesystem>
#include <fstream>

using namespace qnn::train;
using namespace qnn::train::testing;
namespace fs = std::filesystem;

namespace {

/// rows x cols RGB pixels, pixel (r, c) = (10 r + c, 100 + c, 200 - r).
Image pattern(int64_t rows, int64_t cols) {
  Image image{rows, cols, 3, {}};
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      for (int value : {int(10 * r + c), int(100 + c), int(200 - r)})
        image.pixels.push_back(uint8_t(value));
  return image;
}

void writeJpeg(const fs::path &path, const Image &image) {
  jpeg_compress_struct info;
  jpeg_error_mgr errors;
  info.err = jpeg_std_error(&errors);
  jpeg_create_compress(&info);
  FILE *file = std::fopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  jpeg_stdio_dest(&info, file);
  info.image_width = JDIMENSION(image.cols);
  info.image_height = JDIMENSION(image.rows);
  info.input_components = int(image.channels);
  info.in_color_space = image.channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, 100, TRUE);
  jpeg_start_compress(&info, TRUE);
  while (info.next_scanline < info.image_height) {
    JSAMPROW row = const_cast<uint8_t *>(
        &image
             .pixels[size_t(info.next_scanline) * image.cols * image.channels]);
    jpeg_write_scanlines(&info, &row, 1);
  }
  jpeg_finish_compress(&info);
  jpeg_destroy_compress(&info);
  std::fclose(file);
}

} // namespace

TEST(ImageDecode, PngIsExactInRgbAndGray) {
  fs::path dir = freshDirectory("qnn-image-png");
  Image image = pattern(3, 4);
  writePng(dir / "a.png", image);
  auto rgb = decodeImage((dir / "a.png").string(), 3);
  ASSERT_TRUE(rgb) << rgb.error();
  EXPECT_EQ(rgb->rows, 3);
  EXPECT_EQ(rgb->cols, 4);
  EXPECT_EQ(rgb->pixels, image.pixels);
  auto gray = decodeImage((dir / "a.png").string(), 1);
  ASSERT_TRUE(gray) << gray.error();
  EXPECT_EQ(gray->channels, 1);
  EXPECT_EQ(gray->pixels.size(), 12u);
}

TEST(ImageDecode, JpegIsCloseAndRecognisedBySignature) {
  fs::path dir = freshDirectory("qnn-image-jpeg");
  Image image{8, 8, 3, std::vector<uint8_t>(8 * 8 * 3, 0)};
  for (size_t i = 0; i < image.pixels.size(); i += 3) {
    image.pixels[i] = 200;
    image.pixels[i + 1] = 40;
    image.pixels[i + 2] = 90;
  }
  writeJpeg(dir / "named.png", image); // a JPEG whatever its name says
  auto decoded = decodeImage((dir / "named.png").string(), 3);
  ASSERT_TRUE(decoded) << decoded.error();
  ASSERT_EQ(decoded->pixels.size(), image.pixels.size());
  for (size_t i = 0; i < image.pixels.size(); ++i)
    EXPECT_NEAR(decoded->pixels[i], image.pixels[i], 3) << i;
}

TEST(ImageDecode, CorruptFilesNameThemselves) {
  fs::path dir = freshDirectory("qnn-image-corrupt");
  writeJpeg(dir / "whole.jpg", pattern(16, 16));
  std::ifstream in(dir / "whole.jpg", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  std::ofstream(dir / "cut.jpg", std::ios::binary)
      << bytes.substr(0, bytes.size() / 2);
  std::ofstream(dir / "text.png") << "not an image";
  std::ofstream(dir / "badpng.png", std::ios::binary)
      << std::string("\x89PNG\r\n\x1a\n", 8) << "garbage after the signature";
  for (std::string name :
       {"cut.jpg", "text.png", "badpng.png", "missing.jpg"}) {
    auto decoded = decodeImage((dir / name).string(), 3);
    ASSERT_FALSE(decoded) << name;
    EXPECT_NE(decoded.error().find((dir / name).string() + ": "),
              std::string::npos)
        << decoded.error();
  }
}

TEST(ImageResize, BilinearAndCenterCrop) {
  // 1 x 2 gray [0, 100] to 1 x 4: centres at -0.25, 0.25, 0.75, 1.25.
  Image row{1, 2, 1, {0, 100}};
  EXPECT_EQ(resizeBilinear(row, 1, 4).pixels,
            std::vector<uint8_t>({0, 25, 75, 100}));
  Image image = pattern(5, 7);
  EXPECT_EQ(resizeBilinear(image, 5, 7).pixels, image.pixels);
  // 40 x 60 to size 28: shorter side 32 (28 * 256 / 224), so 32 x 48, then
  // the central 28 x 28.
  Image big = pattern(40, 60);
  Image crop = resizeAndCenterCrop(big, 28);
  EXPECT_EQ(crop.rows, 28);
  EXPECT_EQ(crop.cols, 28);
  EXPECT_EQ(crop.pixels.size(), 28u * 28u * 3u);
  Image resized = resizeBilinear(big, 32, 48);
  // Crop offset (2, 10): pixel (0, 0) of the crop is (2, 10) resized.
  for (int k = 0; k < 3; ++k)
    EXPECT_EQ(crop.pixels[size_t(k)],
              resized.pixels[size_t((2 * 48 + 10) * 3 + k)]);
}

TEST(ImageFolderDataset, ReadsClassFoldersInNameOrder) {
  fs::path root = freshDirectory("qnn-image-folder");
  for (std::string split : {"train", "val"})
    for (std::string cls : {"dog", "cat"})
      fs::create_directories(root / split / cls);
  writePng(root / "train/cat/b.png", pattern(10, 12));
  writeJpeg(root / "train/cat/a.JPG", pattern(12, 10));
  writePng(root / "train/dog/c.png", pattern(9, 9));
  std::ofstream(root / "train/dog/notes.txt") << "ignored";
  writePng(root / "val/cat/v.png", pattern(9, 9));
  writeJpeg(root / "val/dog/w.jpeg", pattern(9, 9));
  EXPECT_TRUE(isImageFolderDataset(root.string()));

  auto folder = scanImageFolder((root / "train").string());
  ASSERT_TRUE(folder) << folder.error();
  EXPECT_EQ(folder->classes, std::vector<std::string>({"cat", "dog"}));
  ASSERT_EQ(folder->paths.size(), 3u);
  EXPECT_EQ(fs::path(folder->paths[0]).filename(), "a.JPG");
  EXPECT_EQ(folder->labels, std::vector<uint8_t>({0, 0, 1}));

  auto data = readImageFolderDataset(root.string(), 8, 1);
  ASSERT_TRUE(data) << data.error();
  EXPECT_EQ(data->numClasses, 2);
  EXPECT_EQ(data->train.count, 3);
  EXPECT_EQ(data->train.channels, 1);
  EXPECT_EQ(data->train.rows, 8);
  EXPECT_EQ(data->train.pixels.size(), 3u * 8u * 8u);
  EXPECT_EQ(data->test.labels, std::vector<uint8_t>({0, 1}));
}

TEST(ImageFolderDataset, LayoutErrors) {
  fs::path root = freshDirectory("qnn-image-folder-bad");
  fs::create_directories(root / "train/cat");
  fs::create_directories(root / "val/cat");
  auto empty = readImageFolderDataset(root.string(), 8, 1);
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().find("train/cat: no .jpg, .jpeg or .png file"),
            std::string::npos)
      << empty.error();
  writePng(root / "train/cat/a.png", pattern(4, 4));
  fs::create_directories(root / "val/cow");
  writePng(root / "val/cat/a.png", pattern(4, 4));
  writePng(root / "val/cow/a.png", pattern(4, 4));
  auto mismatch = readImageFolderDataset(root.string(), 8, 1);
  ASSERT_FALSE(mismatch);
  EXPECT_NE(mismatch.error().find("class folders differ"), std::string::npos)
      << mismatch.error();
  EXPECT_FALSE(isImageFolderDataset((root / "train/cat").string()));
  auto missing = readImageFolderDataset((root / "nowhere").string(), 8, 1);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("nowhere/train: not a directory"),
            std::string::npos)
      << missing.error();
}

TEST(ImageFolderDataset, QnnTrainRunsOnAnImageFolder) {
  // Ten classes of small RGB images, decoded to the model's 1 x 28 x 28
  // input.
  fs::path root = freshDirectory("qnn-image-folder-train");
  for (int c = 0; c < 10; ++c)
    for (int i = 0; i < 4; ++i) {
      std::string split = i < 3 ? "train" : "val";
      fs::path dir = root / split / ("class" + std::to_string(c));
      fs::create_directories(dir);
      Image image = pattern(20 + i, 24);
      for (uint8_t &p : image.pixels)
        p = uint8_t(p + 23 * c);
      writePng(dir / (std::to_string(i) + ".png"), image);
    }
  TrainOptions o;
  o.dataDir = root.string();
  o.outDir = (root / "out").string();
  o.validationSize = 10;
  o.teacherEpochs = o.layerEpochs = o.finetuneEpochs = 1;
  o.batchSize = 8;
  o.threads = 1;
  o.showProgress = false;
  auto report = runTraining(o);
  ASSERT_TRUE(report) << report.error();
  EXPECT_TRUE(report->finished);
  EXPECT_TRUE(fs::exists(root / "out/summary.txt"));

  // Nine class folders: a nine-way classifier (the folders decide the
  // classes, as IDX and CIFAR data do).
  fs::remove_all(root / "train/class9");
  fs::remove_all(root / "val/class9");
  auto nine = runTraining(o);
  ASSERT_TRUE(nine) << nine.error();
  std::ifstream module(root / "out/student.mlir");
  std::string text((std::istreambuf_iterator<char>(module)),
                   std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("-> tensor<1x9xi32>"), std::string::npos);
}
