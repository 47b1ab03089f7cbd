//===- EmitKernels.cpp - Calls of the fused conv/matmul kernels -----------===//
//
// Everything that does not depend on the input data is done here, once, at
// compile time: the weights are reordered into the kernel's register-tile
// layout, the zero-point and signed-input corrections are folded into the
// bias (bias' in include/qnn/Conversion/KernelABI.h), the per-channel
// parameters are padded to whole tiles, and the geometry goes into a
// read-only descriptor.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "Emitter.h"

#include "qnn/Conversion/KernelABI.h"
#include "qnn/Support/IntegerRules.h"

#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::qnn;

namespace {

/// What the code generator must know of one instruction set's kernels.
struct ISAInfo {
  StringRef name;
  int64_t lanes;  ///< 32-bit accumulators per vector
  int64_t group;  ///< input channels per 32-bit lane group
  unsigned weightBits;
  rules::IntRange weightRange;
  /// What the kernel adds to unsigned and to signed input bytes to bring
  /// them into the domain its multiply takes (bias' subtracts it again).
  int64_t unsignedOffset, signedOffset;
  /// (OB, largest PB) register tiles instantiated in conv.c, largest OB
  /// first.
  SmallVector<std::pair<int64_t, int64_t>, 3> tiles;
};

const ISAInfo &info(KernelISA isa) {
  // vpdpbusd: u8 x s8; vpmaddwd: s16 x s16; sdot: s8 x s8.
  static const ISAInfo vnni{"vnni", 16, 4, 8, rules::intRange(8, true), 0, 128,
                            {{4, 6}, {2, 14}, {1, 28}}};
  static const ISAInfo avx2{"avx2", 8, 2, 16, rules::intRange(16, true), 0, 0,
                            {{2, 6}, {1, 13}}};
  static const ISAInfo dotprod{"dotprod", 4, 4, 8, rules::intRange(8, true),
                               -128, 0, {{4, 6}, {2, 14}, {1, 28}}};
  switch (isa) {
  case KernelISA::VNNI:
    return vnni;
  case KernelISA::AVX2:
    return avx2;
  case KernelISA::Dotprod:
    return dotprod;
  }
  llvm_unreachable("unknown kernel ISA");
}

bool isI32(Type type) {
  auto t = dyn_cast<IntegerType>(cast<ShapedType>(type).getElementType());
  return t && t.getWidth() == 32 && !t.isUnsigned();
}

IntegerType elementType(Value v) {
  return cast<IntegerType>(cast<ShapedType>(v.getType()).getElementType());
}

bool isByteSized(Value v) { return containerBits(elementType(v)) == 8; }

/// The values of a constant operand (through reshapes), extended by its
/// signedness, or nothing if `v` is not a constant.
std::optional<SmallVector<int64_t>> constantValues(Value v) {
  while (auto reshape = v.getDefiningOp<ReshapeOp>())
    v = reshape.getInput();
  auto constant = v.getDefiningOp<ConstantOp>();
  if (!constant)
    return std::nullopt;
  bool isUnsigned = elementType(v).isUnsigned();
  SmallVector<int64_t> values;
  for (const APInt &x :
       cast<DenseIntElementsAttr>(constant.getValue()).getValues<APInt>())
    values.push_back(isUnsigned ? int64_t(x.getZExtValue()) : x.getSExtValue());
  return values;
}

/// The rescale that can be fused into `op`'s output stage: its only user,
/// per-tensor or along the channel axis, to a byte-sized type, with
/// parameters that fit the descriptor's 32-bit fields.
RescaleOp fusableRescale(Operation *op) {
  Value result = op->getResult(0);
  if (!result.hasOneUse())
    return nullptr;
  auto rescale = dyn_cast<RescaleOp>(*result.getUsers().begin());
  if (!rescale || !isByteSized(rescale.getOutput()))
    return nullptr;
  if (rescale.getMultiplier().size() != 1 && rescale.getAxis() != 1)
    return nullptr;
  rules::IntRange i32 = rules::intRange(32, true);
  if (!i32.contains(rescale.getInputZp()) ||
      !i32.contains(rescale.getOutputZp()))
    return nullptr;
  return rescale;
}

/// The parts common to conv2d and matmul: accumulator, input, bias, fusion.
/// A constant input stays on the loops (sub-byte constants are stored
/// packed, the kernels read byte containers).
bool matchCommon(KernelCandidate &c, Operation *op, Value input, Value bias,
                 int64_t inputZp) {
  if (!isI32(op->getResult(0).getType()) || !isByteSized(input) ||
      constantValues(input))
    return false;
  c.op = op;
  c.input = input;
  c.inputSigned = !elementType(input).isUnsigned();
  // Padding stores the zero point in the input's byte container.
  if (!rules::intRange(8, c.inputSigned).contains(inputZp))
    return false;
  c.inputZp = inputZp;
  c.bias.assign(c.outChannels, 0);
  if (bias) {
    std::optional<SmallVector<int64_t>> values = constantValues(bias);
    if (!values || !isI32(bias.getType()))
      return false;
    c.bias = std::move(*values);
  }
  c.rescale = fusableRescale(op);
  c.output = c.rescale ? Value(c.rescale.getOutput()) : op->getResult(0);
  return true;
}

/// Sizes and strides of a dense NCHW input and output.
void setNCHWGeometry(KernelCandidate &c, ArrayRef<int64_t> in,
                     ArrayRef<int64_t> out) {
  c.batch = in[0];
  c.inChannels = in[1];
  c.inHeight = in[2];
  c.inWidth = in[3];
  int64_t inStrides[] = {in[1] * in[2] * in[3], in[2] * in[3], in[3], 1};
  llvm::copy(inStrides, c.inStrides);
  c.outChannels = out[1];
  c.outHeight = out[2];
  c.outWidth = out[3];
  int64_t outStrides[] = {out[1] * out[2] * out[3], out[2] * out[3], out[3],
                          1};
  llvm::copy(outStrides, c.outStrides);
}

std::optional<KernelCandidate> matchConv(Conv2DOp op) {
  ArrayRef<int64_t> in =
      cast<RankedTensorType>(op.getInput().getType()).getShape();
  ArrayRef<int64_t> out = cast<RankedTensorType>(op.getType()).getShape();
  // Grouped convolutions other than depthwise ones keep the loops, and so
  // do depthwise strides the kernel does not read in vectors.
  bool depthwise = op.getGroups() != 1;
  if (depthwise && (op.getGroups() != in[1] || out[1] != in[1] ||
                    op.getStrides()[1] > 2))
    return std::nullopt;
  std::optional<SmallVector<int64_t>> weights = constantValues(op.getWeight());
  if (!weights)
    return std::nullopt;
  ArrayRef<int64_t> w =
      cast<RankedTensorType>(op.getWeight().getType()).getShape();
  KernelCandidate c;
  c.depthwise = depthwise;
  setNCHWGeometry(c, in, out);
  for (int i = 0; i < 2; ++i) {
    c.kernel[i] = w[2 + i];
    c.strides[i] = op.getStrides()[i];
    c.dilations[i] = op.getDilations()[i];
    c.padBefore[i] = op.getPadding()[i];
  }
  c.weights = std::move(*weights);
  for (int64_t &x : c.weights)
    x -= op.getWeightZp();
  c.weightBits = elementType(op.getWeight()).getWidth();
  if (!matchCommon(c, op, op.getInput(), op.getBias(), op.getInputZp()))
    return std::nullopt;
  return c;
}

std::optional<KernelCandidate> matchMatmul(MatmulOp op) {
  std::optional<SmallVector<int64_t>> rhs = constantValues(op.getRhs());
  if (!rhs)
    return std::nullopt;
  ArrayRef<int64_t> out = cast<RankedTensorType>(op.getType()).getShape();
  int64_t m = out[0], n = out[1];
  int64_t k = cast<RankedTensorType>(op.getLhs().getType()).getShape()[1];
  KernelCandidate c;
  // M pixels in one row, K channels; output [M][N]: N channels.
  c.batch = 1;
  c.inChannels = k;
  c.inHeight = 1;
  c.inWidth = m;
  int64_t inStrides[] = {m * k, 1, m * k, k};
  llvm::copy(inStrides, c.inStrides);
  c.outChannels = n;
  c.outHeight = 1;
  c.outWidth = m;
  int64_t outStrides[] = {m * n, 1, m * n, n};
  llvm::copy(outStrides, c.outStrides);
  for (int i = 0; i < 2; ++i) {
    c.kernel[i] = c.strides[i] = c.dilations[i] = 1;
    c.padBefore[i] = 0;
  }
  // Transposed to [N][K] (output channel major), minus the zero point.
  c.weights.resize(n * k);
  for (int64_t p = 0; p < k; ++p)
    for (int64_t j = 0; j < n; ++j)
      c.weights[j * k + p] = (*rhs)[p * n + j] - op.getRhsZp();
  c.weightBits = elementType(op.getRhs()).getWidth();
  if (!matchCommon(c, op, op.getLhs(), op.getBias(), op.getLhsZp()))
    return std::nullopt;
  return c;
}

/// The padded image of one channel the depthwise kernel reads: the rows
/// and columns its windows span, padding included.
struct DepthwiseImage {
  int64_t rows, rowBytes;
  int64_t bytes() const { return rows * rowBytes + QNN_KERNEL_SCRATCH_SLACK; }
};

DepthwiseImage depthwiseImage(const KernelCandidate &c) {
  return {(c.outHeight - 1) * c.strides[0] +
              (c.kernel[0] - 1) * c.dilations[0] + 1,
          (c.outWidth - 1) * c.strides[1] +
              (c.kernel[1] - 1) * c.dilations[1] + 1};
}

/// Whether `c`'s kx taps go into the channel groups (conv.c,
/// packFoldedInput): when that at least halves the reduction steps (a
/// layer of one input channel fills one byte of a four-byte group), and the
/// stride lets the packing read rows in vectors (1 or 2).
bool foldsKx(const ISAInfo &isa, const KernelCandidate &c) {
  int64_t kw = c.kernel[1];
  return kw > 1 && c.strides[1] <= 2 &&
         2 * llvm::divideCeil(c.inChannels * kw, isa.group) <=
             kw * llvm::divideCeil(c.inChannels, isa.group);
}

/// The reduction: channel groups (of real or, folded, virtual channels)
/// and taps per group.
struct Reduction {
  int64_t groups, taps;
  int64_t steps() const { return groups * taps; }
};

Reduction reductionOf(const ISAInfo &isa, const KernelCandidate &c) {
  if (foldsKx(isa, c))
    return {int64_t(llvm::divideCeil(c.inChannels * c.kernel[1], isa.group)),
            c.kernel[0]};
  return {int64_t(llvm::divideCeil(c.inChannels, isa.group)),
          c.kernel[0] * c.kernel[1]};
}

/// Geometry of the packed input (conv.c, packInput and packFoldedInput).
struct PackedInput {
  int64_t channelGroups, rows, phaseWidth;
  int64_t bytes() const;
  int64_t strideX;
};

int64_t PackedInput::bytes() const {
  return channelGroups * rows * strideX * phaseWidth * 4 +
         QNN_KERNEL_SCRATCH_SLACK;
}

PackedInput packedInput(const ISAInfo &isa, const KernelCandidate &c) {
  int64_t rows = (c.outHeight - 1) * c.strides[0] +
                 (c.kernel[0] - 1) * c.dilations[0] + 1;
  if (foldsKx(isa, c))
    return {reductionOf(isa, c).groups, rows, c.outWidth, 1};
  int64_t width = (c.outWidth - 1) * c.strides[1] +
                  (c.kernel[1] - 1) * c.dilations[1] + 1;
  return {int64_t(llvm::divideCeil(c.inChannels, isa.group)), rows,
          int64_t(llvm::divideCeil(width, c.strides[1])), c.strides[1]};
}

/// Estimated cycles of one reduction step of an OB x PB tile, from rates
/// measured on Zen 5 with VNNI (bench/kernels.sh and single-conv runs): two
/// dot-product instructions per cycle; about 1.75 loads per cycle (OB
/// weight vectors and PB input broadcasts); an accumulator takes a dot
/// product every 5 cycles at best (latency); and a channel block whose
/// weights outgrow L1 (about 40 KiB of its 48 KiB) streams them from L2 at
/// about 27 bytes per cycle, which is what makes OB = 4 tiles slower than
/// OB = 2 ones on deep convolutions (0.86x on 128 x 3 x 3 x 128).
double tileStepCycles(const ISAInfo &isa, int64_t ob, int64_t pb,
                      int64_t steps) {
  double vectorBytes = isa.lanes * isa.group * isa.weightBits / 8.0;
  double stepBytes = ob * vectorBytes;
  double cycles = std::max({ob * pb / 2.0, (ob + pb) / 1.75, 5.0});
  if (steps * stepBytes > 40 * 1024)
    cycles = std::max(cycles, stepBytes / 27);
  return cycles;
}

/// The register tile for `c`: of the tiles conv.c instantiates whose OB
/// divides the number of channel vectors, the one with the least estimated
/// time per channel vector and output row. A row takes ceil(W / PB) tiles,
/// so a PB that does not divide the row pays for the unused pixels of its
/// last tile. Ties (a latency-bound tile costs the same whatever its PB)
/// go to the larger OB (fewer input broadcasts per product), then to the
/// fewest pixels computed (each passes the output stage), then to the
/// larger PB (fewer tiles).
std::pair<int64_t, int64_t> chooseTile(const ISAInfo &isa,
                                       const KernelCandidate &c) {
  int64_t vectors = llvm::divideCeil(c.outChannels, isa.lanes);
  int64_t steps = reductionOf(isa, c).steps();
  std::pair<int64_t, int64_t> best{0, 0};
  double bestCost = 0;
  int64_t bestPixels = 0;
  for (auto [ob, maxPb] : isa.tiles) {
    if (vectors % ob != 0)
      continue;
    for (int64_t pb = maxPb; pb >= 1; --pb) {
      int64_t tiles = llvm::divideCeil(c.outWidth, pb);
      double cost = tiles * tileStepCycles(isa, ob, pb, steps) / ob;
      bool cheaper = cost < bestCost * (1 - 1e-9);
      bool tie = !cheaper && cost <= bestCost * (1 + 1e-9);
      if (!best.first || cheaper ||
          (tie && ob == best.first && tiles * pb < bestPixels)) {
        best = {ob, pb};
        bestCost = cost;
        bestPixels = tiles * pb;
      }
    }
  }
  assert(best.first && "OB = 1 divides every channel count");
  return best;
}

/// Whether `c`'s weights go to the kernel as nibbles (two per byte): a
/// weight type of 4 bits or fewer whose values minus the zero point fit i4.
bool storesNibbles(const KernelCandidate &c) {
  rules::IntRange i4 = rules::intRange(4, true);
  return c.weightBits <= 4 &&
         llvm::all_of(c.weights, [&](int64_t w) { return i4.contains(w); });
}

/// Where the kernel expands each channel block's nibble weights in the
/// scratch: past the packed input, or 0 (unpacked in registers) when a
/// block has one tile per image (a matmul of one row), so that expanding
/// would not pay.
int64_t expandedWeightsOffset(const ISAInfo &isa, const KernelCandidate &c) {
  if (!storesNibbles(c))
    return 0;
  int64_t pb = chooseTile(isa, c).second;
  if (c.outHeight * llvm::divideCeil(c.outWidth, pb) == 1)
    return 0;
  return llvm::alignTo(packedInput(isa, c).bytes(), 64);
}

/// The bytes of one channel block's expanded weights, if expanded.
int64_t expandedWeightBytes(const ISAInfo &isa, const KernelCandidate &c) {
  if (!expandedWeightsOffset(isa, c))
    return 0;
  int64_t steps = reductionOf(isa, c).steps();
  return steps * chooseTile(isa, c).first * isa.lanes * isa.group *
         isa.weightBits / 8;
}

int32_t wrapToI32(int64_t v) {
  return int32_t(rules::wrapToBits(v, 32, /*isSigned=*/true));
}

/// Per-channel parameters padded with zeros to `padded` channels.
SmallVector<int32_t> padChannels(ArrayRef<int32_t> values, int64_t channels,
                                 int64_t padded) {
  SmallVector<int32_t> out(padded, 0);
  for (int64_t i = 0; i < channels; ++i)
    out[i] = values.size() == 1 ? values[0] : values[i];
  return out;
}

} // namespace

