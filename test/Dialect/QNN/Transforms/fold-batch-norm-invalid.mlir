// RUN: qnn-opt %s -split-input-file --qnn-fold-batch-norm -verify-diagnostics

// Every error of --qnn-fold-batch-norm: a chain it cannot fold exactly is
// reported at the batch_norm and left as it was.

func.func @not_after_accumulator(%acc: tensor<1x2xi32>) -> tensor<1x2xi8> {
  // expected-error @+1 {{'qnn.batch_norm' op expects its input to be the result of a qnn.conv2d or qnn.matmul}}
  %bn = qnn.batch_norm %acc {scale = array<f64: 1.0>, offset = array<f64: 0.0>} : tensor<1x2xi32>
  %y = qnn.requantize %bn {scale = array<f64: 0.1>} : tensor<1x2xi32> -> tensor<1x2xi8>
  return %y : tensor<1x2xi8>
}

// -----

func.func @shared_accumulator(%x: tensor<1x3xi8>, %w: tensor<3x2xi8>) -> (tensor<1x2xi8>, tensor<1x2xi32>) {
  %acc = qnn.matmul %x, %w : (tensor<1x3xi8>, tensor<3x2xi8>) -> tensor<1x2xi32>
  // expected-error @+1 {{'qnn.batch_norm' op expects to be the only user of its accumulator: the folded bias would change the other users}}
  %bn = qnn.batch_norm %acc {scale = array<f64: 1.0>, offset = array<f64: 0.0>} : tensor<1x2xi32>
  %y = qnn.requantize %bn {scale = array<f64: 0.1>} : tensor<1x2xi32> -> tensor<1x2xi8>
  return %y, %acc : tensor<1x2xi8>, tensor<1x2xi32>
}

// -----

func.func @no_requantize(%x: tensor<1x3xi8>, %w: tensor<3x2xi8>) -> tensor<1x2xi32> {
  %acc = qnn.matmul %x, %w : (tensor<1x3xi8>, tensor<3x2xi8>) -> tensor<1x2xi32>
  // expected-error @+1 {{'qnn.batch_norm' op expects its result to have exactly one user, a qnn.requantize}}
  %bn = qnn.batch_norm %acc {scale = array<f64: 1.0>, offset = array<f64: 0.0>} : tensor<1x2xi32>
  return %bn : tensor<1x2xi32>
}

// -----

func.func @requantize_input_zp(%x: tensor<1x3xi8>, %w: tensor<3x2xi8>) -> tensor<1x2xi8> {
  %acc = qnn.matmul %x, %w : (tensor<1x3xi8>, tensor<3x2xi8>) -> tensor<1x2xi32>
  // expected-error @+1 {{'qnn.batch_norm' op expects the qnn.requantize that follows to have input_zp 0, got 5}}
  %bn = qnn.batch_norm %acc {scale = array<f64: 1.0>, offset = array<f64: 0.0>} : tensor<1x2xi32>
  %y = qnn.requantize %bn {scale = array<f64: 0.1>, input_zp = 5} : tensor<1x2xi32> -> tensor<1x2xi8>
  return %y : tensor<1x2xi8>
}

// -----

func.func @batch_norm_axis(%x: tensor<1x1x2x2xi8>, %w: tensor<2x1x1x1xi8>) -> tensor<1x2x2x2xi8> {
  %acc = qnn.conv2d %x, %w : (tensor<1x1x2x2xi8>, tensor<2x1x1x1xi8>) -> tensor<1x2x2x2xi32>
  // expected-error @+1 {{'qnn.batch_norm' op expects per-channel parameters along the output channel axis 1, got axis 2}}
  %bn = qnn.batch_norm %acc {scale = array<f64: 1.0, 2.0>, offset = array<f64: 0.0, 0.0>, axis = 2} : tensor<1x2x2x2xi32>
  %y = qnn.requantize %bn {scale = array<f64: 0.1>} : tensor<1x2x2x2xi32> -> tensor<1x2x2x2xi8>
  return %y : tensor<1x2x2x2xi8>
}

// -----

func.func @requantize_axis(%x: tensor<1x1x2x2xi8>, %w: tensor<2x1x1x1xi8>) -> tensor<1x2x2x2xi8> {
  %acc = qnn.conv2d %x, %w : (tensor<1x1x2x2xi8>, tensor<2x1x1x1xi8>) -> tensor<1x2x2x2xi32>
  // expected-error @+1 {{'qnn.batch_norm' op expects the qnn.requantize that follows to be per-tensor or per-channel along axis 1, got axis 3}}
  %bn = qnn.batch_norm %acc {scale = array<f64: 1.0, 2.0>, offset = array<f64: 0.0, 0.0>} : tensor<1x2x2x2xi32>
  %y = qnn.requantize %bn {scale = array<f64: 0.1, 0.2>, axis = 3} : tensor<1x2x2x2xi32> -> tensor<1x2x2x2xi8>
  return %y : tensor<1x2x2x2xi8>
}

// -----

