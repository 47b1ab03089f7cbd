// Rounding ties, saturation, zero points, per-channel parameters and the
// 64-bit extremes of qnn.rescale, against values computed by hand.
// RUN: qnn-run %s --function ties_half_up --print | FileCheck %s --check-prefix=UP
// RUN: qnn-run %s --function ties_half_even --print | FileCheck %s --check-prefix=EVEN
// RUN: qnn-run %s --function ties_half_away --print | FileCheck %s --check-prefix=AWAY
// RUN: qnn-run %s --function zero_points --print | FileCheck %s --check-prefix=ZP
// RUN: qnn-run %s --function per_channel --print | FileCheck %s --check-prefix=CHAN
// RUN: qnn-run %s --function relu6_unsigned --print | FileCheck %s --check-prefix=CLAMP
// RUN: qnn-run %s --function extremes --print | FileCheck %s --check-prefix=EXT

// x / 2 for x = 5, -5, 3, -3, 7, -7 are the ties 2.5, -2.5, 1.5, -1.5, 3.5,
// -3.5; 1000 / 2 = 500 and -500 saturate to the i8 range [-128, 127].
func.func @ties_half_up() -> tensor<8xi8> {
  %x = qnn.constant dense<[5, -5, 3, -3, 7, -7, 1000, -1000]> : tensor<8xi32>
  %y = qnn.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 1>} : tensor<8xi32> -> tensor<8xi8>
  return %y : tensor<8xi8>
}
// UP: [3, -2, 2, -1, 4, -3, 127, -128]

func.func @ties_half_even() -> tensor<8xi8> {
  %x = qnn.constant dense<[5, -5, 3, -3, 7, -7, 1000, -1000]> : tensor<8xi32>
  %y = qnn.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 1>, rounding = #qnn.rounding<half_even>} : tensor<8xi32> -> tensor<8xi8>
  return %y : tensor<8xi8>
}
// EVEN: [2, -2, 2, -2, 4, -4, 127, -128]

func.func @ties_half_away() -> tensor<8xi8> {
  %x = qnn.constant dense<[5, -5, 3, -3, 7, -7, 1000, -1000]> : tensor<8xi32>
  %y = qnn.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 1>, rounding = #qnn.rounding<half_away_from_zero>} : tensor<8xi32> -> tensor<8xi8>
  return %y : tensor<8xi8>
}
// AWAY: [3, -3, 2, -2, 4, -4, 127, -128]

// (x - 10) * 3 / 4 - 3 for x = 10, 11, 12, 14, 9:
//   0 -> 0 - 3 = -3;  0.75 -> 1 - 3 = -2;  1.5 -> 2 - 3 = -1;
//   3 -> 3 - 3 = 0;  -0.75 -> -1 - 3 = -4
func.func @zero_points() -> tensor<5xi8> {
  %x = qnn.constant dense<[10, 11, 12, 14, 9]> : tensor<5xi32>
  %y = qnn.rescale %x {multiplier = array<i32: 3>, shift = array<i32: 2>, input_zp = 10, output_zp = -3} : tensor<5xi32> -> tensor<5xi8>
  return %y : tensor<5xi8>
}
// ZP: [-3, -2, -1, 0, -4]

// Channel 0 (M=1, s=0) passes through; channel 1 (M=1, s=2) divides by 4:
// 6/4 = 1.5 -> 2, -6/4 = -1.5 -> -1 (half up).
func.func @per_channel() -> tensor<1x2x2xi8> {
  %x = qnn.constant dense<[[[6, -6], [6, -6]]]> : tensor<1x2x2xi32>
  %y = qnn.rescale %x {axis = 1, multiplier = array<i32: 1, 1>, shift = array<i32: 0, 2>} : tensor<1x2x2xi32> -> tensor<1x2x2xi8>
  return %y : tensor<1x2x2xi8>
}
// CHAN:      [{{\[}}[6, -6],
// CHAN-NEXT: [2, -1]]]

// ReLU6 as clamp bounds on an unsigned 4-bit output: x * 1 / 1 clamped to
// [0, 6] (inside ui4's [0, 15]).
func.func @relu6_unsigned() -> tensor<5xui4> {
  %x = qnn.constant dense<[-10, -1, 0, 5, 10]> : tensor<5xi32>
  %y = qnn.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>, clamp_min = 0, clamp_max = 6} : tensor<5xi32> -> tensor<5xui4>
  return %y : tensor<5xui4>
}
// CLAMP: [0, 0, 0, 5, 6]

// The largest product the rules allow: (-2^31) * (2^31 - 1) = -2^62 + 2^31.
// Divided by 2^32 it is -2^30 + 1/2, a tie: half up gives -2^30 + 1 =
// -1073741823. With shift 63 it is -1/2 + 2^-32 > -1/2: rounds to 0, and
// 2147483647 * 2147483647 / 2^63 = 0.49999999976... rounds to 0 too.
func.func @extremes() -> (tensor<1xi32>, tensor<2xi32>) {
  %x = qnn.constant dense<[-2147483648]> : tensor<1xi32>
  %a = qnn.rescale %x {multiplier = array<i32: 2147483647>, shift = array<i32: 32>} : tensor<1xi32> -> tensor<1xi32>
  %y = qnn.constant dense<[-2147483648, 2147483647]> : tensor<2xi32>
  %b = qnn.rescale %y {multiplier = array<i32: 2147483647>, shift = array<i32: 63>} : tensor<2xi32> -> tensor<2xi32>
  return %a, %b : tensor<1xi32>, tensor<2xi32>
}
// EXT: // result #0: tensor<1xi32>
// EXT-NEXT: [-1073741823]
// EXT: // result #1: tensor<2xi32>
// EXT-NEXT: [0, 0]
