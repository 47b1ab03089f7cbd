//===- Passes.h - qnn transformation passes ---------------------*- C++ -*-===//

#ifndef QNN_DIALECT_QNN_TRANSFORMS_PASSES_H
#define QNN_DIALECT_QNN_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::qnn {

#define GEN_PASS_DECL
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"

/// Options of the `--qnn-integerize` pipeline, forwarded to its passes.
struct IntegerizeOptions : public PassPipelineOptions<IntegerizeOptions> {
  PassOptions::Option<unsigned> multiplierBits{
      *this, "multiplier-bits",
      llvm::cl::desc("Width of the integer multipliers, 1 to 31 bits"),
      llvm::cl::init(31)};
  PassOptions::Option<bool> shiftOnly{
      *this, "shift-only",
      llvm::cl::desc("Power-of-two scales only (multiplier-free hardware)"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> perTensor{
      *this, "per-tensor",
      llvm::cl::desc("Collapse per-channel scales to one per tensor"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> allowBoundary{
      *this, "allow-boundary",
      llvm::cl::desc("Allow qnn.quantize/qnn.dequantize at function "
                     "arguments/results"),
      llvm::cl::init(false)};
};

/// fold-batch-norm, fold-scales, fuse, check-ranges, verify-integer-only.
void buildIntegerizePipeline(OpPassManager &pm,
                             const IntegerizeOptions &options);

/// Registers `--qnn-integerize`.
void registerIntegerizePipeline();

} // namespace mlir::qnn

#endif // QNN_DIALECT_QNN_TRANSFORMS_PASSES_H
