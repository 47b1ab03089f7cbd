//===- Ptl.h - The qnn-train pipeline: teacher, PTL stages, baselines -----===//
//
// LibTorch-free interface, so the CLI and the data tests compile fast.
//
// Stages (method "ptl"), each a step of the plan that a checkpoint records:
//   0  train the FP teacher with BN (best validation epoch kept)
//   1  local initialisation of every student layer from the teacher:
//      BN folded into weights/bias, weight and activation scales searched,
//      per-channel scale and bias fitted by least squares to the teacher's
//      post-BN output for the same (quantized) layer input
//   2  for layer l = 1..L: re-initialise student layer l from the current
//      (compensated) teacher layer as in stage 1, then train the hybrid
//      (student 1..l, teacher l+1..L) with cross-entropy plus distillation
//      from the stage-0 teacher; the patience scheduler restores the best
//      validation epoch and freezes layer l
//   3  fine-tune the all-student network with its scales fixed to their
//      integer (M, s) form; validated in exact integer simulation
// Method "direct" (the ablation) replaces stages 1-2 by training a randomly
// initialised BN-free student end to end with the same loss and budget.
// Method "qat" (the baseline of QAT with BN folding) replaces them by
// quantization-aware training of the teacher with its BN folded into the
// fake-quantized weights (Model.h, qatBnFoldForward), starting from the
// BN-fold + PTQ scales, with the same loss and budget; at its end the BN is
// folded for good and stage 3 fine-tunes the integer form as for the others.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_TRAINING_PTL_H
#define QNN_TRAINING_PTL_H

#include "Expected.h"
#include "World.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace qnn::train {

/// Stage budgets (epochs per stage-2 layer, stage-2 patience, stage-3
/// epochs). A student with a 2-bit layer gets the longer one: at two bits
/// stage 2 was still improving at its last epoch and stage 3 has more to
/// recover (training/README.md, "Measured").
struct Schedule {
  int layerEpochs, patience, finetuneEpochs;
};
inline constexpr Schedule kSchedule{2, 1, 2}, kLowBitSchedule{3, 2, 4};

struct TrainOptions {
  std::string model = "vgg-small";
  std::string dataDir = "/usr/share/datasets/fashion-mnist";
  std::string outDir = "qnn-train-out";
  std::string method = "ptl"; // ptl | direct | qat
  unsigned weightBits = 4, actBits = 4;
  /// Per layer (weight bits, activation bits), one entry per layer of the
  /// model, overriding weightBits/actBits; empty = every layer at those.
  /// The classifier's activation bits are unused (its output is int32).
  std::vector<std::pair<unsigned, unsigned>> layerBits;
  /// A run directory whose stage-0 teacher this run takes instead of
  /// training its own (same model, data and seed); empty = train it.
  std::string teacherFrom;
  unsigned multiplierBits = 16;
  bool powerOfTwoScales = false; // shift-BN style: M = 1 or a power of two
  int teacherEpochs = 5;
  /// Stage 2: at most this many epochs per layer; the direct and QAT
  /// methods train layerEpochs times the number of layers.
  int layerEpochs = kSchedule.layerEpochs;
  int finetuneEpochs = kSchedule.finetuneEpochs;
  int patience = kSchedule.patience;
  int64_t batchSize = 128;
  int64_t epochSize = 20000;    // images per epoch; 0 = the whole train split
  int64_t trainLimit = 0;       // use only this many training images; 0 = all
  int64_t validationSize = 5000;
  int64_t testLimit = 0;        // 0 = the whole test set
  /// Training augmentation: none, crop, flip or crop,flip; empty = the
  /// dataset's default (CIFAR: crop,flip; IDX and image folders: none).
  std::string augment;
  int64_t cropPadding = 0; // 0 = defaultCropPadding of the image rows
  int loaderThreads = 1;   // threads assembling batches ahead; 0 = none
  double teacherLr = 2e-3, studentLr = 5e-4;
  double distillWeight = 1.0;
  uint64_t seed = 1;
  int threads = 2; // intra-op threads of this process (per rank)
  World world;      // data-parallel ranks (Distributed.h); alone by default
  bool resume = false;
  int stopAfterEpochs = 0; // stop (resumably) after this many epochs; 0 = no
  bool showProgress = true;
};

/// kLowBitSchedule when a layer has 2-bit weights or activations (the
/// classifier's activation bits do not count: its output is int32), else
/// kSchedule. qnn-train applies it to the budgets not given on its command
/// line.
Schedule defaultSchedule(const TrainOptions &options);

/// Test-set accuracies in percent; the two students' in integer simulation.
struct TrainReport {
  bool finished = false; // false when stopAfterEpochs stopped the run
  double teacherAccuracy = 0, ptqAccuracy = 0, studentAccuracy = 0;
  double seconds = 0;
  uint64_t integerFingerprint = 0; // hash of the student's integer parameters
};

Expected<TrainReport> runTraining(const TrainOptions &options);

// A finished run in options.outDir, made with these options, is read from
// its checkpoint; nothing trains.

/// Writes to `dir` the per-layer dump (docs/tools.md) of the integer
/// simulation of the run's student on test image `image` (0-based), named
/// and typed as in the run's student.mlir, so that qnn-diff compares it with
/// `qnn-run student.mlir --input DIR/000_arg0.npy --dump-dir ...`.
Expected<bool> dumpStudentLayers(const TrainOptions &options, int64_t image,
                                 const std::string &dir);

/// The FP-BN teacher's single-image (batch 1) FP32 inference latency in
/// LibTorch: the median over `runs` forward passes on successive test images
/// (after runs/10 untimed ones), one result per intra-op thread count.
struct TeacherLatency {
  int threads = 1, runs = 0;
  double medianMicroseconds = 0, imagesPerSecond = 0;
};
Expected<std::vector<TeacherLatency>>
benchmarkTeacher(const TrainOptions &options, const std::vector<int> &threads,
                 int runs);

} // namespace qnn::train

#endif // QNN_TRAINING_PTL_H
