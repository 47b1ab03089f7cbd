// RUN: qnn-opt %s -split-input-file --qnn-fold-batch-norm | FileCheck %s

// conv2d|matmul -> batch_norm(g, o) -> requantize(s) becomes
// conv2d|matmul with bias b' = sign(g) * b + round(o / |g|) -> requantize(s * |g|),
// and the weights of a channel with g < 0 negated about the weight zero point.
// The requantize becomes per-channel along axis 1 (the default, not printed).

// CHECK-LABEL: func.func @conv_positive
func.func @conv_positive(%x: tensor<1x1x3x3xi8>) -> tensor<1x2x1x1xi8> {
  // Channel 0: g = 0.5, o = 10.3: bias 100 + round(10.3 / 0.5 = 20.6) = 121,
  //            scale 0.01 * 0.5 = 0.005.
  // Channel 1: g = 2.0, o = -3.0: bias -7 + round(-1.5) = -7 - 1 = -8
  //            (half up: -1.5 -> -1), scale 0.01 * 2 = 0.02.
  // CHECK-DAG: %[[W:.*]] = qnn.constant dense<{{\[\[\[\[}}1, 2, 3], [4, 5, 6], [7, 8, 9]]], {{\[\[\[}}-1, -2, -3], [-4, -5, -6], [-7, -8, -9]]]]> : tensor<2x1x3x3xi8>
  // CHECK-DAG: %[[B:.*]] = qnn.constant dense<[121, -8]> : tensor<2xi32>
  // CHECK: %[[ACC:.*]] = qnn.conv2d %{{.*}}, %[[W]], %[[B]] {input_zp = 1 : i64}
  // CHECK-NOT: qnn.batch_norm
  // CHECK: qnn.requantize %[[ACC]] {output_zp = 4 : i64, scale = array<f64: 5.000000e-03, 2.000000e-02>}
  %w = qnn.constant dense<[[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]], [[[-1, -2, -3], [-4, -5, -6], [-7, -8, -9]]]]> : tensor<2x1x3x3xi8>
  %b = qnn.constant dense<[100, -7]> : tensor<2xi32>
  %acc = qnn.conv2d %x, %w, %b {input_zp = 1} : (tensor<1x1x3x3xi8>, tensor<2x1x3x3xi8>, tensor<2xi32>) -> tensor<1x2x1x1xi32>
  %bn = qnn.batch_norm %acc {scale = array<f64: 0.5, 2.0>, offset = array<f64: 10.3, -3.0>} : tensor<1x2x1x1xi32>
  %y = qnn.requantize %bn {scale = array<f64: 0.01>, output_zp = 4} : tensor<1x2x1x1xi32> -> tensor<1x2x1x1xi8>
  return %y : tensor<1x2x1x1xi8>
}

// -----

// CHECK-LABEL: func.func @conv_negative_gamma_no_bias
func.func @conv_negative_gamma_no_bias(%x: tensor<1x1x2x2xi8>) -> tensor<1x2x1x1xi8> {
  // No bias: one is created from the offsets alone.
  // The requantize is per-channel already: scales 0.1 and 0.2.
  // Channel 0: g = -0.25: weights 2*wz - w with wz = 3 -> [6-1, 6-2, 6-5, 6-6]
  //            = [5, 4, 1, 0], bias -0 + round(1.0 / 0.25) = 4,
  //            scale 0.1 * 0.25 = 0.025.
  // Channel 1: g = 4.0 keeps its weights, bias round(-2.0 / 4 = -0.5) = 0
  //            (half up), scale 0.2 * 4 = 0.8.
  // CHECK-DAG: %[[W:.*]] = qnn.constant dense<{{\[\[\[\[}}5, 4], [1, 0]]], {{\[\[\[}}7, 8], [9, 10]]]]> : tensor<2x1x2x2xi8>
  // CHECK-DAG: %[[B:.*]] = qnn.constant dense<[4, 0]> : tensor<2xi32>
  // CHECK: %[[ACC:.*]] = qnn.conv2d %{{.*}}, %[[W]], %[[B]] {weight_zp = 3 : i64}
  // CHECK: qnn.requantize %[[ACC]] {scale = array<f64: 2.500000e-02, 8.000000e-01>}
  %w = qnn.constant dense<[[[[1, 2], [5, 6]]], [[[7, 8], [9, 10]]]]> : tensor<2x1x2x2xi8>
  %acc = qnn.conv2d %x, %w {weight_zp = 3} : (tensor<1x1x2x2xi8>, tensor<2x1x2x2xi8>) -> tensor<1x2x1x1xi32>
  %bn = qnn.batch_norm %acc {scale = array<f64: -0.25, 4.0>, offset = array<f64: 1.0, -2.0>} : tensor<1x2x1x1xi32>
  %y = qnn.requantize %bn {scale = array<f64: 0.1, 0.2>} : tensor<1x2x1x1xi32> -> tensor<1x2x1x1xi8>
  return %y : tensor<1x2x1x1xi8>
}

