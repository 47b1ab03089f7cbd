//===- TrainingTest.cpp - Quantizers, integer simulation, PTL end to end --===//

#include "Model.h"
#include "Ptl.h"

#include <gtest/gtest.h>
#include <torch/utils.h>

#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <unistd.h>

using namespace qnn::train;
namespace rules = qnn::rules;

//===----------------------------------------------------------------------===//
// Quantizers
//===----------------------------------------------------------------------===//

TEST(Quantizer, RoundHalfUpIsTheSharedRule) {
  // x / 2 for odd x hits every tie; compare with the integer rule.
  for (int64_t x = -9; x <= 9; ++x) {
    double rounded = roundHalfUp(torch::tensor({double(x) / 2})).item<double>();
    EXPECT_EQ(int64_t(rounded),
              rules::roundingShiftRight(x, 1, rules::Rounding::HalfUp))
        << x;
  }
}

TEST(Quantizer, LsqStraightThroughGradients) {
  // Codes in [-7, 7] at scale 0.5: 1.2 and -0.9 inside, 5.0 and -4.0 clamp.
  torch::Tensor x = torch::tensor({1.2, -0.9, 5.0, -4.0}, torch::kDouble)
                        .requires_grad_(true);
  torch::Tensor scale =
      torch::tensor({0.5}, torch::kDouble).requires_grad_(true);
  const double gradScale = 0.25;
  torch::Tensor y = lsqQuantize(x, scale, -7, 7, gradScale);
  EXPECT_TRUE(torch::equal(
      y, torch::tensor({1.0, -1.0, 3.5, -3.5}, torch::kDouble)));
  y.sum().backward();
  // d/dx: 1 inside the range, 0 where the clamp is active.
  EXPECT_TRUE(torch::equal(x.grad(),
                           torch::tensor({1.0, 1.0, 0.0, 0.0}, torch::kDouble)));
  // d/ds: (round(v) - v) inside, the bound outside, times gradScale.
  double expected = ((2 - 2.4) + (-2 - -1.8) + 7 + -7) * gradScale;
  EXPECT_NEAR(scale.grad().item<double>(), expected, 1e-12);
}

TEST(Quantizer, SearchScaleBeatsMaxScaling) {
  torch::manual_seed(3);
  torch::Tensor w = torch::randn({8, 64});
  torch::Tensor best = searchScale(w, 8, -1, 1); // ternary
  torch::Tensor naive = w.abs().amax(1);
  auto error = [&](const torch::Tensor &s) {
    return (quantizeCodes(w, s.unsqueeze(1), -1, 1) * s.unsqueeze(1) - w)
        .pow(2)
        .sum()
        .item<double>();
  };
  EXPECT_LT(error(best), error(naive));
}

TEST(Teacher, SynchronizedBatchNormOfOneRankIsBatchNorm) {
  // With the sum over ranks the identity, synchronized BN must compute what
  // at::batch_norm computes: outputs, input gradients, running statistics.
  torch::manual_seed(5);
  LayerSpec spec;
  spec.outFeatures = 6;
  TeacherLayer plain(spec, 3, /*classifier=*/false);
  TeacherLayer synced(spec, 3, /*classifier=*/false);
  synced.weight.set_data(plain.weight.detach().clone());
  synced.sumOverRanks = [](const torch::Tensor &t) { return t * 1.0; };
  torch::Tensor x = torch::randn({8, 3, 5, 5}) * 3 + 1;
  torch::Tensor xPlain = x.clone().requires_grad_(true);
  torch::Tensor xSynced = x.clone().requires_grad_(true);
  torch::Tensor weights = torch::randn({8, 6, 5, 5});
  torch::Tensor yPlain = plain.preActivation(xPlain);
  torch::Tensor ySynced = synced.preActivation(xSynced);
  EXPECT_TRUE(torch::allclose(yPlain, ySynced, 1e-5, 1e-5));
  (yPlain * weights).sum().backward();
  (ySynced * weights).sum().backward();
  EXPECT_TRUE(torch::allclose(xPlain.grad(), xSynced.grad(), 1e-4, 1e-5));
  EXPECT_TRUE(torch::allclose(plain.bnWeight.grad(), synced.bnWeight.grad(),
                              1e-4, 1e-5));
  EXPECT_TRUE(torch::allclose(plain.runningMean, synced.runningMean, 1e-5, 1e-6));
  EXPECT_TRUE(torch::allclose(plain.runningVar, synced.runningVar, 1e-5, 1e-6));
}

//===----------------------------------------------------------------------===//
// QAT with BN folding
//===----------------------------------------------------------------------===//

