// Every refusal of --qnn-lower-to-loops, located.
// RUN: qnn-opt %s -split-input-file --qnn-lower-to-loops -verify-diagnostics

func.func @main(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.requantize' has no lowering to native code (it is not integer-only: run --qnn-integerize first)}}
  %y = qnn.requantize %x {scale = array<f64: 0.5>} : tensor<4xi32> -> tensor<4xi8>
  return %y : tensor<4xi8>
}

// -----

// expected-error @+1 {{argument #0 must be a static integer tensor, got 'tensor<4xf32>'}}
func.func @main(%x: tensor<4xf32>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.quantize' has no lowering to native code (it is not integer-only: run --qnn-integerize first)}}
  %y = qnn.quantize %x {scale = 0.5 : f64} : tensor<4xf32> -> tensor<4xi8>
  return %y : tensor<4xi8>
}

// -----

func.func @main(%x: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'arith.constant' has no lowering to native code}}
  %c = arith.constant 1 : i32
  return %x : tensor<4xi8>
}

// -----

// expected-error @+1 {{argument #0 must be a static integer tensor, got 'i32'}}
func.func @main(%x: i32) -> tensor<4xi8> {
  %c = qnn.constant dense<1> : tensor<4xi8>
  return %c : tensor<4xi8>
}

// -----

// expected-error @+1 {{result #0 must be a static integer tensor, got 'tensor<4xf32>'}}
func.func @main(%x: tensor<4xi8>) -> tensor<4xf32> {
  // expected-error @+1 {{'qnn.dequantize' has no lowering to native code (it is not integer-only: run --qnn-integerize first)}}
  %y = qnn.dequantize %x {scale = 0.5 : f64} : tensor<4xi8> -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// expected-error @+1 {{the module has 2 functions: name the one to lower with entry=}}
module {
  func.func @a(%x: tensor<4xi8>) -> tensor<4xi8> {
    return %x : tensor<4xi8>
  }
  func.func @b(%x: tensor<4xi8>) -> tensor<4xi8> {
    return %x : tensor<4xi8>
  }
}
