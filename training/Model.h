//===- Model.h - One topology, two networks: FP-BN teacher, BN-free student ===//
//
// A Topology lists conv/linear layers; every layer but the last (the
// classifier) is followed by BatchNorm and ReLU in the teacher, and by a
// learned per-channel scale, an integer bias and an unsigned A-bit activation
// quantizer (whose clamp is the ReLU) in the student. Max-pooling follows
// where the topology says. The student is therefore the teacher minus BN.
//
// Real-valued student layer (stages 1 and 2 train this):
//   w^  = s_w[o] * clamp(round(w / s_w[o]), -Qw, Qw)         (LSQ, per channel)
//   z   = conv(x, w^)               x = s_in * (A-bit or 8-bit input codes)
//   y   = gamma[o] * z + beta^[o]   beta^ on the i32 grid |gamma| s_in s_w[o]
//   out = s_out * clamp(round(y / s_out), 0, 2^A - 1)
// Its integer form (what the compiler runs):
//   acc = b[o] + sum(q_in * q_w)                         (int32)
//   q   = rescale(acc, M[o], s[o], clamp [0, 2^A - 1], HalfUp)
// with M[o] / 2^s[o] ~ s_in s_w[o] |gamma[o]| / s_out and the sign of gamma
// folded into q_w. The classifier has one weight scale and no gamma, so its
// int32 logits acc have one common scale and argmax is unchanged.
//
// Residual block (ResNet): a join layer adds a shortcut before its
// activation. With g = s_out / 2^R (R = residualShift(A), the residual
// grid) and Q16(v) = g * clamp(round(v / g), -2^15, 2^15 - 1):
//   out = s_out * clamp(round((Q16(y) + Q16(short)) / s_out), 0, 2^A - 1)
// short: a projection's y (conv + scale + bias, no activation) or the block
// input x times shortcutGain. Integer form (M/2^s ~ s_in s_w |gamma| / g,
// M_x/2^s_x ~ s_x / g):
//   r = rescale(acc, M[o], s[o], clamp int16)
//   t = rescale(acc_p, M_p[o], s_p[o], clamp int16)   (projection), or
//       rescale(q_x, M_x, s_x, clamp int16)           (identity)
//   q = rescale(r + t, 1, R, clamp [0, 2^A - 1])      (qnn.add, qnn.rescale)
// Global average pool: q = rescale(sum of the map's codes, (M, s) of
// 1 / (H W), clamp [0, 2^A - 1]), in float the mean re-quantized on s_out.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_TRAINING_MODEL_H
#define QNN_TRAINING_MODEL_H

#include "Expected.h"
#include "ExportedStudent.h"
#include "qnn/Support/IntegerRules.h"

#include <torch/nn/module.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace qnn::train {

//===----------------------------------------------------------------------===//
// Topology
//===----------------------------------------------------------------------===//

enum class LayerKind { Conv, Linear };

struct LayerSpec {
  LayerKind kind = LayerKind::Conv;
  int64_t outFeatures = 0;
  int64_t kernel = 3, padding = 1; // conv only
  PoolSpec pool;                   // after the activation (hidden layers)
  unsigned weightBits = 8;
  unsigned actBits = 8; // output activation bits (unused by the classifier)
  int64_t stride = 1;   // conv only
  int input = kPrevious; // whose output this layer reads
  /// A residual block's projection shortcut (conv + BN in the teacher, no
  /// ReLU, no pool): its output is the shortcut of the join that names it.
  bool projection = false;
  /// A join (a residual block's last layer) adds the output of layer
  /// `shortcut` (-1: none) before its activation: a projection's, or the
  /// activation that entered the block (identity shortcut).
  int shortcut = -1;

  /// The index of the layer whose output layer `self` reads (kImage: none).
  int source(size_t self) const { return sourceLayer(input, self); }
  bool isJoin() const { return shortcut >= 0; }
};

/// A network: layers in an order in which every layer comes after the
/// layers it reads; the last one is the classifier. Teacher and student are
/// both built from it.
struct Topology {
  std::string name;
  int64_t channels = 1, rows = 28, cols = 28, numClasses = 10;
  std::vector<LayerSpec> layers;
};

/// The model names makeTopology knows, for --help and errors.
extern const char *const kModelNames;

/// "lenet5", "vgg-small", "alexnet-cifar", "alexnet-imagenet", "resnet20"
/// or "resnet18" (README.md: the layers and widths of each), every layer
/// at weightBits / actBits.
Expected<Topology> makeTopology(const std::string &name, unsigned weightBits,
                                unsigned actBits);

