//===- ImageFolder.h - ImageNet-style class folders of JPEG/PNG files -----===//
//
// torchvision's ImageFolder layout: ROOT/<class>/<image>.{jpg,jpeg,png},
// classes numbered in name order, files read in name order, other files
// ignored. Decoded with Debian's libjpeg-turbo and libpng; no LibTorch.
// A dataset directory holds ROOT/train and ROOT/val (ImageNet's names).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_TRAINING_IMAGEFOLDER_H
#define QNN_TRAINING_IMAGEFOLDER_H

#include "Data.h"

namespace qnn::train {

/// One decoded image: rows x cols x channels (1 gray or 3 RGB), row-major.
struct Image {
  int64_t rows = 0, cols = 0, channels = 0;
  std::vector<uint8_t> pixels;
};

/// Decodes a JPEG or PNG file (recognised by its signature, not its name)
/// to the given number of channels (1: gray, 3: RGB). Errors name the file.
Expected<Image> decodeImage(const std::string &path, int channels);

/// Bilinear resize (pixel centres aligned, as PIL and torchvision do).
Image resizeBilinear(const Image &image, int64_t rows, int64_t cols);

/// The evaluation transform of ImageNet training: resize so the shorter
/// side is size * 256 / 224 (rounded), then the central size x size crop.
Image resizeAndCenterCrop(const Image &image, int64_t size);

/// The image files of an image folder and their labels.
struct ImageFolder {
  std::vector<std::string> classes; // sorted; label = index
  std::vector<std::string> paths;
  std::vector<uint8_t> labels;
};

/// Lists ROOT/<class>/*.{jpg,jpeg,png} (any case). Fails when ROOT is not a
/// directory, has no class folder, a class holds no image, or there are
/// more than 256 classes (labels are bytes).
Expected<ImageFolder> scanImageFolder(const std::string &root);

/// True when dir looks like an image-folder dataset (has dir/train).
bool isImageFolderDataset(const std::string &dir);

/// ROOT/train and ROOT/val, every image through decodeImage and
/// resizeAndCenterCrop, as ImageSets [count, channels, size, size]; both
/// must list the same classes.
Expected<Dataset> readImageFolderDataset(const std::string &root, int64_t size,
                                         int channels);

} // namespace qnn::train

#endif // QNN_TRAINING_IMAGEFOLDER_H