namespace {

/// conv 3x3 (4 channels) + classifier (3 classes) on 1x6x6 images.
Topology tinyTopology() {
  Topology t;
  t.name = "tiny";
  t.rows = t.cols = 6;
  t.numClasses = 3;
  LayerSpec conv;
  conv.outFeatures = 4;
  LayerSpec classifier;
  classifier.kind = LayerKind::Linear;
  classifier.outFeatures = 3;
  t.layers = {conv, classifier};
  for (LayerSpec &layer : t.layers)
    layer.weightBits = layer.actBits = 4;
  return t;
}

/// A teacher with BN statistics of its own (negative BN weights included),
/// a student whose scales are initialised from it, and a batch of images.
class Qat : public ::testing::Test {
protected:
  void SetUp() override {
    torch::NoGradGuard noGrad;
    TeacherLayer &conv = *teacher.layers[0];
    conv.bnWeight.copy_(torch::tensor({1.5, -0.7, 0.3, 2.0}));
    conv.runningVar.copy_(torch::tensor({0.5, 2.0, 1.0, 4.0}));
    conv.runningMean.zero_(); // the folded bias is then the BN bias
    for (size_t l = 0; l < 2; ++l)
      initFromTeacher(*student.layers[l], *teacher.layers[l]);
    student.layers[0]->actScale.fill_(0.1);
  }

  // Seeded first: the members below draw their initial values.
  bool seeded = (torch::manual_seed(9), true);
  Topology topology = tinyTopology();
  TeacherNet teacher{topology};
  StudentNet student{topology};
  torch::Tensor x = torch::randint(0, 256, {8, 1, 6, 6}) / 255.0;
};

} // namespace

/// In eval mode QAT's layer is the student layer with the BN folded in:
/// with the biases on the student's i32 grid the two networks agree.
TEST_F(Qat, EvalFormIsTheFoldedStudent) {
  torch::NoGradGuard noGrad;
  for (size_t l = 0; l < 2; ++l) {
    StudentLayer &layer = *student.layers[l];
    torch::Tensor step = layer.biasStep(student.inputScale(l));
    torch::Tensor onGrid = torch::randint(-40, 40, {step.size(0)}) * step;
    (l == 0 ? teacher.layers[l]->bnBias : teacher.layers[l]->bias)
        .copy_(onGrid);
  }
  teacher.eval();
  torch::Tensor qat = qatBnFoldForward(student, teacher, x);
  for (size_t l = 0; l < 2; ++l)
    foldBatchNorm(*student.layers[l], *teacher.layers[l]);
  EXPECT_TRUE(torch::allclose(qat, student.forward(x), 1e-4, 1e-4));
}

/// In training mode BN normalises with the batch statistics and tracks
/// them; gradients reach the teacher's weights and BN and the student's
/// scales.
TEST_F(Qat, TrainingModeUsesBatchStatistics) {
  teacher.train();
  qatBnFoldForward(student, teacher, x).pow(2).sum().backward();
  TeacherLayer &conv = *teacher.layers[0];
  EXPECT_GT(conv.runningMean.abs().sum().item<double>(), 0);
  for (const torch::Tensor &p :
       {conv.weight, conv.bnWeight, conv.bnBias, teacher.layers[1]->weight,
        student.layers[0]->weightScale, student.layers[0]->actScale,
        student.layers[1]->weightScale}) {
    ASSERT_TRUE(p.grad().defined());
    EXPECT_GT(p.grad().abs().sum().item<double>(), 0);
  }
}

//===----------------------------------------------------------------------===//
// The AlexNet and ResNet topologies
//===----------------------------------------------------------------------===//

namespace {

std::vector<int64_t> dims(const MapShape &shape) {
  return {shape.channels, shape.rows, shape.cols};
}

using Dims = std::vector<int64_t>;

} // namespace

TEST(Topology, AlexnetShapes) {
  auto cifar = makeTopology("alexnet-cifar", 4, 4);
  ASSERT_TRUE(cifar) << cifar.error();
  std::vector<LayerShapes> s = layerShapes(*cifar);
  ASSERT_EQ(s.size(), 8u);
  // 5x5 convs at stride 1, 3x3/2 max-pools: 32 -> 15 -> 7 -> 3.
  EXPECT_EQ(dims(s[0].input), Dims({3, 32, 32}));
  EXPECT_EQ(dims(s[0].activation), Dims({32, 32, 32}));
  EXPECT_EQ(dims(s[0].output), Dims({32, 15, 15}));
  EXPECT_EQ(dims(s[1].output), Dims({64, 7, 7}));
  EXPECT_EQ(dims(s[4].output), Dims({64, 3, 3}));
  EXPECT_EQ(layerInputSizes(*cifar)[5], 64 * 3 * 3);
  EXPECT_EQ(dims(s[7].output), Dims({10, 1, 1}));

  auto imagenet = makeTopology("alexnet-imagenet", 8, 8);
  ASSERT_TRUE(imagenet) << imagenet.error();
  s = layerShapes(*imagenet);
  ASSERT_EQ(s.size(), 8u);
  // torchvision's geometry: 11x11/4 pad 2 -> 55, then pools to 27, 13, 6.
  EXPECT_EQ(dims(s[0].activation), Dims({16, 55, 55}));
  EXPECT_EQ(dims(s[0].output), Dims({16, 27, 27}));
  EXPECT_EQ(dims(s[1].output), Dims({48, 13, 13}));
  EXPECT_EQ(dims(s[4].output), Dims({64, 6, 6}));
  EXPECT_EQ(layerInputSizes(*imagenet)[5], 64 * 6 * 6);
  EXPECT_EQ(dims(s[7].output), Dims({1000, 1, 1}));
}