/// A feature map: channels x rows x cols (a linear layer's: features x 1 x 1).
struct MapShape {
  int64_t channels, rows, cols;
  int64_t size() const { return channels * rows * cols; }
};

/// What layer i reads (its source's output, or the image), its activation
/// (before the pool) and its output (after it). A window that does not fit
/// gives sizes below 1, which the networks' constructors refuse.
struct LayerShapes {
  MapShape input, activation, output;
};
std::vector<LayerShapes> layerShapes(const Topology &topology);

/// Input channels (conv) or input features (linear) of each layer.
std::vector<int64_t> layerInputSizes(const Topology &topology);

//===----------------------------------------------------------------------===//
// Quantizers (LSQ, straight-through)
//===----------------------------------------------------------------------===//

/// Largest code of a signed symmetric (weights: [-max, max]) or an unsigned
/// (activations: [0, max]) bits-wide integer.
inline double signedMax(unsigned bits) {
  return double(rules::intRange(bits, /*isSigned=*/true).max);
}
inline double unsignedMax(unsigned bits) {
  return double(rules::intRange(bits, /*isSigned=*/false).max);
}

/// floor(x + 1/2): the HalfUp rule of rules::roundingShiftRight, in float.
torch::Tensor roundHalfUp(const torch::Tensor &x);

/// The integer codes clamp(round(x / scale), qmin, qmax), as float values.
torch::Tensor quantizeCodes(const torch::Tensor &x, const torch::Tensor &scale,
                            double qmin, double qmax);

/// scale * codes with LSQ gradients: d/dx is 1 inside [qmin, qmax] and 0
/// outside; d/dscale is (round(v) - v) inside and the bound outside, times
/// gradScale (LSQ's 1/sqrt(N * qmax)).
torch::Tensor lsqQuantize(const torch::Tensor &x, const torch::Tensor &scale,
                          double qmin, double qmax, double gradScale);

/// Per-row (rows = dim 0 of x viewed as [rows, -1]) scale minimising the
/// squared quantization error over a grid of fractions of max|x|.
torch::Tensor searchScale(const torch::Tensor &x, int64_t rows, double qmin,
                          double qmax);

//===----------------------------------------------------------------------===//
// Running a topology's layers
//===----------------------------------------------------------------------===//

/// Computes layer i's output from its source's output and, for a join, its
/// shortcut's output (undefined otherwise).
using LayerFunction = std::function<torch::Tensor(
    size_t i, const torch::Tensor &input, const torch::Tensor &shortcut)>;

/// Runs layers 0..count-1 on the image x in order; every layer's output,
/// except that an output no layer after it reads any more is released
/// (undefined) once its last reader ran, unless it is the last one computed.
std::vector<torch::Tensor> runLayers(const std::vector<LayerSpec> &layers,
                                     const torch::Tensor &x, size_t count,
                                     const LayerFunction &layer);

/// runLayers with the layers of `net` (a TeacherNet or StudentNet).
template <typename Net>
std::vector<torch::Tensor> runNetwork(Net &net, const torch::Tensor &x,
                                      size_t count) {
  return runLayers(net.topology.layers, x, count,
                   [&net](size_t i, const torch::Tensor &input,
                          const torch::Tensor &shortcut) {
                     return net.layerForward(i, input, shortcut);
                   });
}

/// The input of layer i among `outputs` (runLayers'), or the image x.
const torch::Tensor &layerInput(const std::vector<LayerSpec> &layers, size_t i,
                                const torch::Tensor &x,
                                const std::vector<torch::Tensor> &outputs);

//===----------------------------------------------------------------------===//
// Teacher: conv/linear + BN + ReLU (+ pool); the classifier has a bias.
// A projection is conv + BN; a join is ReLU(BN(conv) + shortcut) (+ pool).
//===----------------------------------------------------------------------===//

class TeacherLayer : public torch::nn::Module {
public:
  TeacherLayer(const LayerSpec &spec, int64_t inSize, bool classifier);
  /// Post-BN, pre-ReLU output (the classifier: its logits).
  torch::Tensor preActivation(torch::Tensor x);
  /// BN of the pre-BN output y: batch statistics (which it tracks) in
  /// training mode, running statistics in eval mode. Hidden layers only.
  torch::Tensor normalize(const torch::Tensor &y);
  /// `shortcut`: the output a join adds (undefined for other layers).
  torch::Tensor forward(torch::Tensor x, const torch::Tensor &shortcut = {});

