//===- Ptl.cpp - The qnn-train pipeline: teacher, PTL stages, baselines ---===//

#include "Ptl.h"

#include "ExportOnnx.h"
#include "ExportQnn.h"
#include "LayerDump.h"

#include "BatchLoader.h"
#include "Cifar.h"
#include "Data.h"
#include "Distributed.h"
#include "ImageFolder.h"
#include "Model.h"
#include "Plot.h"

#include <torch/optim/adam.h>
#include <torch/serialize.h>
#include <torch/utils.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <malloc.h>
#include <optional>
#include <sys/file.h>
#include <unistd.h>

namespace qnn::train {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

//===----------------------------------------------------------------------===//
// Data as tensors
//===----------------------------------------------------------------------===//

/// uint8 images [N, C, H, W] and int64 labels [N].
struct Examples {
  torch::Tensor images, labels;
  int64_t size() const { return labels.size(0); }
};

Examples selectExamples(const ImageSet &set, std::vector<int64_t> indices,
                        int64_t limit) {
  if (limit > 0 && int64_t(indices.size()) > limit)
    indices.resize(limit);
  torch::Tensor images =
      torch::from_blob(const_cast<uint8_t *>(set.pixels.data()),
                       {set.count, set.channels, set.rows, set.cols},
                       torch::kUInt8);
  torch::Tensor labels = torch::from_blob(
      const_cast<uint8_t *>(set.labels.data()), {set.count}, torch::kUInt8);
  torch::Tensor index = torch::tensor(indices, torch::kLong);
  // index_select copies, so the ImageSet may go away afterwards.
  return {images.index_select(0, index),
          labels.index_select(0, index).to(torch::kLong)};
}

struct Splits {
  Examples train, validation, test;
  std::string defaultAugment; // the dataset's usual training augmentation
};

/// An image-folder dataset (DIR/train, DIR/val) decoded to the topology's
/// input size and channels, a CIFAR-10/100 directory, or else an
/// MNIST-layout IDX directory.
Expected<Dataset> readDataset(const std::string &dir, const Topology &topology) {
  if (isImageFolderDataset(dir))
    return readImageFolderDataset(dir, topology.rows, int(topology.channels));
  if (detectCifarFormat(dir))
    return readCifarDirectory(dir);
  return readMnistDirectory(dir);
}

/// The data decide the model's classes (the classifier's outputs), IDX and
/// CIFAR data its input shape too (image folders were decoded to the
/// model's).
void fitTopologyToData(const std::string &dir, const Dataset &data,
                       Topology &topology) {
  topology.numClasses = data.numClasses;
  topology.layers.back().outFeatures = data.numClasses;
  if (isImageFolderDataset(dir))
    return;
  topology.channels = data.train.channels;
  topology.rows = data.train.rows;
  topology.cols = data.train.cols;
}

/// The train, validation and test examples of options.dataDir; fits the
/// topology to them (fitTopologyToData).
Expected<Splits> loadSplits(const TrainOptions &options, Topology &topology) {
  auto dataset = readDataset(options.dataDir, topology);
  if (!dataset)
    return Expected<Splits>::failure(dataset.error());
  fitTopologyToData(options.dataDir, *dataset, topology);
  if (dataset->train.count <= options.validationSize)
    return Expected<Splits>::failure(
        options.dataDir + ": its " + std::to_string(dataset->train.count) +
        " training images leave none to train on after the validation "
        "split of " + std::to_string(options.validationSize) +
        " (--validation-size)");
  Split split = splitTrainValidation(dataset->train.count,
                                     options.validationSize, options.seed);
  std::vector<int64_t> testIndices(dataset->test.count);
  for (int64_t i = 0; i < dataset->test.count; ++i)
    testIndices[i] = i;
  // Each rank validates its share; validate() sums the ranks' hits.
  std::vector<int64_t> validation =
      shardForRank(split.validation, options.world.rank, options.world.size,
                   /*padToEqual=*/false);
  return Splits{selectExamples(dataset->train, split.train, options.trainLimit),
                selectExamples(dataset->train, validation, 0),
                selectExamples(dataset->test, testIndices, options.testLimit),
                detectCifarFormat(options.dataDir) ? "crop,flip" : "none"};
}

/// The real-valued network input: pixel / 255 (the student's s_in = 1/255).
torch::Tensor toReal(const torch::Tensor &images) {
  return images.to(torch::kFloat).div(255.0);
}

/// toReal of every pixel value, for the batch loader's lookup.
std::array<float, 256> realPixelValues() {
  torch::Tensor values =
      toReal(torch::arange(256, torch::kLong).to(torch::kUInt8)).contiguous();
  std::array<float, 256> table;
  std::copy_n(values.data_ptr<float>(), 256, table.begin());
  return table;
}

/// The training examples as the batch loader reads them.
ImageView imageView(const Examples &examples) {
  const torch::Tensor &images = examples.images;
  return {images.data_ptr<uint8_t>(), examples.labels.data_ptr<int64_t>(),
          images.size(0), images.size(1), images.size(2), images.size(3)};
}

/// A loader's batch as tensors that own it: the real-valued images
/// [n, C, H, W] (what toReal makes of the pixels) and int64 labels [n].
std::pair<torch::Tensor, torch::Tensor> batchTensors(Batch batch,
                                                     const ImageView &view) {
  auto owner = std::make_shared<Batch>(std::move(batch));
  auto keep = [owner](void *) {};
  return {torch::from_blob(owner->images.data(),
                           {owner->size, view.channels, view.rows, view.cols},
                           keep, torch::kFloat),
          torch::from_blob(owner->labels.data(), {owner->size}, keep,
                           torch::kLong)};
}

//===----------------------------------------------------------------------===//
// The networks of a run, and the plan of steps
//===----------------------------------------------------------------------===//

/// Everything a checkpoint holds: the teacher being compensated, the frozen
/// stage-0 teacher (distillation target, PTQ baseline) and the student.
class Networks : public torch::nn::Module {
public:
  explicit Networks(const Topology &topology)
      : teacher(register_module("teacher",
                                std::make_shared<TeacherNet>(topology))),
        reference(register_module("reference",
                                  std::make_shared<TeacherNet>(topology))),
        student(register_module("student",
                                std::make_shared<StudentNet>(topology))) {}
  std::shared_ptr<TeacherNet> teacher, reference;
  std::shared_ptr<StudentNet> student;
};

void copyModuleState(torch::nn::Module &from, torch::nn::Module &to) {
  torch::NoGradGuard noGrad;
  auto fromParams = from.parameters(), toParams = to.parameters();
  for (size_t i = 0; i < fromParams.size(); ++i)
    toParams[i].copy_(fromParams[i]);
  auto fromBuffers = from.buffers(), toBuffers = to.buffers();
  for (size_t i = 0; i < fromBuffers.size(); ++i)
    toBuffers[i].copy_(fromBuffers[i]);
}

enum class StepKind { Teacher, LocalInit, Progressive, Direct, Qat, Finetune };

struct Step {
  StepKind kind;
  int stage;
  int layer; // Progressive only
  int maxEpochs;
  bool usePatience;
  double lr;
};

std::vector<Step> planSteps(const TrainOptions &o, int numLayers) {
  // A teacher taken from another run trains for no epoch here.
  int teacherEpochs = o.teacherFrom.empty() ? o.teacherEpochs : 0;
  std::vector<Step> plan = {
      {StepKind::Teacher, 0, -1, teacherEpochs, false, o.teacherLr}};
  // The ablation and the QAT baseline train the whole network with the
  // budget that stage 2 may spend on its layers.
  if (o.method == "direct" || o.method == "qat") {
    plan.push_back({o.method == "qat" ? StepKind::Qat : StepKind::Direct, 2, -1,
                    o.layerEpochs * numLayers, true, o.studentLr});
  } else {
    plan.push_back({StepKind::LocalInit, 1, -1, 0, false, 0});
    for (int l = 0; l < numLayers; ++l)
      plan.push_back(
          {StepKind::Progressive, 2, l, o.layerEpochs, true, o.studentLr});
  }
  plan.push_back(
      {StepKind::Finetune, 3, -1, o.finetuneEpochs, false, o.studentLr});
  return plan;
}

std::string stepName(const Step &step, int numLayers) {
  switch (step.kind) {
  case StepKind::Teacher:
    return "stage 0 teacher";
  case StepKind::LocalInit:
    return "stage 1 local init";
  case StepKind::Progressive:
    return "stage 2 layer " + std::to_string(step.layer + 1) + "/" +
           std::to_string(numLayers);
  case StepKind::Direct:
    return "direct student";
  case StepKind::Qat:
    return "QAT with BN folding";
  case StepKind::Finetune:
    return "stage 3 integer fine-tune";
  }
  return "";
}

/// Where a run stands; a checkpoint stores it beside the networks.
struct Progress {
  int64_t step = 0;      // index into the plan
  int64_t epoch = 0;     // epochs of that step already done
  int64_t sinceBest = 0; // epochs since validation last improved
  double bestAccuracy = -1;
};

struct Run {
  const TrainOptions &options;
  Topology topology;
  Splits data;
  ScaleForm scaleForm;
  Augmentation augmentation; // of the training batches
  std::array<float, 256> pixelValues = realPixelValues();
  std::vector<Step> plan;
  std::shared_ptr<Networks> nets, best;
  Progress progress;
  std::ofstream csv; // rank 0 only
  int epochsThisProcess = 0;
  std::unique_ptr<Replicas> replicas;