func.func @bias_not_constant(%x: tensor<1x3xi8>, %w: tensor<3x2xi8>, %b: tensor<2xi32>) -> tensor<1x2xi8> {
  %acc = qnn.matmul %x, %w, %b : (tensor<1x3xi8>, tensor<3x2xi8>, tensor<2xi32>) -> tensor<1x2xi32>
  // expected-error @+1 {{'qnn.batch_norm' op expects the bias of its conv2d/matmul to be a constant}}
  %bn = qnn.batch_norm %acc {scale = array<f64: 1.0>, offset = array<f64: 0.0>} : tensor<1x2xi32>
  %y = qnn.requantize %bn {scale = array<f64: 0.1>} : tensor<1x2xi32> -> tensor<1x2xi8>
  return %y : tensor<1x2xi8>
}

// -----

func.func @zero_scale(%x: tensor<1x3xi8>, %w: tensor<3x2xi8>) -> tensor<1x2xi8> {
  %acc = qnn.matmul %x, %w : (tensor<1x3xi8>, tensor<3x2xi8>) -> tensor<1x2xi32>
  // expected-error @+1 {{'qnn.batch_norm' op has scale 0 at channel 1: the channel is constant, which no requantize scale can express}}
  %bn = qnn.batch_norm %acc {scale = array<f64: 1.0, 0.0>, offset = array<f64: 0.0, 3.0>} : tensor<1x2xi32>
  %y = qnn.requantize %bn {scale = array<f64: 0.1>} : tensor<1x2xi32> -> tensor<1x2xi8>
  return %y : tensor<1x2xi8>
}

// -----

func.func @scale_overflows(%x: tensor<1x3xi8>, %w: tensor<3x2xi8>) -> tensor<1x2xi8> {
  %acc = qnn.matmul %x, %w : (tensor<1x3xi8>, tensor<3x2xi8>) -> tensor<1x2xi32>
  // 1e300 * 1e10 is not a finite double.
  // expected-error @+1 {{'qnn.batch_norm' op folds to the requantize scale INF at channel 0, which is not positive and finite}}
  %bn = qnn.batch_norm %acc {scale = array<f64: 1.0e10>, offset = array<f64: 0.0>} : tensor<1x2xi32>
  %y = qnn.requantize %bn {scale = array<f64: 1.0e300>} : tensor<1x2xi32> -> tensor<1x2xi8>
  return %y : tensor<1x2xi8>
}

// -----

func.func @bias_overflows(%x: tensor<1x3xi8>, %w: tensor<3x2xi8>) -> tensor<1x2xi8> {
  %b = qnn.constant dense<[2147483000, 0]> : tensor<2xi32>
  %acc = qnn.matmul %x, %w, %b : (tensor<1x3xi8>, tensor<3x2xi8>, tensor<2xi32>) -> tensor<1x2xi32>
  // 2147483000 + round(1000 / 1) = 2147484000 > 2^31 - 1.
  // expected-error @+1 {{'qnn.batch_norm' op folds channel 0 into the bias 2147483000 + round(1.000000e+03 / 1.000000e+00), which does not fit the accumulator type 'i32'}}
  %bn = qnn.batch_norm %acc {scale = array<f64: 1.0>, offset = array<f64: 1000.0>} : tensor<1x2xi32>
  %y = qnn.requantize %bn {scale = array<f64: 0.1>} : tensor<1x2xi32> -> tensor<1x2xi8>
  return %y : tensor<1x2xi8>
}

// -----

func.func @negative_scale_weights_not_constant(%x: tensor<1x3xi8>, %w: tensor<3x2xi8>) -> tensor<1x2xi8> {
  %acc = qnn.matmul %x, %w : (tensor<1x3xi8>, tensor<3x2xi8>) -> tensor<1x2xi32>
  // expected-error @+1 {{'qnn.batch_norm' op has a negative scale, which is folded by negating the weights of its channel, but the weights are not a constant}}
  %bn = qnn.batch_norm %acc {scale = array<f64: 1.0, -1.0>, offset = array<f64: 0.0, 0.0>} : tensor<1x2xi32>
  %y = qnn.requantize %bn {scale = array<f64: 0.1>} : tensor<1x2xi32> -> tensor<1x2xi8>
  return %y : tensor<1x2xi8>
}

// -----

func.func @negated_weight_out_of_range(%x: tensor<1x1x1x2xi8>) -> tensor<1x2x1x1xi8> {
  // Channel 1 holds -128, whose negation 128 does not fit i8.
  %w = qnn.constant dense<[[[[1, 2]]], [[[3, -128]]]]> : tensor<2x1x1x2xi8>
  %acc = qnn.conv2d %x, %w : (tensor<1x1x1x2xi8>, tensor<2x1x1x2xi8>) -> tensor<1x2x1x1xi32>
  // expected-error @+1 {{'qnn.batch_norm' op cannot fold the negative scale of channel 1 into the weights: weight -128 negates to 128 (2 * weight_zp - w), outside the range [-128, 127] of 'i8'}}
  %bn = qnn.batch_norm %acc {scale = array<f64: -1.0>, offset = array<f64: 0.0>} : tensor<1x2x1x1xi32>
  %y = qnn.requantize %bn {scale = array<f64: 0.1>} : tensor<1x2x1x1xi32> -> tensor<1x2x1x1xi8>
  return %y : tensor<1x2x1x1xi8>
}
