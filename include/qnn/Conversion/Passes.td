//===- Passes.td - qnn conversion passes -------------------*- tablegen -*-===//

#ifndef QNN_CONVERSION_PASSES_TD
#define QNN_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def QNNLowerToLoops : Pass<"qnn-lower-to-loops", "::mlir::ModuleOp"> {
  let summary = "Lower an integer-only qnn function to loops over a planned "
                "static memory arena";
  let description = [{
    Replaces the qnn function `entry` by `@<model-name>_run`, a function of
    `scf`/`arith`/`memref` ops with the C-friendly signature

      (memref<in0 bytes x i8>, ..., memref<out0 bytes x i8>, ...,
       memref<scratch bytes x i8>) -> i32

    Weights and per-channel parameters become read-only `memref.global`s.
    Every intermediate value lives at a fixed offset in the caller-provided
    scratch arena, placed by a liveness-based first-fit plan; `qnn.reshape`
    aliases its operand; values returned by the function are computed in
    place in the caller's output buffers. The function allocates nothing
    and touches no global mutable state, so it is re-entrant.

    Elements are stored in byte containers: i2..i8 in i8, up to 16 bits in
    i16, up to 32 in i32 (as qnn-run's raw files and the C header state).
    The run function records its interface in attributes (`qnn.model_name`,
    `qnn.scratch_bytes`, `qnn.scratch_align`, `qnn.inputs`, `qnn.outputs`,
    and the argument and result attributes as `qnn.input_attributes` and
    `qnn.output_attributes`) for the header emitter.

    With `kernels=avx2|avx512-vnni|neon-dotprod`, each conv2d (groups = 1)
    and matmul with constant weights, an i32 accumulator and byte-sized
    input becomes a call of a micro-kernel (lib/Target/Kernels, linked in by
    qnn-translate), together with the per-channel rescale that is its only
    user. `kernel-scratch` (implied by `kernels`) plans the kernels' scratch
    without calling them, so that a header matches the object of every CPU
    level.

    Fails, naming the op and its location, on an op it cannot lower (such as
    the pre-folding `qnn.requantize`: run `--qnn-integerize` first).
  }];
  let options = [
    Option<"entry", "entry", "std::string", /*default=*/"\"\"",
           "function to lower (default: the module's only function)">,
    Option<"modelName", "model-name", "std::string", /*default=*/"\"model\"",
           "prefix of the emitted symbols (<model-name>_run)">,
    Option<"kernels", "kernels", "std::string", /*default=*/"\"none\"",
           "conv/matmul kernels to call: none, avx2, avx512-vnni, "
           "neon-dotprod">,
    Option<"kernelScratch", "kernel-scratch", "bool", /*default=*/"false",
           "plan scratch for the kernels (implied by kernels)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::func::FuncDialect"];
}

#endif // QNN_CONVERSION_PASSES_TD
