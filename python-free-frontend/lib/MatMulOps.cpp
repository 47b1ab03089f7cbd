//===- MatMulOps.cpp - MatMul, Gemm (QDQ), QLinearMatMul, MatMulInteger ---===//
//
// A product [.., K] x [K, N] becomes one 2-D qnn.matmul between reshapes.
// A batched product [B, M, K] x [B, K, N] has no 2-D form; it becomes a
// grouped 1x1 qnn.conv2d with the B groups as batches (see buildBatched).
//
//===----------------------------------------------------------------------===//

#include "Quantization.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::frontend;

using BiasFn = llvm::function_ref<FailureOr<Value>(ArrayRef<double> accScales,
                                                   int64_t channels)>;

/// `operand` reinterpreted with `shape` (row-major): a new type for a
/// constant not yet materialized, a qnn.reshape otherwise.
static void reshapeOperand(NodeContext &ctx, GridOperand &operand,
                           ArrayRef<int64_t> shape) {
  RankedTensorType type = withShape(operand.type, shape);
  if (type == operand.type)
    return;
  operand.type = type;
  if (operand.ints)
    operand.ints =
        ReshapeOp::create(ctx.builder(), ctx.loc, type, operand.ints);
}

static Value reshapeValue(NodeContext &ctx, Value value,
                          ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  return ReshapeOp::create(ctx.builder(), ctx.loc, withShape(type, shape),
                           value);
}

static RankedTensorType i32Type(NodeContext &ctx, ArrayRef<int64_t> shape) {
  return RankedTensorType::get(shape, IntegerType::get(ctx.context(), 32));
}

/// [B, M, K] x [B, K, N]: out[b, m, n] = sum_k a[b, m, k] * bt[b, k, n] is a
/// 1x1 convolution with B groups of the input bt viewed as [1, B*K, N, 1]
/// by the weight a viewed as [B*M, K, 1, 1]; its [1, B*M, N, 1] result is
/// out. Every view is a row-major reshape.
static FailureOr<ImportedValue> buildBatched(NodeContext &ctx, GridOperand &a,
                                             GridOperand &b) {
  ArrayRef<int64_t> as = a.type.getShape(), bs = b.type.getShape();
  int64_t batch = as[0], m = as[1], k = as[2], n = bs[2];
  if (failed(checkPerTensor(ctx, b, "B")))
    return failure();
  reshapeOperand(ctx, b, {1, batch * k, n, 1});
  reshapeOperand(ctx, a, {batch * m, k, 1, 1});
  Value conv = Conv2DOp::create(
      ctx.builder(), ctx.loc, i32Type(ctx, {1, batch * m, n, 1}),
      operandValue(ctx, b), operandValue(ctx, a), /*bias=*/Value(),
      ArrayRef<int64_t>{1, 1}, ArrayRef<int64_t>{0, 0, 0, 0},
      ArrayRef<int64_t>{1, 1}, batch, b.quant.zeroPoints[0],
      a.quant.zeroPoints[0]);
  return accumulator(reshapeValue(ctx, conv, {batch, m, n}),
                     {a.quant.scales[0] * b.quant.scales[0]}, 2);
}

