//===- Cifar.cpp - The CIFAR-10 and CIFAR-100 binary formats --------------===//

#include "Cifar.h"

namespace qnn::train {

const CifarFormat &cifar10Format() {
  static const CifarFormat format{
      "CIFAR-10",
      {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
       "data_batch_4.bin", "data_batch_5.bin"},
      {"test_batch.bin"},
      /*labelBytes=*/1,
      /*numClasses=*/10};
  return format;
}

const CifarFormat &cifar100Format() {
  static const CifarFormat format{"CIFAR-100", {"train.bin"}, {"test.bin"},
                                  /*labelBytes=*/2, /*numClasses=*/100};
  return format;
}

namespace {

/// The coarse label of CIFAR-100 has its own, smaller range.
int classesOfLabelByte(const CifarFormat &format, int byte) {
  const int cifar100CoarseClasses = 20;
  return byte + 1 < format.labelBytes ? cifar100CoarseClasses
                                      : format.numClasses;
}

} // namespace

Expected<bool> appendCifarFile(const std::string &path,
                               const CifarFormat &format, ImageSet &set) {
  auto bytes = readAllBytes(path);
  if (!bytes)
    return Expected<bool>::failure(bytes.error());
  const size_t record = size_t(format.labelBytes + kCifarImageBytes);
  if (bytes->empty())
    return Expected<bool>::failure(path + ": empty file");
  if (bytes->size() % record != 0)
    return Expected<bool>::failure(
        path + ": truncated or not " + format.name + ": " +
        std::to_string(bytes->size()) + " bytes is not a whole number of " +
        std::to_string(record) + "-byte records");
  size_t records = bytes->size() / record;
  set.channels = 3;
  set.rows = set.cols = 32;
  set.pixels.reserve(set.pixels.size() + records * kCifarImageBytes);
  for (size_t r = 0; r < records; ++r) {
    const uint8_t *at = bytes->data() + r * record;
    for (int byte = 0; byte < format.labelBytes; ++byte) {
      int classes = classesOfLabelByte(format, byte);
      if (at[byte] >= classes)
        return Expected<bool>::failure(
            path + ": label " + std::to_string(at[byte]) + " of record " +
            std::to_string(r) + " outside [0, " + std::to_string(classes) +
            ")");
    }
    set.labels.push_back(at[format.labelBytes - 1]);
    set.pixels.insert(set.pixels.end(), at + format.labelBytes, at + record);
  }
  set.count += int64_t(records);
  return true;
}

const CifarFormat *detectCifarFormat(const std::string &dir) {
  for (const CifarFormat *format : {&cifar10Format(), &cifar100Format()})
    for (const auto *files : {&format->trainFiles, &format->testFiles})
      for (const std::string &file : *files)
        if (fileExists(dir + "/" + file))
          return format;
  return nullptr;
}

Expected<Dataset> readCifarDirectory(const std::string &dir) {
  const CifarFormat *format = detectCifarFormat(dir);
  if (!format)
    return Expected<Dataset>::failure(dir + ": no CIFAR-10 or CIFAR-100 files");
  Dataset dataset;
  dataset.numClasses = format->numClasses;
  for (auto [files, set] : {std::pair{&format->trainFiles, &dataset.train},
                            std::pair{&format->testFiles, &dataset.test}})
    for (const std::string &file : *files) {
      auto read = appendCifarFile(dir + "/" + file, *format, *set);
      if (!read)
        return Expected<Dataset>::failure(read.error());
    }
  return dataset;
}

} // namespace qnn::train