TEST(Topology, ResnetShapesAndShortcuts) {
  auto r20 = makeTopology("resnet20", 4, 4);
  ASSERT_TRUE(r20) << r20.error();
  const std::vector<LayerSpec> &layers = r20->layers;
  ASSERT_EQ(layers.size(), 22u); // stem, 9 blocks of 2, 2 projections, fc
  int joins = 0, projections = 0;
  for (const LayerSpec &layer : layers) {
    joins += layer.isJoin();
    projections += layer.projection;
  }
  EXPECT_EQ(joins, 9);
  EXPECT_EQ(projections, 2);
  // The first block: identity shortcut from the stem.
  EXPECT_EQ(layers[2].source(2), 1);
  EXPECT_EQ(layers[2].shortcut, 0);
  // The first block of stage 2: conv1 and the 1x1 projection both read the
  // block input at stride 2; the join reads conv1 and adds the projection.
  EXPECT_EQ(layers[7].stride, 2);
  EXPECT_EQ(layers[8].source(8), 6);
  EXPECT_TRUE(layers[8].projection);
  EXPECT_EQ(layers[8].stride, 2);
  EXPECT_EQ(layers[8].kernel, 1);
  EXPECT_EQ(layers[9].source(9), 7);
  EXPECT_EQ(layers[9].shortcut, 8);
  std::vector<LayerShapes> s = layerShapes(*r20);
  EXPECT_EQ(dims(s[6].output), Dims({16, 32, 32}));
  EXPECT_EQ(dims(s[8].output), Dims({32, 16, 16}));
  EXPECT_EQ(dims(s[9].output), Dims({32, 16, 16}));
  EXPECT_EQ(dims(s[20].activation), Dims({64, 8, 8}));
  EXPECT_EQ(dims(s[20].output), Dims({64, 1, 1})); // global average pool
  EXPECT_EQ(layerInputSizes(*r20)[21], 64);

  auto r18 = makeTopology("resnet18", 8, 8);
  ASSERT_TRUE(r18) << r18.error();
  ASSERT_EQ(r18->layers.size(), 21u); // stem, 8 blocks of 2, 3 projections, fc
  s = layerShapes(*r18);
  EXPECT_EQ(dims(s[0].activation), Dims({16, 112, 112})); // 7x7/2
  EXPECT_EQ(dims(s[0].output), Dims({16, 56, 56}));       // 3x3/2 pad 1
  EXPECT_EQ(dims(s[19].activation), Dims({128, 7, 7}));
  EXPECT_EQ(dims(s[20].output), Dims({1000, 1, 1}));
}

TEST(Topology, UnknownModelNamesTheKnownOnes) {
  auto bad = makeTopology("resnet-1000", 4, 4);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), "unknown model 'resnet-1000' (expected lenet5, "
                         "vgg-small, alexnet-cifar, alexnet-imagenet, "
                         "resnet20 or resnet18)");
}

/// The data decides the input and the classes (the CIFAR-size models on
/// 1 x 28 x 28 images, 7 classes): every network follows the fields.
TEST(Topology, NetworksFollowTheInputFields) {
  torch::manual_seed(3);
  for (std::string model : {"alexnet-cifar", "resnet20"}) {
    auto t = makeTopology(model, 4, 4);
    ASSERT_TRUE(t) << t.error();
    t->channels = 1;
    t->rows = t->cols = 28;
    t->numClasses = 7;
    t->layers.back().outFeatures = 7;
    TeacherNet teacher(*t);
    StudentNet student(*t);
    torch::NoGradGuard noGrad;
    torch::Tensor x = torch::rand({2, 1, 28, 28});
    EXPECT_EQ(teacher.forward(x).sizes().vec(), Dims({2, 7})) << model;
    EXPECT_EQ(student.forward(x).sizes().vec(), Dims({2, 7})) << model;
    EXPECT_EQ(tandemForward(student, teacher, x, 3).sizes().vec(), Dims({2, 7}))
        << model;
  }
}

//===----------------------------------------------------------------------===//
// Integer simulation == the shared rules, exactly
//===----------------------------------------------------------------------===//

