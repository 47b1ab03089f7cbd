// RUN: qnn-opt %s -split-input-file -allow-unregistered-dialect --qnn-verify-integer-only -verify-diagnostics

// Each offending op is named once, with the first reason found, wherever
// the float hides.

// expected-error @+1 {{'builtin.module' op is not integer-only: attribute 'qnn.calibration' holds the type f64}}
module attributes {qnn.calibration = 0.5 : f64} {
}

// -----

func.func @float_arith(%x: i32) -> i32 {
  // expected-error @+1 {{'arith.constant' op is not integer-only: result #0 has the type f32}}
  %c = arith.constant 1.5 : f32
  // expected-error @+1 {{'arith.sitofp' op is not integer-only: result #0 has the type f32}}
  %f = arith.sitofp %x : i32 to f32
  // expected-error @+1 {{'arith.addf' op is not integer-only: operand #0 has the type f32}}
  %s = arith.addf %f, %c : f32
  // expected-error @+1 {{'arith.fptosi' op is not integer-only: operand #0 has the type f32}}
  %i = arith.fptosi %s : f32 to i32
  return %i : i32
}

// -----

// expected-error @+1 {{'func.func' op is not integer-only: function argument #1 has the type tensor<4xf32>}}
func.func @float_argument(%x: tensor<4xi8>, %unused: tensor<4xf32>) -> tensor<4xi8> {
  return %x : tensor<4xi8>
}

// -----

// expected-error @+1 {{'func.func' op is not integer-only: function result #0 has the type tensor<4xf16>}}
func.func private @float_result_declaration() -> tensor<4xf16>

// -----

// Types nested in memrefs, vectors, complex numbers and function types
// (a complex of integers is no float).
// expected-error @+1 {{'func.func' op is not integer-only: function argument #0 has the type memref<2xvector<4xbf16>>}}
func.func private @nested_memref(memref<2xvector<4xbf16>>)
// expected-error @+1 {{'func.func' op is not integer-only: function result #0 has the type tensor<2xcomplex<f32>>}}
func.func private @complex(tensor<2xcomplex<i32>>) -> tensor<2xcomplex<f32>>
// expected-error @+1 {{'func.func' op is not integer-only: function argument #0 has the type (i8) -> f64}}
func.func private @function_typed((i8) -> f64)

// -----

// The quant dialect: its types, and its ops.
// expected-error @+1 {{'func.func' op is not integer-only: function argument #0 has the type tensor<4x!quant.uniform<i8:f32, 1.000000e-01>>}}
func.func @quant_types(%x: tensor<4x!quant.uniform<i8:f32, 0.1>>) -> tensor<4xi8> {
  // expected-error @+1 {{'quant.scast' op is not integer-only: it belongs to the float dialect 'quant'}}
  %0 = quant.scast %x : tensor<4x!quant.uniform<i8:f32, 0.1>> to tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// The math dialect, even on integers.
func.func @math(%x: i32) -> i32 {
  // expected-error @+1 {{'math.absi' op is not integer-only: it belongs to the float dialect 'math'}}
  %0 = math.absi %x : i32
  return %0 : i32
}

// -----

// Attributes, nested in dictionaries, arrays, dense elements, dense arrays,
// type attributes and function argument attributes.
// expected-error @+1 {{'func.func' op is not integer-only: attribute 'arg_attrs' holds the type f32}}
func.func @attributes(%x: tensor<4xi8> {test.scale = 0.5 : f32}) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.clamp' op is not integer-only: attribute 'meta' holds the type f64}}
  %0 = qnn.clamp %x {min = 0, max = 7, meta = {list = [1, {deep = 2.0 : f64}]}} : tensor<4xi8>
  // expected-error @+1 {{'qnn.clamp' op is not integer-only: attribute 'weights' holds the type f32}}
  %1 = qnn.clamp %0 {min = 0, max = 7, weights = dense<1.0> : tensor<2xf32>} : tensor<4xi8>
  // expected-error @+1 {{'qnn.clamp' op is not integer-only: attribute 'scales' holds the type f16}}
  %2 = qnn.clamp %1 {min = 0, max = 7, scales = array<f16: 1.0, 2.0>} : tensor<4xi8>
  // expected-error @+1 {{'qnn.clamp' op is not integer-only: attribute 'kind' holds the type f32}}
  %3 = qnn.clamp %2 {min = 0, max = 7, kind = tensor<2xcomplex<f32>>} : tensor<4xi8>
  // expected-error @+1 {{'qnn.clamp' op is not integer-only: attribute 'blob' holds the type f32}}
  %4 = qnn.clamp %3 {min = 0, max = 7, blob = dense_resource<floats> : tensor<2xf32>} : tensor<4xi8>
  return %4 : tensor<4xi8>
}

{-#
  dialect_resources: {
    builtin: {
      floats: "0x040000000000803F00000040"
    }
  }
#-}

// -----

// Nested regions and block arguments of any block.
func.func @nested(%x: i32) -> i32 {
  "test.region"() ({
  ^bb0(%a: i32):
    // expected-error @+1 {{'test.inner' op is not integer-only: result #0 has the type vector<4xf32>}}
    %v = "test.inner"() : () -> vector<4xf32>
    "test.yield"() : () -> ()
  }) : () -> ()
  // expected-error @+1 {{'test.blocks' op is not integer-only: argument #0 of block #1 in region #0 has the type f64}}
  "test.blocks"() ({
  ^bb0:
    "test.br"() [^bb1] : () -> ()
  ^bb1(%f: f64):
    "test.yield"() : () -> ()
  }) : () -> ()
  return %x : i32
}

// -----

// Pre-folding qnn ops, and the boundary ops when boundaries are not allowed.
// expected-error @+1 {{'func.func' op is not integer-only: function argument #0 has the type tensor<4xf32>}}
func.func @prefolding(%x: tensor<4xf32>, %acc: tensor<1x2xi32>, %a: tensor<4xi8>) -> (tensor<1x2xi8>, tensor<4xi8>, tensor<1x2xi32>) {
  // expected-error @+1 {{'qnn.quantize' op is not integer-only: it is a float boundary op (allow-boundary permits it at function arguments and results)}}
  %q = qnn.quantize %x {scale = 0.5 : f64} : tensor<4xf32> -> tensor<4xi8>
  // expected-error @+1 {{'qnn.requantize' op is not integer-only: it is a pre-folding op with real-valued parameters (run --qnn-fold-batch-norm and --qnn-fold-scales)}}
  %0 = qnn.requantize %acc {scale = array<f64: 0.1>} : tensor<1x2xi32> -> tensor<1x2xi8>
  // expected-error @+1 {{'qnn.requantize_add' op is not integer-only: it is a pre-folding op}}
  %1 = qnn.requantize_add %q, %a {lhs_scale = 0.5, rhs_scale = 0.5} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  // expected-error @+1 {{'qnn.batch_norm' op is not integer-only: it is a pre-folding op}}
  %2 = qnn.batch_norm %acc {scale = array<f64: 1.0>, offset = array<f64: 0.0>} : tensor<1x2xi32>
  return %0, %1, %2 : tensor<1x2xi8>, tensor<4xi8>, tensor<1x2xi32>
}
