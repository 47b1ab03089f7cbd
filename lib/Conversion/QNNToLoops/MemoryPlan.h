//===- MemoryPlan.h - Static memory plan of a lowered qnn function -*- C++ -*-===//
//
// Decides, before any code is emitted, where every tensor value of a qnn
// function lives: in a caller's input or output buffer, in the read-only
// constant data, or at a fixed offset of the caller-provided scratch arena.
// Scratch offsets come from a first-fit placement over live intervals (from
// the defining op to the last use, counted in op positions of the block),
// so values whose lifetimes do not overlap share bytes.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CONVERSION_QNNTOLOOPS_MEMORYPLAN_H
#define QNN_LIB_CONVERSION_QNNTOLOOPS_MEMORYPLAN_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"

namespace mlir::qnn {

/// Every scratch offset is a multiple of this (a cache line: it also
/// satisfies every element type's and every SIMD load's alignment once the
/// arena itself is aligned to it).
inline constexpr int64_t kScratchAlignment = 64;

/// Where one value lives.
struct Placement {
  enum class Base { Input, Output, Scratch, Constant };
  Base base;
  unsigned index = 0; ///< argument or result number (Input, Output)
  int64_t offset = 0; ///< bytes from the start of the scratch arena
};

/// Working memory an op needs while it runs (a kernel's packed input). An
/// op whose computation ends in a later op (`until`: a fused rescale) keeps
/// its operands and this memory live until then.
struct OpScratch {
  Operation *op, *until;
  int64_t bytes;
};

struct MemoryPlan {
  llvm::DenseMap<Value, Placement> placements;
  /// Scratch offset of each OpScratch request.
  llvm::DenseMap<Operation *, int64_t> opScratch;
  /// Returned values that cannot be computed in place (function arguments,
  /// constants, a value returned twice): copied into output `index` last.
  llvm::SmallVector<std::pair<unsigned, Value>> outputCopies;
  int64_t scratchBytes = 0;
};

/// The storage element type of a qnn element type: the narrowest of i8, i16,
/// i32, i64 that holds it (sub-byte values take a whole byte).
IntegerType containerType(IntegerType elementType);

/// Bytes a tensor of `type` occupies in its containers.
int64_t storageBytes(RankedTensorType type);

/// Plans every tensor value of `func` (a single-block function whose ops are
/// qnn ops and whose terminator is func.return), and the working memory
/// of `requests`.
MemoryPlan planMemory(func::FuncOp func, ArrayRef<OpScratch> requests = {});

} // namespace mlir::qnn

#endif // QNN_LIB_CONVERSION_QNNTOLOOPS_MEMORYPLAN_H