FailureOr<std::optional<KernelISA>> mlir::qnn::parseKernelISA(StringRef name) {
  if (name == "none")
    return std::optional<KernelISA>();
  if (name == "avx2")
    return std::optional<KernelISA>(KernelISA::AVX2);
  if (name == "avx512-vnni")
    return std::optional<KernelISA>(KernelISA::VNNI);
  if (name == "neon-dotprod")
    return std::optional<KernelISA>(KernelISA::Dotprod);
  return failure();
}

std::optional<KernelCandidate> mlir::qnn::matchKernelCandidate(Operation *op) {
  if (auto conv = dyn_cast<Conv2DOp>(op))
    return matchConv(conv);
  if (auto matmul = dyn_cast<MatmulOp>(op))
    return matchMatmul(matmul);
  return std::nullopt;
}

bool mlir::qnn::supports(KernelISA isa, const KernelCandidate &c) {
  // The depthwise kernel multiplies widened bytes by 32-bit weights: any
  // weight type fits.
  if (c.depthwise)
    return true;
  rules::IntRange range = info(isa).weightRange;
  return llvm::all_of(c.weights, [&](int64_t w) { return range.contains(w); });
}

int64_t mlir::qnn::kernelScratchBytes(KernelISA isa, const KernelCandidate &c) {
  if (c.depthwise)
    return depthwiseImage(c).bytes();
  const ISAInfo &i = info(isa);
  if (int64_t offset = expandedWeightsOffset(i, c))
    return offset + expandedWeightBytes(i, c);
  return packedInput(i, c).bytes();
}

