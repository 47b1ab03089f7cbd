//===- Augment.h - Training augmentations: padded random crop, flip -------===//
//
// torchvision's RandomCrop(size, padding) with zero fill, then
// RandomHorizontalFlip, on uint8 images [channels, rows, cols]. Every draw
// is a pure function of (epoch seed, position of the image in the epoch's
// order), so the augmented batches depend neither on the loader's threads
// nor on how the epoch is cut into batches or shared among ranks.
// Validation and test images are never augmented. No LibTorch.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_TRAINING_AUGMENT_H
#define QNN_TRAINING_AUGMENT_H

#include "Expected.h"

#include <cstdint>
#include <string>

namespace qnn::train {

struct Augmentation {
  int64_t cropPadding = 0; // 0: no crop
  bool flip = false;
  bool any() const { return cropPadding > 0 || flip; }
};

/// "none", "crop", "flip" or "crop,flip" (either order); crops pad by
/// cropPadding pixels on every side.
Expected<Augmentation> parseAugmentation(const std::string &names,
                                         int64_t cropPadding);

/// The usual padding for images of `rows` rows: 4 for CIFAR's 32 and
/// larger images, 2 below (e.g. Fashion-MNIST's 28).
int64_t defaultCropPadding(int64_t rows);

/// One image's draw: the crop window's offset from the unpadded image, each
/// in [-padding, padding], then whether to mirror.
struct AugmentDraw {
  int64_t rowOffset = 0, colOffset = 0;
  bool flip = false;
};

/// The draw of the image at `position` of an epoch whose order was drawn
/// from `epochSeed` (a counter-based hash: no generator state).
AugmentDraw drawAugmentation(const Augmentation &augmentation,
                             uint64_t epochSeed, int64_t position);

/// out[c][y][x] = in[c][y + rowOffset][x' + colOffset] with x' = x, or
/// cols - 1 - x when flipped; 0 outside the image (the zero padding).
void augmentImage(const uint8_t *in, uint8_t *out, int64_t channels,
                  int64_t rows, int64_t cols, const AugmentDraw &draw);

} // namespace qnn::train

#endif // QNN_TRAINING_AUGMENT_H
