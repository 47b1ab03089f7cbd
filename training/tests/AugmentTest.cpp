//===- AugmentTest.cpp - Crop and flip, batches, the threaded loader ------===//

#include "BatchLoader.h"
#include "Data.h"

#include <gtest/gtest.h>

#include <set>

using namespace qnn::train;

namespace {

/// A 2-channel 5 x 4 image whose pixel (c, y, x) is 1 + 40 c + 5 y + x:
/// every value distinct and nonzero, so a zero is padding.
std::vector<uint8_t> ramp() {
  std::vector<uint8_t> image;
  for (int c = 0; c < 2; ++c)
    for (int y = 0; y < 5; ++y)
      for (int x = 0; x < 4; ++x)
        image.push_back(uint8_t(1 + 40 * c + 5 * y + x));
  return image;
}

uint8_t at(const std::vector<uint8_t> &image, int c, int y, int x) {
  return image[size_t((c * 5 + y) * 4 + x)];
}

std::vector<uint8_t> augmented(const AugmentDraw &draw) {
  std::vector<uint8_t> in = ramp(), out(in.size(), 77);
  augmentImage(in.data(), out.data(), 2, 5, 4, draw);
  return out;
}

} // namespace

TEST(Augment, NoDrawIsIdentity) { EXPECT_EQ(augmented({}), ramp()); }

TEST(Augment, CropShiftsPixelsAndFillsZeros) {
  // Window 2 rows down, 1 column left of the image: out(y, x) = in(y+2, x-1).
  std::vector<uint8_t> in = ramp(), out = augmented({2, -1, false});
  for (int c = 0; c < 2; ++c)
    for (int y = 0; y < 5; ++y)
      for (int x = 0; x < 4; ++x) {
        bool inside = y + 2 < 5 && x - 1 >= 0;
        EXPECT_EQ(at(out, c, y, x), inside ? at(in, c, y + 2, x - 1) : 0)
            << c << " " << y << " " << x;
      }
}

TEST(Augment, FlipMirrorsEveryRow) {
  std::vector<uint8_t> in = ramp(), out = augmented({0, 0, true});
  for (int c = 0; c < 2; ++c)
    for (int y = 0; y < 5; ++y)
      for (int x = 0; x < 4; ++x)
        EXPECT_EQ(at(out, c, y, x), at(in, c, y, 3 - x));
  // Flipping twice gives the image back.
  std::vector<uint8_t> back(out.size());
  augmentImage(out.data(), back.data(), 2, 5, 4, {0, 0, true});
  EXPECT_EQ(back, in);
}

TEST(Augment, CropThenFlip) {
  // torchvision's order: crop the padded image, then mirror the crop.
  std::vector<uint8_t> in = ramp(), out = augmented({-1, 1, true});
  for (int y = 0; y < 5; ++y)
    for (int x = 0; x < 4; ++x) {
      int sy = y - 1, sx = 3 - x + 1;
      bool inside = sy >= 0 && sx < 4;
      EXPECT_EQ(at(out, 1, y, x), inside ? at(in, 1, sy, sx) : 0);
    }
}

TEST(Augment, DrawsAreSeededAndCoverTheirRange) {
  Augmentation both{2, true}, none{};
  std::set<int64_t> rows, cols;
  int flips = 0;
  for (int64_t position = 0; position < 2000; ++position) {
    AugmentDraw a = drawAugmentation(both, 17, position);
    AugmentDraw b = drawAugmentation(both, 17, position);
    EXPECT_EQ(a.rowOffset, b.rowOffset);
    EXPECT_EQ(a.colOffset, b.colOffset);
    EXPECT_EQ(a.flip, b.flip);
    rows.insert(a.rowOffset);
    cols.insert(a.colOffset);
    flips += a.flip;
    AugmentDraw identity = drawAugmentation(none, 17, position);
    EXPECT_TRUE(identity.rowOffset == 0 && identity.colOffset == 0 &&
                !identity.flip);
  }
  EXPECT_EQ(rows, (std::set<int64_t>{-2, -1, 0, 1, 2}));
  EXPECT_EQ(cols, (std::set<int64_t>{-2, -1, 0, 1, 2}));
  EXPECT_GT(flips, 900);
  EXPECT_LT(flips, 1100);
  int differ = 0; // another epoch seed, other draws
  for (int64_t position = 0; position < 100; ++position)
    differ += drawAugmentation(both, 17, position).rowOffset !=
              drawAugmentation(both, 18, position).rowOffset;
  EXPECT_GT(differ, 50);
}

TEST(Augment, ParsesTheFlag) {
  auto both = parseAugmentation("flip,crop", 4);
  ASSERT_TRUE(both) << both.error();
  EXPECT_EQ(both->cropPadding, 4);
  EXPECT_TRUE(both->flip);
  auto none = parseAugmentation("none", 4);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->any());
  auto flip = parseAugmentation("flip", 4);
  ASSERT_TRUE(flip);
  EXPECT_EQ(flip->cropPadding, 0);
  auto bad = parseAugmentation("rotate", 4);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), "unknown augmentation 'rotate' (expected none, crop, "
                         "flip or crop,flip)");
  EXPECT_FALSE(parseAugmentation("crop", 0));
  EXPECT_EQ(defaultCropPadding(32), 4);
  EXPECT_EQ(defaultCropPadding(28), 2);
}