int64_t mlir::qnn::maxKernelScratchBytes(const KernelCandidate &c) {
  int64_t bytes = 0;
  for (KernelISA isa : {KernelISA::AVX2, KernelISA::VNNI, KernelISA::Dotprod})
    if (supports(isa, c))
      bytes = std::max(bytes, kernelScratchBytes(isa, c));
  return bytes;
}

/// The descriptor fields of `c`'s geometry and output stage, which every
/// kernel reads; the layout of its scratch is the caller's to add.
static SmallVector<int32_t> descriptorOf(const KernelCandidate &c) {
  SmallVector<int32_t> d(QNN_KERNEL_FIELDS, 0);
  d[QNN_KERNEL_BATCH] = c.batch;
  d[QNN_KERNEL_IN_CHANNELS] = c.inChannels;
  d[QNN_KERNEL_IN_HEIGHT] = c.inHeight;
  d[QNN_KERNEL_IN_WIDTH] = c.inWidth;
  d[QNN_KERNEL_IN_STRIDE_N] = c.inStrides[0];
  d[QNN_KERNEL_IN_STRIDE_C] = c.inStrides[1];
  d[QNN_KERNEL_IN_STRIDE_Y] = c.inStrides[2];
  d[QNN_KERNEL_IN_STRIDE_X] = c.inStrides[3];
  d[QNN_KERNEL_IN_SIGNED] = c.inputSigned;
  d[QNN_KERNEL_PAD_VALUE] = c.inputZp;
  d[QNN_KERNEL_OUT_CHANNELS] = c.outChannels;
  d[QNN_KERNEL_OUT_HEIGHT] = c.outHeight;
  d[QNN_KERNEL_OUT_WIDTH] = c.outWidth;
  d[QNN_KERNEL_OUT_STRIDE_N] = c.outStrides[0];
  d[QNN_KERNEL_OUT_STRIDE_C] = c.outStrides[1];
  d[QNN_KERNEL_OUT_STRIDE_Y] = c.outStrides[2];
  d[QNN_KERNEL_OUT_STRIDE_X] = c.outStrides[3];
  d[QNN_KERNEL_KERNEL_H] = c.kernel[0];
  d[QNN_KERNEL_KERNEL_W] = c.kernel[1];
  d[QNN_KERNEL_STRIDE_Y] = c.strides[0];
  d[QNN_KERNEL_STRIDE_X] = c.strides[1];
  d[QNN_KERNEL_DILATION_Y] = c.dilations[0];
  d[QNN_KERNEL_DILATION_X] = c.dilations[1];
  d[QNN_KERNEL_PAD_TOP] = c.padBefore[0];
  d[QNN_KERNEL_PAD_LEFT] = c.padBefore[1];
  if (RescaleOp r = c.rescale) {
    rules::IntRange bounds = clampBounds(r);
    d[QNN_KERNEL_RESCALE] = 1;
    d[QNN_KERNEL_RESCALE_INPUT_ZP] = r.getInputZp();
    d[QNN_KERNEL_OUTPUT_ZP] = r.getOutputZp();
    d[QNN_KERNEL_CLAMP_MIN] = bounds.min;
    d[QNN_KERNEL_CLAMP_MAX] = bounds.max;
    d[QNN_KERNEL_ROUNDING] = int32_t(toRulesRounding(r.getRounding()));
  }
  return d;
}

