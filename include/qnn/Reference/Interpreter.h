//===- Interpreter.h - The reference interpreter of qnn ---------*- C++ -*-===//
//
// Executes a function of qnn ops on concrete tensors with the exact semantics
// of docs/semantics.md, through the shared rules of
// include/qnn/Support/IntegerRules.h. It is the golden model: the training
// module's integer simulation and the compiled code are tested bit-exact
// against it. Simple loops on purpose; speed is not its job.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_REFERENCE_INTERPRETER_H
#define QNN_REFERENCE_INTERPRETER_H

#include "qnn/Reference/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/Error.h"

#include <functional>

namespace mlir::qnn::reference {

/// Called after each op with its results (for per-layer dumps).
using OpObserver =
    std::function<void(mlir::Operation *op, llvm::ArrayRef<Tensor> results)>;

/// Runs `func` on `args`. Fails, naming the op and its location, on an op
/// without reference semantics, and on arguments whose types or values do
/// not match the signature.
llvm::Expected<std::vector<Tensor>>
runFunction(mlir::func::FuncOp func, llvm::ArrayRef<Tensor> args,
            const OpObserver &observer = nullptr);

/// Checks that `t` has type `type` and that every element lies in the
/// element type's range.
llvm::Error checkTensorMatches(const Tensor &t, mlir::RankedTensorType type,
                               llvm::StringRef what);

} // namespace mlir::qnn::reference

#endif // QNN_REFERENCE_INTERPRETER_H
