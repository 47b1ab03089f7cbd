//===- Layers.h - The layers of a qnn function and their names --*- C++ -*-===//
//
// A layer is a value a per-layer dump records: each function argument, then
// each result of each op in execution order, constants excepted (weights
// are the same in every execution). Every execution path (qnn-run
// --dump-dir, the debug object of --qnn-expose-layers) names layers through
// listLayers, so two executions of one module produce the same names;
// docs/tools.md states the rule.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DEBUG_LAYERS_H
#define QNN_DEBUG_LAYERS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <string>
#include <vector>

namespace mlir::qnn {

struct Layer {
  Value value;
  std::string name; ///< unique in the function; [A-Za-z0-9_.-] only
  std::string op;   ///< the defining op's name, or "argument"
};

/// The layers of `func` (a function with a body of one block), in order:
/// arguments first, then op results in execution order.
std::vector<Layer> listLayers(func::FuncOp func);

} // namespace mlir::qnn

#endif // QNN_DEBUG_LAYERS_H
