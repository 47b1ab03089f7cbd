//===- Augment.cpp - Training augmentations: padded random crop, flip -----===//

#include "Augment.h"

#include <cstring>

namespace qnn::train {

Expected<Augmentation> parseAugmentation(const std::string &names,
                                         int64_t cropPadding) {
  bool both = names == "crop,flip" || names == "flip,crop";
  bool crop = both || names == "crop", flip = both || names == "flip";
  if (!crop && !flip && names != "none")
    return Expected<Augmentation>::failure(
        "unknown augmentation '" + names +
        "' (expected none, crop, flip or crop,flip)");
  if (crop && cropPadding < 1)
    return Expected<Augmentation>::failure(
        "the crop padding must be at least 1");
  return Augmentation{crop ? cropPadding : 0, flip};
}

int64_t defaultCropPadding(int64_t rows) { return rows >= 32 ? 4 : 2; }

namespace {

/// SplitMix64's finalizer: a well-mixed 64-bit hash of x.
uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

} // namespace

AugmentDraw drawAugmentation(const Augmentation &augmentation,
                             uint64_t epochSeed, int64_t position) {
  uint64_t bits = mix64(mix64(epochSeed) ^ uint64_t(position));
  AugmentDraw draw;
  if (augmentation.cropPadding > 0) {
    uint64_t choices = uint64_t(2 * augmentation.cropPadding + 1);
    draw.rowOffset = int64_t(bits % choices) - augmentation.cropPadding;
    bits /= choices;
    draw.colOffset = int64_t(bits % choices) - augmentation.cropPadding;
    bits /= choices;
  }
  draw.flip = augmentation.flip && (bits & 1);
  return draw;
}

void augmentImage(const uint8_t *in, uint8_t *out, int64_t channels,
                  int64_t rows, int64_t cols, const AugmentDraw &draw) {
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t y = 0; y < rows; ++y) {
      uint8_t *outRow = out + (c * rows + y) * cols;
      int64_t sourceRow = y + draw.rowOffset;
      if (sourceRow < 0 || sourceRow >= rows) {
        std::memset(outRow, 0, size_t(cols));
        continue;
      }
      const uint8_t *inRow = in + (c * rows + sourceRow) * cols;
      for (int64_t x = 0; x < cols; ++x) {
        int64_t sourceCol = (draw.flip ? cols - 1 - x : x) + draw.colOffset;
        outRow[x] =
            sourceCol >= 0 && sourceCol < cols ? inRow[sourceCol] : uint8_t(0);
      }
    }
}

} // namespace qnn::train
