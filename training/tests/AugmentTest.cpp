//===- AugmentTest.cpp - Padded random crop and flip ----------------------===//

#include "Augment.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

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