  LayerSpec spec;
  bool classifier;
  torch::Tensor weight, bias;        // bias: classifier only
  torch::Tensor bnWeight, bnBias;    // hidden layers only
  torch::Tensor runningMean, runningVar;
  /// Set in data-parallel training: sums per-channel statistics over the
  /// ranks (an autograd operation), so training-mode BN normalises with the
  /// global batch's statistics (synchronized BN), as one process would.
  std::function<torch::Tensor(const torch::Tensor &)> sumOverRanks;
};

class TeacherNet : public torch::nn::Module {
public:
  explicit TeacherNet(const Topology &topology);
  torch::Tensor forward(torch::Tensor x);
  /// Layer i on its input and shortcut (runLayers' LayerFunction).
  torch::Tensor layerForward(size_t i, const torch::Tensor &input,
                             const torch::Tensor &shortcut);

  Topology topology;
  std::vector<std::shared_ptr<TeacherLayer>> layers;
};

//===----------------------------------------------------------------------===//
// Student: no BN; learned weight scales, gamma, i32-grid bias, act scale.
//===----------------------------------------------------------------------===//

class StudentLayer : public torch::nn::Module {
public:
  StudentLayer(const LayerSpec &spec, int64_t inSize, bool classifier);
  /// The LSQ fake-quantized weights s_w * q_w.
  torch::Tensor quantizedWeight() { return fakeQuantizeWeight(weight); }
  /// s_w * clamp(round(w / s_w)) of other weights of this shape (LSQ).
  torch::Tensor fakeQuantizeWeight(const torch::Tensor &w);
  /// Integer weight codes q_w (float values, no gradient).
  torch::Tensor weightCodes();
  /// The i32 bias grid step |gamma| s_in s_w per channel (no gradient).
  torch::Tensor biasStep(double inScale);
  /// Integer bias codes round(beta / step) (float values, no gradient).
  torch::Tensor biasCodes(double inScale);
  /// z = conv(x, w^) or linear(x, w^), without bias.
  torch::Tensor accumulate(torch::Tensor x);
  /// y = gamma z + beta^ (hidden) or z + beta^ (classifier logits).
  torch::Tensor preActivation(torch::Tensor x, double inScale);
  /// preActivation, then activate (hidden).
  torch::Tensor forward(torch::Tensor x, double inScale,
                        const torch::Tensor &shortcut = {});
  /// A join first puts y and the shortcut on its residual grid and adds;
  /// then the A-bit activation quantizer (its clamp is the ReLU) and the
  /// pool (a global average is re-quantized on the codes). A projection's
  /// output is y itself: the join that adds it quantizes it.
  torch::Tensor activate(const torch::Tensor &y,
                         const torch::Tensor &shortcut = {});
  /// Per-channel view shape for [O] parameters against this layer's output.
  std::vector<int64_t> channelShape() const;
  /// The join's residual grid s_out / 2^residualShift (with gradient).
  torch::Tensor residualGrid();

  LayerSpec spec;
  bool classifier;
  torch::Tensor weight, weightScale; // weightScale: [O] hidden, [1] classifier
  torch::Tensor gamma, beta;         // gamma: hidden only
  torch::Tensor actScale;            // [1], hidden only but projections
  /// Joins with an identity shortcut: the shortcut's real value times this
  /// gain goes on the residual grid. 1 until stage 3 snaps it so that the
  /// ratio to the grid is the integer (M, s) (snapToIntegerScales).
  torch::Tensor shortcutGain;
};

class StudentNet : public torch::nn::Module {
public:
  explicit StudentNet(const Topology &topology);
  torch::Tensor forward(torch::Tensor x);
  /// Layer i on its input and shortcut (runLayers' LayerFunction).
  torch::Tensor layerForward(size_t i, const torch::Tensor &input,
                             const torch::Tensor &shortcut);
  /// s_in of layer i: 1/255 for the 8-bit pixels, else its source's actScale.
  double inputScale(size_t i) const;
  /// The real scale of layer i's integer output: its actScale, or for a
  /// projection (and a join's own branch, `residual`) the join's residual grid.
  double outputScale(size_t i, bool residual = false) const;
  /// The join that adds projection i.
  size_t joinOf(size_t projection) const;

  Topology topology;
  std::vector<std::shared_ptr<StudentLayer>> layers;
};

/// Student layer ← teacher layer with BN folded into weights and bias
/// (gamma = 1), weight scales by searchScale.
void initFromTeacher(StudentLayer &student, const TeacherLayer &teacher);