namespace {

std::mt19937_64 rng(12345);

int64_t uniform(int64_t lo, int64_t hi) {
  return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
}

torch::Tensor randomCodes(std::vector<int64_t> shape, int64_t lo, int64_t hi) {
  torch::Tensor t = torch::empty(shape, torch::kLong);
  for (int64_t i = 0; i < t.numel(); ++i)
    t.data_ptr<int64_t>()[i] = uniform(lo, hi);
  return t;
}

IntegerLayer randomLayer(LayerSpec spec, int64_t in, bool classifier) {
  IntegerLayer layer;
  layer.spec = spec;
  layer.classifier = classifier;
  int64_t w = int64_t(signedMax(spec.weightBits));
  layer.weight =
      spec.kind == LayerKind::Conv
          ? randomCodes({spec.outFeatures, in, spec.kernel, spec.kernel}, -w, w)
          : randomCodes({spec.outFeatures, in}, -w, w);
  layer.bias = randomCodes({spec.outFeatures}, -3000, 3000);
  for (int64_t o = 0; !classifier && o < spec.outFeatures; ++o)
    layer.requant.push_back(
        {int32_t(uniform(1, (1 << 16) - 1)), unsigned(uniform(10, 24))});
  return layer;
}

/// The reference: nested loops over the definition, the rules called on
/// every output. Input [C][H][W] of one image, codes.
using Image = std::vector<std::vector<std::vector<int64_t>>>;

/// The int32 accumulator of a conv (stride, padding 0-valued) by its
/// definition.
Image referenceAccumulate(const IntegerLayer &layer, const Image &x) {
  int64_t C = x.size(), H = x[0].size(), W = x[0][0].size();
  int64_t k = layer.spec.kernel, p = layer.spec.padding, s = layer.spec.stride;
  int64_t OH = (H + 2 * p - k) / s + 1, OW = (W + 2 * p - k) / s + 1;
  auto w = layer.weight.accessor<int64_t, 4>();
  Image y(layer.spec.outFeatures,
          std::vector<std::vector<int64_t>>(OH, std::vector<int64_t>(OW)));
  for (int64_t o = 0; o < layer.spec.outFeatures; ++o)
    for (int64_t r = 0; r < OH; ++r)
      for (int64_t c = 0; c < OW; ++c) {
        int64_t acc = layer.bias[o].item<int64_t>();
        for (int64_t i = 0; i < C; ++i)
          for (int64_t a = 0; a < k; ++a)
            for (int64_t b = 0; b < k; ++b) {
              int64_t yy = r * s + a - p, xx = c * s + b - p;
              if (yy >= 0 && yy < H && xx >= 0 && xx < W) // padding adds 0
                acc += x[i][yy][xx] * w[o][i][a][b];
            }
        y[o][r][c] = rules::wrapToBits(acc, 32, true);
      }
  return y;
}

/// rules::rescale of every value, with its channel's (M, s) (or the one
/// (M, s) of `ms`), HalfUp, clamped to `clamp`.
Image referenceRescale(const Image &x,
                       const std::vector<rules::MultiplierShift> &ms,
                       rules::IntRange clamp) {
  Image y = x;
  for (size_t o = 0; o < y.size(); ++o) {
    const rules::MultiplierShift &m = ms.size() == 1 ? ms[0] : ms[o];
    rules::RescaleParams params{
        m.multiplier,           m.shift, 0, 0, clamp.min, clamp.max,
        rules::Rounding::HalfUp};
    for (auto &row : y[o])
      for (int64_t &v : row)
        v = rules::rescale(v, params);
  }
  return y;
}

/// qnn.add with multipliers 1 into int32.
Image referenceAdd(const Image &a, const Image &b) {
  Image y = a;
  for (size_t o = 0; o < y.size(); ++o)
    for (size_t r = 0; r < y[o].size(); ++r)
      for (size_t c = 0; c < y[o][r].size(); ++c)
        y[o][r][c] = rules::wrapToBits(a[o][r][c] + b[o][r][c], 32, true);
  return y;
}

Image referenceConv(const IntegerLayer &layer, const Image &x) {
  Image y = referenceRescale(referenceAccumulate(layer, x), layer.requant,
                             rules::intRange(layer.spec.actBits, false));
  if (layer.spec.pool.kind != PoolKind::Max)
    return y;
  int64_t OH = y[0].size(), OW = y[0][0].size();
  Image pooled(y.size(), std::vector<std::vector<int64_t>>(
                             OH / 2, std::vector<int64_t>(OW / 2)));
  for (size_t o = 0; o < y.size(); ++o)
    for (int64_t r = 0; r < OH / 2; ++r)
      for (int64_t c = 0; c < OW / 2; ++c)
        pooled[o][r][c] = std::max({y[o][2 * r][2 * c], y[o][2 * r][2 * c + 1],
                                    y[o][2 * r + 1][2 * c],
                                    y[o][2 * r + 1][2 * c + 1]});
  return pooled;
}

std::vector<int64_t> referenceLinear(const IntegerLayer &layer,
                                     const std::vector<int64_t> &x) {
  auto w = layer.weight.accessor<int64_t, 2>();
  std::vector<int64_t> y;
  for (int64_t o = 0; o < layer.spec.outFeatures; ++o) {
    int64_t acc = layer.bias[o].item<int64_t>();
    for (size_t i = 0; i < x.size(); ++i)
      acc += x[i] * w[o][i];
    y.push_back(rules::wrapToBits(acc, 32, true));
  }
  return y;
}

} // namespace