/// bias' = bias - (input_zp + offset) * rowsum(weights), padded with zeros
/// to `padded` channels: what makes a kernel's sums over its (offset)
/// input, padding included, equal the interpreter's.
static SmallVector<int32_t> foldedBias(const KernelCandidate &c,
                                       int64_t offset, int64_t padded) {
  int64_t perChannel = int64_t(c.weights.size()) / c.outChannels;
  SmallVector<int32_t> bias(padded, 0);
  for (int64_t oc = 0; oc < c.outChannels; ++oc) {
    int64_t rowSum = 0;
    for (int64_t i = 0; i < perChannel; ++i)
      rowSum += c.weights[oc * perChannel + i];
    bias[oc] = wrapToI32(c.bias[oc] - (c.inputZp + offset) * rowSum);
  }
  return bias;
}

/// Emits the call of kernel `name` on `c` with the arguments of
/// KernelABI.h: the descriptor, input, output, weights, bias', the fused
/// rescale's multipliers and shifts (zeros without one) padded to `padded`
/// channels, and the scratch at `scratchOffset`.
static void emitCall(Emitter &e, const KernelCandidate &c, const Twine &name,
                     ArrayRef<int32_t> descriptor,
                     DenseIntElementsAttr weights, ArrayRef<int32_t> bias,
                     int64_t padded, int64_t scratchOffset) {
  Location loc = c.op->getLoc();
  SmallVector<int32_t> multipliers(padded, 0), shifts(padded, 0);
  if (RescaleOp r = c.rescale) {
    multipliers = padChannels(r.getMultiplier(), c.outChannels, padded);
    shifts = padChannels(r.getShift(), c.outChannels, padded);
  }
  SmallVector<Value> args = {e.addressOf(loc, e.i32Array(loc, descriptor)),
                             e.addressOf(loc, e.memrefOf(c.input)),
                             e.addressOf(loc, e.memrefOf(c.output)),
                             e.addressOf(loc, e.constantArray(loc, weights)),
                             e.addressOf(loc, e.i32Array(loc, bias)),
                             e.addressOf(loc, e.i32Array(loc, multipliers)),
                             e.addressOf(loc, e.i32Array(loc, shifts)),
                             e.scratchAddress(loc, scratchOffset)};
  e.callExternal(loc, name.str(), args);
}

