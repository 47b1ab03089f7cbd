//===- Model.cpp - Teacher, student, quantizers, integer simulation -------===//

#include "Model.h"

#include <torch/nn/init.h>
#include <torch/utils.h>

#include <algorithm>
#include <cmath>

namespace qnn::train {

namespace rules = qnn::rules;

//===----------------------------------------------------------------------===//
// Topology
//===----------------------------------------------------------------------===//

const char *const kModelNames = "lenet5, vgg-small, alexnet-cifar, "
                                "alexnet-imagenet, resnet20 or resnet18";

namespace {

LayerSpec conv(int64_t out, int64_t kernel, int64_t padding, PoolSpec pool = {},
               int64_t stride = 1) {
  LayerSpec layer;
  layer.kind = LayerKind::Conv;
  layer.outFeatures = out;
  layer.kernel = kernel;
  layer.padding = padding;
  layer.pool = pool;
  layer.stride = stride;
  return layer;
}

LayerSpec linear(int64_t out) {
  LayerSpec layer;
  layer.kind = LayerKind::Linear;
  layer.outFeatures = out;
  layer.kernel = 1;
  layer.padding = 0;
  return layer;
}

/// A basic residual block (two 3x3 convs) of `width` channels after the
/// last layer of `layers`: conv1 (stride), then a 1x1 projection (same
/// stride) where the shape changes, then conv2, the join.
void addResidualBlock(std::vector<LayerSpec> &layers, int64_t width,
                      int64_t stride) {
  int blockInput = int(layers.size()) - 1;
  int conv1 = int(layers.size());
  layers.push_back(conv(width, 3, 1, {}, stride));
  int shortcut = blockInput;
  if (stride != 1 || layers[blockInput].outFeatures != width) {
    LayerSpec projection = conv(width, 1, 0, {}, stride);
    projection.input = blockInput;
    projection.projection = true;
    shortcut = int(layers.size());
    layers.push_back(projection);
  }
  LayerSpec join = conv(width, 3, 1);
  join.input = conv1;
  join.shortcut = shortcut;
  layers.push_back(join);
}

/// A ResNet: `blocks` basic blocks per stage, stage widths `widths`, the
/// first block of every stage but the first with stride 2; global average
/// pool after the last block, then the classifier.
void addResidualStages(Topology &t, const std::vector<int64_t> &widths,
                       int blocks) {
  for (size_t stage = 0; stage < widths.size(); ++stage)
    for (int b = 0; b < blocks; ++b)
      addResidualBlock(t.layers, widths[stage], stage > 0 && b == 0 ? 2 : 1);
  t.layers.back().pool = {PoolKind::GlobalAvg};
  t.layers.push_back(linear(t.numClasses));
}

} // namespace

Expected<Topology> makeTopology(const std::string &name, unsigned weightBits,
                                unsigned actBits) {
  if (weightBits < 2 || weightBits > 8 || actBits < 2 || actBits > 8)
    return Expected<Topology>::failure("bit widths must be between 2 and 8");
  const PoolSpec max2{PoolKind::Max, 2, 2, 0}, max3{PoolKind::Max, 3, 2, 0};
  Topology t;
  t.name = name;
  if (name == "lenet5") {
    t.layers = {conv(6, 5, 2, max2), conv(16, 5, 0, max2), linear(120),
                linear(84), linear(10)};
  } else if (name == "vgg-small") {
    t.layers = {conv(16, 3, 1), conv(16, 3, 1, max2), conv(32, 3, 1),
                conv(32, 3, 1, max2), linear(10)};
  } else if (name == "alexnet-cifar") {
    t.channels = 3;
    t.rows = t.cols = 32;
    t.layers = {conv(32, 5, 2, max3), conv(64, 5, 2, max3), conv(96, 3, 1),
                conv(96, 3, 1),       conv(64, 3, 1, max3), linear(256),
                linear(256),          linear(t.numClasses)};
  } else if (name == "alexnet-imagenet") {
    t.channels = 3;
    t.rows = t.cols = 224;
    t.numClasses = 1000;
    t.layers = {conv(16, 11, 2, max3, 4),
                conv(48, 5, 2, max3),
                conv(96, 3, 1),
                conv(64, 3, 1),
                conv(64, 3, 1, max3),
                linear(1024),
                linear(1024),
                linear(t.numClasses)};
  } else if (name == "resnet20") {
    t.channels = 3;
    t.rows = t.cols = 32;
    t.layers = {conv(16, 3, 1)};
    addResidualStages(t, {16, 32, 64}, 3);
  } else if (name == "resnet18") {
    t.channels = 3;
    t.rows = t.cols = 224;
    t.numClasses = 1000;
    t.layers = {conv(16, 7, 3, {PoolKind::Max, 3, 2, 1}, 2)};
    addResidualStages(t, {16, 32, 64, 128}, 2);
  } else {
    return Expected<Topology>::failure("unknown model '" + name +
                                       "' (expected " + kModelNames + ")");
  }
  for (LayerSpec &layer : t.layers) {
    layer.weightBits = weightBits;
    layer.actBits = actBits;
  }
  return t;
}

namespace {

/// Windows of `kernel` at `stride` over `size` padded by `padding` on both
/// sides (0 where none fits).
int64_t windowCount(int64_t size, int64_t kernel, int64_t stride,
                    int64_t padding) {
  int64_t span = size + 2 * padding - kernel;
  return span < 0 ? 0 : span / stride + 1;
}

} // namespace

std::vector<LayerShapes> layerShapes(const Topology &topology) {
  MapShape image{topology.channels, topology.rows, topology.cols};
  std::vector<LayerShapes> shapes;
  for (size_t i = 0; i < topology.layers.size(); ++i) {
    const LayerSpec &layer = topology.layers[i];
    int source = layer.source(i);
    MapShape in = source == kImage ? image : shapes[source].output;
    MapShape act{layer.outFeatures, 1, 1};
    if (layer.kind == LayerKind::Conv) {
      act.rows =
          windowCount(in.rows, layer.kernel, layer.stride, layer.padding);
      act.cols =
          windowCount(in.cols, layer.kernel, layer.stride, layer.padding);
    }
    MapShape out = act;
    const PoolSpec &pool = layer.pool;
    if (pool.kind == PoolKind::Max) {
      out.rows = windowCount(act.rows, pool.kernel, pool.stride, pool.padding);
      out.cols = windowCount(act.cols, pool.kernel, pool.stride, pool.padding);
    } else if (pool.kind == PoolKind::GlobalAvg) {
      out.rows = out.cols = 1;
    }
    shapes.push_back({in, act, out});
  }
  return shapes;
}

std::vector<int64_t> layerInputSizes(const Topology &topology) {
  std::vector<int64_t> sizes;
  std::vector<LayerShapes> shapes = layerShapes(topology);
  for (size_t i = 0; i < shapes.size(); ++i)
    sizes.push_back(topology.layers[i].kind == LayerKind::Conv
                        ? shapes[i].input.channels
                        : shapes[i].input.size());
  return sizes;
}

//===----------------------------------------------------------------------===//
// Quantizers
//===----------------------------------------------------------------------===//

torch::Tensor roundHalfUp(const torch::Tensor &x) { return (x + 0.5).floor(); }

torch::Tensor quantizeCodes(const torch::Tensor &x, const torch::Tensor &scale,
                            double qmin, double qmax) {
  return roundHalfUp((x / scale).clamp(qmin, qmax));
}

torch::Tensor lsqQuantize(const torch::Tensor &x, const torch::Tensor &scale,
                          double qmin, double qmax, double gradScale) {
  // Same value as scale, gradient scaled by gradScale.
  torch::Tensor s = (scale - scale * gradScale).detach() + scale * gradScale;
  torch::Tensor v = (x / s).clamp(qmin, qmax);
  torch::Tensor q = v + (roundHalfUp(v) - v).detach(); // straight through
  return q * s;
}

torch::Tensor searchScale(const torch::Tensor &x, int64_t rows, double qmin,
                          double qmax) {
  torch::NoGradGuard noGrad;
  torch::Tensor flat = x.detach().reshape({rows, -1});
  // A strided sample of at most ~2^18 values per row estimates the error
  // well and keeps 20 candidate passes over an activation map cheap.
  int64_t stride = std::max<int64_t>(1, flat.size(1) >> 18);
  flat = flat.slice(1, 0, flat.size(1), stride);
  torch::Tensor maxAbs = flat.abs().amax(1).clamp_min(1e-8);
  torch::Tensor best = maxAbs / qmax;
  torch::Tensor bestError = torch::full_like(maxAbs, INFINITY);
  for (int step = 1; step <= 20; ++step) {
    torch::Tensor s = maxAbs * (step / 20.0) / qmax;
    torch::Tensor error =
        (quantizeCodes(flat, s.unsqueeze(1), qmin, qmax) * s.unsqueeze(1) -
         flat)
            .pow(2)
            .sum(1);
    torch::Tensor better = error < bestError;
    best = torch::where(better, s, best);
    bestError = torch::where(better, error, bestError);
  }
  return best;
}

//===----------------------------------------------------------------------===//
// Shared layer arithmetic
//===----------------------------------------------------------------------===//

namespace {

/// conv or linear, flattening a feature map before a linear layer.
torch::Tensor applyWeights(const LayerSpec &spec, torch::Tensor x,
                           const torch::Tensor &weight,
                           const torch::Tensor &bias) {
  if (spec.kind == LayerKind::Conv)
    return at::conv2d(x, weight, bias, spec.stride, spec.padding);
  if (x.dim() > 2)
    x = x.flatten(1);
  return at::linear(x, weight, bias);
}

std::vector<int64_t> weightShape(const LayerSpec &spec, int64_t inSize) {
  if (spec.kind == LayerKind::Conv)
    return {spec.outFeatures, inSize, spec.kernel, spec.kernel};
  return {spec.outFeatures, inSize};
}

/// [O] → a shape that broadcasts against the weight tensor.
std::vector<int64_t> perRowShape(const LayerSpec &spec) {
  if (spec.kind == LayerKind::Conv)
    return {-1, 1, 1, 1};
  return {-1, 1};
}

/// Max-pooling, or the mean over the map (global average), or nothing.
torch::Tensor maybePool(const LayerSpec &spec, torch::Tensor x) {
  const PoolSpec &pool = spec.pool;
  switch (pool.kind) {
  case PoolKind::None:
    return x;
  case PoolKind::Max:
    return at::max_pool2d(x, {pool.kernel, pool.kernel},
                          {pool.stride, pool.stride},
                          {pool.padding, pool.padding});
  case PoolKind::GlobalAvg:
    return x.mean({2, 3}, /*keepdim=*/true);
  }
  return x;
}

const double kBnEpsilon = 1e-5;
const double kBnMomentum = 0.1;

} // namespace

//===----------------------------------------------------------------------===//
// Running a topology's layers
//===----------------------------------------------------------------------===//

const torch::Tensor &layerInput(const std::vector<LayerSpec> &layers, size_t i,
                                const torch::Tensor &x,
                                const std::vector<torch::Tensor> &outputs) {
  int source = layers[i].source(i);
  return source == kImage ? x : outputs[source];
}

std::vector<torch::Tensor> runLayers(const std::vector<LayerSpec> &layers,
                                     const torch::Tensor &x, size_t count,
                                     const LayerFunction &layer) {
  // The last layer that reads each output: after it, the output is dropped
  // (a deep network's maps would not all fit in memory at batch 1000).
  std::vector<size_t> lastReader(layers.size(), layers.size());
  for (size_t i = 0; i < layers.size(); ++i) {
    if (layers[i].source(i) != kImage)
      lastReader[layers[i].source(i)] = i;
    if (layers[i].isJoin())
      lastReader[layers[i].shortcut] = i;
  }
  std::vector<torch::Tensor> outputs;
  for (size_t i = 0; i < count; ++i) {
    const LayerSpec &spec = layers[i];
    torch::Tensor shortcut =
        spec.isJoin() ? outputs[spec.shortcut] : torch::Tensor();
    outputs.push_back(layer(i, layerInput(layers, i, x, outputs), shortcut));
    for (torch::Tensor &output : outputs)
      if (&output != &outputs.back() &&
          lastReader[&output - outputs.data()] <= i)
        output = torch::Tensor();
  }
  return outputs;
}

//===----------------------------------------------------------------------===//
// Teacher
//===----------------------------------------------------------------------===//

TeacherLayer::TeacherLayer(const LayerSpec &spec, int64_t inSize,
                           bool classifier)
    : spec(spec), classifier(classifier) {
  weight = register_parameter("weight", torch::empty(weightShape(spec, inSize)));
  torch::nn::init::kaiming_normal_(weight, 0, torch::kFanIn, torch::kReLU);
  int64_t out = spec.outFeatures;
  if (classifier) {
    bias = register_parameter("bias", torch::zeros({out}));
    return;
  }
  bnWeight = register_parameter("bn_weight", torch::ones({out}));
  bnBias = register_parameter("bn_bias", torch::zeros({out}));
  runningMean = register_buffer("running_mean", torch::zeros({out}));
  runningVar = register_buffer("running_var", torch::ones({out}));
}

namespace {

/// Training-mode batch norm over the union of all ranks' batches: what
/// at::batch_norm computes for one process holding every rank's examples
/// (biased variance to normalise, unbiased to track).
torch::Tensor synchronizedBatchNorm(TeacherLayer &layer, const torch::Tensor &y) {
  std::vector<int64_t> reduced = {0}, channelShape(y.dim(), 1);
  for (int64_t d = 2; d < y.dim(); ++d)
    reduced.push_back(d);
  channelShape[1] = -1;
  int64_t channels = y.size(1);
  torch::Tensor localCount = torch::full({1}, double(y.numel() / channels),
                                         y.options());
  torch::Tensor sums =
      layer.sumOverRanks(torch::cat({y.sum(reduced), localCount}));
  torch::Tensor count = sums.narrow(0, channels, 1).detach();
  torch::Tensor mean = sums.narrow(0, 0, channels) / count;
  torch::Tensor centered = y - mean.view(channelShape);
  torch::Tensor var =
      layer.sumOverRanks(centered.pow(2).sum(reduced)) / count;
  {
    torch::NoGradGuard noGrad;
    double n = count.item<double>();
    layer.runningMean.mul_(1 - kBnMomentum).add_(mean * kBnMomentum);
    layer.runningVar.mul_(1 - kBnMomentum)
        .add_(var * (kBnMomentum * n / std::max(1.0, n - 1)));
  }
  return centered * (var + kBnEpsilon).rsqrt().view(channelShape) *
             layer.bnWeight.view(channelShape) +
         layer.bnBias.view(channelShape);
}

} // namespace

torch::Tensor TeacherLayer::preActivation(torch::Tensor x) {
  torch::Tensor y = applyWeights(spec, x, weight, bias);
  return classifier ? y : normalize(y);
}

torch::Tensor TeacherLayer::normalize(const torch::Tensor &y) {
  if (is_training() && sumOverRanks)
    return synchronizedBatchNorm(*this, y);
  return at::batch_norm(y, bnWeight, bnBias, runningMean, runningVar,
                        is_training(), kBnMomentum, kBnEpsilon,
                        /*cudnn_enabled=*/false);
}

torch::Tensor TeacherLayer::forward(torch::Tensor x,
                                    const torch::Tensor &shortcut) {
  torch::Tensor y = preActivation(x);
  if (classifier || spec.projection)
    return y;
  if (spec.isJoin())
    y = y + shortcut;
  return maybePool(spec, y.relu());
}

TeacherNet::TeacherNet(const Topology &topology) : topology(topology) {
  std::vector<int64_t> inSizes = layerInputSizes(topology);
  for (size_t i = 0; i < topology.layers.size(); ++i)
    layers.push_back(register_module(
        "layer" + std::to_string(i),
        std::make_shared<TeacherLayer>(topology.layers[i], inSizes[i],
                                       i + 1 == topology.layers.size())));
}

torch::Tensor TeacherNet::layerForward(size_t i, const torch::Tensor &input,
                                       const torch::Tensor &shortcut) {
  return layers[i]->forward(input, shortcut);
}

torch::Tensor TeacherNet::forward(torch::Tensor x) {
  return runNetwork(*this, x, layers.size()).back();
}

//===----------------------------------------------------------------------===//
// Student
//===----------------------------------------------------------------------===//

StudentLayer::StudentLayer(const LayerSpec &spec, int64_t inSize,
                           bool classifier)
    : spec(spec), classifier(classifier) {
  weight = register_parameter("weight", torch::empty(weightShape(spec, inSize)));
  torch::nn::init::kaiming_normal_(weight, 0, torch::kFanIn, torch::kReLU);
  int64_t out = spec.outFeatures;
  weightScale = register_parameter(
      "weight_scale",
      searchScale(weight, classifier ? 1 : out, -signedMax(spec.weightBits),
                  signedMax(spec.weightBits)));
  beta = register_parameter("beta", torch::zeros({out}));
  if (classifier)
    return;
  gamma = register_parameter("gamma", torch::ones({out}));
  if (spec.projection)
    return;
  actScale = register_parameter("act_scale", torch::ones({1}));
  if (spec.isJoin())
    shortcutGain = register_buffer("shortcut_gain", torch::ones({1}));
}

std::vector<int64_t> StudentLayer::channelShape() const {
  if (spec.kind == LayerKind::Conv)
    return {1, -1, 1, 1};
  return {1, -1};
}

torch::Tensor StudentLayer::fakeQuantizeWeight(const torch::Tensor &w) {
  double qmax = signedMax(spec.weightBits);
  double gradScale = 1.0 / std::sqrt(double(w[0].numel()) * qmax);
  return lsqQuantize(w, weightScale.view(perRowShape(spec)), -qmax, qmax,
                     gradScale);
}

torch::Tensor StudentLayer::weightCodes() {
  torch::NoGradGuard noGrad;
  double qmax = signedMax(spec.weightBits);
  return quantizeCodes(weight, weightScale.view(perRowShape(spec)), -qmax,
                       qmax);
}

torch::Tensor StudentLayer::biasStep(double inScale) {
  torch::NoGradGuard noGrad;
  torch::Tensor step = weightScale.abs() * inScale;
  if (!classifier)
    step = step * gamma.abs();
  return step.expand({spec.outFeatures});
}

torch::Tensor StudentLayer::biasCodes(double inScale) {
  torch::NoGradGuard noGrad;
  // The accumulator is int32; keep the bias inside it.
  rules::IntRange int32 = rules::intRange(32, /*isSigned=*/true);
  return roundHalfUp(beta / biasStep(inScale))
      .clamp(double(int32.min), double(int32.max));
}

torch::Tensor StudentLayer::accumulate(torch::Tensor x) {
  return applyWeights(spec, x, quantizedWeight(), {});
}

torch::Tensor StudentLayer::preActivation(torch::Tensor x, double inScale) {
  torch::Tensor z = accumulate(x);
  torch::Tensor onGrid = biasCodes(inScale) * biasStep(inScale);
  torch::Tensor betaHat = beta + (onGrid - beta).detach();
  if (classifier)
    return z + betaHat;
  return gamma.view(channelShape()) * z + betaHat.view(channelShape());
}

torch::Tensor StudentLayer::residualGrid() {
  return actScale / double(int64_t(1) << residualShift(spec.actBits));
}

namespace {

/// LSQ's gradient scale 1 / sqrt(N qmax) for the values y.
double lsqGradScale(const torch::Tensor &y, double qmax) {
  return 1.0 / std::sqrt(double(y[0].numel()) * qmax);
}

/// Q16(v): v on the residual grid g, clamped to int16 (LSQ gradients).
torch::Tensor onResidualGrid(const torch::Tensor &v, const torch::Tensor &g) {
  rules::IntRange int16 = rules::intRange(kResidualBits, /*isSigned=*/true);
  return lsqQuantize(v, g, double(int16.min), double(int16.max),
                     lsqGradScale(v, double(int16.max)));
}

} // namespace

torch::Tensor StudentLayer::forward(torch::Tensor x, double inScale,
                                    const torch::Tensor &shortcut) {
  torch::Tensor y = preActivation(x, inScale);
  return classifier ? y : activate(y, shortcut);
}

torch::Tensor StudentLayer::activate(const torch::Tensor &y,
                                     const torch::Tensor &shortcut) {
  if (spec.projection)
    return y;
  torch::Tensor sum = y;
  if (spec.isJoin()) {
    torch::Tensor g = residualGrid();
    torch::Tensor branch =
        shortcutGain.defined() ? shortcut * shortcutGain : shortcut;
    sum = onResidualGrid(y, g) + onResidualGrid(branch, g);
  }
  double qmax = unsignedMax(spec.actBits);
  torch::Tensor codes =
      lsqQuantize(sum, actScale, 0, qmax, lsqGradScale(sum, qmax));
  torch::Tensor pooled = maybePool(spec, codes);
  if (spec.pool.kind != PoolKind::GlobalAvg)
    return pooled;
  // The mean of the codes, rounded back onto the activation's codes.
  return lsqQuantize(pooled, actScale, 0, qmax, lsqGradScale(pooled, qmax));
}

StudentNet::StudentNet(const Topology &topology) : topology(topology) {
  std::vector<int64_t> inSizes = layerInputSizes(topology);
  for (size_t i = 0; i < topology.layers.size(); ++i)
    layers.push_back(register_module(
        "layer" + std::to_string(i),
        std::make_shared<StudentLayer>(topology.layers[i], inSizes[i],
                                       i + 1 == topology.layers.size())));
}

double StudentNet::inputScale(size_t i) const {
  int source = layers[i]->spec.source(i);
  return source == kImage ? 1.0 / 255.0
                          : layers[source]->actScale.item<double>();
}

size_t StudentNet::joinOf(size_t projection) const {
  for (size_t j = projection + 1; j < layers.size(); ++j)
    if (layers[j]->spec.shortcut == int(projection))
      return j;
  return projection; // not reached: makeTopology joins every projection
}

double StudentNet::outputScale(size_t i, bool residual) const {
  if (layers[i]->spec.projection)
    return layers[joinOf(i)]->residualGrid().item<double>();
  if (residual)
    return layers[i]->residualGrid().item<double>();
  return layers[i]->actScale.item<double>();
}

torch::Tensor StudentNet::layerForward(size_t i, const torch::Tensor &input,
                                       const torch::Tensor &shortcut) {
  return layers[i]->forward(input, inputScale(i), shortcut);
}

torch::Tensor StudentNet::forward(torch::Tensor x) {
  return runNetwork(*this, x, layers.size()).back();
}

void initFromTeacher(StudentLayer &student, const TeacherLayer &teacher) {
  torch::NoGradGuard noGrad;
  foldBatchNorm(student, teacher);
  if (student.shortcutGain.defined())
    student.shortcutGain.fill_(1.0);
  double qmax = signedMax(student.spec.weightBits);
  student.weightScale.copy_(
      searchScale(student.weight, student.classifier ? 1 : student.spec.outFeatures,
                  -qmax, qmax));
}

torch::Tensor tandemForward(StudentNet &student, TeacherNet &teacher,
                            torch::Tensor x, size_t count) {
  return runLayers(student.topology.layers, x, student.layers.size(),
                   [&](size_t i, const torch::Tensor &input,
                       const torch::Tensor &shortcut) {
                     return i < count
                                ? student.layerForward(i, input, shortcut)
                                : teacher.layerForward(i, input, shortcut);
                   })
      .back();
}

//===----------------------------------------------------------------------===//
// QAT with BN folding
//===----------------------------------------------------------------------===//

namespace {

/// f = gamma_bn / sqrt(running_var + eps): BN's per-channel gain in eval mode.
torch::Tensor bnGain(const TeacherLayer &teacher) {
  return teacher.bnWeight / (teacher.runningVar + kBnEpsilon).sqrt();
}

torch::Tensor qatLayerForward(StudentLayer &scales, TeacherLayer &teacher,
                              const torch::Tensor &x,
                              const torch::Tensor &shortcut) {
  const LayerSpec &spec = teacher.spec;
  if (teacher.classifier)
    return applyWeights(spec, x, scales.fakeQuantizeWeight(teacher.weight),
                        teacher.bias);
  torch::Tensor gain = bnGain(teacher);
  torch::Tensor folded = teacher.weight * gain.view(perRowShape(spec));
  torch::Tensor z =
      applyWeights(spec, x, scales.fakeQuantizeWeight(folded), {});
  return scales.activate(
      teacher.normalize(z / gain.view(scales.channelShape())), shortcut);
}

} // namespace

torch::Tensor qatBnFoldForward(StudentNet &scales, TeacherNet &teacher,
                               torch::Tensor x) {
  return runLayers(teacher.topology.layers, x, teacher.layers.size(),
                   [&](size_t i, const torch::Tensor &input,
                       const torch::Tensor &shortcut) {
                     return qatLayerForward(*scales.layers[i],
                                            *teacher.layers[i], input,
                                            shortcut);
                   })
      .back();
}

void foldBatchNorm(StudentLayer &student, const TeacherLayer &teacher) {
  torch::NoGradGuard noGrad;
  if (student.classifier) {
    student.weight.copy_(teacher.weight);
    student.beta.copy_(teacher.bias);
    return;
  }
  torch::Tensor gain = bnGain(teacher);
  student.weight.copy_(teacher.weight * gain.view(perRowShape(student.spec)));
  student.beta.copy_(teacher.bnBias - teacher.runningMean * gain);
  student.gamma.fill_(1.0);
}

//===----------------------------------------------------------------------===//
// Integer form
//===----------------------------------------------------------------------===//

namespace {

Expected<rules::MultiplierShift> deriveScale(double scale, ScaleForm form,
                                             unsigned multiplierBits,
                                             const std::string &what) {
  rules::DeriveResult r =
      form == ScaleForm::Multiplier
          ? rules::deriveMultiplierShift(scale, multiplierBits)
          : rules::derivePowerOfTwo(scale);
  if (!r)
    return Expected<rules::MultiplierShift>::failure(
        what + ": scale " + std::to_string(scale) + ": " +
        std::string(rules::deriveErrorMessage(r.error)));
  return *r.value;
}

/// The scales of a hidden layer's integer form: per channel, and the
/// identity shortcut's and the global average's where it has them.
Expected<bool> deriveLayerScales(StudentNet &student, size_t i,
                                 const LayerShapes &shape, ScaleForm form,
                                 unsigned multiplierBits, IntegerLayer &out) {
  torch::NoGradGuard noGrad;
  StudentLayer &layer = *student.layers[i];
  const LayerSpec &spec = layer.spec;
  std::string name = "layer " + std::to_string(i);
  double inScale = student.inputScale(i);
  double outScale = student.outputScale(i, /*residual=*/spec.isJoin());
  torch::Tensor wScale = layer.weightScale.to(torch::kDouble).abs();
  torch::Tensor gamma = layer.gamma.to(torch::kDouble).abs();
  for (int64_t o = 0; o < spec.outFeatures; ++o) {
    auto ms = deriveScale(
        inScale * wScale[o].item<double>() * gamma[o].item<double>() / outScale,
        form, multiplierBits, name + " channel " + std::to_string(o));
    if (!ms)
      return Expected<bool>::failure(ms.error());
    out.requant.push_back(*ms);
  }
  if (spec.isJoin() && !student.layers[spec.shortcut]->spec.projection) {
    double ratio = student.outputScale(spec.shortcut) *
                   layer.shortcutGain.item<double>() / outScale;
    auto ms = deriveScale(ratio, form, multiplierBits, name + " shortcut");
    if (!ms)
      return Expected<bool>::failure(ms.error());
    out.shortcutRequant = *ms;
  }
  if (spec.pool.kind == PoolKind::GlobalAvg) {
    // A constant divisor, not a learned scale: always a multiplier.
    auto ms = deriveScale(
        1.0 / double(shape.activation.rows * shape.activation.cols),
        ScaleForm::Multiplier, multiplierBits, name + " average pool");
    if (!ms)
      return Expected<bool>::failure(ms.error());
    out.poolRequant = *ms;
  }
  return true;
}

} // namespace

Expected<IntegerNet> toIntegerNet(StudentNet &student, ScaleForm form,
                                  unsigned multiplierBits) {
  IntegerNet net;
  std::vector<LayerShapes> shapes = layerShapes(student.topology);
  for (size_t i = 0; i < student.layers.size(); ++i) {
    StudentLayer &layer = *student.layers[i];
    IntegerLayer out;
    out.spec = layer.spec;
    out.classifier = layer.classifier;
    int source = layer.spec.source(i);
    out.inputBits = source == kImage ? 8 : student.layers[source]->spec.actBits;
    out.weight = layer.weightCodes().to(torch::kLong);
    out.bias = layer.biasCodes(student.inputScale(i)).to(torch::kLong);
    if (!layer.classifier) {
      // Negative gamma: negate the channel's (symmetric) weights instead.
      torch::Tensor sign =
          torch::where(layer.gamma.detach() < 0, -1, 1).to(torch::kLong);
      out.weight = out.weight * sign.view(perRowShape(layer.spec));
      auto derived =
          deriveLayerScales(student, i, shapes[i], form, multiplierBits, out);
      if (!derived)
        return Expected<IntegerNet>::failure(derived.error());
    }
    net.layers.push_back(std::move(out));
  }
  return net;
}

namespace {

std::vector<int64_t> int64Values(const torch::Tensor &t) {
  torch::Tensor flat = t.contiguous().to(torch::kLong).reshape({-1});
  return {flat.data_ptr<int64_t>(), flat.data_ptr<int64_t>() + flat.numel()};
}

} // namespace

ExportedStudent exportStudent(const IntegerNet &net, const Topology &topology) {
  ExportedStudent out;
  out.channels = topology.channels;
  out.rows = topology.rows;
  out.cols = topology.cols;
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const IntegerLayer &layer = net.layers[i];
    const LayerSpec &spec = layer.spec;
    ExportedLayer e;
    e.isConv = spec.kind == LayerKind::Conv;
    e.classifier = layer.classifier;
    e.input = spec.input;
    e.projection = spec.projection;
    e.shortcut = spec.shortcut;
    e.shortcutRequant = layer.shortcutRequant;
    e.residualShift = spec.isJoin() ? residualShift(spec.actBits) : 0;
    e.pool = spec.pool;
    e.poolRequant = layer.poolRequant;
    e.stride = e.isConv ? spec.stride : 1;
    e.padding = e.isConv ? spec.padding : 0;
    e.weightBits = spec.weightBits;
    e.actBits = spec.actBits;
    e.weightShape.assign(layer.weight.sizes().begin(),
                         layer.weight.sizes().end());
    e.weight = int64Values(layer.weight);
    e.bias = int64Values(layer.bias);
    e.requant = layer.requant;
    out.layers.push_back(std::move(e));
  }
  return out;
}

