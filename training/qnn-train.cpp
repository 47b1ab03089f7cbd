//===- qnn-train.cpp - Train a BN-free integer student by PTL -------------===//
//
// Usage: qnn-train [options]; qnn-train --help lists them. Exits 0 on
// success, 1 with a one-line reason on any error.
//
//===----------------------------------------------------------------------===//

#include "Plot.h"
#include "Ptl.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

using qnn::train::TrainOptions;

namespace {

const char *kUsage = R"(usage: qnn-train [options]
  --model NAME            vgg-small (default), lenet5, alexnet-cifar,
                          alexnet-imagenet, resnet20 or resnet18
                          (training/README.md: layers and widths)
  --data DIR              MNIST-layout IDX, CIFAR-10/100 binary or image-folder
                          directory; IDX and CIFAR set the model's input shape
                          and classes (default /usr/share/datasets/fashion-mnist)
  --out DIR               checkpoint.pt, log.csv, student-int.pt, summary.txt
                          (default qnn-train-out)
  --method NAME           ptl (default), direct (BN-free student trained
                          end to end, the ablation) or qat (QAT with BN
                          folding, the baseline)
  --bits WxAy             weight and activation bits, 2..8 (default W4A4)
  --layer-bits LIST       per layer instead, one WxAy per layer, comma-
                          separated, e.g. W8A4,W4A4,W4A4,W4A4,W8A8 for
                          vgg-small (the classifier's A is unused)
  --multiplier-bits N     width of the requantization multiplier (default 16)
  --pow2-scales           power-of-two scales only (shift-BN baseline)
  --teacher-epochs N      stage 0 epochs (default 5)
  --teacher-from RUN      take the stage-0 teacher of the run in directory
                          RUN (same --model, --data and --seed) instead of
                          training one
  --layer-epochs N        stage 2 epochs per layer at most (default 2;
                          3 when a layer has 2-bit weights or activations)
  --finetune-epochs N     stage 3 epochs (default 2; 4 with a 2-bit layer)
  --patience N            stage 2 epochs without improvement (default 1;
                          2 with a 2-bit layer)
  --batch-size N          (default 128)
  --epoch-size N          images drawn per epoch, 0 = whole train split
                          (default 20000; 15 min budget on 2 cores)
  --train-limit N         use only N training images, 0 = all (default 0)
  --validation-size N     held out from the training set (default 5000)
  --test-limit N          use only N test images, 0 = all (default 0)
  --augment LIST          training augmentation: none, crop, flip or crop,flip
                          (default: crop,flip for CIFAR, none for IDX and
                          image folders); validation and test never
  --crop-padding N        zero padding of the random crop (default 4 for
                          images of 32 rows or more, else 2)
  --loader-threads N      threads assembling the next batches while one
                          trains, 0 = none (default 1); same batches either way
  --teacher-lr X          Adam learning rate, stage 0 (default 2e-3)
  --student-lr X          Adam learning rate, stages 2-3 (default 5e-4)
  --distill X             weight of distillation from the teacher (default 1)
  --seed N                (default 1)
  --threads N             intra-op threads (default 2; per rank)
  --rendezvous-file PATH  data-parallel ranks meet in this FileStore file
                          instead of the TCPStore at MASTER_ADDR:MASTER_PORT
  --dist-timeout S        rendezvous and collective timeout (default 60)
  --resume                continue from DIR/checkpoint.pt if present
  --stop-after-epochs N   stop after N epochs in this process (resumable)
  --quiet                 no per-batch progress line
Data-parallel training reads torchrun's RANK, WORLD_SIZE, MASTER_ADDR and
MASTER_PORT (scripts/train-distributed.sh starts N local ranks);
--batch-size is per rank.
Instead of training, read the finished run in --out (made with the same
--model, --method, --bits, ... options) and:
  --plot-only             redraw DIR/accuracy.svg from DIR/log.csv
  --dump-layers DUMP      write the integer simulation's per-layer dump of
                          one test image to DUMP (docs/tools.md, qnn-diff)
  --dump-image N          that image, 0-based (default 0)
  --bench-teacher         time the FP-BN teacher in LibTorch FP32, batch 1,
                          1 and 2 threads: one line per thread count
  --bench-runs N          timed forward passes per line (default 1000)
)";

bool parseInt(const std::string &text, long long &out) {
  char *end = nullptr;
  out = std::strtoll(text.c_str(), &end, 10);
  return !text.empty() && *end == '\0';
}

bool parseReal(const std::string &text, double &out) {
  char *end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return !text.empty() && *end == '\0';
}

/// "W4A4" → (4, 4); the range is checked where the bits are used.
bool parseBits(const std::string &text, unsigned &w, unsigned &a) {
  int weightBits = 0, actBits = 0, consumed = 0;
  if (std::sscanf(text.c_str(), "W%dA%d%n", &weightBits, &actBits, &consumed) !=
          2 ||
      consumed != int(text.size()))
    return false;
  w = unsigned(weightBits);
  a = unsigned(actBits);
  return true;
}

/// "W8A4,W4A4" → {(8, 4), (4, 4)}.
bool parseLayerBits(const std::string &text,
                    std::vector<std::pair<unsigned, unsigned>> &bits) {
  bits.clear();
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    unsigned w = 0, a = 0;
    if (!parseBits(text.substr(start, comma - start), w, a))
      return false;
    bits.emplace_back(w, a);
    if (comma == std::string::npos)
      return true;
    start = comma + 1;
  }
}

