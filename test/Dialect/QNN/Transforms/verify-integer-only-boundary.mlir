// RUN: qnn-opt %s -split-input-file -allow-unregistered-dialect --qnn-verify-integer-only=allow-boundary -verify-diagnostics

// allow-boundary allows boundary ops only at the boundary.

func.func @quantize_inside(%x: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.dequantize' op is not integer-only: it is a float boundary op that is not at a function argument (qnn.quantize) or only used by the function's returns (qnn.dequantize)}}
  %d = qnn.dequantize %x {scale = 0.5 : f64} : tensor<4xi8> -> tensor<4xf32>
  // expected-error @+1 {{'qnn.quantize' op is not integer-only: it is a float boundary op that is not at a function argument}}
  %q = qnn.quantize %d {scale = 0.25 : f64} : tensor<4xf32> -> tensor<4xi8>
  return %q : tensor<4xi8>
}

// -----

// An argument with another float user is not a boundary argument.
// expected-error @+1 {{'func.func' op is not integer-only: function argument #0 has the type tensor<4xf32>}}
func.func @argument_other_use(%x: tensor<4xf32>) -> tensor<4xi8> {
  %q = qnn.quantize %x {scale = 0.5 : f64} : tensor<4xf32> -> tensor<4xi8>
  // expected-error @+1 {{'test.use' op is not integer-only: operand #0 has the type tensor<4xf32>}}
  "test.use"(%x) : (tensor<4xf32>) -> ()
  return %q : tensor<4xi8>
}

// -----

// A dequantize that is also used elsewhere is not a boundary result.
// expected-error @+1 {{'func.func' op is not integer-only: function result #0 has the type tensor<4xf32>}}
func.func @dequantize_other_use(%x: tensor<4xi8>) -> tensor<4xf32> {
  // expected-error @+1 {{'qnn.dequantize' op is not integer-only: it is a float boundary op that is not at a function argument}}
  %d = qnn.dequantize %x {scale = 0.5 : f64} : tensor<4xi8> -> tensor<4xf32>
  // expected-error @+1 {{'test.use' op is not integer-only: operand #0 has the type tensor<4xf32>}}
  "test.use"(%d) : (tensor<4xf32>) -> ()
  // expected-error @+1 {{'func.return' op is not integer-only: operand #0 has the type tensor<4xf32>}}
  return %d : tensor<4xf32>
}

// -----

// A float result that does not come from a dequantize.
// expected-error @+1 {{'func.func' op is not integer-only: function result #0 has the type tensor<4xf32>}}
func.func @result_not_dequantized() -> tensor<4xf32> {
  // expected-error @+1 {{'arith.constant' op is not integer-only: result #0 has the type tensor<4xf32>}}
  %c = arith.constant dense<1.0> : tensor<4xf32>
  // expected-error @+1 {{'func.return' op is not integer-only: operand #0 has the type tensor<4xf32>}}
  return %c : tensor<4xf32>
}

// -----

// A declaration has no quantize: its float arguments are offenders.
// expected-error @+1 {{'func.func' op is not integer-only: function argument #0 has the type tensor<4xf32>}}
func.func private @declaration(tensor<4xf32>) -> tensor<4xi8>
