//===- EmitMovement.cpp - Loops for the value-preserving qnn ops ----------===//
//
// max_pool2d, clamp, pad and concat select, bound or move elements; they
// compare in i64, where every element type the dialect allows is exact.
//
//===----------------------------------------------------------------------===//

#include "Emitter.h"

using namespace mlir;
using namespace mlir::qnn;

namespace {

ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

} // namespace

void mlir::qnn::emitMaxPool2D(Emitter &e, MaxPool2DOp op) {
  OpBuilder &b = e.builder();
  Location loc = op.getLoc();
  IntegerType i64 = b.getI64Type();
  ArrayRef<int64_t> in = shapeOf(op.getInput());
  Window2D window{op.getKernel(), op.getStrides(), op.getPadding(),
                  op.getDilations()};
  e.forEachIndex(loc, shapeOf(op.getOutput()), [&](ValueRange ivs) {
    // The verifier guarantees every window holds a real element, so the
    // initial INT64_MIN never survives.
    Value best = e.foldWindow(
        loc, window, in[2], in[3], ivs[2], ivs[3],
        e.constant(loc, INT64_MIN, i64),
        [&](Value acc, Value iy, Value ix, Value, Value) {
          Value x = e.load(loc, op.getInput(), {ivs[0], ivs[1], iy, ix}, i64);
          return Value(arith::MaxSIOp::create(b, loc, acc, x));
        });
    e.store(loc, best, op.getOutput(), ivs);
  });
}

void mlir::qnn::emitClamp(Emitter &e, ClampOp op) {
  OpBuilder &b = e.builder();
  Location loc = op.getLoc();
  IntegerType i64 = b.getI64Type();
  e.forEachIndex(loc, shapeOf(op.getOutput()), [&](ValueRange ivs) {
    Value x = e.load(loc, op.getInput(), ivs, i64);
    x = arith::MaxSIOp::create(b, loc, x, e.constant(loc, op.getMin(), i64));
    x = arith::MinSIOp::create(b, loc, x, e.constant(loc, op.getMax(), i64));
    e.store(loc, x, op.getOutput(), ivs);
  });
}

/// Copies every element of `from` into `to` at its index shifted by
/// `offsets` (one per dimension).
static void copyShifted(Emitter &e, Location loc, Value from, Value to,
                        ArrayRef<int64_t> offsets) {
  OpBuilder &b = e.builder();
  e.forEachIndex(loc, shapeOf(from), [&](ValueRange ivs) {
    SmallVector<Value> target;
    for (auto [iv, offset] : llvm::zip(ivs, offsets))
      target.push_back(offset == 0 ? iv
                                   : Value(arith::AddIOp::create(
                                         b, loc, iv, e.index(loc, offset))));
    e.store(loc, e.load(loc, from, ivs, b.getI64Type()), to, target);
  });
}

void mlir::qnn::emitPad(Emitter &e, PadOp op) {
  Location loc = op.getLoc();
  Value fill = e.constant(loc, op.getValue(), e.builder().getI64Type());
  e.forEachIndex(loc, shapeOf(op.getOutput()), [&](ValueRange ivs) {
    e.store(loc, fill, op.getOutput(), ivs);
  });
  copyShifted(e, loc, op.getInput(), op.getOutput(), op.getLow());
}

void mlir::qnn::emitConcat(Emitter &e, ConcatOp op) {
  Location loc = op.getLoc();
  SmallVector<int64_t> offsets(shapeOf(op.getOutput()).size(), 0);
  for (Value input : op.getInputs()) {
    copyShifted(e, loc, input, op.getOutput(), offsets);
    offsets[op.getAxis()] += shapeOf(input)[op.getAxis()];
  }
}