void snapToIntegerScales(StudentNet &student, const IntegerNet &net) {
  torch::NoGradGuard noGrad;
  for (size_t i = 0; i < student.layers.size(); ++i) {
    StudentLayer &layer = *student.layers[i];
    if (layer.classifier)
      continue;
    const IntegerLayer &integer = net.layers[i];
    double inScale = student.inputScale(i);
    double outScale = student.outputScale(i, /*residual=*/layer.spec.isJoin());
    auto gamma = layer.gamma.accessor<float, 1>();
    auto wScale = layer.weightScale.accessor<float, 1>();
    for (int64_t o = 0; o < layer.spec.outFeatures; ++o) {
      double exact = integer.requant[o].value();
      double magnitude = exact * outScale / (inScale * std::fabs(wScale[o]));
      gamma[o] = float(gamma[o] < 0 ? -magnitude : magnitude);
    }
    if (layer.shortcutGain.defined())
      layer.shortcutGain.fill_(integer.shortcutRequant.value() * outScale /
                               student.outputScale(layer.spec.shortcut));
  }
}

namespace {

/// The accumulator is an int32 register: rules::wrapToBits, element-wise.
torch::Tensor wrapToInt32(torch::Tensor acc) {
  acc = acc.contiguous();
  int64_t *p = acc.data_ptr<int64_t>();
  for (int64_t i = 0, n = acc.numel(); i < n; ++i)
    p[i] = rules::wrapToBits(p[i], 32, /*isSigned=*/true);
  return acc;
}

} // namespace

