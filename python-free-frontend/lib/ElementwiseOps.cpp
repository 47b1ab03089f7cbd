//===- ElementwiseOps.cpp - Relu, Clip, Add, QLinearAdd, BatchNormalization ===//
//
// ReLU and Clip clip the reals (Quantization.cpp: an exact integer clamp, or
// bounds of the QuantizeLinear that follows); on plain integers they are a
// qnn.clamp. Add of two quantized tensors is a Sum that the QuantizeLinear
// after it turns into one qnn.requantize_add (a constant operand, such as a
// bias, is broadcast at import). Add of an integer constant to the int32
// result of a ConvInteger or MatMulInteger is that product's bias (the
// integer form of a biased layer). BatchNormalization after a
// Conv/Gemm is a qnn.batch_norm on the accumulator, for
// --qnn-fold-batch-norm.
//
//===----------------------------------------------------------------------===//

#include "Quantization.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::frontend;
using Kind = ImportedValue::Kind;

/// Clips input 0 to [lo, hi]: reals for the real-valued forms, integers
/// (bounds rounded inwards) for Int.
static LogicalResult lowerClipTo(NodeContext &ctx, double lo, double hi) {
  if (!(lo <= hi))
    return ctx.error() << "the lower bound " << lo
                       << " is greater than the upper bound " << hi;
  FailureOr<ValueRef> input = ctx.input(0);
  if (failed(input))
    return failure();
  const ImportedValue &x = **input;
  if (x.kind != Kind::Int) {
    FailureOr<ImportedValue> clipped = clipReals(ctx, x, Interval{lo, hi});
    if (failed(clipped))
      return failure();
    ctx.setOutput(0, std::move(*clipped));
    return success();
  }
  rules::IntRange range =
      integerRange(intElementType(x.type));
  double qlo = std::max(std::ceil(lo), double(range.min));
  double qhi = std::min(std::floor(hi), double(range.max));
  if (qlo > qhi)
    return ctx.error() << "no integer of the input's type lies in [" << lo
                       << ", " << hi << "]";
  ImportedValue out = x;
  out.data = nullptr;
  out.ints = ClampOp::create(ctx.builder(), ctx.loc,
                             ctx.importer.materialize(x, ctx.loc),
                             int64_t(qlo), int64_t(qhi));
  ctx.setOutput(0, std::move(out));
  return success();
}

static LogicalResult lowerRelu(NodeContext &ctx) {
  if (failed(ctx.checkArity(1, 1)) || failed(ctx.checkAttributes({})))
    return failure();
  return lowerClipTo(ctx, 0.0, std::numeric_limits<double>::infinity());
}

/// A Clip bound from an optional scalar input (opset 11 and later).
static FailureOr<double> clipBound(NodeContext &ctx, unsigned i,
                                   double unbounded) {
  if (!ctx.hasInput(i))
    return unbounded;
  FailureOr<std::shared_ptr<const TensorData>> bound =
      ctx.constantInput(i, i == 1 ? "min" : "max");
  if (failed(bound))
    return failure();
  if ((*bound)->numElements() != 1)
    return ctx.error() << "the " << (i == 1 ? "min" : "max")
                       << " must be a scalar";
  double v = (*bound)->realAt(0);
  if (std::isnan(v))
    return ctx.error() << "the " << (i == 1 ? "min" : "max") << " is NaN";
  return v;
}

static LogicalResult lowerClip(NodeContext &ctx) {
  double inf = std::numeric_limits<double>::infinity();
  if (ctx.opset < 11) {
    // Clip-6: bounds are attributes.
    double lo = -inf, hi = inf;
    if (failed(ctx.checkArity(1, 1)) ||
        failed(ctx.checkAttributes({"min", "max"})) ||
        failed(ctx.readAttribute("min", lo)) ||
        failed(ctx.readAttribute("max", hi)))
      return failure();
    return lowerClipTo(ctx, lo, hi);
  }
  if (failed(ctx.checkArity(3, 1)) || failed(ctx.checkAttributes({})))
    return failure();
  FailureOr<double> lo = clipBound(ctx, 1, -inf);
  if (failed(lo))
    return failure();
  FailureOr<double> hi = clipBound(ctx, 2, inf);
  if (failed(hi))
    return failure();
  return lowerClipTo(ctx, *lo, *hi);
}

/// The largest constant the importer expands by broadcasting (64 Mi
/// elements); a larger one is refused rather than allocated.
static constexpr int64_t kMaxBroadcastElements = int64_t(1) << 26;

