//===- QNNOps.td - qnn operations --------------------------*- tablegen -*-===//
//
// The exact meaning of every op is in docs/semantics.md; the summaries here
// are reminders, the verifiers in lib/Dialect/QNN/IR/QNNOps.cpp enforce the
// structural rules.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_OPS_TD
#define QNN_OPS_TD

include "qnn/Dialect/QNN/IR/QNNDialect.td"
include "qnn/Dialect/QNN/IR/QNNAttrs.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def QNN_IntTensor : StaticShapeTensorOf<[AnyInteger]>;

// A 64-bit integer attribute read as int64_t. Upstream I64Attr reads as
// uint64_t, which would turn negative zero points and clamp bounds into huge
// positive numbers in every comparison.
def QNN_I64Attr : TypedSignlessIntegerAttrBase<I64, "int64_t",
                                               "64-bit signless integer attribute"> {
  let convertFromStorage = "$_self.getValue().getSExtValue()";
}
def QNN_F32Tensor : StaticShapeTensorOf<[F32]>;

// Requantization parameters shared by qnn.rescale and qnn.requantize.
defvar RequantCommonArgs = (ins
    DefaultValuedAttr<QNN_I64Attr, "1">:$axis,
    DefaultValuedAttr<QNN_I64Attr, "0">:$input_zp,
    DefaultValuedAttr<QNN_I64Attr, "0">:$output_zp,
    OptionalAttr<QNN_I64Attr>:$clamp_min,
    OptionalAttr<QNN_I64Attr>:$clamp_max,
    DefaultValuedAttr<QNN_RoundingAttr, "RoundingMode::half_up">:$rounding);

//===----------------------------------------------------------------------===//
// Constants and structure
//===----------------------------------------------------------------------===//

def QNN_ConstantOp : QNN_Op<"constant", [ConstantLike, Pure,
    TypesMatchWith<"result type matches the value's type", "value", "output",
                   "$_self">]> {
  let summary = "integer tensor constant (weights, biases)";
  let arguments = (ins ElementsAttr:$value);
  let results = (outs QNN_IntTensor:$output);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
  let hasVerifier = 1;
}

