//===- bench-batch-assembly.cpp - Batch assembly speed on one thread ------===//
//
// What one loader thread sustains: assembleBatch (gather, augment, convert)
// over 160 batches of 128 from 50 000 synthetic images, median of 5 passes,
// for Fashion-MNIST's shape without augmentation and CIFAR's with crop and
// flip. training/bench-loader.sh prints it beside the training throughput.
//
//===----------------------------------------------------------------------===//

#include "BatchLoader.h"
#include "Data.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

using namespace qnn::train;

namespace {

/// Median seconds of one pass over the epoch's batches.
double medianPassSeconds(const ImageView &view, const EpochBatches &epoch) {
  std::vector<double> seconds;
  volatile int64_t sink = 0; // keeps the batches observable
  for (int pass = 0; pass < 5; ++pass) {
    auto start = std::chrono::steady_clock::now();
    for (int64_t b = 0; b < epoch.batches(); ++b)
      sink = assembleBatch(view, epoch, b).labels.back();
    seconds.push_back(std::chrono::duration<double>(
                          std::chrono::steady_clock::now() - start)
                          .count());
  }
  (void)sink;
  std::sort(seconds.begin(), seconds.end());
  return seconds[seconds.size() / 2];
}

} // namespace

int main() {
  struct Config {
    const char *data, *augmentation;
    int64_t channels, size;
    Augmentation augment;
  };
  const int64_t images = 50000, batch = 128, batches = 160;
  std::printf("%-16s %-12s %12s %14s\n", "data", "augmentation", "images/s",
              "ms/batch-128");
  for (const Config &c : {Config{"fashion-mnist", "none", 1, 28, {}},
                          Config{"cifar-synthetic", "crop,flip", 3, 32,
                                 {4, true}}}) {
    int64_t bytes = c.channels * c.size * c.size;
    std::vector<uint8_t> pixels(size_t(images * bytes));
    for (size_t i = 0; i < pixels.size(); ++i)
      pixels[i] = uint8_t((i * 2654435761u) >> 24);
    std::vector<int64_t> labels(size_t(images), 3);
    ImageView view{pixels.data(), labels.data(), images,
                   c.channels,    c.size,        c.size};
    EpochBatches epoch;
    epoch.indices = seededPermutation(images, 1);
    epoch.indices.resize(size_t(batch * batches));
    epoch.batchSize = batch;
    epoch.augmentation = c.augment;
    epoch.augmentSeed = 5;
    for (int v = 0; v < 256; ++v)
      epoch.pixelValue[size_t(v)] = float(v) / 255.0f;
    double seconds = medianPassSeconds(view, epoch);
    std::printf("%-16s %-12s %12.0f %14.3f\n", c.data, c.augmentation,
                double(batch * batches) / seconds, 1e3 * seconds / batches);
  }
  std::printf("(one thread; median of 5 passes over %lld batches of %lld)\n",
              (long long)batches, (long long)batch);
  return 0;
}
