// The pre-folding qnn.requantize_add (one rounding of a real weighted sum)
// and qnn.batch_norm (a real per-channel affine map, half up, saturated to
// the accumulator), against hand-computed values. Scales are exact in binary.
// RUN: qnn-run %s --function requantize_add --print | FileCheck %s --check-prefix=ADD
// RUN: qnn-run %s --function batch_norm --print | FileCheck %s --check-prefix=BN

// (a - 1) * 0.5 + (b + 2) * 0.25, then + 3:
//   a=1,b=-2: 0 + 0 = 0 -> 3;         a=2,b=0: 0.5 + 0.5 = 1 -> 4
//   a=2,b=-1: 0.5 + 0.25 = 0.75 -> 1 -> 4;  a=0,b=-4: -0.5 - 0.5 = -1 -> 2
//   a=2,b=-3: 0.5 - 0.25 = 0.25 -> 0 -> 3;  a=-1,b=-2: -1 + 0 -> 2
//   a=4,b=0: 1.5 + 0.5 = 2 -> 5;      a=3,b=-4: 1 - 0.5 = 0.5, tie, half up -> 1 -> 4
//   a=100,b=100: 49.5 + 25.5 = 75 -> 78 -> clamp_max 60
func.func @requantize_add() -> tensor<9xi8> {
  %a = qnn.constant dense<[1, 2, 2, 0, 2, -1, 4, 3, 100]> : tensor<9xi8>
  %b = qnn.constant dense<[-2, 0, -1, -4, -3, -2, 0, -4, 100]> : tensor<9xi8>
  %y = qnn.requantize_add %a, %b {lhs_scale = 0.5 : f64, rhs_scale = 0.25 : f64, lhs_zp = 1, rhs_zp = -2, output_zp = 3, clamp_max = 60} : (tensor<9xi8>, tensor<9xi8>) -> tensor<9xi8>
  return %y : tensor<9xi8>
}
// ADD: [3, 4, 4, 2, 3, 2, 5, 4, 60]

// Channel 0: x * 0.5 + 10: 5 -> 12.5 -> 13 (half up); -21 -> -0.5 -> 0.
// Channel 1: x * -2 + 0.25: 3 -> -5.75 -> -6; 2^30 -> -2^31 + 0.25, rounds
// to -2147483648 (fits); -2^30 - 1 -> 2^31 + 2.25 -> saturates to 2147483647.
func.func @batch_norm() -> tensor<1x2x1x3xi32> {
  %x = qnn.constant dense<[[[[5, -21, 0]], [[3, 1073741824, -1073741825]]]]> : tensor<1x2x1x3xi32>
  %y = qnn.batch_norm %x {scale = array<f64: 0.5, -2.0>, offset = array<f64: 10.0, 0.25>} : tensor<1x2x1x3xi32>
  return %y : tensor<1x2x1x3xi32>
}
// BN:      {{\[\[\[}}[13, 0, 10]],
// BN-NEXT: {{\[\[}}-6, -2147483648, 2147483647]]]]
