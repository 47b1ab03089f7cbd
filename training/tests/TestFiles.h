//===- TestFiles.h - Temporary directories and PNG files for the tests ----===//

#ifndef QNN_TRAINING_TESTS_TESTFILES_H
#define QNN_TRAINING_TESTS_TESTFILES_H

#include "ImageFolder.h"

#include <gtest/gtest.h>
#include <png.h>

#include <filesystem>
#include <string>
#include <unistd.h>

namespace qnn::train::testing {

/// An empty directory `name-<pid>` under the temporary directory: other
/// checkouts may run the same tests at the same time.
inline std::filesystem::path freshDirectory(const std::string &name) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              (name + "-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

/// Writes a gray or RGB image as PNG (lossless).
inline void writePng(const std::filesystem::path &path, const Image &image) {
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  png.width = png_uint_32(image.cols);
  png.height = png_uint_32(image.rows);
  png.format = image.channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
  ASSERT_TRUE(png_image_write_to_file(&png, path.c_str(), 0,
                                      image.pixels.data(), 0, nullptr))
      << png.message;
}

} // namespace qnn::train::testing

#endif // QNN_TRAINING_TESTS_TESTFILES_H
