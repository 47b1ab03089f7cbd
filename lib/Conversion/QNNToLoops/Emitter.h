//===- Emitter.h - Shared state of the qnn loop emitters --------*- C++ -*-===//
//
// The op emitters (EmitArithmetic.cpp, EmitMovement.cpp) write loops over
// memrefs for one qnn op each. They reach storage through this class, which
// turns the memory plan into memref views, loads elements widened by their
// qnn signedness and stores them narrowed to their byte containers.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CONVERSION_QNNTOLOOPS_EMITTER_H
#define QNN_LIB_CONVERSION_QNNTOLOOPS_EMITTER_H

#include "MemoryPlan.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::qnn {

/// Geometry of a 2-D sliding window over NCHW data.
struct Window2D {
  ArrayRef<int64_t> kernel, strides, padding, dilations;
};

/// step(acc, iy, ix, ky, kx) -> next acc, for one window position.
using WindowStep = function_ref<Value(Value, Value, Value, Value, Value)>;

class Emitter {
public:
  /// `inputs`, `outputs` and `scratch` are the byte-buffer arguments of the
  /// function being emitted; globals go into `module`.
  Emitter(OpBuilder &builder, ModuleOp module, const MemoryPlan &plan,
          ValueRange inputs, ValueRange outputs, Value scratch,
          StringRef symbolPrefix);

  OpBuilder &builder() { return b; }

  /// The memref that holds tensor value `v`: in its containers, or for a
  /// constant of at most 4 bits per element, packed into bytes (a 1-D i8
  /// memref that only load() reads).
  Value memrefOf(Value v);

  /// Element `indices` of tensor `v`, widened to `type` (sign- or zero-
  /// extended by v's element signedness).
  Value load(Location loc, Value v, ValueRange indices, IntegerType type);

  /// Stores `x` (an integer in range for result's element type) into
  /// element `indices` of tensor `result`, narrowed to its container.
  void store(Location loc, Value x, Value result, ValueRange indices);

  Value constant(Location loc, int64_t value, Type type);
  Value index(Location loc, int64_t value);

  /// A read-only global 1-D array holding `values` (per-channel parameters,
  /// packed weights), 64-byte aligned, deduplicated by content.
  Value constantArray(Location loc, DenseIntElementsAttr values);
  Value i32Array(Location loc, ArrayRef<int32_t> values);

  /// The address of memref `m`'s first element, as an index.
  Value addressOf(Location loc, Value m);

  /// The address of byte `offset` of the scratch arena, as an index.
  Value scratchAddress(Location loc, int64_t offset);

  /// Calls the external function `name` (declared on first use) that takes
  /// `args` (indices) and returns nothing: a kernel of lib/Target/Kernels.
  void callExternal(Location loc, StringRef name, ValueRange args);

  /// Loops over every index of `shape` (outermost first), calling
  /// body(indices) in the innermost one.
  void forEachIndex(Location loc, ArrayRef<int64_t> shape,
                    function_ref<void(ValueRange)> body);

  /// A loop over [0, size) carrying `init`; body(i, carried) returns the
  /// next carried values; returns the final ones.
  SmallVector<Value> reduce(Location loc, int64_t size, ValueRange init,
                            function_ref<SmallVector<Value>(Value, ValueRange)>
                                body);

  /// Folds `step` over the in-bounds positions of the window of output
  /// (oy, ox) of a height x width input, starting from `init`; padded
  /// positions leave the accumulator unchanged.
  Value foldWindow(Location loc, const Window2D &w, int64_t height,
                   int64_t width, Value oy, Value ox, Value init,
                   WindowStep step);

  /// Copies tensor `from` into output buffer `outputIndex` (for returned
  /// values the plan could not compute in place).
  void copyToOutput(Location loc, Value from, unsigned outputIndex);

private:
  bool isPacked(Value v) const;
  Value loadPacked(Location loc, Value v, ValueRange indices);
  Value constantGlobal(Location loc, Value v);
  Value viewOf(Location loc, Value buffer, int64_t offset,
               RankedTensorType type);
  StringAttr uniqueSymbol(StringRef stem);

  OpBuilder &b;
  ModuleOp module;
  SymbolTable symbols;
  const MemoryPlan &plan;
  SmallVector<Value> inputs, outputs;
  Value scratch;
  std::string symbolPrefix;
  llvm::DenseMap<Value, Value> memrefs;
  llvm::DenseMap<Attribute, Value> arrays;
};

/// Emitters of the ops, one per op (EmitArithmetic.cpp, EmitMovement.cpp).
void emitConv2D(Emitter &e, Conv2DOp op);
void emitMatmul(Emitter &e, MatmulOp op);
void emitAdd(Emitter &e, AddOp op);
void emitAvgPool2D(Emitter &e, AvgPool2DOp op);
void emitRescale(Emitter &e, RescaleOp op);
void emitMaxPool2D(Emitter &e, MaxPool2DOp op);
void emitClamp(Emitter &e, ClampOp op);
void emitPad(Emitter &e, PadOp op);
void emitConcat(Emitter &e, ConcatOp op);

} // namespace mlir::qnn

#endif // QNN_LIB_CONVERSION_QNNTOLOOPS_EMITTER_H
