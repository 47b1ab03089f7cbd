//===- LayerDumpTest.cpp - The training side's per-layer dump writer ------===//
//
// The bytes must be those of the compiler's writer (lib/Reference/
// LayerDump.cpp, Npy.cpp); test/Training/layer-dump.test compares the two
// writers' dumps of the same model file by file.
//
//===----------------------------------------------------------------------===//

#include "LayerDump.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace qnn::train;

namespace {

std::string freshDir(const std::string &name) {
  auto dir = std::filesystem::temp_directory_path() / "qnn-dump-test" / name;
  std::filesystem::remove_all(dir);
  return dir.string();
}

std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
}

/// A .npy header as NumPy writes it: padded to 64 bytes, ending in '\n'.
std::string npyHeader(const std::string &dict) {
  std::string padded = dict;
  while ((10 + padded.size() + 1) % 64)
    padded += ' ';
  padded += '\n';
  return std::string("\x93NUMPY\x01\x00", 8) + char(padded.size() & 0xff) +
         char(padded.size() >> 8) + padded;
}

} // namespace

TEST(LayerDump, IndexAndNpyFiles) {
  std::string dir = freshDir("two");
  auto writer = LayerDumpWriter::create(dir);
  ASSERT_TRUE(writer) << writer.error();
  ASSERT_TRUE(writer->write("arg0", "argument", "ui8", {1, 2}, {0, 255}));
  ASSERT_TRUE(writer->write("layer0.linear", "qnn.matmul", "i32", {1, 2},
                            {-1, 70000}));
  ASSERT_TRUE(writer->write("layer0.rescale", "qnn.rescale", "ui4", {3}, {0, 7, 15}));
  EXPECT_EQ(readFile(dir + "/layers.txt"),
            "# qnn-mlir layer dump (docs/tools.md): order name op type; the "
            "values of each layer in <order>_<name>.npy\n"
            "0 arg0 argument tensor<1x2xui8>\n"
            "1 layer0.linear qnn.matmul tensor<1x2xi32>\n"
            "2 layer0.rescale qnn.rescale tensor<3xui4>\n");
  EXPECT_EQ(readFile(dir + "/000_arg0.npy"),
            npyHeader("{'descr': '|u1', 'fortran_order': False, 'shape': (1, 2), }") +
                std::string("\x00\xff", 2));
  EXPECT_EQ(readFile(dir + "/001_layer0.linear.npy"),
            npyHeader("{'descr': '<i4', 'fortran_order': False, 'shape': (1, 2), }") +
                std::string("\xff\xff\xff\xff\x70\x11\x01\x00", 8));
  EXPECT_EQ(readFile(dir + "/002_layer0.rescale.npy"),
            npyHeader("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }") +
                std::string("\x00\x07\x0f", 3));
}

TEST(LayerDump, RefusesWhatTheFormatCannotHold) {
  auto writer = LayerDumpWriter::create(freshDir("bad"));
  ASSERT_TRUE(writer) << writer.error();
  auto outOfRange = writer->write("a", "argument", "ui4", {2}, {3, 16});
  ASSERT_FALSE(outOfRange);
  EXPECT_EQ(outOfRange.error(), "layer 'a': value 16 does not fit ui4");
  auto count = writer->write("a", "argument", "i8", {2, 2}, {1});
  ASSERT_FALSE(count);
  EXPECT_EQ(count.error(), "layer 'a': 1 values for shape tensor<2x2xi8>");
  auto element = writer->write("a", "argument", "f32", {1}, {1});
  ASSERT_FALSE(element);
  EXPECT_EQ(element.error(), "layer 'a': 'f32' is not an integer element type");
  auto dir = LayerDumpWriter::create("/proc/qnn-no-such-dir");
  EXPECT_FALSE(dir);
}
