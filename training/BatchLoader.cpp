//===- BatchLoader.cpp - Training batches, assembled ahead on worker threads =//

#include "BatchLoader.h"

#include <algorithm>

namespace qnn::train {

Batch assembleBatch(const ImageView &images, const EpochBatches &epoch,
                    int64_t b) {
  int64_t first = b * epoch.batchSize;
  Batch batch;
  batch.size =
      std::min<int64_t>(epoch.batchSize, int64_t(epoch.indices.size()) - first);
  const int64_t bytes = images.imageBytes();
  batch.images.resize(size_t(batch.size * bytes));
  batch.labels.resize(size_t(batch.size));
  std::vector<uint8_t> augmented(epoch.augmentation.any() ? size_t(bytes) : 0);
  for (int64_t i = 0; i < batch.size; ++i) {
    int64_t index = epoch.indices[size_t(first + i)];
    const uint8_t *pixels = images.pixels + index * bytes;
    if (epoch.augmentation.any()) {
      int64_t position =
          epoch.firstPosition + (first + i) * epoch.positionStride;
      augmentImage(pixels, augmented.data(), images.channels, images.rows,
                   images.cols,
                   drawAugmentation(epoch.augmentation, epoch.augmentSeed,
                                    position));
      pixels = augmented.data();
    }
    float *out = batch.images.data() + i * bytes;
    for (int64_t p = 0; p < bytes; ++p)
      out[p] = epoch.pixelValue[pixels[p]];
    batch.labels[size_t(i)] = images.labels[index];
  }
  return batch;
}

BatchLoader::BatchLoader(ImageView images, EpochBatches epoch, int workers,
                         int depth)
    : images_(images), epoch_(std::move(epoch)),
      depth_(std::max(1, depth)), slots_(size_t(depth_)) {
  for (int w = 0; w < workers; ++w)
    workers_.emplace_back([this] { work(); });
}

BatchLoader::~BatchLoader() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  taken_.notify_all();
  for (std::thread &worker : workers_)
    worker.join();
}

void BatchLoader::work() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    // A slot is free once the batch depth places earlier was handed out.
    taken_.wait(lock, [&] {
      return stopping_ || nextToClaim_ >= epoch_.batches() ||
             nextToClaim_ < nextToHand_ + depth_;
    });
    if (stopping_ || nextToClaim_ >= epoch_.batches())
      return;
    int64_t b = nextToClaim_++;
    lock.unlock();
    Batch batch = assembleBatch(images_, epoch_, b);
    lock.lock();
    slots_[size_t(b % depth_)] = std::move(batch);
    assembled_.notify_all();
  }
}

std::optional<Batch> BatchLoader::next() {
  if (nextToHand_ >= epoch_.batches())
    return std::nullopt;
  if (workers_.empty())
    return assembleBatch(images_, epoch_, nextToHand_++);
  std::unique_lock<std::mutex> lock(mutex_);
  std::optional<Batch> &slot = slots_[size_t(nextToHand_ % depth_)];
  assembled_.wait(lock, [&] { return slot.has_value(); });
  std::optional<Batch> batch = std::move(slot);
  slot.reset();
  ++nextToHand_;
  taken_.notify_all();
  return batch;
}

} // namespace qnn::train
