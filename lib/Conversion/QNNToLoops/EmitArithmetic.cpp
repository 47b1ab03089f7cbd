//===- EmitArithmetic.cpp - Loops for the accumulating ops and rescale ----===//
//
// Accumulators use the result's own width with wrapping adds and multiplies
// (no nsw/nuw flags): the sum modulo 2^N is the exact sum modulo 2^N, which
// is what docs/semantics.md defines, and --qnn-check-ranges proves that no
// wrap happens in a checked model.
//
//===----------------------------------------------------------------------===//

#include "Emitter.h"

using namespace mlir;
using namespace mlir::qnn;

namespace {

IntegerType accumulatorType(Operation *op) {
  return cast<IntegerType>(
      cast<RankedTensorType>(op->getResult(0).getType()).getElementType());
}

/// acc + (x - xZp) * (w - wZp), wrapping.
Value multiplyAccumulate(OpBuilder &b, Location loc, Value acc, Value x,
                         Value xZp, Value w, Value wZp) {
  Value product = arith::MulIOp::create(
      b, loc, arith::SubIOp::create(b, loc, x, xZp),
      arith::SubIOp::create(b, loc, w, wZp));
  return arith::AddIOp::create(b, loc, acc, product);
}

/// The initial accumulator of output channel `c`: bias[c] or 0.
Value initialAccumulator(Emitter &e, Location loc, Value bias, Value c,
                         IntegerType acc) {
  return bias ? e.load(loc, bias, c, acc) : e.constant(loc, 0, acc);
}

} // namespace

void mlir::qnn::emitConv2D(Emitter &e, Conv2DOp op) {
  OpBuilder &b = e.builder();
  Location loc = op.getLoc();
  IntegerType acc = accumulatorType(op);
  ArrayRef<int64_t> in = cast<RankedTensorType>(op.getInput().getType())
                             .getShape();
  ArrayRef<int64_t> w = cast<RankedTensorType>(op.getWeight().getType())
                            .getShape();
  int64_t outPerGroup = w[0] / op.getGroups(), inPerGroup = w[1];
  Window2D window{w.drop_front(2), op.getStrides(), op.getPadding(),
                op.getDilations()};
  Value inputZp = e.constant(loc, op.getInputZp(), acc);
  Value weightZp = e.constant(loc, op.getWeightZp(), acc);
  auto outShape = cast<RankedTensorType>(op.getType()).getShape();
  e.forEachIndex(loc, outShape, [&](ValueRange ivs) {
    Value n = ivs[0], o = ivs[1], oy = ivs[2], ox = ivs[3];
    Value firstChannel = arith::MulIOp::create(
        b, loc,
        arith::DivUIOp::create(b, loc, o, e.index(loc, outPerGroup)),
        e.index(loc, inPerGroup));
    Value init = initialAccumulator(e, loc, op.getBias(), o, acc);
    Value sum = e.reduce(loc, inPerGroup, init, [&](Value c, ValueRange a) {
      Value channel = arith::AddIOp::create(b, loc, firstChannel, c);
      return SmallVector<Value>{e.foldWindow(
          loc, window, in[2], in[3], oy, ox, a[0],
          [&](Value a, Value iy, Value ix, Value ky, Value kx) {
            Value x = e.load(loc, op.getInput(), {n, channel, iy, ix}, acc);
            Value k = e.load(loc, op.getWeight(), {o, c, ky, kx}, acc);
            return multiplyAccumulate(b, loc, a, x, inputZp, k, weightZp);
          })};
    })[0];
    e.store(loc, sum, op.getOutput(), ivs);
  });
}

void mlir::qnn::emitMatmul(Emitter &e, MatmulOp op) {
  OpBuilder &b = e.builder();
  Location loc = op.getLoc();
  IntegerType acc = accumulatorType(op);
  int64_t k = cast<RankedTensorType>(op.getLhs().getType()).getShape()[1];
  Value lhsZp = e.constant(loc, op.getLhsZp(), acc);
  Value rhsZp = e.constant(loc, op.getRhsZp(), acc);
  auto outShape = cast<RankedTensorType>(op.getType()).getShape();
  e.forEachIndex(loc, outShape, [&](ValueRange ivs) {
    Value init = initialAccumulator(e, loc, op.getBias(), ivs[1], acc);
    Value sum = e.reduce(loc, k, init, [&](Value p, ValueRange a) {
      Value x = e.load(loc, op.getLhs(), {ivs[0], p}, acc);
      Value y = e.load(loc, op.getRhs(), {p, ivs[1]}, acc);
      return SmallVector<Value>{
          multiplyAccumulate(b, loc, a[0], x, lhsZp, y, rhsZp)};
    })[0];
    e.store(loc, sum, op.getOutput(), ivs);
  });
}

void mlir::qnn::emitAdd(Emitter &e, AddOp op) {
  OpBuilder &b = e.builder();
  Location loc = op.getLoc();
  IntegerType acc = accumulatorType(op);
  auto scaled = [&](Value x, int64_t zp, int64_t multiplier) {
    return arith::MulIOp::create(
        b, loc, e.constant(loc, multiplier, acc),
        arith::SubIOp::create(b, loc, x, e.constant(loc, zp, acc)));
  };
  auto shape = cast<RankedTensorType>(op.getType()).getShape();
  e.forEachIndex(loc, shape, [&](ValueRange ivs) {
    Value lhs = scaled(e.load(loc, op.getLhs(), ivs, acc), op.getLhsZp(),
                       op.getLhsMultiplier());
    Value rhs = scaled(e.load(loc, op.getRhs(), ivs, acc), op.getRhsZp(),
                       op.getRhsMultiplier());
    e.store(loc, arith::AddIOp::create(b, loc, lhs, rhs), op.getOutput(),
            ivs);
  });
}

