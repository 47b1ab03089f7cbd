//===- ImageFolder.cpp - ImageNet-style class folders of JPEG/PNG files ---===//

#include "ImageFolder.h"

// jpeglib.h needs size_t and FILE declared first.
#include <cstddef>
#include <cstdio>

#include <jpeglib.h>
#include <png.h>

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <filesystem>

namespace qnn::train {

namespace fs = std::filesystem;

namespace {

/// libjpeg reports errors through a callback that must not return: jump
/// back to decodeJpeg with the message.
struct JpegErrors {
  jpeg_error_mgr manager;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX] = {0};
};

void onJpegError(j_common_ptr info) {
  auto *errors = reinterpret_cast<JpegErrors *>(info->err);
  (*info->err->format_message)(info, errors->message);
  std::longjmp(errors->jump, 1);
}

Expected<Image> decodeJpeg(const std::string &path,
                           const std::vector<uint8_t> &bytes, int channels) {
  jpeg_decompress_struct info;
  JpegErrors errors;
  info.err = jpeg_std_error(&errors.manager);
  errors.manager.error_exit = onJpegError;
  Image image; // before setjmp: the jump comes back to this frame
  if (setjmp(errors.jump)) {
    jpeg_destroy_decompress(&info);
    return Expected<Image>::failure(path + ": corrupt JPEG (" + errors.message +
                                    ")");
  }
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, bytes.data(), static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&info, TRUE);
  info.out_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_start_decompress(&info);
  image.rows = info.output_height;
  image.cols = info.output_width;
  image.channels = info.output_components;
  image.pixels.resize(size_t(image.rows * image.cols * image.channels));
  while (info.output_scanline < info.output_height) {
    JSAMPROW row = &image.pixels[size_t(info.output_scanline) * image.cols *
                                 image.channels];
    jpeg_read_scanlines(&info, &row, 1);
  }
  jpeg_finish_decompress(&info);
  // A truncated file is only a warning to libjpeg (it pads with grey).
  long warnings = errors.manager.num_warnings;
  jpeg_destroy_decompress(&info);
  if (warnings > 0)
    return Expected<Image>::failure(path + ": corrupt or truncated JPEG");
  return image;
}

Expected<Image> decodePng(const std::string &path,
                          const std::vector<uint8_t> &bytes, int channels) {
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  auto fail = [&] {
    std::string why = png.message;
    png_image_free(&png);
    return Expected<Image>::failure(path + ": corrupt PNG (" + why + ")");
  };
  if (!png_image_begin_read_from_memory(&png, bytes.data(), bytes.size()))
    return fail();
  // Alpha, if any, is composited onto black.
  png.format = channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
  Image image;
  image.rows = png.height;
  image.cols = png.width;
  image.channels = channels;
  image.pixels.resize(PNG_IMAGE_SIZE(png));
  if (!png_image_finish_read(&png, nullptr, image.pixels.data(), 0, nullptr))
    return fail();
  return image;
}

bool isImageFile(const fs::path &path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return extension == ".jpg" || extension == ".jpeg" || extension == ".png";
}

/// The sorted entries of dir that keep says to keep.
template <typename Keep>
std::vector<fs::path> sortedEntries(const fs::path &dir, Keep keep) {
  std::vector<fs::path> entries;
  for (const fs::directory_entry &entry : fs::directory_iterator(dir))
    if (keep(entry))
      entries.push_back(entry.path());
  std::sort(entries.begin(), entries.end());
  return entries;
}

} // namespace

Expected<Image> decodeImage(const std::string &path, int channels) {
  auto bytes = readAllBytes(path);
  if (!bytes)
    return Expected<Image>::failure(bytes.error());
  const std::vector<uint8_t> &b = *bytes;
  if (b.size() >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff)
    return decodeJpeg(path, b, channels);
  if (b.size() >= 8 && png_sig_cmp(b.data(), 0, 8) == 0)
    return decodePng(path, b, channels);
  return Expected<Image>::failure(path + ": neither a JPEG nor a PNG file");
}

Image resizeBilinear(const Image &image, int64_t rows, int64_t cols) {
  Image out;
  out.rows = rows;
  out.cols = cols;
  out.channels = image.channels;
  out.pixels.resize(size_t(rows * cols * image.channels));
  // Source coordinate of an output pixel centre, clamped to the image.
  auto source = [](int64_t i, int64_t in, int64_t outSize, int64_t &low,
                   int64_t &high, double &fraction) {
    double x = (double(i) + 0.5) * double(in) / double(outSize) - 0.5;
    x = std::clamp(x, 0.0, double(in - 1));
    low = int64_t(std::floor(x));
    high = std::min(low + 1, in - 1);
    fraction = x - double(low);
  };
  for (int64_t r = 0; r < rows; ++r) {
    int64_t r0, r1;
    double fr;
    source(r, image.rows, rows, r0, r1, fr);
    for (int64_t c = 0; c < cols; ++c) {
      int64_t c0, c1;
      double fc;
      source(c, image.cols, cols, c0, c1, fc);
      for (int64_t k = 0; k < image.channels; ++k) {
        auto at = [&](int64_t y, int64_t x) {
          return double(
              image.pixels[size_t((y * image.cols + x) * image.channels + k)]);
        };
        double top = at(r0, c0) * (1 - fc) + at(r0, c1) * fc;
        double bottom = at(r1, c0) * (1 - fc) + at(r1, c1) * fc;
        double value = top * (1 - fr) + bottom * fr;
        out.pixels[size_t((r * cols + c) * image.channels + k)] =
            uint8_t(std::clamp(std::floor(value + 0.5), 0.0, 255.0));
      }
    }
  }
  return out;
}