// -----

// CHECK-LABEL: func.func @matmul_per_tensor
func.func @matmul_per_tensor(%x: tensor<2x3xi8>) -> tensor<2x2xi8> {
  // One scale and offset for every channel: g = -2.0, o = 5.0. Both
  // columns of the [K, N] weights are negated (wz = 0), the bias
  // b' = -b + round(5 / 2 = 2.5) = -b + 3: [-10 + 3, 20 + 3] = [-7, 23],
  // and the requantize becomes per-channel 0.05 * 2 = 0.1 on axis 1.
  // CHECK-DAG: %[[W:.*]] = qnn.constant dense<{{\[\[}}-1, 2], [-3, 4], [-5, 6]]> : tensor<3x2xi4>
  // CHECK-DAG: %[[B:.*]] = qnn.constant dense<[-7, 23]> : tensor<2xi32>
  // CHECK: %[[ACC:.*]] = qnn.matmul %{{.*}}, %[[W]], %[[B]]
  // CHECK: qnn.requantize %[[ACC]] {scale = array<f64: 1.000000e-01, 1.000000e-01>}
  %w = qnn.constant dense<[[1, -2], [3, -4], [5, -6]]> : tensor<3x2xi4>
  %b = qnn.constant dense<[10, -20]> : tensor<2xi32>
  %acc = qnn.matmul %x, %w, %b : (tensor<2x3xi8>, tensor<3x2xi4>, tensor<2xi32>) -> tensor<2x2xi32>
  %bn = qnn.batch_norm %acc {scale = array<f64: -2.0>, offset = array<f64: 5.0>} : tensor<2x2xi32>
  %y = qnn.requantize %bn {scale = array<f64: 0.05>} : tensor<2x2xi32> -> tensor<2x2xi8>
  return %y : tensor<2x2xi8>
}

// -----

// Positive scales need no constant weights: only the bias changes.
// CHECK-LABEL: func.func @matmul_weights_argument
// CHECK-SAME: (%[[X:.*]]: tensor<1x4xi8>, %[[W:.*]]: tensor<4x3xi8>)
func.func @matmul_weights_argument(%x: tensor<1x4xi8>, %w: tensor<4x3xi8>) -> tensor<1x3xi8> {
  // Offsets 0.4, 0.6, 1.5 over scales 1, 1, 0.5 -> round(0.4) = 0,
  // round(0.6) = 1, round(3.0) = 3.
  // CHECK: %[[B:.*]] = qnn.constant dense<[0, 1, 3]> : tensor<3xi32>
  // CHECK: qnn.matmul %[[X]], %[[W]], %[[B]]
  // CHECK: scale = array<f64: 2.000000e-02, 2.000000e-02, 1.000000e-02>
  %acc = qnn.matmul %x, %w : (tensor<1x4xi8>, tensor<4x3xi8>) -> tensor<1x3xi32>
  %bn = qnn.batch_norm %acc {scale = array<f64: 1.0, 1.0, 0.5>, offset = array<f64: 0.4, 0.6, 1.5>} : tensor<1x3xi32>
  %y = qnn.requantize %bn {scale = array<f64: 0.02>} : tensor<1x3xi32> -> tensor<1x3xi8>
  return %y : tensor<1x3xi8>
}