/// Broadcasts a constant operand to `shape` (NumPy rules) at import, so that
/// qnn.requantize_add sees operands of one shape; false if it does not
/// broadcast.
static bool broadcastConstant(GridOperand &operand, ArrayRef<int64_t> shape) {
  ArrayRef<int64_t> from = operand.type.getShape();
  std::optional<int64_t> count = checkedElementCount(shape);
  if (!operand.data || from.size() > shape.size() || !count ||
      *count > kMaxBroadcastElements)
    return false;
  size_t offset = shape.size() - from.size();
  for (size_t d = 0; d < from.size(); ++d)
    if (from[d] != 1 && from[d] != shape[offset + d])
      return false;
  auto data = TensorData::integers(shape);
  // Walk the target's indices; a size-1 source dimension stays at index 0.
  SmallVector<int64_t> index(shape.size(), 0);
  for (int64_t i = 0; i < *count; ++i) {
    int64_t source = 0;
    for (size_t d = 0; d < from.size(); ++d)
      source = source * from[d] + (from[d] == 1 ? 0 : index[offset + d]);
    data->ints.push_back(operand.data->ints[source]);
    for (int64_t d = int64_t(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  operand.data = data;
  operand.ints = nullptr;
  operand.type = withShape(operand.type, shape);
  return true;
}

/// The Sum of two quantized operands of one shape (a constant one
/// broadcasts).
static FailureOr<ImportedValue> buildSum(NodeContext &ctx, GridOperand &lhs,
                                         GridOperand &rhs) {
  if (failed(checkOperandWidth(ctx, lhs, "first input")) ||
      failed(checkOperandWidth(ctx, rhs, "second input")) ||
      failed(checkPerTensor(ctx, lhs, "first input")) ||
      failed(checkPerTensor(ctx, rhs, "second input")))
    return failure();
  if (lhs.type.getShape() != rhs.type.getShape() &&
      !broadcastConstant(rhs, lhs.type.getShape()) &&
      !broadcastConstant(lhs, rhs.type.getShape()))
    return ctx.error() << "broadcasting is supported for constant inputs "
                          "only: the inputs have shapes "
                       << lhs.type << " and " << rhs.type;
  auto part = [&](GridOperand &operand) {
    ImportedValue v;
    v.kind = Kind::Grid;
    v.type = operand.type;
    v.ints = operandValue(ctx, operand);
    v.quant = operand.quant;
    v.quant.scales.resize(1);
    v.quant.zeroPoints.resize(1);
    return std::make_shared<const ImportedValue>(std::move(v));
  };
  ImportedValue sum;
  sum.kind = Kind::Sum;
  sum.type = withShape(lhs.type, lhs.type.getShape())
                 .clone(Float32Type::get(ctx.context()));
  sum.parts = {part(lhs), part(rhs)};
  return sum;
}

/// The bias of one value per output channel that `data` (broadcast to
/// `outputShape`, NumPy rules) adds along `axis`, if it is one.
static std::optional<std::vector<int64_t>>
channelBias(const TensorData &data, ArrayRef<int64_t> outputShape,
            int64_t axis) {
  int64_t channels = outputShape[axis];
  if (data.numElements() == 1)
    return std::vector<int64_t>(channels, data.ints[0]);
  int64_t rank = int64_t(data.shape.size());
  int64_t biasAxis = axis - (int64_t(outputShape.size()) - rank);
  if (biasAxis < 0 || data.shape[biasAxis] != channels)
    return std::nullopt;
  for (int64_t d = 0; d < rank; ++d)
    if (d != biasAxis && data.shape[d] != 1)
      return std::nullopt;
  return data.ints;
}

/// Add(acc, bias) with acc the int32 result of a bias-less ConvInteger or
/// MatMulInteger and bias an integer constant per output channel: the
/// product again, with the bias operand. It keeps the product's location,
/// so the biased accumulator has the product's name in layer dumps.
static LogicalResult lowerIntegerBiasAdd(NodeContext &ctx,
                                         const ImportedValue &acc,
                                         const ImportedValue &bias) {
  auto refuse = [&]() {
    return ctx.error() << "an Add of integer tensors is supported only as "
                          "the bias of a ConvInteger or MatMulInteger "
                          "result: an integer constant with one int32 value "
                          "per output channel";
  };
  Operation *product = acc.ints ? acc.ints.getDefiningOp() : nullptr;
  if (bias.kind != Kind::Constant || !bias.data->isInteger() || !product ||
      !isa<Conv2DOp, MatmulOp>(product) || product->getNumOperands() != 2)
    return refuse();
  ArrayRef<int64_t> shape = acc.type.getShape();
  int64_t axis = isa<Conv2DOp>(product) ? 1 : int64_t(shape.size()) - 1;
  std::optional<std::vector<int64_t>> values =
      channelBias(*bias.data, shape, axis);
  if (!values)
    return refuse();
  rules::IntRange i32 = rules::intRange(32, /*isSigned=*/true);
  for (int64_t v : *values)
    if (v < i32.min || v > i32.max)
      return ctx.error() << "the bias value " << v << " does not fit in i32";
  auto data = TensorData::integers({shape[axis]});
  data->ints = std::move(*values);
  Value biasValue = ctx.importer.constant(
      data,
      RankedTensorType::get({shape[axis]}, IntegerType::get(ctx.context(), 32)),
      ctx.loc);
  Operation *biased = ctx.builder().clone(*product);
  biased->insertOperands(biased->getNumOperands(), biasValue);
  ImportedValue sum = acc;
  sum.ints = biased->getResult(0);
  sum.data = nullptr;
  sum.origin = ctx.describe();
  ctx.setOutput(0, std::move(sum));
  return success();
}

static LogicalResult lowerAdd(NodeContext &ctx) {
  if (failed(ctx.checkArity(2, 1)) || failed(ctx.checkAttributes({})))
    return failure();
  for (unsigned i : {0u, 1u}) {
    FailureOr<ValueRef> input = ctx.input(i);
    if (failed(input))
      return failure();
    if ((*input)->kind != Kind::Int)
      continue;
    FailureOr<ValueRef> other = ctx.input(1 - i);
    if (failed(other))
      return failure();
    return lowerIntegerBiasAdd(ctx, **input, **other);
  }
  FailureOr<GridOperand> lhs = gridInput(ctx, 0, "first input");
  if (failed(lhs))
    return failure();
  FailureOr<GridOperand> rhs = gridInput(ctx, 1, "second input");
  if (failed(rhs))
    return failure();
  FailureOr<ImportedValue> sum = buildSum(ctx, *lhs, *rhs);
  if (failed(sum))
    return failure();
  ctx.setOutput(0, std::move(*sum));
  return success();
}

static LogicalResult lowerQLinearAdd(NodeContext &ctx) {
  if (failed(ctx.checkArity(8, 1)) || failed(ctx.checkAttributes({})))
    return failure();
  FailureOr<GridOperand> lhs = qlinearInput(ctx, 0, 1, 2, 1, "A");
  if (failed(lhs))
    return failure();
  FailureOr<GridOperand> rhs = qlinearInput(ctx, 3, 4, 5, 1, "B");
  if (failed(rhs))
    return failure();
  FailureOr<QuantTarget> y = qlinearOutputTarget(ctx, 6, 7, lhs->type);
  if (failed(y))
    return failure();
  FailureOr<ImportedValue> sum = buildSum(ctx, *lhs, *rhs);
  if (failed(sum))
    return failure();
  FailureOr<ImportedValue> q = quantize(ctx, *sum, *y);
  if (failed(q))
    return failure();
  ctx.setOutput(0, std::move(*q));
  return success();
}

static LogicalResult lowerBatchNormalization(NodeContext &ctx) {
  if (failed(ctx.checkArity(5, 1)) ||
      failed(ctx.checkAttributes(
          {"epsilon", "momentum", "training_mode", "spatial"})))
    return failure();
  double epsilon = 1e-5;
  int64_t trainingMode = 0, spatial = 1;
  if (failed(ctx.readAttribute("epsilon", epsilon)) ||
      failed(ctx.readAttribute("training_mode", trainingMode)) ||
      failed(ctx.readAttribute("spatial", spatial)))
    return failure();
  if (trainingMode != 0 || spatial != 1)
    return ctx.error() << "only inference-mode, spatial batch normalization "
                          "is supported";
  FailureOr<ValueRef> input = ctx.input(0);
  if (failed(input))
    return failure();
  const ImportedValue &x = **input;
  if (x.kind != Kind::Accum || !x.clip.isFull() || x.type.getRank() < 2 ||
      (!x.quant.isPerTensor() && x.quant.axis != 1))
    return ctx.error() << "BatchNormalization must directly follow a "
                          "Conv, Gemm or MatMul (got "
                       << x.origin << ")";
  int64_t channels = x.type.getDimSize(1);
  const char *roles[] = {"scale", "bias", "mean", "variance"};
  std::shared_ptr<const TensorData> params[4];
  for (int i = 0; i < 4; ++i) {
    FailureOr<std::shared_ptr<const TensorData>> p =
        ctx.constantInput(i + 1, roles[i]);
    if (failed(p))
      return failure();
    if ((*p)->numElements() != channels)
      return ctx.error() << "the " << roles[i] << " has "
                         << (*p)->numElements() << " values for " << channels
                         << " channels";
    params[i] = *p;
  }
  // y = gamma * (x - mean) / sqrt(var + eps) + beta on the reals
  // x = acc * s[c]: scale[c] multiplies the accumulator, offset[c] is in
  // accumulator units (docs/semantics.md, qnn.batch_norm).
  SmallVector<double> scales, offsets;
  for (int64_t c = 0; c < channels; ++c) {
    double gamma = params[0]->realAt(c), beta = params[1]->realAt(c);
    double mean = params[2]->realAt(c), var = params[3]->realAt(c);
    double scale = gamma / std::sqrt(var + epsilon);
    double offset = (beta - mean * scale) / x.quant.scale(c);
    if (!std::isfinite(scale) || !std::isfinite(offset))
      return ctx.error() << "channel " << c
                         << " has a non-finite normalization";
    scales.push_back(scale);
    offsets.push_back(offset);
  }
  ImportedValue out = x;
  out.ints = BatchNormOp::create(ctx.builder(), ctx.loc, x.ints, scales,
                                 offsets, 1);
  ctx.setOutput(0, std::move(out));
  return success();
}

void mlir::qnn::frontend::registerElementwiseOps(OpTable &table) {
  table.add("", "Relu", lowerRelu);
  table.add("", "Clip", lowerClip);
  table.add("", "Add", lowerAdd);
  table.add("com.microsoft", "QLinearAdd", lowerQLinearAdd);
  table.add("", "BatchNormalization", lowerBatchNormalization);
}