/// The depthwise kernel: weights as int32 [channel][kh * kw], bias'
/// folding the input zero point that the padded image holds.
static void emitDepthwiseCall(Emitter &e, const ISAInfo &isa,
                              const KernelCandidate &c,
                              int64_t scratchOffset) {
  DepthwiseImage image = depthwiseImage(c);
  SmallVector<int32_t> d = descriptorOf(c);
  d[QNN_KERNEL_PACKED_ROWS] = image.rows;
  d[QNN_KERNEL_PHASE_WIDTH] = image.rowBytes;
  SmallVector<int32_t> weights;
  for (int64_t w : c.weights)
    weights.push_back(wrapToI32(w));
  auto type = RankedTensorType::get({int64_t(weights.size())},
                                    e.builder().getI32Type());
  emitCall(e, c, "qnn_kernel_" + isa.name + "_dw", d,
           DenseIntElementsAttr::get(type, ArrayRef<int32_t>(weights)),
           foldedBias(c, /*offset=*/0, c.outChannels), c.outChannels,
           scratchOffset);
}

void mlir::qnn::emitKernelCall(Emitter &e, KernelISA isaKind,
                               const KernelCandidate &c,
                               int64_t scratchOffset) {
  const ISAInfo &isa = info(isaKind);
  if (c.depthwise)
    return emitDepthwiseCall(e, isa, c, scratchOffset);
  OpBuilder &b = e.builder();
  auto [ob, pb] = chooseTile(isa, c);
  int64_t tile = ob * isa.lanes;
  int64_t blocks = llvm::divideCeil(c.outChannels, tile);
  int64_t paddedChannels = blocks * tile;
  bool fold = foldsKx(isa, c);
  Reduction reduction = reductionOf(isa, c);
  int64_t taps = reduction.taps, steps = reduction.steps();
  int64_t kh = c.kernel[0], kw = c.kernel[1];
  // Step s of the reduction is channel group s / taps at tap s % taps; a
  // folded group's channel v is channel v / kw at kx = v % kw, its tap ky.
  auto weightAt = [&](int64_t blk, int64_t s, int64_t lane,
                      int64_t i) -> int64_t {
    int64_t oc = blk * tile + lane, ch = s / taps * isa.group + i;
    if (s >= steps || oc >= c.outChannels ||
        ch >= c.inChannels * (fold ? kw : 1))
      return 0;
    if (fold)
      return c.weights[((oc * c.inChannels + ch / kw) * kh + s % taps) * kw +
                       ch % kw];
    return c.weights[(oc * c.inChannels + ch) * taps + s % taps];
  };

  // [block][step][o < OB][lane][i < GROUP], the order the kernel reads
  // them in: little-endian bytes of the i8 or i16 values, or with nibbles
  // one byte per pair of steps, w + 8 of the first step in the low nibble
  // and of the second (0 past the last step) in the high one. A raw buffer:
  // no APInt per weight, which dominated compile time on large models.
  bool nibbles = storesNibbles(c);
  int64_t weightBytes = isa.weightBits / 8;
  std::vector<char> packed;
  packed.reserve(nibbles ? blocks * (steps + 1) / 2 * tile * isa.group
                         : blocks * steps * tile * isa.group * weightBytes);
  for (int64_t blk = 0; blk < blocks; ++blk)
    for (int64_t s = 0; s < steps; s += nibbles ? 2 : 1)
      for (int64_t lane = 0; lane < tile; ++lane)
        for (int64_t i = 0; i < isa.group; ++i) {
          if (nibbles) {
            packed.push_back(char((weightAt(blk, s, lane, i) + 8) |
                                  (weightAt(blk, s + 1, lane, i) + 8) << 4));
            continue;
          }
          uint64_t w = uint64_t(weightAt(blk, s, lane, i));
          for (int64_t byte = 0; byte < weightBytes; ++byte)
            packed.push_back(char(w >> (8 * byte)));
        }
  int64_t offset = c.inputSigned ? isa.signedOffset : isa.unsignedOffset;
  SmallVector<int32_t> bias = foldedBias(c, offset, paddedChannels);

  PackedInput layout = packedInput(isa, c);
  SmallVector<int32_t> d = descriptorOf(c);
  d[QNN_KERNEL_CHANNEL_GROUPS] = layout.channelGroups;
  d[QNN_KERNEL_PACKED_ROWS] = layout.rows;
  d[QNN_KERNEL_PHASE_WIDTH] = layout.phaseWidth;
  d[QNN_KERNEL_EXPANDED_WEIGHTS] = expandedWeightsOffset(isa, c);
  d[QNN_KERNEL_FOLD_KX] = fold;

  unsigned storedBits = nibbles ? 8 : isa.weightBits;
  auto weightType = RankedTensorType::get(
      {int64_t(packed.size()) * 8 / storedBits}, b.getIntegerType(storedBits));
  StringRef form = !nibbles                              ? ""
                   : d[QNN_KERNEL_EXPANDED_WEIGHTS] != 0 ? "_w4"
                                                         : "_w4r";
  emitCall(e, c,
           "qnn_kernel_" + isa.name + form + "_o" + Twine(ob) + "_p" +
               Twine(pb),
           d,
           cast<DenseIntElementsAttr>(
               DenseElementsAttr::getFromRawBuffer(weightType, packed)),
           bias, paddedChannels, scratchOffset);
}