  std::string path(const std::string &name) const {
    return options.outDir + "/" + name;
  }
};

std::string bitsName(unsigned weightBits, unsigned actBits) {
  return "W" + std::to_string(weightBits) + "A" + std::to_string(actBits);
}

/// Distinguishes runs whose checkpoints must not be mixed. Its first word
/// is the model (loadTeacherFrom reads it).
std::string configKey(const TrainOptions &o) {
  std::string bits = bitsName(o.weightBits, o.actBits);
  if (!o.layerBits.empty()) {
    bits.clear();
    for (auto [w, a] : o.layerBits)
      bits += (bits.empty() ? "" : ",") + bitsName(w, a);
  }
  return o.model + " " + o.method + " " + bits + " M" +
         std::to_string(o.multiplierBits) + (o.powerOfTwoScales ? " pow2" : "");
}

/// The per-layer bit widths of options.layerBits, if any, on the topology.
Expected<bool> applyLayerBits(Topology &topology, const TrainOptions &o) {
  if (o.layerBits.empty())
    return true;
  if (o.layerBits.size() != topology.layers.size())
    return Expected<bool>::failure(
        "the per-layer bit widths list " + std::to_string(o.layerBits.size()) +
        " layers; model " + topology.name + " has " +
        std::to_string(topology.layers.size()));
  for (size_t l = 0; l < o.layerBits.size(); ++l) {
    auto [w, a] = o.layerBits[l];
    if (w < 2 || w > 8 || a < 2 || a > 8)
      return Expected<bool>::failure("layer " + std::to_string(l + 1) + ": " +
                                     bitsName(w, a) +
                                     ": bit widths must be between 2 and 8");
    topology.layers[l].weightBits = w;
    topology.layers[l].actBits = a;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// Checkpoints: written to a temporary file, then renamed over the old one
//===----------------------------------------------------------------------===//

/// Rank 0 writes; every rank holds the same state (see runStep).
void saveCheckpoint(Run &run, torch::optim::Adam *optimizer) {
  if (!run.options.world.isRoot())
    return;
  torch::serialize::OutputArchive archive, nets, best;
  run.nets->save(nets);
  run.best->save(best);
  archive.write("nets", nets);
  archive.write("best", best);
  archive.write("progress",
                torch::tensor({run.progress.step, run.progress.epoch,
                               run.progress.sinceBest},
                              torch::kLong));
  archive.write("best_accuracy",
                torch::tensor({run.progress.bestAccuracy}, torch::kDouble));
  archive.write("config", c10::IValue(configKey(run.options)));
  if (optimizer) {
    torch::serialize::OutputArchive state;
    optimizer->save(state);
    archive.write("optimizer", state);
  }
  std::string final = run.path("checkpoint.pt"), temporary = final + ".tmp";
  archive.save_to(temporary);
  std::filesystem::rename(temporary, final);
}

/// Loads networks and progress; the optimizer state is read by loadOptimizer.
Expected<bool> loadCheckpoint(Run &run) {
  torch::serialize::InputArchive archive, nets, best;
  archive.load_from(run.path("checkpoint.pt"));
  c10::IValue config;
  archive.read("config", config);
  if (config.toStringRef() != configKey(run.options))
    return Expected<bool>::failure(
        run.path("checkpoint.pt") + " is for '" + config.toStringRef() +
        "', not '" + configKey(run.options) + "'");
  archive.read("nets", nets);
  run.nets->load(nets);
  archive.read("best", best);
  run.best->load(best);
  torch::Tensor progress, bestAccuracy;
  archive.read("progress", progress);
  archive.read("best_accuracy", bestAccuracy);
  run.progress = {progress[0].item<int64_t>(), progress[1].item<int64_t>(),
                  progress[2].item<int64_t>(), bestAccuracy[0].item<double>()};
  return true;
}

void loadOptimizer(Run &run, torch::optim::Adam &optimizer) {
  torch::serialize::InputArchive archive, state;
  archive.load_from(run.path("checkpoint.pt"));
  if (archive.try_read("optimizer", state))
    optimizer.load(state);
}

/// This run's teacher ← the stage-0 teacher of the run in `dir`: its
/// checkpoint's reference network, or its teacher while the step after
/// stage 0 has not begun (startStep copies the teacher to the reference).
Expected<bool> loadTeacherFrom(Run &run, const std::string &dir) {
  auto fail = [](const std::string &why) { return Expected<bool>::failure(why); };
  std::string path = dir + "/checkpoint.pt";
  if (!std::filesystem::exists(path))
    return fail(path + ": no such file (train that run first)");
  torch::serialize::InputArchive archive, nets;
  archive.load_from(path);
  c10::IValue config;
  archive.read("config", config);
  std::string model = config.toStringRef().substr(
      0, config.toStringRef().find(' '));
  if (model != run.options.model)
    return fail(path + " is a " + model + " run, not " + run.options.model);
  torch::Tensor progress;
  archive.read("progress", progress);
  int64_t step = progress[0].item<int64_t>(), epoch = progress[1].item<int64_t>();
  if (step < 1)
    return fail(path + ": its teacher is not trained yet (stage 0 unfinished)");
  archive.read("nets", nets);
  Networks source(run.topology);
  source.load(nets);
  copyModuleState(step == 1 && epoch == 0 ? *source.teacher : *source.reference,
                  *run.nets->teacher);
  return true;
}

//===----------------------------------------------------------------------===//
// Stage 1: local initialisation of one student layer
//===----------------------------------------------------------------------===//

/// [N, O, ...] → [O, N * ...]: one row per output channel.
torch::Tensor channelRows(const torch::Tensor &t) {
  return t.transpose(0, 1).reshape({t.size(1), -1});
}

/// Initialises student layer l from teacher layer l (BN folded) and, with
/// fitAffine, fits gamma and beta by per-channel least squares so that
/// gamma z + beta matches the teacher's post-BN output for the same input
/// (the teacher's layer input on the student's input grid). Then searches
/// the activation scale for the student's output (a join's: its y plus the
/// teacher's shortcut on the student's grid; a projection has none).
void initLayer(StudentNet &student, TeacherNet &teacher, size_t l,
               const torch::Tensor &images, bool fitAffine) {
  torch::NoGradGuard noGrad;
  teacher.eval();
  StudentLayer &layer = *student.layers[l];
  const std::vector<LayerSpec> &specs = student.topology.layers;
  initFromTeacher(layer, *teacher.layers[l]);
  torch::Tensor image = toReal(images);
  std::vector<torch::Tensor> outputs = runNetwork(teacher, image, l);
  // The teacher's output of layer `source` as the student would hold it:
  // activations on their student layer's codes.
  auto onStudentGrid = [&](int source) {
    if (source == kImage || specs[source].projection)
      return source == kImage ? image : outputs[source];
    double scale = student.outputScale(source);
    double qmax = unsignedMax(specs[source].actBits);
    return quantizeCodes(outputs[source], torch::tensor(scale), 0, qmax) *
           scale;
  };
  torch::Tensor target =
      teacher.layers[l]->preActivation(layerInput(specs, l, image, outputs));
  torch::Tensor input = onStudentGrid(layer.spec.source(l));
  double inScale = student.inputScale(l);
  if (fitAffine) {
    torch::Tensor z = channelRows(layer.accumulate(input));
    torch::Tensor t = channelRows(target);
    torch::Tensor zMean = z.mean(1), tMean = t.mean(1);
    if (layer.classifier) {
      layer.beta.copy_(tMean - zMean);
    } else {
      torch::Tensor zc = z - zMean.unsqueeze(1);
      torch::Tensor gamma = (zc * (t - tMean.unsqueeze(1))).mean(1) /
                            zc.pow(2).mean(1).clamp_min(1e-12);
      // A zero gamma has no (M, s) form; keep its sign, bound its size.
      gamma = torch::where(gamma < 0, -1.0, 1.0) * gamma.abs().clamp_min(1e-4);
      layer.gamma.copy_(gamma);
      layer.beta.copy_(tMean - gamma * zMean);
    }
  }
  if (layer.actScale.defined()) {
    torch::Tensor y = layer.preActivation(input, inScale);
    if (layer.spec.isJoin())
      y = y + onStudentGrid(layer.spec.shortcut);
    layer.actScale.copy_(
        searchScale(y.relu(), 1, 0, unsignedMax(layer.spec.actBits)));
  }
}

/// The ablation's start: a random BN-free student whose activation scales
/// are searched layer by layer along its own forward pass.
void calibrateOwnChain(StudentNet &student, const torch::Tensor &images) {
  torch::NoGradGuard noGrad;
  runLayers(
      student.topology.layers, toReal(images), student.layers.size() - 1,
      [&](size_t l, const torch::Tensor &input, const torch::Tensor &shortcut) {
        StudentLayer &layer = *student.layers[l];
        if (layer.actScale.defined()) {
          torch::Tensor y = layer.preActivation(input, student.inputScale(l));
          if (layer.spec.isJoin())
            y = y + shortcut;
          layer.actScale.copy_(
              searchScale(y.relu(), 1, 0, unsignedMax(layer.spec.actBits)));
        }
        return student.layerForward(l, input, shortcut);
      });
}

/// A fixed slice of the training split for calibration and least squares.
torch::Tensor calibrationImages(const Run &run) {
  return run.data.train.images.narrow(
      0, 0, std::min<int64_t>(512, run.data.train.size()));
}

//===----------------------------------------------------------------------===//
// One step: what trains, what runs, how it is validated
//===----------------------------------------------------------------------===//

/// Freezes everything, then unfreezes and returns what this step trains.
std::vector<torch::Tensor> trainableParameters(Run &run, const Step &step) {
  for (torch::Tensor &p : run.nets->parameters())
    p.set_requires_grad(false);
  std::vector<torch::Tensor> params;
  auto add = [&](const std::vector<torch::Tensor> &more) {
    params.insert(params.end(), more.begin(), more.end());
  };
  StudentNet &student = *run.nets->student;
  TeacherNet &teacher = *run.nets->teacher;
  switch (step.kind) {
  case StepKind::Teacher:
    add(teacher.parameters());
    break;
  case StepKind::Progressive:
    add(student.layers[step.layer]->parameters());
    for (size_t k = step.layer + 1; k < teacher.layers.size(); ++k)
      add(teacher.layers[k]->parameters());
    break;
  case StepKind::Direct:
    add(student.parameters());
    break;
  case StepKind::Qat: // the teacher's weights and BN, the student's scales
    add(teacher.parameters());
    for (auto &layer : student.layers)
      add(layer->actScale.defined()
              ? std::vector{layer->weightScale, layer->actScale}
              : std::vector{layer->weightScale}); // classifier, projections
    break;
  case StepKind::Finetune: // scales stay at their integer form
    for (auto &layer : student.layers)
      add({layer->weight, layer->beta});
    break;
  case StepKind::LocalInit:
    break;
  }
  for (torch::Tensor &p : params)
    p.set_requires_grad(true);
  return params;
}

torch::Tensor stepForward(Run &run, const Step &step, const torch::Tensor &x) {
  switch (step.kind) {
  case StepKind::Teacher:
    return run.nets->teacher->forward(x);
  case StepKind::Progressive:
    return tandemForward(*run.nets->student, *run.nets->teacher, x,
                         step.layer + 1);
  case StepKind::Qat:
    return qatBnFoldForward(*run.nets->student, *run.nets->teacher, x);
  default:
    return run.nets->student->forward(x);
  }
}

/// Cross-entropy, plus (for students) distillation from the stage-0
/// teacher's logits at temperature 2.
torch::Tensor stepLoss(Run &run, const Step &step, const torch::Tensor &x,
                       const torch::Tensor &logits,
                       const torch::Tensor &labels) {
  torch::Tensor loss = at::cross_entropy_loss(logits, labels);
  double weight = run.options.distillWeight;
  if (step.kind == StepKind::Teacher || weight <= 0)
    return loss;
  const double temperature = 2.0;
  torch::Tensor target;
  {
    torch::NoGradGuard noGrad;
    target = run.nets->reference->forward(x).div(temperature).softmax(1);
  }
  torch::Tensor logP = logits.div(temperature).log_softmax(1);
  torch::Tensor kl = (target * (target.clamp_min(1e-12).log() - logP)).sum(1);
  return loss + weight * temperature * temperature * kl.mean();
}

double percent(int64_t correct, int64_t total) {
  return 100.0 * double(correct) / double(std::max<int64_t>(1, total));
}

/// How many argmax predictions of logitsOf over examples are correct.
template <typename LogitsOf>
int64_t countCorrect(const Examples &examples, LogitsOf logitsOf) {
  torch::NoGradGuard noGrad;
  int64_t correct = 0;
  for (int64_t start = 0; start < examples.size(); start += 1000) {
    int64_t n = std::min<int64_t>(1000, examples.size() - start);
    torch::Tensor logits = logitsOf(examples.images.narrow(0, start, n));
    correct += logits.argmax(1)
                   .eq(examples.labels.narrow(0, start, n))
                   .sum()
                   .item<int64_t>();
  }
  return correct;
}

Expected<int64_t> countCorrectInInteger(Run &run, StudentNet &student,
                                        const Examples &examples) {
  auto net = toIntegerNet(student, run.scaleForm, run.options.multiplierBits);
  if (!net)
    return Expected<int64_t>::failure(net.error());
  return countCorrect(examples, [&](const torch::Tensor &images) {
    return simulateInteger(*net, images);
  });
}

bool validatesInInteger(const Step &step) {
  return step.kind == StepKind::Finetune || step.kind == StepKind::LocalInit;
}

/// Validation accuracy of what the step trains: exact integer simulation
/// once the network is all student with integer scales, else float. Every
/// rank counts its share and gets the same total, so the patience scheduler
/// decides alike everywhere.
Expected<double> validate(Run &run, const Step &step) {
  Expected<int64_t> correct = 0;
  if (validatesInInteger(step)) {
    correct = countCorrectInInteger(run, *run.nets->student, run.data.validation);
    if (!correct)
      return Expected<double>::failure(correct.error());
  } else {
    run.nets->eval();
    correct = countCorrect(run.data.validation, [&](const torch::Tensor &images) {
      return stepForward(run, step, toReal(images));
    });
  }
  torch::Tensor counts =
      torch::tensor({*correct, run.data.validation.size()}, torch::kLong);
  run.replicas->sumInPlace(counts);
  return percent(counts[0].item<int64_t>(), counts[1].item<int64_t>());
}

/// What happens once when a step begins (not again when it resumes).
Expected<bool> startStep(Run &run, const Step &step) {
  StudentNet &student = *run.nets->student;
  TeacherNet &teacher = *run.nets->teacher;
  torch::Tensor images = calibrationImages(run);
  switch (step.kind) {
  case StepKind::Teacher:
    if (!run.options.teacherFrom.empty())
      return loadTeacherFrom(run, run.options.teacherFrom);
    break;
  case StepKind::LocalInit:
    copyModuleState(teacher, *run.nets->reference);
    for (size_t l = 0; l < student.layers.size(); ++l)
      initLayer(student, teacher, l, images, /*fitAffine=*/true);
    break;
  case StepKind::Progressive:
    initLayer(student, teacher, step.layer, images, /*fitAffine=*/true);
    break;
  case StepKind::Direct:
    copyModuleState(teacher, *run.nets->reference);
    calibrateOwnChain(student, images);
    break;
  case StepKind::Qat: // starts from the BN-fold + PTQ scales
    copyModuleState(teacher, *run.nets->reference);
    for (size_t l = 0; l < student.layers.size(); ++l)
      initLayer(student, teacher, l, images, /*fitAffine=*/false);
    break;
  case StepKind::Finetune: {
    auto net = toIntegerNet(student, run.scaleForm, run.options.multiplierBits);
    if (!net)
      return Expected<bool>::failure(net.error());
    snapToIntegerScales(student, *net);
    break;
  }
  }
  return true;
}

//===----------------------------------------------------------------------===//
// The epoch loop with the patience scheduler
//===----------------------------------------------------------------------===//

struct EpochStats {
  double loss = 0, accuracy = 0, seconds = 0;
  int64_t images = 0;
};

/// Scales must stay positive for the quantizers and the (M, s) derivation.
void keepScalesPositive(StudentNet &student) {
  torch::NoGradGuard noGrad;
  for (auto &layer : student.layers) {
    layer->weightScale.clamp_min_(1e-8);
    if (layer->actScale.defined())
      layer->actScale.clamp_min_(1e-8);
  }
}

/// One epoch of this rank's share of the epoch's order: every rank draws
/// the same seeded order and takes its shard; gradients are averaged over
/// the ranks. The statistics returned are the ranks' totals.
EpochStats trainEpoch(Run &run, const Step &step, torch::optim::Adam &optimizer,
                      GradientAverager &averager, const std::string &label) {
  const TrainOptions &o = run.options;
  const Examples &train = run.data.train;
  uint64_t shuffleSeed = o.seed * 1000003 + uint64_t(run.progress.step) * 1009 +
                         uint64_t(run.progress.epoch);
  std::vector<int64_t> order = seededPermutation(train.size(), shuffleSeed);
  if (o.epochSize > 0 && int64_t(order.size()) > o.epochSize)
    order.resize(o.epochSize);
  EpochBatches epoch;
  epoch.indices =
      shardForRank(order, o.world.rank, o.world.size, /*padToEqual=*/true);
  epoch.batchSize = o.batchSize;
  epoch.firstPosition = o.world.rank;
  epoch.positionStride = o.world.size;
  epoch.augmentation = run.augmentation;
  epoch.augmentSeed = shuffleSeed;
  epoch.pixelValue = run.pixelValues;
  int64_t batches = epoch.batches();
  ImageView view = imageView(train);
  const int queueDepth = 4;
  BatchLoader loader(view, std::move(epoch), o.loaderThreads, queueDepth);

  run.nets->train();
  run.nets->reference->eval();
  EpochStats stats;
  int64_t correct = 0;
  auto start = Clock::now();
  for (int64_t b = 0; b < batches; ++b) {
    auto [x, labels] = batchTensors(*loader.next(), view);
    torch::Tensor logits = stepForward(run, step, x);
    torch::Tensor loss = stepLoss(run, step, x, logits, labels);
    optimizer.zero_grad();
    averager.backward(loss);
    optimizer.step();
    keepScalesPositive(*run.nets->student);

    stats.loss += loss.item<double>() * double(labels.size(0));
    correct += logits.argmax(1).eq(labels).sum().item<int64_t>();
    stats.images += labels.size(0);
    if (o.showProgress && o.world.isRoot() &&
        (b % 20 == 19 || b + 1 == batches)) {
      double elapsed = secondsSince(start);
      std::fprintf(stderr,
                   "\r  %s  %lld/%lld batches  %.1f batch/s  loss %.4f  "
                   "acc %.2f%%   ",
                   label.c_str(), (long long)(b + 1), (long long)batches,
                   double(b + 1) / elapsed, stats.loss / stats.images,
                   100.0 * correct / stats.images);
    }
  }
  if (o.showProgress && o.world.isRoot())
    std::fprintf(stderr, "\n");
  torch::Tensor totals = torch::tensor(
      {stats.loss, double(correct), double(stats.images)}, torch::kDouble);
  run.replicas->sumInPlace(totals);
  stats.loss = totals[0].item<double>();
  correct = int64_t(totals[1].item<double>());
  stats.images = int64_t(totals[2].item<double>());
  stats.seconds = secondsSince(start);
  stats.loss /= double(std::max<int64_t>(1, stats.images));
  stats.accuracy = 100.0 * correct / double(std::max<int64_t>(1, stats.images));
  return stats;
}

void logEpoch(Run &run, const Step &step, double lr, const EpochStats &stats,
              double validation) {
  if (!run.options.world.isRoot())
    return;
  run.csv << step.stage << ',' << step.layer + 1 << ',' << run.progress.epoch
          << ',' << lr << ',' << stats.loss << ',' << stats.accuracy << ','
          << validation << ',' << (validatesInInteger(step) ? "integer" : "float")
          << ',' << stats.seconds << ','
          << (stats.seconds > 0 ? stats.images / stats.seconds : 0) << '\n';
  run.csv.flush();
}

double cosineLr(double base, int64_t epoch, int maxEpochs) {
  return base * 0.5 * (1.0 + std::cos(M_PI * double(epoch) / maxEpochs));
}

void setLr(torch::optim::Adam &optimizer, double lr) {
  for (auto &group : optimizer.param_groups())
    static_cast<torch::optim::AdamOptions &>(group.options()).lr(lr);
}

/// Records the epoch's validation result; true when it is the best so far.
bool recordValidation(Run &run, double validation) {
  if (validation > run.progress.bestAccuracy) {
    run.progress.bestAccuracy = validation;
    run.progress.sinceBest = 0;
    copyModuleState(*run.nets, *run.best);
    return true;
  }
  ++run.progress.sinceBest;
  return false;
}

/// Moves to the next step: restores the best epoch, resets the scheduler.
/// QAT ends by folding the teacher's BN into the student's weights and bias.
void finishStep(Run &run, const Step &step) {
  if (step.maxEpochs > 0 && run.progress.bestAccuracy >= 0)
    copyModuleState(*run.best, *run.nets);
  if (step.kind == StepKind::Qat)
    for (size_t l = 0; l < run.nets->student->layers.size(); ++l)
      foldBatchNorm(*run.nets->student->layers[l], *run.nets->teacher->layers[l]);
  run.progress = {run.progress.step + 1, 0, 0, -1};
  saveCheckpoint(run, nullptr);
}

/// Runs (or resumes) the current step. False when stopAfterEpochs stopped it.
Expected<bool> runStep(Run &run) {
  const Step &step = run.plan[run.progress.step];
  std::string label = stepName(step, int(run.topology.layers.size()));
  bool resuming = run.progress.epoch > 0;
  if (!resuming) {
    auto started = startStep(run, step);
    if (!started)
      return started;
  }
  if (step.maxEpochs == 0) {
    auto validation = validate(run, step);
    if (!validation)
      return Expected<bool>::failure(validation.error());
    if (run.options.world.isRoot())
      std::fprintf(stderr, "%s: validation %.2f%% (%s)\n", label.c_str(),
                   *validation, validatesInInteger(step) ? "integer" : "float");
    logEpoch(run, step, 0, EpochStats{}, *validation);
    finishStep(run, step);
    return true;
  }
  // Every rank starts the step from rank 0's networks (they agree already:
  // same seed, same data, same checkpoint; this makes sure of it).
  run.replicas->broadcastFromRoot(run.nets->parameters());
  run.replicas->broadcastFromRoot(run.nets->buffers());
  std::vector<torch::Tensor> trained = trainableParameters(run, step);
  torch::optim::Adam optimizer(trained, torch::optim::AdamOptions(step.lr));
  if (resuming)
    loadOptimizer(run, optimizer);
  GradientAverager averager(*run.replicas, trained);
  while (run.progress.epoch < step.maxEpochs) {
    double lr = cosineLr(step.lr, run.progress.epoch, step.maxEpochs);
    setLr(optimizer, lr);
    std::string epochLabel = label + " epoch " +
                             std::to_string(run.progress.epoch + 1) + "/" +
                             std::to_string(step.maxEpochs);
    EpochStats stats = trainEpoch(run, step, optimizer, averager, epochLabel);
    auto validation = validate(run, step);
    if (!validation)
      return Expected<bool>::failure(validation.error());
    bool improved = recordValidation(run, *validation);
    ++run.progress.epoch;
    saveCheckpoint(run, &optimizer);
    logEpoch(run, step, lr, stats, *validation);
    if (run.options.world.isRoot())
      std::fprintf(stderr,
                   "%s: train loss %.4f acc %.2f%% | val %.2f%% (%s)%s | %.1f s, "
                   "%.0f img/s\n",
                   epochLabel.c_str(), stats.loss, stats.accuracy, *validation,
                   validatesInInteger(step) ? "integer" : "float",
                   improved ? " best" : "", stats.seconds,
                   stats.images / stats.seconds);
    ++run.epochsThisProcess;
    if (run.options.stopAfterEpochs > 0 &&
        run.epochsThisProcess >= run.options.stopAfterEpochs)
      return false;
    if (step.usePatience && run.progress.sinceBest >= run.options.patience)
      break;
  }
  finishStep(run, step);
  return true;
}

//===----------------------------------------------------------------------===//
// The final report
//===----------------------------------------------------------------------===//

uint64_t fingerprint(const IntegerNet &net) {
  uint64_t hash = 1469598103934665603ULL; // FNV-1a
  auto mix = [&](int64_t v) {
    for (int byte = 0; byte < 8; ++byte) {
      hash ^= uint64_t(v >> (8 * byte)) & 0xff;
      hash *= 1099511628211ULL;
    }
  };
  for (const IntegerLayer &layer : net.layers) {
    for (torch::Tensor t : {layer.weight.contiguous(), layer.bias.contiguous()})
      for (int64_t i = 0; i < t.numel(); ++i)
        mix(t.data_ptr<int64_t>()[i]);
    std::vector<rules::MultiplierShift> scales = layer.requant;
    scales.push_back(layer.shortcutRequant);
    scales.push_back(layer.poolRequant);
    for (const rules::MultiplierShift &ms : scales) {
      mix(ms.multiplier);
      mix(ms.shift);
    }
  }
  return hash;
}

/// The student's integer parameters, one archive entry per tensor:
/// layer<i>_weight, _bias (int64), _multiplier, _shift (per channel, hidden
/// layers), _bits (weight, output activation, input bits), _graph (input
/// layer, shortcut layer (-1: none), projection 0/1, residual shift),
/// _shortcut and _pool (M, s of an identity shortcut and a global average).
void saveIntegerNet(const IntegerNet &net, const std::string &path) {
  torch::serialize::OutputArchive archive;
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const IntegerLayer &layer = net.layers[i];
    std::string prefix = "layer" + std::to_string(i) + "_";
    archive.write(prefix + "weight", layer.weight);
    archive.write(prefix + "bias", layer.bias);
    std::vector<int64_t> multipliers, shifts;
    for (const rules::MultiplierShift &ms : layer.requant) {
      multipliers.push_back(ms.multiplier);
      shifts.push_back(ms.shift);
    }
    archive.write(prefix + "multiplier", torch::tensor(multipliers, torch::kLong));
    archive.write(prefix + "shift", torch::tensor(shifts, torch::kLong));
    archive.write(prefix + "bits",
                  torch::tensor({int64_t(layer.spec.weightBits),
                                 int64_t(layer.spec.actBits),
                                 int64_t(layer.inputBits)},
                                torch::kLong));
    const LayerSpec &spec = layer.spec;
    archive.write(
        prefix + "graph",
        torch::tensor(
            {int64_t(spec.source(i)), int64_t(spec.shortcut),
             int64_t(spec.projection),
             int64_t(spec.isJoin() ? residualShift(spec.actBits) : 0)},
            torch::kLong));
    for (const auto &[name, ms] : {std::pair{"shortcut", layer.shortcutRequant},
                                   std::pair{"pool", layer.poolRequant}})
      archive.write(prefix + name,
                    torch::tensor({int64_t(ms.multiplier), int64_t(ms.shift)},
                                  torch::kLong));
  }
  archive.save_to(path + ".tmp");
  std::filesystem::rename(path + ".tmp", path);
}

/// Teacher (float), BN-fold + PTQ baseline and student (integer simulation)
/// on the test set; writes student-int.pt, student.mlir (the integer student
/// as a qnn module), student-test-logits.bin (its integer-simulation logits
/// on the test set, int32, image-major) and summary.txt.
Expected<TrainReport> report(Run &run, double seconds) {
  TrainReport r;
  r.finished = true;
  r.seconds = seconds;
  TeacherNet &reference = *run.nets->reference;
  reference.eval();
  const Examples &test = run.data.test;
  r.teacherAccuracy = percent(
      countCorrect(test, [&](const torch::Tensor &images) {
        return reference.forward(toReal(images));
      }),
      test.size());
  StudentNet ptq(run.topology);
  torch::Tensor images = calibrationImages(run);
  for (size_t l = 0; l < ptq.layers.size(); ++l)
    initLayer(ptq, reference, l, images, /*fitAffine=*/false);
  auto ptqCorrect = countCorrectInInteger(run, ptq, test);
  if (!ptqCorrect)
    return Expected<TrainReport>::failure("PTQ baseline: " + ptqCorrect.error());
  r.ptqAccuracy = percent(*ptqCorrect, test.size());
  auto net = toIntegerNet(*run.nets->student, run.scaleForm,
                          run.options.multiplierBits);
  if (!net)
    return Expected<TrainReport>::failure(net.error());
  std::vector<int32_t> testLogits; // image-major, for the bit-exact check
  r.studentAccuracy = percent(
      countCorrect(test, [&](const torch::Tensor &images) {
        torch::Tensor logits = simulateInteger(*net, images);
        torch::Tensor flat = logits.to(torch::kInt).contiguous().reshape({-1});
        testLogits.insert(testLogits.end(), flat.data_ptr<int32_t>(),
                          flat.data_ptr<int32_t>() + flat.numel());
        return logits;
      }),
      test.size());
  r.integerFingerprint = fingerprint(*net);
  saveIntegerNet(*net, run.path("student-int.pt"));
  ExportedStudent exported = exportStudent(*net, run.topology);
  std::vector<Expected<bool>> written = {
      writeQnnModule(exported, run.path("student.mlir")),
      writeInt32File(testLogits, run.path("student-test-logits.bin"))};
  std::optional<std::string> noOnnx = onnxUnsupported(exported);
  const std::vector<std::pair<OnnxForm, std::string>> onnxFiles = {
      {OnnxForm::QOnnx, "student.onnx"},
      {OnnxForm::Qdq, "student-qdq.onnx"},
      {OnnxForm::QdqLayers, "student-qdq-layers.onnx"}};
  for (const auto &[form, name] : onnxFiles) {
    if (noOnnx) // no stale file of an earlier run either
      std::filesystem::remove(run.path(name));
    else
      written.push_back(writeOnnxModel(exported, form, run.path(name)));
  }
  for (const Expected<bool> &w : written)
    if (!w)
      return Expected<TrainReport>::failure(w.error());
  if (noOnnx)
    std::fprintf(stderr, "qnn-train: no ONNX export: %s\n", noOnnx->c_str());

  std::ofstream summary(run.path("summary.txt"));
  summary << "config " << configKey(run.options) << "\n"
          << "teacher_fp_bn_test_accuracy " << r.teacherAccuracy << "\n"
          << "bnfold_ptq_integer_test_accuracy " << r.ptqAccuracy << "\n"
          << "student_integer_test_accuracy " << r.studentAccuracy << "\n"
          << "seconds_this_process " << r.seconds << "\n";
  if (noOnnx)
    summary << "onnx_export none: " << *noOnnx << "\n";
  auto plot = writeAccuracyPlot(run.options.outDir);
  if (!plot)
    return Expected<TrainReport>::failure(plot.error());
  return r;
}

Expected<bool> checkOptions(const TrainOptions &o) {
  auto fail = [](const std::string &why) { return Expected<bool>::failure(why); };
  if (o.method != "ptl" && o.method != "direct" && o.method != "qat")
    return fail("unknown method '" + o.method +
                "' (expected ptl, direct or qat)");
  if (o.teacherEpochs < 1 || o.layerEpochs < 1 || o.finetuneEpochs < 0)
    return fail("teacher and layer epochs must be at least 1, fine-tune "
                "epochs at least 0");
  if (o.patience < 1 || o.batchSize < 1 || o.threads < 1)
    return fail("patience, batch size and threads must be at least 1");
  if (o.loaderThreads < 0 || o.cropPadding < 0)
    return fail("loader threads and crop padding must not be negative");
  if (o.multiplierBits < 1 || o.multiplierBits > 31)
    return fail(std::string(
        rules::deriveErrorMessage(rules::DeriveError::BadWidth)));
  return true;
}

/// Why the topology cannot take its input shape: the first layer whose
/// windows do not fit ("layer 4's output would be 64x0x0"), or nothing.
std::string layerThatVanishes(const Topology &t) {
  std::vector<LayerShapes> shapes = layerShapes(t);
  for (size_t i = 0; i < shapes.size(); ++i) {
    const MapShape &out = shapes[i].output;
    if (out.rows < 1 || out.cols < 1)
      return "layer " + std::to_string(i) + "'s output would be " +
             std::to_string(out.channels) + "x" + std::to_string(out.rows) +
             "x" + std::to_string(out.cols);
  }
  return "";
}

/// The run's networks. A model that cannot take the data's images fails
/// here with one line, not in the middle of a step: the shapes are checked,
/// then the teacher runs once on a blank image (whatever else LibTorch
/// refuses).
Expected<bool> buildNetworks(Run &run) {
  const Topology &t = run.topology;
  auto fail = [&](const std::string &why) {
    return Expected<bool>::failure(
        "model " + t.name + " cannot take the " + std::to_string(t.channels) +
        "x" + std::to_string(t.rows) + "x" + std::to_string(t.cols) +
        " images of " + run.options.dataDir + ": " + why);
  };
  if (std::string why = layerThatVanishes(t); !why.empty())
    return fail(why);
  try {
    run.nets = std::make_shared<Networks>(t);
    run.best = std::make_shared<Networks>(t);
    torch::NoGradGuard noGrad;
    TeacherNet &teacher = *run.nets->teacher;
    teacher.eval(); // running statistics stay untouched
    teacher.forward(torch::zeros({1, t.channels, t.rows, t.cols}));
    teacher.train();
  } catch (const std::exception &e) {
    std::string what = e.what();
    return fail(what.substr(0, what.find('\n')));
  }
  return true;
}

/// A run of these options before its first step: data, plan, networks.
Expected<Run> prepareRun(const TrainOptions &options) {
  auto valid = checkOptions(options);
  if (!valid)
    return Expected<Run>::failure(valid.error());
  auto topology =
      makeTopology(options.model, options.weightBits, options.actBits);
  if (!topology)
    return Expected<Run>::failure(topology.error());
  if (auto bits = applyLayerBits(*topology, options); !bits)
    return Expected<Run>::failure(bits.error());
  auto data = loadSplits(options, *topology);
  if (!data)
    return Expected<Run>::failure(data.error());
  // The networks' initial weights are the seed's: same seed, same run.
  at::set_num_threads(options.threads);
  torch::manual_seed(options.seed);
  auto augmentation = parseAugmentation(
      options.augment.empty() ? data->defaultAugment : options.augment,
      options.cropPadding > 0 ? options.cropPadding
                              : defaultCropPadding(topology->rows));
  if (!augmentation)
    return Expected<Run>::failure(augmentation.error());
  Run run{options, *topology, std::move(*data),
          options.powerOfTwoScales ? ScaleForm::PowerOfTwo
                                   : ScaleForm::Multiplier,
          *augmentation};
  run.plan = planSteps(options, int(topology->layers.size()));
  auto built = buildNetworks(run);
  if (!built)
    return Expected<Run>::failure(built.error());
  return run;
}

/// An exclusive flock on DIR/.lock, held while this process trains into
/// DIR: a second qnn-train with the same --out would interleave its
/// checkpoints and log rows with this one's. The kernel releases it when
/// the process ends, however it ends.
class RunDirectoryLock {
public:
  static Expected<std::shared_ptr<RunDirectoryLock>>
  acquire(const std::string &dir) {
    using Result = Expected<std::shared_ptr<RunDirectoryLock>>;
    std::string path = dir + "/.lock";
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
      return Result::failure(path + ": " + std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd);
      return Result::failure(dir + ": another qnn-train is training into "
                                   "this directory");
    }
    return std::shared_ptr<RunDirectoryLock>(new RunDirectoryLock(fd));
  }
  ~RunDirectoryLock() { ::close(fd); }

private:
  explicit RunDirectoryLock(int fd) : fd(fd) {}
  int fd;
};

/// "data: DIR: 45000 train, 5000 validation, 10000 test images 3x32x32,
/// 10 classes; augmentation crop (padding 4), flip".
std::string describeData(const Run &run) {
  const Topology &t = run.topology;
  const Augmentation &a = run.augmentation;
  std::string augmentation =
      (a.cropPadding > 0
           ? "crop (padding " + std::to_string(a.cropPadding) + ")"
           : "") +
      (a.cropPadding > 0 && a.flip ? ", " : "") + (a.flip ? "flip" : "");
  return "data: " + run.options.dataDir + ": " +
         std::to_string(run.data.train.size()) + " train, " +
         std::to_string(run.data.validation.size()) + " validation, " +
         std::to_string(run.data.test.size()) + " test images " +
         std::to_string(t.channels) + "x" + std::to_string(t.rows) + "x" +
         std::to_string(t.cols) + ", " + std::to_string(t.numClasses) +
         " classes; augmentation " + (a.any() ? augmentation : "none");
}

Expected<TrainReport> runPipeline(const TrainOptions &options) {
  auto start = Clock::now();
  auto prepared = prepareRun(options);
  if (!prepared)
    return Expected<TrainReport>::failure(prepared.error());
  Run &run = *prepared;
  if (options.world.isRoot())
    std::fprintf(stderr, "%s\n", describeData(run).c_str());
  std::filesystem::create_directories(options.outDir);
  // Rank 0 alone writes the directory (ranks on one host share it).
  std::shared_ptr<RunDirectoryLock> lock;
  if (options.world.isRoot()) {
    auto acquired = RunDirectoryLock::acquire(options.outDir);
    if (!acquired)
      return Expected<TrainReport>::failure(acquired.error());
    lock = *acquired;
  }
  run.replicas = std::make_unique<Replicas>(options.world);
  if (!run.replicas->alone())
    for (auto &layer : run.nets->teacher->layers)
      layer->sumOverRanks = [&run](const torch::Tensor &t) {
        return run.replicas->sum(t);
      };
  bool resumed = options.resume &&
                 std::filesystem::exists(run.path("checkpoint.pt"));
  if (resumed) {
    auto loaded = loadCheckpoint(run);
    if (!loaded)
      return Expected<TrainReport>::failure(loaded.error());
    std::fprintf(stderr, "resuming at step %lld epoch %lld\n",
                 (long long)run.progress.step, (long long)run.progress.epoch);
  }
  if (!run.replicas->agree({resumed, run.progress.step, run.progress.epoch}))
    return Expected<TrainReport>::failure(
        "the ranks did not resume from the same checkpoint (each must read "
        "the same " + run.path("checkpoint.pt") + ")");
  // Rank 0 writes the log, the checkpoints and the report.
  if (options.world.isRoot()) {
    run.csv.open(run.path("log.csv"), resumed ? std::ios::app : std::ios::trunc);
    if (!run.csv)
      return Expected<TrainReport>::failure(run.path("log.csv") +
                                            ": cannot write");
    if (!resumed)
      run.csv << kTrainingLogHeader << '\n';
  }

  while (run.progress.step < int64_t(run.plan.size())) {
    auto completed = runStep(run);
    if (!completed)
      return Expected<TrainReport>::failure(completed.error());
    if (!*completed) {
      TrainReport stopped;
      stopped.seconds = secondsSince(start);
      return stopped;
    }
  }
  if (!options.world.isRoot()) {
    TrainReport done;
    done.finished = true;
    done.seconds = secondsSince(start);
    return done;
  }
  return report(run, secondsSince(start));
}

//===----------------------------------------------------------------------===//
// A finished run: per-layer dump, teacher latency
//===----------------------------------------------------------------------===//

/// The run of these options in options.outDir, which must be finished.
Expected<Run> loadFinishedRun(const TrainOptions &options) {
  std::string checkpoint = options.outDir + "/checkpoint.pt";
  if (!std::filesystem::exists(checkpoint))
    return Expected<Run>::failure(checkpoint + ": no such file (train first)");
  auto run = prepareRun(options);
  if (!run)
    return run;
  auto loaded = loadCheckpoint(*run);
  if (!loaded)
    return Expected<Run>::failure(loaded.error());
  if (run->progress.step < int64_t(run->plan.size()))
    return Expected<Run>::failure(
        checkpoint + ": the run is not finished (continue it with --resume)");
  return run;
}

Expected<bool> dumpLayers(const TrainOptions &options, int64_t image,
                          const std::string &dir) {
  auto run = loadFinishedRun(options);
  if (!run)
    return Expected<bool>::failure(run.error());
  const Examples &test = run->data.test;
  if (image < 0 || image >= test.size())
    return Expected<bool>::failure("image " + std::to_string(image) +
                                   ": the test set has " +
                                   std::to_string(test.size()) + " images");
  auto net = toIntegerNet(*run->nets->student, run->scaleForm,
                          options.multiplierBits);
  if (!net)
    return Expected<bool>::failure(net.error());
  auto writer = LayerDumpWriter::create(dir);
  if (!writer)
    return Expected<bool>::failure(writer.error());
  Expected<bool> written = true;
  auto write = [&](const StepInModule &step, const torch::Tensor &values) {
    torch::Tensor flat = values.to(torch::kLong).contiguous().reshape({-1});
    if (written)
      written = writer->write(
          step.location, step.op, step.element, values.sizes().vec(),
          {flat.data_ptr<int64_t>(), flat.data_ptr<int64_t>() + flat.numel()});
  };
  // The module's one argument has no location: qnn-run names it arg0.
  torch::Tensor pixels = test.images.narrow(0, image, 1);
  write({"arg0", "argument", "ui8"}, pixels);
  ExportedStudent exported = exportStudent(*net, run->topology);
  simulateInteger(*net, pixels,
                  [&](size_t l, IntegerStep step, const torch::Tensor &values) {
                    write(describeStep(exported, l, step), values);
                  });
  return written;
}

Expected<std::vector<TeacherLatency>>
measureTeacher(const TrainOptions &options, const std::vector<int> &threads,
               int runs) {
  using Result = Expected<std::vector<TeacherLatency>>;
  auto run = loadFinishedRun(options);
  if (!run)
    return Result::failure(run.error());
  TeacherNet &teacher = *run->nets->reference; // the reported FP-BN teacher
  teacher.eval();
  c10::InferenceMode inference;
  // Distinct test images, converted beforehand: only forward() is timed.
  int64_t count = std::min<int64_t>(runs, run->data.test.size());
  torch::Tensor images = toReal(run->data.test.images.narrow(0, 0, count));
  std::vector<TeacherLatency> results;
  for (int n : threads) {
    at::set_num_threads(n);
    std::vector<double> micros;
    for (int i = -runs / 10; i < runs; ++i) { // the first tenth warms up
      torch::Tensor x = images.narrow(0, (i + runs) % count, 1);
      auto start = Clock::now();
      teacher.forward(x);
      if (i >= 0)
        micros.push_back(1e6 * secondsSince(start));
    }
    std::nth_element(micros.begin(), micros.begin() + runs / 2, micros.end());
    double median = micros[runs / 2];
    results.push_back({n, runs, median, 1e6 / median});
  }
  return results;
}

/// LibTorch reports shape errors, I/O failures etc. as exceptions; the
/// public entry points turn them into values here.
template <typename T, typename Body> Expected<T> catchingErrors(Body body) {
  try {
    return body();
  } catch (const std::exception &e) {
    std::string what = e.what();
    return Expected<T>::failure(what.substr(0, what.find('\n')));
  }
}

} // namespace