TEST(IntegerSimulation, EqualsSharedRulesOnRandomLayers) {
  for (unsigned bits : {2u, 4u, 8u}) {
    LayerSpec conv1{LayerKind::Conv, 5, 3, 1, {}, bits, bits};
    LayerSpec conv2{LayerKind::Conv,          4,    3,   0,
                    {PoolKind::Max, 2, 2, 0}, bits, bits};
    LayerSpec fc{LayerKind::Linear, 3, 1, 0, {}, bits, bits};
    IntegerNet net;
    net.layers = {randomLayer(conv1, 1, false), randomLayer(conv2, 5, false),
                  randomLayer(fc, 4 * 3 * 3, true)};
    torch::Tensor pixels = randomCodes({3, 1, 8, 8}, 0, 255).to(torch::kUInt8);
    torch::Tensor logits = simulateInteger(net, pixels);
    for (int64_t n = 0; n < 3; ++n) {
      Image x(1, std::vector<std::vector<int64_t>>(8, std::vector<int64_t>(8)));
      for (int r = 0; r < 8; ++r)
        for (int c = 0; c < 8; ++c)
          x[0][r][c] = pixels[n][0][r][c].item<int64_t>();
      Image h = referenceConv(net.layers[1], referenceConv(net.layers[0], x));
      std::vector<int64_t> flat;
      for (auto &plane : h)
        for (auto &row : plane)
          flat.insert(flat.end(), row.begin(), row.end());
      std::vector<int64_t> expected = referenceLinear(net.layers[2], flat);
      for (int64_t o = 0; o < 3; ++o)
        EXPECT_EQ(logits[n][o].item<int64_t>(), expected[o])
            << "bits " << bits << " image " << n << " class " << o;
    }
  }
}

/// 4096 inputs of 8 bits against 8-bit weights: the sum bound exceeds 2^24,
/// so the simulation must take its float64 path and still be exact.
TEST(IntegerSimulation, WideLayerStaysExact) {
  LayerSpec fc{LayerKind::Linear, 4, 1, 0, {}, 8, 8};
  IntegerNet net;
  net.layers = {randomLayer(fc, 4096, true)};
  torch::Tensor pixels = randomCodes({2, 1, 64, 64}, 200, 255).to(torch::kUInt8);
  torch::Tensor logits = simulateInteger(net, pixels);
  for (int64_t n = 0; n < 2; ++n) {
    torch::Tensor flat = pixels[n].flatten().to(torch::kLong).contiguous();
    std::vector<int64_t> x(flat.data_ptr<int64_t>(),
                           flat.data_ptr<int64_t>() + flat.numel());
    std::vector<int64_t> expected = referenceLinear(net.layers[0], x);
    for (int64_t o = 0; o < 4; ++o)
      EXPECT_EQ(logits[n][o].item<int64_t>(), expected[o]);
  }
}

TEST(IntegerSimulation, RescaleChannelsIsRulesRescale) {
  torch::Tensor acc = randomCodes({2, 3, 5}, -(1LL << 20), 1LL << 20);
  std::vector<rules::MultiplierShift> ms = {{1, 0}, {12345, 17}, {65535, 30}};
  torch::Tensor out = rescaleChannels(acc, ms, rules::intRange(4, false));
  for (int64_t n = 0; n < 2; ++n)
    for (int64_t c = 0; c < 3; ++c)
      for (int64_t k = 0; k < 5; ++k) {
        rules::RescaleParams p{ms[c].multiplier, ms[c].shift, 0, 0, 0, 15,
                               rules::Rounding::HalfUp};
        EXPECT_EQ(out[n][c][k].item<int64_t>(),
                  rules::rescale(acc[n][c][k].item<int64_t>(), p));
      }
}

