//===- Passes.td - qnn per-layer debugging passes -----------*- tablegen -*-===//

#ifndef QNN_DEBUG_PASSES_TD
#define QNN_DEBUG_PASSES_TD

include "mlir/Pass/PassBase.td"

def QNNExposeLayers : Pass<"qnn-expose-layers", "::mlir::func::FuncOp"> {
  let summary = "Return every layer of the function, for a per-layer dump of "
                "compiled code";
  let description = [{
    Rewrites the function to return, in execution order, the result of
    every op that is not a constant (the layers of docs/tools.md, after the
    arguments) instead of its own results, which are among them. Each
    argument gets the attribute `qnn.layer = "<name>"`; each result
    `qnn.layer = "<name>"` and `qnn.layer_op = "<op name>"`, with the names
    that `qnn-run --dump-dir` gives the same layers. Compiled through the
    normal pipeline (`qnn-translate --emit-obj`), this is a debug object
    whose header (`--emit-header`) lists the layers for a dump driver
    (test/Target/Inputs/dump-layers.c). The release object, compiled from
    the module without this pass, is unaffected.
  }];
}

#endif // QNN_DEBUG_PASSES_TD