void mlir::qnn::emitAvgPool2D(Emitter &e, AvgPool2DOp op) {
  OpBuilder &b = e.builder();
  Location loc = op.getLoc();
  IntegerType acc = accumulatorType(op);
  ArrayRef<int64_t> in = cast<RankedTensorType>(op.getInput().getType())
                             .getShape();
  int64_t unitDilations[2] = {1, 1};
  Window2D window{op.getKernel(), op.getStrides(), op.getPadding(),
                unitDilations};
  Value zp = e.constant(loc, op.getInputZp(), acc);
  auto outShape = cast<RankedTensorType>(op.getType()).getShape();
  e.forEachIndex(loc, outShape, [&](ValueRange ivs) {
    Value sum = e.foldWindow(
        loc, window, in[2], in[3], ivs[2], ivs[3],
        e.constant(loc, 0, acc),
        [&](Value a, Value iy, Value ix, Value, Value) {
          Value x = e.load(loc, op.getInput(), {ivs[0], ivs[1], iy, ix}, acc);
          return arith::AddIOp::create(b, loc, a,
                                       arith::SubIOp::create(b, loc, x, zp));
        });
    e.store(loc, sum, op.getOutput(), ivs);
  });
}

//===----------------------------------------------------------------------===//
// Rescale
//===----------------------------------------------------------------------===//

namespace {

/// round(p / 2^s) with the tie rule, for i64 p and 0 <= s <= 63: the IR form
/// of qnn::rules::roundingShiftRight, step for step (floor by arithmetic
/// shift, then +1 when the remainder exceeds half, or equals it and the tie
/// rule says up). The bit-exact tests compare the two on every rounding mode
/// and shift extreme.
Value roundingShiftRight(Emitter &e, Location loc, Value p, Value s,
                         RoundingMode mode) {
  OpBuilder &b = e.builder();
  IntegerType i64 = b.getI64Type();
  using P = arith::CmpIPredicate;
  Value floorQ = arith::ShRSIOp::create(b, loc, p, s);
  Value pow = arith::ShLIOp::create(b, loc, e.constant(loc, 1, i64), s);
  Value mask = arith::SubIOp::create(b, loc, pow, e.constant(loc, 1, i64));
  Value half = arith::ShRUIOp::create(b, loc, pow, e.constant(loc, 1, i64));
  Value rem = arith::AndIOp::create(b, loc, p, mask);
  Value above = arith::CmpIOp::create(b, loc, P::ugt, rem, half);
  Value tie = arith::CmpIOp::create(b, loc, P::eq, rem, half);
  Value tieUp;
  switch (mode) {
  case RoundingMode::half_up:
    tieUp = arith::ConstantIntOp::create(b, loc, 1, 1);
    break;
  case RoundingMode::half_even:
    tieUp = arith::TruncIOp::create(b, loc, b.getI1Type(), floorQ);
    break;
  case RoundingMode::half_away_from_zero:
    tieUp = arith::CmpIOp::create(b, loc, P::sge, floorQ,
                                  e.constant(loc, 0, i64));
    break;
  }
  Value up = arith::OrIOp::create(
      b, loc, above, arith::AndIOp::create(b, loc, tie, tieUp));
  // With s = 0 there is no remainder: half is 0 and rem == half is no tie.
  Value shifted = arith::CmpIOp::create(b, loc, P::ne, s,
                                        e.constant(loc, 0, i64));
  up = arith::AndIOp::create(b, loc, up, shifted);
  return arith::AddIOp::create(b, loc, floorQ,
                               arith::ExtUIOp::create(b, loc, i64, up));
}

/// Per-channel parameter `values[c]` as i64, or the constant if per-tensor.
Value channelParameter(Emitter &e, Location loc, ArrayRef<int32_t> values,
                       Value c) {
  IntegerType i64 = e.builder().getI64Type();
  if (values.size() == 1)
    return e.constant(loc, values[0], i64);
  Value array = e.i32Array(loc, values);
  Value v = memref::LoadOp::create(e.builder(), loc, array, c);
  return arith::ExtSIOp::create(e.builder(), loc, i64, v);
}

} // namespace

void mlir::qnn::emitRescale(Emitter &e, RescaleOp op) {
  OpBuilder &b = e.builder();
  Location loc = op.getLoc();
  IntegerType i64 = b.getI64Type();
  auto outType = cast<RankedTensorType>(op.getType());
  rules::IntRange bounds = clampBounds(op);
  e.forEachIndex(loc, outType.getShape(), [&](ValueRange ivs) {
    Value c = op.getMultiplier().size() == 1 ? Value() : ivs[op.getAxis()];
    Value m = channelParameter(e, loc, op.getMultiplier(), c);
    Value s = channelParameter(e, loc, op.getShift(), c);
    Value x = e.load(loc, op.getInput(), ivs, i64);
    Value p = arith::MulIOp::create(
        b, loc,
        arith::SubIOp::create(b, loc, x,
                              e.constant(loc, op.getInputZp(), i64)),
        m);
    Value y = arith::AddIOp::create(
        b, loc, roundingShiftRight(e, loc, p, s, op.getRounding()),
        e.constant(loc, op.getOutputZp(), i64));
    y = arith::MaxSIOp::create(b, loc, y, e.constant(loc, bounds.min, i64));
    y = arith::MinSIOp::create(b, loc, y, e.constant(loc, bounds.max, i64));
    e.store(loc, y, op.getOutput(), ivs);
  });
}