def QNN_ReshapeOp : QNN_Op<"reshape", [Pure, SameOperandsAndResultElementType]> {
  let summary = "reinterpret the shape (row-major), e.g. flatten";
  let arguments = (ins QNN_IntTensor:$input);
  let results = (outs QNN_IntTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def QNN_ConcatOp : QNN_Op<"concat", [Pure, SameOperandsAndResultElementType]> {
  let summary = "concatenate tensors of one element type along an axis";
  let arguments = (ins Variadic<QNN_IntTensor>:$inputs, QNN_I64Attr:$axis);
  let results = (outs QNN_IntTensor:$output);
  let assemblyFormat =
      "$inputs attr-dict `:` functional-type($inputs, $output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def QNN_PadOp : QNN_Op<"pad", [Pure, SameOperandsAndResultElementType]> {
  let summary = "pad with a constant integer";
  let arguments = (ins QNN_IntTensor:$input,
      DenseI64ArrayAttr:$low, DenseI64ArrayAttr:$high,
      DefaultValuedAttr<QNN_I64Attr, "0">:$value);
  let results = (outs QNN_IntTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Accumulating ops: narrow integers in, i32/i64 accumulator out
//===----------------------------------------------------------------------===//

def QNN_Conv2DOp : QNN_Op<"conv2d", [Pure]> {
  let summary = "2-D convolution, NCHW x OIHW, integer accumulation";
  let description = [{
    `output[n,o,y,x] = bias[o] + sum (input[n,c,y',x'] - input_zp) *
    (weight[o,c',ky,kx] - weight_zp)` over the window, with padded input
    positions contributing 0 (they read `input_zp`). `groups` > 1 gives
    grouped and depthwise convolution. `padding` is [top, left, bottom,
    right].
  }];
  let arguments = (ins QNN_IntTensor:$input, QNN_IntTensor:$weight,
      Optional<QNN_IntTensor>:$bias,
      DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
      DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding,
      DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
      DefaultValuedAttr<QNN_I64Attr, "1">:$groups,
      DefaultValuedAttr<QNN_I64Attr, "0">:$input_zp,
      DefaultValuedAttr<QNN_I64Attr, "0">:$weight_zp);
  let results = (outs QNN_IntTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:`
    `(` type($input) `,` type($weight) (`,` type($bias)^)? `)` `->` type($output)
  }];
  let hasVerifier = 1;
}

def QNN_MatmulOp : QNN_Op<"matmul", [Pure]> {
  let summary = "matrix product [M,K] x [K,N] (+ bias[N]), integer accumulation";
  let arguments = (ins QNN_IntTensor:$lhs, QNN_IntTensor:$rhs,
      Optional<QNN_IntTensor>:$bias,
      DefaultValuedAttr<QNN_I64Attr, "0">:$lhs_zp,
      DefaultValuedAttr<QNN_I64Attr, "0">:$rhs_zp);
  let results = (outs QNN_IntTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs (`,` $bias^)? attr-dict `:`
    `(` type($lhs) `,` type($rhs) (`,` type($bias)^)? `)` `->` type($output)
  }];
  let hasVerifier = 1;
}

def QNN_AddOp : QNN_Op<"add", [Pure]> {
  let summary = "residual add: weighted sum of two integer tensors";
  let description = [{
    `output = lhs_multiplier * (lhs - lhs_zp) + rhs_multiplier * (rhs - rhs_zp)`,
    exactly, in the accumulator type. The multipliers bring both operands to
    a common scale; the `qnn.rescale` that follows applies the single
    rounding shift, so a residual add rounds once.
  }];
  let arguments = (ins QNN_IntTensor:$lhs, QNN_IntTensor:$rhs,
      DefaultValuedAttr<QNN_I64Attr, "0">:$lhs_zp,
      DefaultValuedAttr<QNN_I64Attr, "0">:$rhs_zp,
      DefaultValuedAttr<QNN_I64Attr, "1">:$lhs_multiplier,
      DefaultValuedAttr<QNN_I64Attr, "1">:$rhs_multiplier);
  let results = (outs QNN_IntTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` `(` type($lhs) `,` type($rhs) `)` `->` type($output)
  }];
  let hasVerifier = 1;
}

def QNN_AvgPool2DOp : QNN_Op<"avg_pool2d", [Pure]> {
  let summary = "average pooling as a window sum; the divisor is a rescale";
  let description = [{
    `output[n,c,y,x] = sum (input[n,c,y',x'] - input_zp)` over the
    `kernel` window, padded positions contributing 0. There is no division:
    the following `qnn.rescale` (or `qnn.requantize`) divides by the kernel
    area as part of its scale.
  }];
  let arguments = (ins QNN_IntTensor:$input,
      DenseI64ArrayAttr:$kernel,
      DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
      DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding,
      DefaultValuedAttr<QNN_I64Attr, "0">:$input_zp);
  let results = (outs QNN_IntTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Element-type-preserving ops
//===----------------------------------------------------------------------===//

def QNN_MaxPool2DOp : QNN_Op<"max_pool2d", [Pure, SameOperandsAndResultElementType]> {
  let summary = "max pooling; padded positions never win";
  let arguments = (ins QNN_IntTensor:$input,
      DenseI64ArrayAttr:$kernel,
      DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
      DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding,
      DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations);
  let results = (outs QNN_IntTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def QNN_ClampOp : QNN_Op<"clamp", [Pure, SameOperandsAndResultType]> {
  let summary = "clamp to [min, max] (ReLU and its bounded variants)";
  let arguments = (ins QNN_IntTensor:$input, QNN_I64Attr:$min, QNN_I64Attr:$max);
  let results = (outs QNN_IntTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

//===----------------------------------------------------------------------===//
// Requantization
//===----------------------------------------------------------------------===//

def QNN_RescaleOp : QNN_Op<"rescale", [Pure, SameOperandsAndResultShape]> {
  let summary = "integer requantization: multiply, rounding shift, clamp";
  let description = [{
    Per element, with channel c the index along `axis` (per-channel) or 0
    (per-tensor, one multiplier and one shift):

    `output = clamp(round((input - input_zp) * multiplier[c] / 2^shift[c])
                    + output_zp, clamp_min, clamp_max)`

    computed exactly in 64-bit integers; `round` breaks ties by `rounding`.
    Clamp bounds default to the output type's range. A power-of-two scale is
    `multiplier = 1`.
  }];
  let arguments = !con((ins QNN_IntTensor:$input,
      DenseI32ArrayAttr:$multiplier, DenseI32ArrayAttr:$shift),
      RequantCommonArgs);
  let results = (outs QNN_IntTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def QNN_RequantizeOp : QNN_Op<"requantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "pre-folding requantization by a real-valued scale";
  let description = [{
    `output = clamp(round((input - input_zp) * scale[c]) + output_zp,
                    clamp_min, clamp_max)` evaluated in double precision.
    The form the frontend and the training export produce; `--qnn-fold-scales`
    replaces it with `qnn.rescale`. Not integer-only.
  }];
  let arguments = !con((ins QNN_IntTensor:$input, DenseF64ArrayAttr:$scale),
      RequantCommonArgs);
  let results = (outs QNN_IntTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def QNN_QuantizeOp : QNN_Op<"quantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "boundary op: f32 to integer, clamp(round(x / scale) + zero_point)";
  let arguments = (ins QNN_F32Tensor:$input, F64Attr:$scale,
      DefaultValuedAttr<QNN_I64Attr, "0">:$zero_point,
      DefaultValuedAttr<QNN_RoundingAttr, "RoundingMode::half_even">:$rounding);
  let results = (outs QNN_IntTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def QNN_DequantizeOp : QNN_Op<"dequantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "boundary op: integer to f32, (x - zero_point) * scale";
  let arguments = (ins QNN_IntTensor:$input, F64Attr:$scale,
      DefaultValuedAttr<QNN_I64Attr, "0">:$zero_point);
  let results = (outs QNN_F32Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Pre-folding forms folded by the passes (docs/passes.md)
//===----------------------------------------------------------------------===//

def QNN_RequantizeAddOp : QNN_Op<"requantize_add", [Pure]> {
  let summary = "pre-folding residual add with real-valued operand scales";
  let description = [{
    `output = clamp(round((lhs - lhs_zp) * lhs_scale + (rhs - rhs_zp) *
    rhs_scale) + output_zp, clamp_min, clamp_max)` evaluated in double
    precision, with one rounding (ties by `rounding`). Each operand scale is
    the ratio of that operand's real scale to the output's. Clamp bounds
    default to the output type's range. `--qnn-fold-scales` replaces it with a
    `qnn.add` (integer multipliers at one common shift, i32 accumulator) and
    the `qnn.rescale` that applies that shift. Not integer-only.
  }];
  let arguments = (ins QNN_IntTensor:$lhs, QNN_IntTensor:$rhs,
      F64Attr:$lhs_scale, F64Attr:$rhs_scale,
      DefaultValuedAttr<QNN_I64Attr, "0">:$lhs_zp,
      DefaultValuedAttr<QNN_I64Attr, "0">:$rhs_zp,
      DefaultValuedAttr<QNN_I64Attr, "0">:$output_zp,
      OptionalAttr<QNN_I64Attr>:$clamp_min,
      OptionalAttr<QNN_I64Attr>:$clamp_max,
      DefaultValuedAttr<QNN_RoundingAttr, "RoundingMode::half_up">:$rounding);
  let results = (outs QNN_IntTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` `(` type($lhs) `,` type($rhs) `)` `->` type($output)
  }];
  let hasVerifier = 1;
}

def QNN_BatchNormOp : QNN_Op<"batch_norm", [Pure, SameOperandsAndResultType]> {
  let summary = "pre-folding inference batch normalization on an accumulator";
  let description = [{
    A per-channel affine map in accumulator units, with channel c the index
    along `axis` (or one scale and offset for the whole tensor):

    `output = saturate(round_half_up(input * scale[c] + offset[c]))`

    evaluated in double precision and saturated to the accumulator type. For
    a BatchNorm with statistics (mean, var) and parameters (gamma, beta) on an
    accumulator of real scale `s_acc`: `scale = gamma / sqrt(var + eps)` and
    `offset = (beta - mean * scale) / s_acc`. `--qnn-fold-batch-norm` folds it
    into the i32 bias of the `qnn.conv2d`/`qnn.matmul` before it and the scale
    of the `qnn.requantize` after it. Not integer-only.
  }];
  let arguments = (ins QNN_IntTensor:$input, DenseF64ArrayAttr:$scale,
      DenseF64ArrayAttr:$offset, DefaultValuedAttr<QNN_I64Attr, "1">:$axis);
  let results = (outs QNN_IntTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

#endif // QNN_OPS_TD