namespace {

/// (M, s) of `scale` times a random factor in [0.5, 1.5].
rules::MultiplierShift randomScale(double scale) {
  return *rules::deriveMultiplierShift(scale * double(uniform(50, 150)) / 100,
                                       16)
              .value;
}

/// Stem conv; a block with an identity shortcut; a strided block with a
/// projection, global average pool; classifier. Random integer parameters
/// (fitRescales chooses the rescales).
IntegerNet randomResidualNet(unsigned bits) {
  auto conv = [&](int64_t out, int64_t kernel, int64_t padding,
                  int64_t stride) {
    return LayerSpec{LayerKind::Conv, out, kernel, padding, {}, bits, bits,
                     stride};
  };
  LayerSpec join1 = conv(4, 3, 1, 1), conv2 = conv(6, 3, 1, 2),
            projection = conv(6, 1, 0, 2), join2 = conv(6, 3, 1, 1);
  join1.shortcut = 0;
  projection.input = 2;
  projection.projection = true;
  join2.input = 3;
  join2.shortcut = 4;
  join2.pool = {PoolKind::GlobalAvg};
  LayerSpec fc{LayerKind::Linear, 3, 1, 0, {}, bits, bits};
  IntegerNet net;
  net.layers = {randomLayer(conv(4, 3, 1, 1), 1, false),
                randomLayer(conv(4, 3, 1, 1), 4, false),
                randomLayer(join1, 4, false),
                randomLayer(conv2, 4, false),
                randomLayer(projection, 4, false),
                randomLayer(join2, 6, false),
                randomLayer(fc, 6, true)};
  for (IntegerLayer &layer : net.layers) // biases that do not drown the sums
    layer.bias = randomCodes({layer.spec.outFeatures}, -20, 20);
  net.layers[2].shortcutRequant = randomScale(1 << residualShift(bits));
  net.layers[5].poolRequant = *rules::deriveMultiplierShift(1.0 / 16, 16).value;
  return net;
}

/// Sets the rescales of `net`, layer by layer, so that the largest
/// accumulator on `pixels` lands near the top of its output range (the
/// codes, or 2^13 on a residual grid), times a random factor per channel:
/// random values that use the whole range without all saturating.
void fitRescales(IntegerNet &net, const torch::Tensor &pixels) {
  for (size_t l = 0; l + 1 < net.layers.size(); ++l) {
    IntegerLayer &layer = net.layers[l];
    torch::Tensor acc;
    simulateInteger(net, pixels,
                    [&](size_t i, IntegerStep step, const torch::Tensor &v) {
                      if (i == l && step == IntegerStep::Accumulate)
                        acc = v;
                    });
    double top = layer.spec.projection || layer.spec.isJoin()
                     ? double(1 << 13)
                     : unsignedMax(layer.spec.actBits);
    double peak = acc.abs().max().item<double>() + 1;
    for (rules::MultiplierShift &ms : layer.requant)
      ms = randomScale(top / peak);
  }
}

/// The join's int32 sum, rescaled by (1, R) to the A-bit codes.
Image referenceJoinOutput(const Image &sum, unsigned bits) {
  return referenceRescale(sum, {{1, residualShift(bits)}},
                          rules::intRange(bits, false));
}

} // namespace

TEST(IntegerSimulation, ResidualBlocksEqualSharedRules) {
  const rules::IntRange int16 = rules::intRange(16, true);
  for (unsigned bits : {2u, 4u, 8u}) {
    IntegerNet net = randomResidualNet(bits);
    const std::vector<IntegerLayer> &L = net.layers;
    torch::Tensor pixels = randomCodes({2, 1, 8, 8}, 0, 255).to(torch::kUInt8);
    fitRescales(net, pixels);
    std::vector<std::pair<size_t, IntegerStep>> steps;
    torch::Tensor logits = simulateInteger(
        net, pixels, [&](size_t l, IntegerStep step, const torch::Tensor &) {
          steps.push_back({l, step});
        });
    std::set<int64_t> joinCodes; // the test means something only if varied
    for (int64_t n = 0; n < 2; ++n) {
      Image x(1, std::vector<std::vector<int64_t>>(8, std::vector<int64_t>(8)));
      for (int r = 0; r < 8; ++r)
        for (int c = 0; c < 8; ++c)
          x[0][r][c] = pixels[n][0][r][c].item<int64_t>();
      Image h0 = referenceConv(L[0], x), h1 = referenceConv(L[1], h0);
      Image out2 = referenceJoinOutput(
          referenceAdd(referenceRescale(referenceAccumulate(L[2], h1),
                                        L[2].requant, int16),
                       referenceRescale(h0, {L[2].shortcutRequant}, int16)),
          bits);
      Image h3 = referenceConv(L[3], out2);
      Image p4 = referenceRescale(referenceAccumulate(L[4], out2), L[4].requant,
                                  int16);
      Image out5 = referenceJoinOutput(
          referenceAdd(referenceRescale(referenceAccumulate(L[5], h3),
                                        L[5].requant, int16),
                       p4),
          bits);
      std::vector<int64_t> averaged; // global average pool of 4 x 4
      for (size_t o = 0; o < out5.size(); ++o) {
        int64_t sum = 0;
        for (auto &row : out5[o])
          for (int64_t v : row)
            sum += v;
        averaged.push_back(
            referenceRescale({{{sum}}}, {L[5].poolRequant},
                             rules::intRange(bits, false))[0][0][0]);
      }
      for (auto &plane : out2)
        for (auto &row : plane)
          joinCodes.insert(row.begin(), row.end());
      std::vector<int64_t> expected = referenceLinear(L[6], averaged);
      for (int64_t o = 0; o < 3; ++o)
        EXPECT_EQ(logits[n][o].item<int64_t>(), expected[o])
            << "bits " << bits << " image " << n << " class " << o;
    }
    EXPECT_GT(joinCodes.size(), 2u) << "bits " << bits;
    using S = IntegerStep;
    std::vector<std::pair<size_t, IntegerStep>> expectedSteps = {
        {0, S::Accumulate}, {0, S::Rescale},    {1, S::Accumulate},
        {1, S::Rescale},    {2, S::Accumulate}, {2, S::Residual},
        {2, S::Shortcut},   {2, S::Add},        {2, S::Rescale},
        {3, S::Accumulate}, {3, S::Rescale},    {4, S::Accumulate},
        {4, S::Rescale},    {5, S::Accumulate}, {5, S::Residual},
        {5, S::Add},        {5, S::Rescale},    {5, S::PoolSum},
        {5, S::Pool},       {6, S::Flatten},    {6, S::Accumulate}};
    EXPECT_EQ(steps, expectedSteps);
  }
}

