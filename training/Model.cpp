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

Expected<Topology> makeTopology(const std::string &name, unsigned weightBits,
                                unsigned actBits) {
  if (weightBits < 2 || weightBits > 8 || actBits < 2 || actBits > 8)
    return Expected<Topology>::failure("bit widths must be between 2 and 8");
  auto conv = [](int64_t out, int64_t kernel, int64_t padding, bool pool) {
    return LayerSpec{LayerKind::Conv, out, kernel, padding, pool};
  };
  auto linear = [](int64_t out) {
    return LayerSpec{LayerKind::Linear, out, 1, 0, false};
  };
  Topology t;
  t.name = name;
  if (name == "lenet5") {
    t.layers = {conv(6, 5, 2, true), conv(16, 5, 0, true), linear(120),
                linear(84), linear(10)};
  } else if (name == "vgg-small") {
    t.layers = {conv(16, 3, 1, false), conv(16, 3, 1, true),
                conv(32, 3, 1, false), conv(32, 3, 1, true), linear(10)};
  } else {
    return Expected<Topology>::failure("unknown model '" + name +
                                       "' (expected lenet5 or vgg-small)");
  }
  for (LayerSpec &layer : t.layers) {
    layer.weightBits = weightBits;
    layer.actBits = actBits;
  }
  return t;
}

