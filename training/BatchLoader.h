//===- BatchLoader.h - Training batches, assembled ahead on worker threads ===//
//
// A batch is gathered from the training images, augmented (Augment.h) and
// converted to the network's float input. The training loop asks for the
// batches in order; with workers, the next few are assembled on worker
// threads while the current one trains (a bounded queue), and each batch is
// exactly the one assembleBatch makes on the calling thread: every batch
// and every image's augmentation is a pure function of its position. No
// LibTorch: the workers never touch the intra-op thread pool.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_TRAINING_BATCHLOADER_H
#define QNN_TRAINING_BATCHLOADER_H

#include "Augment.h"

#include <array>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace qnn::train {

/// Images uint8 [count, channels, rows, cols] and their labels, not owned.
struct ImageView {
  const uint8_t *pixels = nullptr;
  const int64_t *labels = nullptr;
  int64_t count = 0, channels = 0, rows = 0, cols = 0;
  int64_t imageBytes() const { return channels * rows * cols; }
};

/// One rank's batches of one epoch.
struct EpochBatches {
  std::vector<int64_t> indices; // this rank's share of the epoch's order
  int64_t batchSize = 1;
  /// indices[i] is at position firstPosition + i * positionStride of the
  /// epoch's order (rank, ranks: shardForRank's dealing), the position
  /// that draws the image's augmentation.
  int64_t firstPosition = 0, positionStride = 1;
  Augmentation augmentation;
  uint64_t augmentSeed = 0;
  /// The network input of each pixel value 0..255 (the caller's exact
  /// conversion, looked up).
  std::array<float, 256> pixelValue{};
  int64_t batches() const {
    return (int64_t(indices.size()) + batchSize - 1) / batchSize;
  }
};

struct Batch {
  int64_t size = 0;
  std::vector<float> images; // [size, channels, rows, cols]
  std::vector<int64_t> labels;
};

/// Batch b of the epoch, on the calling thread.
Batch assembleBatch(const ImageView &images, const EpochBatches &epoch,
                    int64_t b);

/// Hands out an epoch's batches in order. With workers > 0 that many threads
/// assemble up to `depth` batches ahead; with 0, next() assembles on the
/// calling thread. Destroying the loader early (an error, an early stop)
/// stops and joins the workers.
class BatchLoader {
public:
  BatchLoader(ImageView images, EpochBatches epoch, int workers, int depth);
  ~BatchLoader();
  BatchLoader(const BatchLoader &) = delete;
  BatchLoader &operator=(const BatchLoader &) = delete;

  /// The next batch, or nothing after the last.
  std::optional<Batch> next();

private:
  void work();

  const ImageView images_;
  const EpochBatches epoch_;
  const int64_t depth_;
  std::mutex mutex_;
  std::condition_variable assembled_, taken_;
  std::vector<std::optional<Batch>> slots_; // batch b in slot b % depth
  int64_t nextToClaim_ = 0, nextToHand_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

} // namespace qnn::train

#endif // QNN_TRAINING_BATCHLOADER_H
