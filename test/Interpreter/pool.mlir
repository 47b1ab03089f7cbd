// qnn.avg_pool2d (window sums, padding contributes 0) and qnn.max_pool2d
// (padding never wins, even over negative values).
// RUN: qnn-run %s --function avg --print | FileCheck %s --check-prefix=AVG
// RUN: qnn-run %s --function avg_padded --print | FileCheck %s --check-prefix=AVGPAD
// RUN: qnn-run %s --function max --print | FileCheck %s --check-prefix=MAX
// RUN: qnn-run %s --function max_padded --print | FileCheck %s --check-prefix=MAXPAD
// RUN: qnn-run %s --function max_dilated --print | FileCheck %s --check-prefix=MAXDIL
// RUN: qnn-run %s --function global_average --print | FileCheck %s --check-prefix=GAP

// x - 1 = [[0,1,2],[3,4,5],[6,7,8]]; 2x2 sums at stride 1:
// 0+1+3+4 = 8, 1+2+4+5 = 12, 3+4+6+7 = 20, 4+5+7+8 = 24.
func.func @avg() -> tensor<1x1x2x2xi32> {
  %x = qnn.constant dense<[[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]> : tensor<1x1x3x3xui8>
  %y = qnn.avg_pool2d %x {kernel = array<i64: 2, 2>, input_zp = 1} : tensor<1x1x3x3xui8> -> tensor<1x1x2x2xi32>
  return %y : tensor<1x1x2x2xi32>
}
// AVG:      {{\[\[\[}}[8, 12],
// AVG-NEXT: [20, 24]]]]

// Same input, padding top/left 1, stride 2: windows
// {0}, {1,2}, {3,6}, {4,5,7,8} -> 0, 3, 9, 24.
func.func @avg_padded() -> tensor<1x1x2x2xi32> {
  %x = qnn.constant dense<[[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]> : tensor<1x1x3x3xui8>
  %y = qnn.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 0, 0>, input_zp = 1} : tensor<1x1x3x3xui8> -> tensor<1x1x2x2xi32>
  return %y : tensor<1x1x2x2xi32>
}
// AVGPAD:      {{\[\[\[}}[0, 3],
// AVGPAD-NEXT: [9, 24]]]]

// [[-5,-3,-8],[-1,-7,-2],[-9,-4,-6]], 2x2 at stride 1:
// max(-5,-3,-1,-7) = -1, max(-3,-8,-7,-2) = -2, max(-1,-7,-9,-4) = -1, max(-7,-2,-4,-6) = -2.
func.func @max() -> tensor<1x1x2x2xi8> {
  %x = qnn.constant dense<[[[[-5, -3, -8], [-1, -7, -2], [-9, -4, -6]]]]> : tensor<1x1x3x3xi8>
  %y = qnn.max_pool2d %x {kernel = array<i64: 2, 2>} : tensor<1x1x3x3xi8> -> tensor<1x1x2x2xi8>
  return %y : tensor<1x1x2x2xi8>
}
// MAX:      {{\[\[\[}}[-1, -2],
// MAX-NEXT: [-1, -2]]]]

// Padding 1 on every side, stride 2: windows {-5}, {-3,-8}, {-1,-9},
// {-7,-2,-4,-6} -> -5, -3, -1, -2 (a padded 0 would have won each).
func.func @max_padded() -> tensor<1x1x2x2xi8> {
  %x = qnn.constant dense<[[[[-5, -3, -8], [-1, -7, -2], [-9, -4, -6]]]]> : tensor<1x1x3x3xi8>
  %y = qnn.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x1x3x3xi8> -> tensor<1x1x2x2xi8>
  return %y : tensor<1x1x2x2xi8>
}
// MAXPAD:      {{\[\[\[}}[-5, -3],
// MAXPAD-NEXT: [-1, -2]]]]

// Dilation 2: the corners -5, -8, -9, -6 -> -5.
func.func @max_dilated() -> tensor<1x1x1x1xi8> {
  %x = qnn.constant dense<[[[[-5, -3, -8], [-1, -7, -2], [-9, -4, -6]]]]> : tensor<1x1x3x3xi8>
  %y = qnn.max_pool2d %x {kernel = array<i64: 2, 2>, dilations = array<i64: 2, 2>} : tensor<1x1x3x3xi8> -> tensor<1x1x1x1xi8>
  return %y : tensor<1x1x1x1xi8>
}
// MAXDIL: {{\[\[\[\[}}-5]]]]

// Global average pooling = window sum + a rescale by 1/4 (M = 1, s = 2):
// channel sums 1+2+3+4 = 10 -> 2.5 -> 3 (half up); -1-2-3-5 = -11 -> -2.75 -> -3.
func.func @global_average() -> tensor<1x2x1x1xi8> {
  %x = qnn.constant dense<[[[[1, 2], [3, 4]], [[-1, -2], [-3, -5]]]]> : tensor<1x2x2x2xi8>
  %s = qnn.avg_pool2d %x {kernel = array<i64: 2, 2>} : tensor<1x2x2x2xi8> -> tensor<1x2x1x1xi32>
  %y = qnn.rescale %s {multiplier = array<i32: 1>, shift = array<i32: 2>} : tensor<1x2x1x1xi32> -> tensor<1x2x1x1xi8>
  return %y : tensor<1x2x1x1xi8>
}
// GAP: {{\[\[\[\[}}3]],
// GAP-NEXT: {{\[\[}}-3]]]]