namespace {

/// 50 one-channel 4 x 4 images, image i filled with i + 1 but for a 0 in
/// its corner, labels i % 7.
struct Images {
  std::vector<uint8_t> pixels;
  std::vector<int64_t> labels;
  Images() {
    for (int i = 0; i < 50; ++i) {
      for (int p = 0; p < 16; ++p)
        pixels.push_back(p == 0 ? 0 : uint8_t(i + 1));
      labels.push_back(i % 7);
    }
  }
  ImageView view() const {
    return {pixels.data(), labels.data(), 50, 1, 4, 4};
  }
};

EpochBatches epochOf(std::vector<int64_t> indices, int64_t batchSize,
                     Augmentation augmentation) {
  EpochBatches epoch;
  epoch.indices = std::move(indices);
  epoch.batchSize = batchSize;
  epoch.augmentation = augmentation;
  epoch.augmentSeed = 99;
  for (int v = 0; v < 256; ++v)
    epoch.pixelValue[size_t(v)] = float(v) / 255.0f;
  return epoch;
}

void expectSameBatch(const Batch &a, const Batch &b) {
  EXPECT_EQ(a.size, b.size);
  EXPECT_EQ(a.images, b.images);
  EXPECT_EQ(a.labels, b.labels);
}

} // namespace

TEST(Batches, GatherAndConvert) {
  Images images;
  EpochBatches epoch = epochOf({7, 3, 41, 0, 12}, 2, {});
  EXPECT_EQ(epoch.batches(), 3);
  Batch last = assembleBatch(images.view(), epoch, 2);
  EXPECT_EQ(last.size, 1);
  EXPECT_EQ(last.labels, std::vector<int64_t>{12 % 7});
  Batch first = assembleBatch(images.view(), epoch, 0);
  EXPECT_EQ(first.labels, (std::vector<int64_t>{0, 3}));
  ASSERT_EQ(first.images.size(), 32u);
  EXPECT_EQ(first.images[1], 8.0f / 255.0f);   // image 7
  EXPECT_EQ(first.images[16 + 5], 4.0f / 255.0f); // image 3
}

TEST(Batches, AugmentationDependsOnPositionNotOnBatching) {
  Images images;
  Augmentation both{1, true};
  std::vector<int64_t> order = seededPermutation(50, 3);
  // The same epoch cut into batches of 8 and of 5: the same images.
  std::vector<float> by8, by5;
  for (auto [size, out] : {std::pair{8, &by8}, std::pair{5, &by5}}) {
    EpochBatches epoch = epochOf(order, size, both);
    for (int64_t b = 0; b < epoch.batches(); ++b) {
      Batch batch = assembleBatch(images.view(), epoch, b);
      out->insert(out->end(), batch.images.begin(), batch.images.end());
    }
  }
  EXPECT_EQ(by8, by5);
  // Two ranks' shards, each positioned in the whole order: rank r's i-th
  // image is the one at position r + 2 i.
  for (int rank = 0; rank < 2; ++rank) {
    EpochBatches shard =
        epochOf(shardForRank(order, rank, 2, /*padToEqual=*/true), 4, both);
    shard.firstPosition = rank;
    shard.positionStride = 2;
    for (int64_t b = 0; b < shard.batches(); ++b) {
      Batch batch = assembleBatch(images.view(), shard, b);
      for (int64_t i = 0; i < batch.size; ++i) {
        int64_t position = rank + 2 * (4 * b + i);
        EXPECT_TRUE(std::equal(batch.images.begin() + 16 * i,
                               batch.images.begin() + 16 * (i + 1),
                               by8.begin() + 16 * position));
      }
    }
  }
  // And augmentation changes some images, none is an identity epoch.
  EpochBatches plain = epochOf(order, 50, {});
  EXPECT_NE(assembleBatch(images.view(), plain, 0).images, by8);
}

TEST(BatchLoader, ThreadedEqualsSequential) {
  Images images;
  std::vector<int64_t> order = seededPermutation(50, 5);
  for (int workers : {0, 1, 3})
    for (int depth : {1, 2, 5}) {
      BatchLoader loader(images.view(), epochOf(order, 6, {1, true}), workers,
                         depth);
      EpochBatches reference = epochOf(order, 6, {1, true});
      for (int64_t b = 0; b < reference.batches(); ++b) {
        std::optional<Batch> batch = loader.next();
        ASSERT_TRUE(batch) << workers << " workers, batch " << b;
        expectSameBatch(*batch, assembleBatch(images.view(), reference, b));
      }
      EXPECT_FALSE(loader.next());
      EXPECT_FALSE(loader.next());
    }
}

TEST(BatchLoader, StopsCleanlyWhenLeftEarly) {
  Images images;
  std::vector<int64_t> order = seededPermutation(50, 6);
  for (int taken : {0, 1, 4}) {
    BatchLoader loader(images.view(), epochOf(order, 3, {1, false}), 2, 2);
    for (int b = 0; b < taken; ++b)
      ASSERT_TRUE(loader.next());
  } // destroyed with batches pending and workers waiting: joins, no hang
  BatchLoader empty(images.view(), epochOf({}, 4, {}), 2, 2);
  EXPECT_FALSE(empty.next());
}