/// Hybrid network of PTL: student layers 0..count-1, then teacher layers.
torch::Tensor tandemForward(StudentNet &student, TeacherNet &teacher,
                            torch::Tensor x, size_t count);

//===----------------------------------------------------------------------===//
// QAT with BN folding (the baseline of Jacob et al. 2018, as PyTorch's
// ConvBn QAT modules compute it)
//===----------------------------------------------------------------------===//
//
// The teacher keeps its BN; each hidden layer convolves with the folded
// weights w f, f = gamma_bn / sqrt(running_var + eps), fake-quantized per
// channel with the student's LSQ weight scale, divides the result by f and
// applies the teacher's BN to it:
//   y = BN(conv(x, s_w q(w f / s_w)) / f)
// In training mode BN normalises with the batch statistics (and tracks
// them); in eval mode y = conv(x, s_w q(w f / s_w)) + beta_bn - mu f, which
// is the student layer with weight w f, gamma 1 and beta beta_bn - mu f.
// The activation is the student's A-bit quantizer; the classifier is the
// teacher's, with its weights fake-quantized by the student's scale.

/// The QAT network: teacher weights and BN, student weight and activation
/// scales, on the real-valued input image x.
torch::Tensor qatBnFoldForward(StudentNet &scales, TeacherNet &teacher,
                               torch::Tensor x);

/// Student layer ← the teacher layer's eval-mode form: BN folded into the
/// weight and bias, gamma 1 (the classifier: its weight and bias). The
/// student's scales stay: at the end of QAT they are the learned ones.
void foldBatchNorm(StudentLayer &student, const TeacherLayer &teacher);

//===----------------------------------------------------------------------===//
// Integer form and its exact simulation
//===----------------------------------------------------------------------===//

/// How a real per-channel scale becomes (M, s).
enum class ScaleForm {
  Multiplier, ///< rules::deriveMultiplierShift(scale, multiplierBits)
  PowerOfTwo, ///< rules::derivePowerOfTwo (shift-BN baseline)
};

/// What the compiler needs of one student layer: all integers.
struct IntegerLayer {
  LayerSpec spec;
  bool classifier = false;
  unsigned inputBits = 8;
  torch::Tensor weight; // int64, signed symmetric weightBits codes
  torch::Tensor bias;   // int64, int32 range
  /// Per channel, hidden only: to the activation's codes, or (projections,
  /// joins) to the residual grid.
  std::vector<rules::MultiplierShift> requant;
  /// Joins with an identity shortcut: its codes to the residual grid.
  rules::MultiplierShift shortcutRequant{1, 0};
  /// GlobalAvg pool: 1 / (H W).
  rules::MultiplierShift poolRequant{1, 0};
};

struct IntegerNet {
  std::vector<IntegerLayer> layers;
};

/// The integer parameters of a student; fails (naming layer and channel)
/// when a scale has no (M, s) form.
Expected<IntegerNet> toIntegerNet(StudentNet &student, ScaleForm form,
                                  unsigned multiplierBits);

/// The integer parameters as plain vectors, for the exporters.
ExportedStudent exportStudent(const IntegerNet &net, const Topology &topology);

/// Sets each hidden gamma so that s_in s_w |gamma| / s_out equals the
/// integer M / 2^s exactly (up to float rounding): stage 3 trains what runs.
void snapToIntegerScales(StudentNet &student, const IntegerNet &net);

/// Sees every step (ExportedStudent.h) of every layer (index into IntegerNet::layers) with its
/// int64 values, batch first.
using IntegerObserver =
    std::function<void(size_t layer, IntegerStep, const torch::Tensor &)>;

/// Exact integer forward on uint8 images [N, C, H, W]: int64 logits, each
/// an int32 value. conv/linear in float64 on integer values (exact while
/// |acc| < 2^53), int32 wrap, then rules::rescale per element. `observe`,
/// if given, sees the value of every step.
torch::Tensor simulateInteger(const IntegerNet &net,
                              const torch::Tensor &pixels,
                              const IntegerObserver &observe = nullptr);

/// rules::rescale applied to every element of an int64 tensor [N, O, ...]
/// with the channel's parameters (one for all channels if `ms` has one),
/// HalfUp, clamped to `clamp`.
torch::Tensor rescaleChannels(const torch::Tensor &acc,
                              const std::vector<rules::MultiplierShift> &ms,
                              rules::IntRange clamp);

} // namespace qnn::train

#endif // QNN_TRAINING_MODEL_H