/// a [.., K] x b [K, N] (+ bias): an Accum value of scale
/// a_scale * b_scale[n] * alpha along the last axis.
static FailureOr<ImportedValue> buildMatMul(NodeContext &ctx, GridOperand &a,
                                            GridOperand &b, BiasFn makeBias,
                                            double alpha = 1.0) {
  if (failed(checkOperandWidth(ctx, a, "A")) ||
      failed(checkOperandWidth(ctx, b, "B")) ||
      failed(checkPerTensor(ctx, a, "A")))
    return failure();
  ArrayRef<int64_t> as = a.type.getShape(), bs = b.type.getShape();
  if (as.size() < 2 || bs.size() < 2 || bs.size() > 3 ||
      (bs.size() == 3 && as.size() != 3))
    return ctx.error() << "supports A of rank >= 2 with B of rank 2, or "
                          "both of rank 3; got ranks "
                       << as.size() << " and " << bs.size();
  if (as.back() != bs[bs.size() - 2])
    return ctx.error() << "contraction sizes differ: " << as.back()
                       << " and " << bs[bs.size() - 2];
  if (bs.size() == 3 && bs[0] != 1) {
    if (bs[0] != as[0])
      return ctx.error() << "batch sizes differ: " << as[0] << " and "
                         << bs[0];
    if (makeBias)
      return ctx.error() << "a batched product with a bias is not supported";
    return buildBatched(ctx, a, b);
  }
  if (bs.size() == 3) // [1, K, N]: the same B for every batch
    reshapeOperand(ctx, b, bs.drop_front());

  int64_t lastAxis = b.type.getRank() - 1;
  if (!b.quant.isPerTensor() && b.quant.axis != lastAxis)
    return ctx.error() << "B is quantized along axis " << b.quant.axis
                       << "; only its last axis (output columns) is "
                          "supported";
  if (failed(foldWeightZeroPoints(ctx, b, lastAxis, "B")))
    return failure();
  int64_t k = as.back(), n = b.type.getShape().back();
  int64_t m = a.type.getNumElements() / k;
  SmallVector<int64_t> outShape(as.drop_back());
  outShape.push_back(n);
  reshapeOperand(ctx, a, {m, k});

  SmallVector<double> accScales;
  for (double s : b.quant.scales)
    accScales.push_back(alpha * a.quant.scales[0] * s);
  Value bias;
  if (makeBias) {
    FailureOr<Value> biasValue = makeBias(accScales, n);
    if (failed(biasValue))
      return failure();
    bias = *biasValue;
  }
  Value product = MatmulOp::create(
      ctx.builder(), ctx.loc, i32Type(ctx, {m, n}), operandValue(ctx, a),
      operandValue(ctx, b), bias, a.quant.zeroPoints[0],
      b.quant.zeroPoints[0]);
  return accumulator(reshapeValue(ctx, product, outShape), accScales,
                     int64_t(outShape.size()) - 1);
}

static LogicalResult lowerMatMul(NodeContext &ctx) {
  if (failed(ctx.checkArity(2, 1)) || failed(ctx.checkAttributes({})))
    return failure();
  FailureOr<GridOperand> a = gridInput(ctx, 0, "A");
  if (failed(a))
    return failure();
  FailureOr<GridOperand> b = gridInput(ctx, 1, "B");
  if (failed(b))
    return failure();
  FailureOr<ImportedValue> acc = buildMatMul(ctx, *a, *b, BiasFn());
  if (failed(acc))
    return failure();
  ctx.setOutput(0, std::move(*acc));
  return success();
}

/// B [N, K] of Gemm with transB = 1, transposed at import to [K, N].
static LogicalResult transposeConstant(NodeContext &ctx, GridOperand &b) {
  if (!b.data || b.type.getRank() != 2)
    return ctx.error() << "transB = 1 needs a constant 2-D B";
  int64_t n = b.type.getDimSize(0), k = b.type.getDimSize(1);
  auto data = TensorData::integers({k, n});
  data->ints.resize(n * k);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < k; ++j)
      data->ints[j * n + i] = b.data->ints[i * k + j];
  b.data = data;
  b.ints = nullptr;
  b.type = withShape(b.type, {k, n});
  if (!b.quant.isPerTensor())
    b.quant.axis = 1 - b.quant.axis;
  return success();
}