std::vector<int64_t> layerInputSizes(const Topology &topology) {
  std::vector<int64_t> sizes;
  int64_t c = topology.channels, h = topology.rows, w = topology.cols;
  for (const LayerSpec &layer : topology.layers) {
    if (layer.kind == LayerKind::Conv) {
      sizes.push_back(c);
      h = h + 2 * layer.padding - layer.kernel + 1;
      w = w + 2 * layer.padding - layer.kernel + 1;
    } else {
      sizes.push_back(c * h * w);
      h = w = 1;
    }
    c = layer.outFeatures;
    if (layer.poolAfter) {
      h /= 2;
      w /= 2;
    }
  }
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

/// conv (stride 1) or linear, flattening a feature map before a linear layer.
torch::Tensor applyWeights(const LayerSpec &spec, torch::Tensor x,
                           const torch::Tensor &weight,
                           const torch::Tensor &bias) {
  if (spec.kind == LayerKind::Conv)
    return at::conv2d(x, weight, bias, 1, spec.padding);
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

torch::Tensor maybePool(const LayerSpec &spec, torch::Tensor x) {
  return spec.poolAfter ? at::max_pool2d(x, {2, 2}) : x;
}

const double kBnEpsilon = 1e-5;
const double kBnMomentum = 0.1;

} // namespace

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

torch::Tensor TeacherLayer::forward(torch::Tensor x) {
  torch::Tensor y = preActivation(x);
  return classifier ? y : maybePool(spec, y.relu());
}

TeacherNet::TeacherNet(const Topology &topology) {
  std::vector<int64_t> inSizes = layerInputSizes(topology);
  for (size_t i = 0; i < topology.layers.size(); ++i)
    layers.push_back(register_module(
        "layer" + std::to_string(i),
        std::make_shared<TeacherLayer>(topology.layers[i], inSizes[i],
                                       i + 1 == topology.layers.size())));
}

torch::Tensor TeacherNet::forwardFrom(torch::Tensor x, size_t first) {
  for (size_t i = first; i < layers.size(); ++i)
    x = layers[i]->forward(x);
  return x;
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
  actScale = register_parameter("act_scale", torch::ones({1}));
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

torch::Tensor StudentLayer::forward(torch::Tensor x, double inScale) {
  torch::Tensor y = preActivation(x, inScale);
  return classifier ? y : activate(y);
}

torch::Tensor StudentLayer::activate(const torch::Tensor &y) {
  double qmax = unsignedMax(spec.actBits);
  double gradScale = 1.0 / std::sqrt(double(y[0].numel()) * qmax);
  return maybePool(spec, lsqQuantize(y, actScale, 0, qmax, gradScale));
}

StudentNet::StudentNet(const Topology &topology) {
  std::vector<int64_t> inSizes = layerInputSizes(topology);
  for (size_t i = 0; i < topology.layers.size(); ++i)
    layers.push_back(register_module(
        "layer" + std::to_string(i),
        std::make_shared<StudentLayer>(topology.layers[i], inSizes[i],
                                       i + 1 == topology.layers.size())));
}

double StudentNet::inputScale(size_t i) const {
  return i == 0 ? 1.0 / 255.0 : layers[i - 1]->actScale.item<double>();
}

torch::Tensor StudentNet::forwardPrefix(torch::Tensor x, size_t count) {
  for (size_t i = 0; i < count; ++i)
    x = layers[i]->forward(x, inputScale(i));
  return x;
}

void initFromTeacher(StudentLayer &student, const TeacherLayer &teacher) {
  torch::NoGradGuard noGrad;
  foldBatchNorm(student, teacher);
  double qmax = signedMax(student.spec.weightBits);
  student.weightScale.copy_(
      searchScale(student.weight, student.classifier ? 1 : student.spec.outFeatures,
                  -qmax, qmax));
}

torch::Tensor tandemForward(StudentNet &student, TeacherNet &teacher,
                            torch::Tensor x, size_t count) {
  return teacher.forwardFrom(student.forwardPrefix(x, count), count);
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
                              const torch::Tensor &x) {
  const LayerSpec &spec = teacher.spec;
  if (teacher.classifier)
    return applyWeights(spec, x, scales.fakeQuantizeWeight(teacher.weight),
                        teacher.bias);
  torch::Tensor gain = bnGain(teacher);
  torch::Tensor folded = teacher.weight * gain.view(perRowShape(spec));
  torch::Tensor z =
      applyWeights(spec, x, scales.fakeQuantizeWeight(folded), {});
  return scales.activate(
      teacher.normalize(z / gain.view(scales.channelShape())));
}

} // namespace

torch::Tensor qatBnFoldForward(StudentNet &scales, TeacherNet &teacher,
                               torch::Tensor x) {
  for (size_t i = 0; i < teacher.layers.size(); ++i)
    x = qatLayerForward(*scales.layers[i], *teacher.layers[i], x);
  return x;
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

Expected<IntegerNet> toIntegerNet(StudentNet &student, ScaleForm form,
                                  unsigned multiplierBits) {
  IntegerNet net;
  for (size_t i = 0; i < student.layers.size(); ++i) {
    StudentLayer &layer = *student.layers[i];
    double inScale = student.inputScale(i);
    IntegerLayer out;
    out.spec = layer.spec;
    out.classifier = layer.classifier;
    out.inputBits = i == 0 ? 8 : student.layers[i - 1]->spec.actBits;
    out.weight = layer.weightCodes().to(torch::kLong);
    out.bias = layer.biasCodes(inScale).to(torch::kLong);
    if (!layer.classifier) {
      torch::NoGradGuard noGrad;
      // Negative gamma: negate the channel's (symmetric) weights instead.
      torch::Tensor sign = torch::where(layer.gamma < 0, -1, 1).to(torch::kLong);
      out.weight = out.weight * sign.view(perRowShape(layer.spec));
      double outScale = layer.actScale.item<double>();
      torch::Tensor wScale = layer.weightScale.to(torch::kDouble).abs();
      torch::Tensor gamma = layer.gamma.to(torch::kDouble).abs();
      for (int64_t o = 0; o < layer.spec.outFeatures; ++o) {
        double scale = inScale * wScale[o].item<double>() *
                       gamma[o].item<double>() / outScale;
        rules::DeriveResult r =
            form == ScaleForm::Multiplier
                ? rules::deriveMultiplierShift(scale, multiplierBits)
                : rules::derivePowerOfTwo(scale);
        if (!r)
          return Expected<IntegerNet>::failure(
              "layer " + std::to_string(i) + " channel " + std::to_string(o) +
              ": scale " + std::to_string(scale) + ": " +
              std::string(rules::deriveErrorMessage(r.error)));
        out.requant.push_back(*r.value);
      }
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
  for (const IntegerLayer &layer : net.layers) {
    ExportedLayer e;
    e.isConv = layer.spec.kind == LayerKind::Conv;
    e.classifier = layer.classifier;
    e.poolAfter = layer.spec.poolAfter;
    e.padding = e.isConv ? layer.spec.padding : 0;
    e.weightBits = layer.spec.weightBits;
    e.actBits = layer.spec.actBits;
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
    double inScale = student.inputScale(i);
    double outScale = layer.actScale.item<double>();
    auto gamma = layer.gamma.accessor<float, 1>();
    auto wScale = layer.weightScale.accessor<float, 1>();
    for (int64_t o = 0; o < layer.spec.outFeatures; ++o) {
      double exact = net.layers[i].requant[o].value();
      double magnitude = exact * outScale / (inScale * std::fabs(wScale[o]));
      gamma[o] = float(gamma[o] < 0 ? -magnitude : magnitude);
    }
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
                              unsigned bits) {
  torch::Tensor in = acc.contiguous();
  torch::Tensor out = torch::empty_like(in);
  const int64_t *src = in.data_ptr<int64_t>();
  int64_t *dst = out.data_ptr<int64_t>();
  int64_t batch = in.size(0), channels = in.size(1);
  int64_t plane = in.numel() / (batch * channels);
  int64_t maxCode = int64_t(unsignedMax(bits));
  for (int64_t n = 0; n < batch; ++n)
    for (int64_t c = 0; c < channels; ++c) {
      rules::RescaleParams params{ms[c].multiplier, ms[c].shift, 0, 0, 0,
                                  maxCode, rules::Rounding::HalfUp};
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

} // namespace

torch::Tensor simulateInteger(const IntegerNet &net,
                              const torch::Tensor &pixels,
                              const IntegerObserver &observe) {
  torch::NoGradGuard noGrad;
  auto seen = [&](size_t l, IntegerStep step, const torch::Tensor &values) {
    if (observe)
      observe(l, step, values);
  };
  torch::Tensor codes = pixels.to(torch::kLong);
  for (size_t l = 0; l < net.layers.size(); ++l) {
    const IntegerLayer &layer = net.layers[l];
    if (layer.spec.kind == LayerKind::Linear && codes.dim() > 2) {
      codes = codes.flatten(1);
      seen(l, IntegerStep::Flatten, codes);
    }
    torch::ScalarType type = exactFloatType(layer);
    torch::Tensor products =
        applyWeights(layer.spec, codes.to(type), layer.weight.to(type), {});
    std::vector<int64_t> perChannel(products.dim(), 1);
    perChannel[1] = -1;
    torch::Tensor acc =
        wrapToInt32(products.to(torch::kLong) + layer.bias.view(perChannel));
    seen(l, IntegerStep::Accumulate, acc);
    if (layer.classifier)
      return acc;
    codes = rescaleChannels(acc, layer.requant, layer.spec.actBits);
    seen(l, IntegerStep::Rescale, codes);
    if (layer.spec.poolAfter) {
      // Max-pooling integer codes in float is exact (they are < 2^8).
      codes = maybePool(layer.spec, codes.to(torch::kFloat)).to(torch::kLong);
      seen(l, IntegerStep::Pool, codes);
    }
  }
  return codes; // not reached: a topology ends with its classifier
}

} // namespace qnn::train
