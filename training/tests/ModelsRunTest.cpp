//===- ModelsRunTest.cpp - AlexNet and ResNet students, end to end -------===//
//
// A tiny qnn-train run per new topology on a generated image folder, then
// the per-layer dump of its integer simulation against the reference
// interpreter running the exported student.mlir (qnn-run, qnn-diff as
// separate processes): identical, layer for layer.
//
//===----------------------------------------------------------------------===//

#include "Ptl.h"
#include "TestFiles.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace qnn::train;
using namespace qnn::train::testing;
namespace fs = std::filesystem;

namespace {

/// Ten classes of 32 x 32 RGB images, each class its own colour gradient
/// plus a per-image offset: 14 training and 2 test images per class.
void writeColourClasses(const fs::path &root) {
  for (int c = 0; c < 10; ++c)
    for (int i = 0; i < 16; ++i) {
      fs::path dir =
          root / (i < 14 ? "train" : "val") / ("c" + std::to_string(c));
      fs::create_directories(dir);
      Image image{32, 32, 3, {}};
      for (int r = 0; r < 32; ++r)
        for (int col = 0; col < 32; ++col)
          for (int k = 0; k < 3; ++k)
            image.pixels.push_back(uint8_t(
                (25 * c * (k + 1) + (c % 2 ? r : col) * 4 + 7 * i) % 256));
      writePng(dir / (std::to_string(i) + ".png"), image);
    }
}

TrainOptions tinyRun(const fs::path &root, const std::string &model) {
  TrainOptions o;
  o.model = model;
  o.dataDir = root.string();
  o.outDir = (root / model).string();
  o.validationSize = 20;
  o.epochSize = 32;
  o.teacherEpochs = 2;
  o.layerEpochs = o.finetuneEpochs = 1;
  o.batchSize = 16;
  o.threads = 1;
  o.showProgress = false;
  return o;
}

std::string readFile(const fs::path &path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Trains `model` tinily, dumps test image 3 from the integer simulation and
/// from qnn-run on student.mlir; returns qnn-diff's verdict.
std::string trainAndCompareLayers(const fs::path &root,
                                  const std::string &model) {
  TrainOptions o = tinyRun(root, model);
  auto report = runTraining(o);
  EXPECT_TRUE(report) << report.error();
  if (!report)
    return "";
  EXPECT_TRUE(report->finished);
  fs::path out = o.outDir, simulated = out / "sim-dump",
           interpreted = out / "interp-dump";
  auto dumped = dumpStudentLayers(o, 3, simulated.string());
  EXPECT_TRUE(dumped) << dumped.error();
  std::string run = std::string(QNN_RUN_PATH) + " " +
                    (out / "student.mlir").string() + " --input " +
                    (simulated / "000_arg0.npy").string() + " --dump-dir " +
                    interpreted.string() + " > /dev/null";
  EXPECT_EQ(std::system(run.c_str()), 0) << run;
  std::string diff = std::string(QNN_DIFF_PATH) + " " + simulated.string() +
                     " " + interpreted.string() + " > " +
                     (out / "diff.txt").string();
  EXPECT_EQ(std::system(diff.c_str()), 0) << readFile(out / "diff.txt");
  return readFile(out / "diff.txt");
}

} // namespace

TEST(ModelsRun, AlexnetStudentRunsInTheInterpreterAsSimulated) {
  fs::path root = freshDirectory("qnn-models-alexnet");
  writeColourClasses(root);
  // The image; conv + rescale (+ pool) x 5; flatten; linear + rescale x 2;
  // the classifier.
  std::string verdict = trainAndCompareLayers(root, "alexnet-cifar");
  EXPECT_NE(verdict.find("identical: 20 layers"), std::string::npos) << verdict;
  EXPECT_TRUE(fs::exists(root / "alexnet-cifar/student.onnx"));
}

TEST(ModelsRun, ResnetStudentRunsInTheInterpreterAsSimulated) {
  fs::path root = freshDirectory("qnn-models-resnet");
  writeColourClasses(root);
  // The image; the stem's conv + rescale; 7 identity blocks of conv1 (2)
  // and join (conv, residual, shortcut, add, rescale); 2 projection blocks
  // of conv1, projection (conv, rescale) and join (conv, residual, add,
  // rescale); the average pool's sum and rescale; flatten, classifier.
  std::string verdict = trainAndCompareLayers(root, "resnet20");
  EXPECT_NE(verdict.find("identical: 72 layers"), std::string::npos) << verdict;
  // No ONNX file: the reason is in the summary instead.
  EXPECT_FALSE(fs::exists(root / "resnet20/student.onnx"));
  EXPECT_NE(readFile(root / "resnet20/summary.txt")
                .find("onnx_export none: residual blocks"),
            std::string::npos);
}