static LogicalResult lowerGemm(NodeContext &ctx) {
  if (failed(ctx.checkArity(3, 1)) ||
      failed(ctx.checkAttributes({"alpha", "beta", "transA", "transB"})))
    return failure();
  double alpha = 1.0, beta = 1.0;
  int64_t transA = 0, transB = 0;
  if (failed(ctx.readAttribute("alpha", alpha)) ||
      failed(ctx.readAttribute("beta", beta)) ||
      failed(ctx.readAttribute("transA", transA)) ||
      failed(ctx.readAttribute("transB", transB)))
    return failure();
  if (transA != 0)
    return ctx.error() << "attribute 'transA' value " << transA
                       << " is not supported";
  if (transB != 0 && transB != 1)
    return ctx.error() << "attribute 'transB' value " << transB
                       << " is not supported";
  if (!(alpha > 0) || !std::isfinite(alpha) || !std::isfinite(beta))
    return ctx.error() << "alpha must be positive and beta finite";
  FailureOr<GridOperand> a = gridInput(ctx, 0, "A");
  if (failed(a))
    return failure();
  if (a->type.getRank() != 2)
    return ctx.error() << "A must be 2-D";
  FailureOr<GridOperand> b = gridInput(ctx, 1, "B");
  if (failed(b))
    return failure();
  if (transB && failed(transposeConstant(ctx, *b)))
    return failure();
  if (b->type.getRank() != 2)
    return ctx.error() << "B must be 2-D";
  auto bias = [&](ArrayRef<double> scales, int64_t n) -> FailureOr<Value> {
    // C broadcasts to [M, N]; a per-column bias is [N], [1, N] or a scalar.
    FailureOr<ValueRef> c = ctx.input(2);
    if (failed(c))
      return failure();
    ArrayRef<int64_t> cs = (*c)->type.getShape();
    if (cs.size() > 2 || (cs.size() == 2 && cs[0] != 1))
      return ctx.error() << "C must be a scalar, [N] or [1, N]";
    return biasInAccumulatorUnits(ctx, 2, scales, n, beta);
  };
  FailureOr<ImportedValue> acc = buildMatMul(
      ctx, *a, *b, ctx.hasInput(2) ? BiasFn(bias) : BiasFn(), alpha);
  if (failed(acc))
    return failure();
  ctx.setOutput(0, std::move(*acc));
  return success();
}

static LogicalResult lowerQLinearMatMul(NodeContext &ctx) {
  if (failed(ctx.checkArity(8, 1)) || failed(ctx.checkAttributes({})))
    return failure();
  FailureOr<GridOperand> a = qlinearInput(ctx, 0, 1, 2, -1, "A");
  if (failed(a))
    return failure();
  FailureOr<GridOperand> b = qlinearInput(ctx, 3, 4, 5, -1, "B");
  if (failed(b))
    return failure();
  FailureOr<QuantTarget> y = qlinearOutputTarget(ctx, 6, 7, a->type);
  if (failed(y))
    return failure();
  FailureOr<ImportedValue> acc = buildMatMul(ctx, *a, *b, BiasFn());
  if (failed(acc))
    return failure();
  FailureOr<ImportedValue> q = quantize(ctx, *acc, *y);
  if (failed(q))
    return failure();
  ctx.setOutput(0, std::move(*q));
  return success();
}

static LogicalResult lowerMatMulInteger(NodeContext &ctx) {
  if (failed(ctx.checkArity(4, 1)) || failed(ctx.checkAttributes({})))
    return failure();
  FailureOr<GridOperand> a = integerInput(ctx, 0, 2, 0, "A");
  if (failed(a))
    return failure();
  FailureOr<ValueRef> bValue = ctx.input(1);
  if (failed(bValue))
    return failure();
  FailureOr<GridOperand> b =
      integerInput(ctx, 1, 3, (*bValue)->type.getRank() - 1, "B");
  if (failed(b))
    return failure();
  FailureOr<ImportedValue> acc = buildMatMul(ctx, *a, *b, BiasFn());
  if (failed(acc))
    return failure();
  // Unit scales: the accumulator is the result.
  acc->kind = ImportedValue::Kind::Int;
  ctx.setOutput(0, std::move(*acc));
  return success();
}

void mlir::qnn::frontend::registerMatMulOps(OpTable &table) {
  table.add("", "MatMul", lowerMatMul);
  table.add("", "Gemm", lowerGemm);
  table.add("", "QLinearMatMul", lowerQLinearMatMul);
  table.add("", "MatMulInteger", lowerMatMulInteger);
}
