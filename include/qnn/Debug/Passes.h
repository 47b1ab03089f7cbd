//===- Passes.h - qnn per-layer debugging passes ----------------*- C++ -*-===//

#ifndef QNN_DEBUG_PASSES_H
#define QNN_DEBUG_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::qnn {

#define GEN_PASS_DECL
#include "qnn/Debug/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "qnn/Debug/Passes.h.inc"

} // namespace mlir::qnn

#endif // QNN_DEBUG_PASSES_H