int fail(const std::string &why) {
  std::fprintf(stderr, "qnn-train: %s\n", why.c_str());
  return 1;
}

/// The modes that read a finished run instead of training.
struct AfterRun {
  bool plot = false, benchTeacher = false;
  std::string dumpDir;
  long long dumpImage = 0, benchRuns = 1000;
  bool any() const { return plot || benchTeacher || !dumpDir.empty(); }
};

int runAfterRun(const TrainOptions &o, const AfterRun &after) {
  if (after.plot) {
    auto svg = qnn::train::writeAccuracyPlot(o.outDir);
    if (!svg)
      return fail(svg.error());
    std::printf("plot: %s\n", svg->c_str());
  }
  if (!after.dumpDir.empty()) {
    auto dumped =
        qnn::train::dumpStudentLayers(o, after.dumpImage, after.dumpDir);
    if (!dumped)
      return fail(dumped.error());
    std::printf("layer dump of test image %lld: %s\n", after.dumpImage,
                after.dumpDir.c_str());
  }
  if (after.benchTeacher) {
    auto timings = qnn::train::benchmarkTeacher(o, {1, 2}, int(after.benchRuns));
    if (!timings)
      return fail(timings.error());
    for (const auto &t : *timings)
      std::printf("teacher-fp32: threads=%d batch=1 median_us=%.1f "
                  "images_per_s=%.1f runs=%d\n",
                  t.threads, t.medianMicroseconds, t.imagesPerSecond, t.runs);
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  TrainOptions o;
  AfterRun after;
  // Flags that take a value, by name; each returns false on a bad value.
  using Setter = std::function<bool(const std::string &)>;
  auto integer = [](auto &field) {
    return Setter([&field](const std::string &v) {
      long long n;
      if (!parseInt(v, n) || n < 0)
        return false;
      field = static_cast<std::remove_reference_t<decltype(field)>>(n);
      return true;
    });
  };
  auto real = [](double &field) {
    return Setter([&field](const std::string &v) { return parseReal(v, field); });
  };
  auto text = [](std::string &field) {
    return Setter([&field](const std::string &v) {
      field = v;
      return true;
    });
  };
  std::vector<std::pair<std::string, Setter>> valued = {
      {"--model", text(o.model)},
      {"--data", text(o.dataDir)},
      {"--out", text(o.outDir)},
      {"--method", text(o.method)},
      {"--bits",
       [&](const std::string &v) { return parseBits(v, o.weightBits, o.actBits); }},
      {"--layer-bits",
       [&](const std::string &v) { return parseLayerBits(v, o.layerBits); }},
      {"--teacher-from", text(o.teacherFrom)},
      {"--multiplier-bits", integer(o.multiplierBits)},
      {"--teacher-epochs", integer(o.teacherEpochs)},
      {"--layer-epochs", integer(o.layerEpochs)},
      {"--finetune-epochs", integer(o.finetuneEpochs)},
      {"--patience", integer(o.patience)},
      {"--batch-size", integer(o.batchSize)},
      {"--epoch-size", integer(o.epochSize)},
      {"--train-limit", integer(o.trainLimit)},
      {"--validation-size", integer(o.validationSize)},
      {"--test-limit", integer(o.testLimit)},
      {"--augment", text(o.augment)},
      {"--crop-padding", integer(o.cropPadding)},
      {"--loader-threads", integer(o.loaderThreads)},
      {"--teacher-lr", real(o.teacherLr)},
      {"--student-lr", real(o.studentLr)},
      {"--distill", real(o.distillWeight)},
      {"--seed", integer(o.seed)},
      {"--threads", integer(o.threads)},
      {"--stop-after-epochs", integer(o.stopAfterEpochs)},
      {"--dump-layers", text(after.dumpDir)},
      {"--dump-image", integer(after.dumpImage)},
      {"--bench-runs", integer(after.benchRuns)},
      {"--rendezvous-file", text(o.world.storeFile)},
      {"--dist-timeout", integer(o.world.timeoutSeconds)},
  };
  if (auto world = qnn::train::readWorldEnvironment(o.world); !world)
    return fail(world.error());
  std::set<std::string> given; // the valued flags on the command line
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (arg == "--resume") {
      o.resume = true;
      continue;
    }
    if (arg == "--pow2-scales") {
      o.powerOfTwoScales = true;
      continue;
    }
    if (arg == "--quiet") {
      o.showProgress = false;
      continue;
    }
    if (arg == "--plot-only" || arg == "--bench-teacher") {
      (arg == "--plot-only" ? after.plot : after.benchTeacher) = true;
      continue;
    }
    auto flag = std::find_if(valued.begin(), valued.end(),
                             [&](const auto &f) { return f.first == arg; });
    if (flag == valued.end())
      return fail("unknown option '" + arg + "' (see --help)");
    if (i + 1 >= argc)
      return fail(arg + " needs a value");
    if (!flag->second(argv[++i]))
      return fail("bad value '" + std::string(argv[i]) + "' for " + arg);
    given.insert(arg);
  }
  // The stage budgets not given follow the bit widths.
  qnn::train::Schedule schedule = qnn::train::defaultSchedule(o);
  for (auto [flag, field, value] :
       {std::tuple{"--layer-epochs", &o.layerEpochs, schedule.layerEpochs},
        std::tuple{"--patience", &o.patience, schedule.patience},
        std::tuple{"--finetune-epochs", &o.finetuneEpochs,
                   schedule.finetuneEpochs}})
    if (!given.count(flag))
      *field = value;

  if (after.any())
    return runAfterRun(o, after);
  auto report = qnn::train::runTraining(o);
  if (!report)
    return fail(report.error());
  if (!o.world.isRoot()) // rank 0 reports
    return 0;
  if (!report->finished) {
    std::printf("stopped after %d epoch(s) in %.1f s; continue with --resume\n",
                o.stopAfterEpochs, report->seconds);
    return 0;
  }
  std::printf("teacher (FP, BN)            %.2f%%\n"
              "BN-fold + PTQ (integer)     %.2f%%\n"
              "%-27s %.2f%%\n"
              "wall time %.1f s; outputs in %s\n",
              report->teacherAccuracy, report->ptqAccuracy,
              (o.method + " student (integer)").c_str(),
              report->studentAccuracy, report->seconds, o.outDir.c_str());
  return 0;
}
