// RUN: qnn-opt %s --qnn-verify-integer-only=allow-boundary | FileCheck %s
// RUN: not qnn-opt %s --qnn-verify-integer-only 2>&1 | FileCheck %s --check-prefix=STRICT

// With allow-boundary: a quantize of a function argument and a dequantize
// returned by the function (and nothing else) are allowed, with the f32
// types of that argument and result. Without it, each is an offender.

// CHECK-LABEL: func.func @boundary
// CHECK: qnn.quantize
// STRICT: error: 'func.func' op is not integer-only: function argument #0 has the type tensor<4xf32>
// STRICT: error: 'qnn.quantize' op is not integer-only: it is a float boundary op
// STRICT: error: 'qnn.dequantize' op is not integer-only: it is a float boundary op
// STRICT: error: 'func.return' op is not integer-only: operand #0 has the type tensor<4xf32>
func.func @boundary(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = qnn.quantize %x {scale = 0.5 : f64} : tensor<4xf32> -> tensor<4xi8>
  %r = qnn.clamp %q {min = 0, max = 127} : tensor<4xi8>
  %d = qnn.dequantize %r {scale = 0.5 : f64} : tensor<4xi8> -> tensor<4xf32>
  return %d : tensor<4xf32>
}