Image resizeAndCenterCrop(const Image &image, int64_t size) {
  int64_t shorter = int64_t(std::lround(double(size) * 256.0 / 224.0));
  bool tall = image.rows > image.cols;
  int64_t shortSide = tall ? image.cols : image.rows;
  int64_t longSide = tall ? image.rows : image.cols;
  int64_t longer = std::max(shorter, longSide * shorter / shortSide);
  Image resized =
      resizeBilinear(image, tall ? longer : shorter, tall ? shorter : longer);
  int64_t top = int64_t(std::lround((resized.rows - size) / 2.0));
  int64_t left = int64_t(std::lround((resized.cols - size) / 2.0));
  Image crop;
  crop.rows = crop.cols = size;
  crop.channels = resized.channels;
  for (int64_t r = 0; r < size; ++r) {
    auto begin = resized.pixels.begin() +
                 ((r + top) * resized.cols + left) * resized.channels;
    crop.pixels.insert(crop.pixels.end(), begin,
                       begin + size * resized.channels);
  }
  return crop;
}

Expected<ImageFolder> scanImageFolder(const std::string &root) {
  std::error_code error;
  if (!fs::is_directory(root, error))
    return Expected<ImageFolder>::failure(root + ": not a directory");
  std::vector<fs::path> classDirs = sortedEntries(
      root, [](const fs::directory_entry &e) { return e.is_directory(); });
  if (classDirs.empty())
    return Expected<ImageFolder>::failure(root + ": no class folders");
  if (classDirs.size() > 256)
    return Expected<ImageFolder>::failure(root + ": " +
                                          std::to_string(classDirs.size()) +
                                          " class folders (at most 256)");
  ImageFolder folder;
  for (const fs::path &dir : classDirs) {
    std::vector<fs::path> files =
        sortedEntries(dir, [](const fs::directory_entry &e) {
          return e.is_regular_file() && isImageFile(e.path());
        });
    if (files.empty())
      return Expected<ImageFolder>::failure(dir.string() +
                                            ": no .jpg, .jpeg or .png file");
    for (const fs::path &file : files) {
      folder.paths.push_back(file.string());
      folder.labels.push_back(uint8_t(folder.classes.size()));
    }
    folder.classes.push_back(dir.filename().string());
  }
  return folder;
}

namespace {

/// Every image of folder through decodeImage and resizeAndCenterCrop.
Expected<ImageSet> decodeFolder(const ImageFolder &folder, int64_t size,
                                int channels) {
  ImageSet set;
  set.count = int64_t(folder.paths.size());
  set.channels = channels;
  set.rows = set.cols = size;
  set.labels = folder.labels;
  set.pixels.reserve(size_t(set.count * channels * size * size));
  for (const std::string &path : folder.paths) {
    auto image = decodeImage(path, channels);
    if (!image)
      return Expected<ImageSet>::failure(image.error());
    Image crop = resizeAndCenterCrop(*image, size);
    // Interleaved rows x cols x channels to planar channels x rows x cols.
    for (int64_t k = 0; k < channels; ++k)
      for (int64_t i = 0; i < size * size; ++i)
        set.pixels.push_back(crop.pixels[size_t(i * channels + k)]);
  }
  return set;
}

} // namespace

bool isImageFolderDataset(const std::string &dir) {
  std::error_code error;
  return fs::is_directory(fs::path(dir) / "train", error);
}

Expected<Dataset> readImageFolderDataset(const std::string &root, int64_t size,
                                         int channels) {
  std::string trainDir = (fs::path(root) / "train").string();
  std::string valDir = (fs::path(root) / "val").string();
  auto trainFolder = scanImageFolder(trainDir);
  auto valFolder = scanImageFolder(valDir);
  for (auto *folder : {&trainFolder, &valFolder})
    if (!*folder)
      return Expected<Dataset>::failure(folder->error());
  if (trainFolder->classes != valFolder->classes)
    return Expected<Dataset>::failure(
        valDir + ": its class folders differ from " + trainDir + "'s");
  auto train = decodeFolder(*trainFolder, size, channels);
  if (!train)
    return Expected<Dataset>::failure(train.error());
  auto val = decodeFolder(*valFolder, size, channels);
  if (!val)
    return Expected<Dataset>::failure(val.error());
  return Dataset{std::move(*train), std::move(*val),
                 int(trainFolder->classes.size())};
}

} // namespace qnn::train