torch::Tensor rescaleChannels(const torch::Tensor &acc,
                              const std::vector<rules::MultiplierShift> &ms,
                              rules::IntRange clamp) {
  torch::Tensor in = acc.contiguous();
  torch::Tensor out = torch::empty_like(in);
  const int64_t *src = in.data_ptr<int64_t>();
  int64_t *dst = out.data_ptr<int64_t>();
  int64_t batch = in.size(0), channels = in.size(1);
  int64_t plane = in.numel() / (batch * channels);
  for (int64_t n = 0; n < batch; ++n)
    for (int64_t c = 0; c < channels; ++c) {
      const rules::MultiplierShift &m = ms.size() == 1 ? ms[0] : ms[c];
      rules::RescaleParams params{
          m.multiplier,           m.shift, 0, 0, clamp.min, clamp.max,
          rules::Rounding::HalfUp};
      int64_t base = (n * channels + c) * plane;
      for (int64_t k = 0; k < plane; ++k)
        dst[base + k] = rules::rescale(src[base + k], params);
    }
  return out;
}

namespace {

/// A float type in which this layer's sum of products is exact. Products
/// of codes are small integers; a float sum of integers is exact while
/// every partial sum stays below 2^mantissa, and max-input * sum|w| bounds
/// every partial sum whatever order the convolution kernel adds in. float32
/// (2^24) is ~8x faster on CPU than float64, which is exact up to 2^53,
/// far beyond any layer with 8-bit codes and fewer than 2^37 inputs.
torch::ScalarType exactFloatType(const IntegerLayer &layer) {
  double maxInput = unsignedMax(layer.inputBits);
  double bound =
      layer.weight.abs().flatten(1).sum(1).max().item<double>() * maxInput;
  return bound < double(1 << 24) ? torch::kFloat : torch::kDouble;
}

rules::IntRange codeRange(unsigned actBits) {
  return rules::intRange(actBits, /*isSigned=*/false);
}

} // namespace