namespace {

/// The student's integer form after snapping its scales to it (stage 3).
Expected<IntegerNet> snappedIntegerNet(StudentNet &student) {
  auto net = toIntegerNet(student, ScaleForm::Multiplier, 16);
  if (!net)
    return net;
  snapToIntegerScales(student, *net);
  return toIntegerNet(student, ScaleForm::Multiplier, 16);
}

} // namespace

/// The float student (after snapping its scales to (M, s)) and its integer
/// form agree on the first layer's codes, negative gammas included.
TEST(IntegerSimulation, StudentFirstLayerMatchesItsIntegerForm) {
  torch::manual_seed(5);
  auto topology = makeTopology("vgg-small", 4, 4);
  ASSERT_TRUE(topology) << topology.error();
  StudentNet student(*topology);
  StudentLayer &layer = *student.layers[0];
  {
    torch::NoGradGuard noGrad;
    layer.gamma.copy_(torch::randn({16}) * 0.5);
    layer.beta.copy_(torch::randn({16}) * 0.2);
    layer.actScale.fill_(0.05);
  }
  auto net = snappedIntegerNet(student);
  ASSERT_TRUE(net) << net.error();

  torch::Tensor pixels = randomCodes({4, 1, 28, 28}, 0, 255).to(torch::kUInt8);
  torch::NoGradGuard noGrad;
  torch::Tensor real =
      layer.forward(pixels.to(torch::kFloat) / 255.0, student.inputScale(0));
  torch::Tensor floatCodes = roundHalfUp(real / layer.actScale);
  const IntegerLayer &intLayer = net->layers[0];
  torch::Tensor acc = at::conv2d(pixels.to(torch::kDouble),
                                 intLayer.weight.to(torch::kDouble),
                                 intLayer.bias.to(torch::kDouble), 1, 1);
  torch::Tensor intCodes = rescaleChannels(
      acc.to(torch::kLong), intLayer.requant, rules::intRange(4, false));
  double agreement =
      floatCodes.to(torch::kLong).eq(intCodes).to(torch::kDouble).mean().item<double>();
  EXPECT_GT(agreement, 0.999);
}

/// The same for the residual blocks of resnet20: after snapping, the float
/// student's codes at the first join (identity shortcut) and at the first
/// projection join agree with the integer simulation's.
TEST(IntegerSimulation, StudentResidualBlocksMatchTheirIntegerForm) {
  torch::manual_seed(7);
  auto topology = makeTopology("resnet20", 4, 4);
  ASSERT_TRUE(topology) << topology.error();
  StudentNet student(*topology);
  {
    torch::NoGradGuard noGrad;
    for (auto &layer : student.layers) {
      if (layer->classifier)
        continue;
      layer->gamma.copy_(torch::randn({layer->spec.outFeatures}) * 0.5);
      layer->beta.copy_(torch::randn({layer->spec.outFeatures}) * 0.2);
      if (layer->actScale.defined())
        layer->actScale.fill_(0.3);
    }
  }
  auto net = snappedIntegerNet(student);
  ASSERT_TRUE(net) << net.error();

  torch::Tensor pixels = randomCodes({2, 3, 32, 32}, 0, 255).to(torch::kUInt8);
  std::map<size_t, torch::Tensor> integerCodes;
  simulateInteger(*net, pixels,
                  [&](size_t l, IntegerStep step, const torch::Tensor &codes) {
                    if ((l == 2 || l == 9) && step == IntegerStep::Rescale)
                      integerCodes[l] = codes;
                  });
  torch::NoGradGuard noGrad;
  for (size_t join : {2u, 9u}) {
    torch::Tensor real =
        runNetwork(student, pixels.to(torch::kFloat) / 255.0, join + 1).back();
    torch::Tensor floatCodes =
        roundHalfUp(real / student.layers[join]->actScale).to(torch::kLong);
    torch::Tensor same = floatCodes.eq(integerCodes[join]);
    EXPECT_GT(same.to(torch::kDouble).mean().item<double>(), 0.99) << join;
    // Not all zero or saturated: the comparison sees the block's arithmetic.
    EXPECT_GT(std::get<0>(at::_unique(integerCodes[join])).numel(), 3) << join;
  }
}