Schedule defaultSchedule(const TrainOptions &o) {
  unsigned lowest = std::min(o.weightBits, o.actBits);
  if (!o.layerBits.empty()) {
    lowest = o.layerBits.back().first; // the classifier: weights only
    for (size_t l = 0; l + 1 < o.layerBits.size(); ++l)
      lowest = std::min({lowest, o.layerBits[l].first, o.layerBits[l].second});
  }
  return lowest <= 2 ? kLowBitSchedule : kSchedule;
}

Expected<TrainReport> runTraining(const TrainOptions &options) {
  // Tensors of a few MB are allocated and freed every batch; glibc would
  // mmap and unmap each one (page faults galore). Keep them on the heap.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  return catchingErrors<TrainReport>([&] { return runPipeline(options); });
}

Expected<bool> dumpStudentLayers(const TrainOptions &options, int64_t image,
                                 const std::string &dir) {
  return catchingErrors<bool>(
      [&] { return dumpLayers(options, image, dir); });
}

Expected<std::vector<TeacherLatency>>
benchmarkTeacher(const TrainOptions &options, const std::vector<int> &threads,
                 int runs) {
  if (runs < 1)
    return Expected<std::vector<TeacherLatency>>::failure(
        "the benchmark needs at least one run");
  return catchingErrors<std::vector<TeacherLatency>>(
      [&] { return measureTeacher(options, threads, runs); });
}

} // namespace qnn::train