torch::Tensor simulateInteger(const IntegerNet &net,
                              const torch::Tensor &pixels,
                              const IntegerObserver &observe) {
  torch::NoGradGuard noGrad;
  auto seen = [&](size_t l, IntegerStep step, const torch::Tensor &values) {
    if (observe)
      observe(l, step, values);
  };
  const rules::IntRange int16 =
      rules::intRange(kResidualBits, /*isSigned=*/true);
  torch::Tensor image = pixels.to(torch::kLong);
  std::vector<LayerSpec> specs;
  for (const IntegerLayer &layer : net.layers)
    specs.push_back(layer.spec);
  // Every layer's integer output: activation codes, or a projection's
  // int16 values on its join's residual grid.
  auto runLayer = [&](size_t l, const torch::Tensor &input,
                      const torch::Tensor &shortcut) {
    const IntegerLayer &layer = net.layers[l];
    const LayerSpec &spec = layer.spec;
    torch::Tensor codes = input;
    if (spec.kind == LayerKind::Linear && codes.dim() > 2) {
      codes = codes.flatten(1);
      seen(l, IntegerStep::Flatten, codes);
    }
    torch::ScalarType type = exactFloatType(layer);
    torch::Tensor products =
        applyWeights(spec, codes.to(type), layer.weight.to(type), {});
    std::vector<int64_t> perChannel(products.dim(), 1);
    perChannel[1] = -1;
    torch::Tensor acc =
        wrapToInt32(products.to(torch::kLong) + layer.bias.view(perChannel));
    seen(l, IntegerStep::Accumulate, acc);
    if (layer.classifier)
      return acc;
    if (spec.projection) {
      torch::Tensor onGrid = rescaleChannels(acc, layer.requant, int16);
      seen(l, IntegerStep::Rescale, onGrid);
      return onGrid;
    }
    rules::IntRange range = codeRange(spec.actBits);
    if (spec.isJoin()) {
      torch::Tensor residual = rescaleChannels(acc, layer.requant, int16);
      seen(l, IntegerStep::Residual, residual);
      torch::Tensor branch = shortcut;
      if (!net.layers[spec.shortcut].spec.projection) {
        branch = rescaleChannels(shortcut, {layer.shortcutRequant}, int16);
        seen(l, IntegerStep::Shortcut, branch);
      }
      torch::Tensor sum = wrapToInt32(residual + branch);
      seen(l, IntegerStep::Add, sum);
      codes = rescaleChannels(sum, {{1, residualShift(spec.actBits)}}, range);
    } else {
      codes = rescaleChannels(acc, layer.requant, range);
    }
    seen(l, IntegerStep::Rescale, codes);
    switch (spec.pool.kind) {
    case PoolKind::None:
      break;
    case PoolKind::Max:
      // Max-pooling integer codes in float is exact (they are < 2^8).
      codes = maybePool(spec, codes.to(torch::kFloat)).to(torch::kLong);
      seen(l, IntegerStep::Pool, codes);
      break;
    case PoolKind::GlobalAvg: {
      torch::Tensor sum = wrapToInt32(codes.sum({2, 3}, /*keepdim=*/true));
      seen(l, IntegerStep::PoolSum, sum);
      codes = rescaleChannels(sum, {layer.poolRequant}, range);
      seen(l, IntegerStep::Pool, codes);
      break;
    }
    }
    return codes;
  };
  return runLayers(specs, image, specs.size(), runLayer).back();
}

} // namespace qnn::train