//===----------------------------------------------------------------------===//
// The pipeline end to end, on a data subset
//===----------------------------------------------------------------------===//

namespace {

const char *kDataDir = "/usr/share/datasets/fashion-mnist";

TrainOptions tinyOptions(const std::string &outName) {
  TrainOptions o;
  // Per process: other checkouts may run the same tests at the same time.
  o.outDir = (std::filesystem::temp_directory_path() /
              (outName + "-" + std::to_string(getpid())))
                 .string();
  std::filesystem::remove_all(o.outDir);
  o.trainLimit = 1500;
  o.validationSize = 500;
  o.testLimit = 1000;
  o.teacherEpochs = 2;
  o.layerEpochs = 1;
  o.finetuneEpochs = 1;
  o.batchSize = 64;
  o.teacherLr = 3e-3;
  o.studentLr = 1e-3;
  o.threads = 1;
  o.showProgress = false;
  return o;
}

} // namespace

TEST(Pipeline, TinyPtlRunBeatsChanceAndResumesBitExactly) {
  if (!std::filesystem::exists(kDataDir))
    GTEST_SKIP() << kDataDir << " not installed (dataset-fashion-mnist)";
  TrainOptions wholeOptions = tinyOptions("qnn-ptl-whole");
  auto whole = runTraining(wholeOptions);
  ASSERT_TRUE(whole) << whole.error();
  ASSERT_TRUE(whole->finished);
  EXPECT_GT(whole->teacherAccuracy, 40.0);
  EXPECT_GT(whole->studentAccuracy, 30.0); // chance is 10%
  EXPECT_TRUE(std::filesystem::exists(wholeOptions.outDir + "/student-int.pt"));

  // Killed (stopped) twice, resumed: the same integer student, bit for bit.
  TrainOptions stopped = tinyOptions("qnn-ptl-resumed");
  stopped.stopAfterEpochs = 2;
  auto first = runTraining(stopped);
  ASSERT_TRUE(first) << first.error();
  EXPECT_FALSE(first->finished);
  stopped.resume = true;
  stopped.stopAfterEpochs = 3;
  auto second = runTraining(stopped);
  ASSERT_TRUE(second) << second.error();
  EXPECT_FALSE(second->finished);
  stopped.stopAfterEpochs = 0;
  auto last = runTraining(stopped);
  ASSERT_TRUE(last) << last.error();
  ASSERT_TRUE(last->finished);
  EXPECT_EQ(last->integerFingerprint, whole->integerFingerprint);
  EXPECT_EQ(last->studentAccuracy, whole->studentAccuracy);
}

TEST(Pipeline, ThreadedBatchesTrainAsSequentialOnes) {
  if (!std::filesystem::exists(kDataDir))
    GTEST_SKIP() << kDataDir << " not installed (dataset-fashion-mnist)";
  // Augmented batches assembled on the training thread, then by three
  // workers: the same batches, so the same student bit for bit.
  std::vector<TrainReport> reports;
  for (int workers : {0, 3}) {
    TrainOptions o = tinyOptions("qnn-loader-" + std::to_string(workers));
    o.trainLimit = 600;
    o.validationSize = 100;
    o.testLimit = 200;
    o.teacherEpochs = 1;
    o.augment = "crop,flip";
    o.loaderThreads = workers;
    auto report = runTraining(o);
    ASSERT_TRUE(report) << report.error();
    reports.push_back(*report);
  }
  EXPECT_EQ(reports[0].integerFingerprint, reports[1].integerFingerprint);
  EXPECT_EQ(reports[0].teacherAccuracy, reports[1].teacherAccuracy);
  EXPECT_EQ(reports[0].studentAccuracy, reports[1].studentAccuracy);
}

TEST(Pipeline, ErrorsAreValues) {
  TrainOptions o = tinyOptions("qnn-ptl-errors");
  o.dataDir = "/nonexistent-data";
  auto missing = runTraining(o);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("/nonexistent-data/train-images-idx3-ubyte"),
            std::string::npos)
      << missing.error();
  o = tinyOptions("qnn-ptl-errors");
  o.model = "resnet-1000";
  auto model = runTraining(o);
  ASSERT_FALSE(model);
  EXPECT_NE(model.error().find("unknown model"), std::string::npos);
  o = tinyOptions("qnn-ptl-errors");
  o.augment = "rotate";
  auto augment = runTraining(o);
  ASSERT_FALSE(augment);
  EXPECT_NE(augment.error().find("unknown augmentation 'rotate'"),
            std::string::npos)
      << augment.error();
}