bool mlir::qnn::emitMaxPoolKernelCall(Emitter &e, KernelISA isaKind,
                                      MaxPool2DOp op) {
  if (!isByteSized(op.getInput()) || constantValues(op.getInput()) ||
      op.getStrides()[1] > 2 ||
      llvm::any_of(op.getPadding(), [](int64_t p) { return p != 0; }))
    return false;
  ArrayRef<int64_t> in =
      cast<RankedTensorType>(op.getInput().getType()).getShape();
  ArrayRef<int64_t> out = cast<RankedTensorType>(op.getType()).getShape();
  KernelCandidate c;
  c.op = op;
  c.input = op.getInput();
  c.output = op.getOutput();
  setNCHWGeometry(c, in, out);
  for (int i = 0; i < 2; ++i) {
    c.kernel[i] = op.getKernel()[i];
    c.strides[i] = op.getStrides()[i];
    c.dilations[i] = op.getDilations()[i];
    c.padBefore[i] = 0;
  }
  c.inputSigned = !elementType(op.getInput()).isUnsigned();
  c.inputZp = 0;
  Location loc = op.getLoc();
  Value unused = e.index(loc, 0);
  e.callExternal(loc, ("qnn_kernel_" + info(isaKind).name + "_maxpool").str(),
                 {e.addressOf(loc, e.i32Array(loc, descriptorOf(c))),
                  e.addressOf(loc, e.memrefOf(c.input)),
                  e.addressOf(loc, e.memrefOf(c.output)), unused, unused,
                  unused, unused, unused});
  return true;
}
