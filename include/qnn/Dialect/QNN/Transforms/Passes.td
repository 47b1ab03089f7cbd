//===- Passes.td - qnn transformation passes ---------------*- tablegen -*-===//
//
// The passes that take a quantized model from its pre-folding form (real
// scales) to an integer-only module and prove it: docs/passes.md describes
// each one with an example.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_TRANSFORMS_PASSES_TD
#define QNN_DIALECT_QNN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def QNNFoldBatchNorm : Pass<"qnn-fold-batch-norm"> {
  let summary = "Fold qnn.batch_norm into the conv/matmul bias and the "
                "following requantize scale";
  let description = [{
    Rewrites `conv2d|matmul -> batch_norm -> requantize` so that the
    per-channel BatchNorm scale multiplies the requantize scale and the
    offset, divided by that scale and rounded to an integer, adds to the
    accumulator bias (a zero bias is created when there is none). A channel
    with a negative scale has its constant weights and its bias negated, so
    that the requantize scale stays positive; where a negated weight does not
    fit the weight type, or the shape of the chain is not the one above, the
    pass emits an error at the batch_norm and fails.
  }];
}

def QNNFoldScales : Pass<"qnn-fold-scales"> {
  let summary = "Replace real-valued scales by integer multipliers and shifts";
  let description = [{
    Every `qnn.requantize` becomes a `qnn.rescale` with the same zero
    points, clamp bounds and rounding, and (multiplier, shift) derived by
    `deriveMultiplierShift` (or `derivePowerOfTwo` with `shift-only`) of
    include/qnn/Support/IntegerRules.h. Every `qnn.requantize_add` becomes a
    `qnn.add` with both operand multipliers at one common shift, chosen as
    large as the multiplier width and a provably non-overflowing i32
    accumulator allow, followed by a `qnn.rescale` that applies that shift.
    A scale that cannot be represented is a located error naming the op and
    the channel; nothing is clamped silently.
  }];
  let options = [
    Option<"multiplierBits", "multiplier-bits", "unsigned", "31",
           "Width of the integer multipliers, 1 to 31 bits">,
    Option<"shiftOnly", "shift-only", "bool", "false",
           "Approximate every scale by the nearest power of two (multipliers "
           "are powers of two) for multiplier-free hardware">,
    Option<"perTensor", "per-tensor", "bool", "false",
           "Collapse per-channel scales to one per tensor: the geometric mean "
           "of the smallest and the largest channel scale">,
    Option<"report", "report", "bool", "false",
           "Emit a remark per folded op with its worst relative error">,
  ];
}

def QNNFuse : Pass<"qnn-fuse"> {
  let summary = "Fuse clamps into rescales, merge exact rescale chains, fold "
                "and remove dead constants";
  let description = [{
    Applies the qnn dialect's canonicalization patterns and folders (and
    nothing else) until a fixed point: a `qnn.clamp` after a
    rescale/requantize narrows its clamp bounds, a unit-scale rescale after a
    rescale merges into it, identities fold away, and ops left without users
    (unused constants) are erased.
  }];
  let dependentDialects = ["::mlir::qnn::QNNDialect"];
}

def QNNCheckRanges : Pass<"qnn-check-ranges"> {
  let summary = "Prove that no accumulator can overflow";
  let description = [{
    For every `qnn.conv2d`, `qnn.matmul`, `qnn.add` and `qnn.avg_pool2d`,
    computes the worst-case accumulator interval from the operands' element
    ranges (type ranges, narrowed by the clamp bounds and constants that
    define them), the zero points, the window size K, the actual values of
    constant weights and biases (type ranges otherwise) and the add
    multipliers. An interval outside the result's accumulator type is an error
    naming the op; an interval inside [-2^15, 2^15 - 1] marks the op with the
    unit attribute `qnn.acc16`.
  }];
  let options = [
    Option<"report", "report", "bool", "false",
           "Emit a remark per accumulating op with its worst-case interval">,
  ];
}

def QNNVerifyIntegerOnly : Pass<"qnn-verify-integer-only"> {
  let summary = "Fail on anything that is not integer-only";
  let description = [{
    Walks every op, nested regions included, and reports each op that holds
    a float or `quant` type anywhere (operands, results, block arguments,
    function signatures, types nested in tensors, memrefs, vectors,
    functions), a float or `quant` attribute anywhere (nested in arrays,
    dictionaries, dense elements and type attributes), that belongs to the
    `math` or `quant` dialect, or that is a pre-folding qnn op
    (`qnn.requantize`, `qnn.requantize_add`, `qnn.batch_norm`).
    `qnn.quantize`/`qnn.dequantize` are offenders too, unless
    `allow-boundary` is set; then a `qnn.quantize` of a function argument and
    a `qnn.dequantize` whose only users are the function's returns are
    allowed, and with them the f32 types of those arguments and results.
  }];
  let options = [
    Option<"allowBoundary", "allow-boundary", "bool", "false",
           "Allow qnn.quantize of function arguments and qnn.dequantize of "
           "function results">,
  ];
}

#endif // QNN_DIALECT_QNN_TRANSFORMS_PASSES_TD
