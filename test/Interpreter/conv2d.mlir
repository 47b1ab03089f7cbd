// qnn.conv2d against hand-computed sums: stride, padding (reads input_zp,
// contributes 0), grouped/depthwise channel mapping, weight zero point,
// dilation, and the accumulator's two's-complement wrap.
// RUN: qnn-run %s --function strided --print | FileCheck %s --check-prefix=STRIDE
// RUN: qnn-run %s --function padded --print | FileCheck %s --check-prefix=PAD
// RUN: qnn-run %s --function depthwise --print | FileCheck %s --check-prefix=DW
// RUN: qnn-run %s --function dilated --print | FileCheck %s --check-prefix=DIL
// RUN: qnn-run %s --function wraps --print | FileCheck %s --check-prefix=WRAP

// x - 3 = [[-2,-1,0,1],[2,3,4,5],[6,7,8,9],[10,11,12,13]], 2x2 windows at
// stride 2. Channel 0, w = [[1,-2],[3,-4]], bias 10:
//   top-left  -2*1 + -1*-2 + 2*3 + 3*-4 = -6   -> 4
//   top-right  0*1 +  1*-2 + 4*3 + 5*-4 = -10  -> 0
//   bottom-left 6 - 14 + 30 - 44 = -22 -> -12;  bottom-right 8 - 18 + 36 - 52 = -26 -> -16
// Channel 1, w = [[5,6],[7,-8]], bias -10:
//   -10 - 6 + 14 - 24 = -26 -> -36;  0 + 6 + 28 - 40 = -6 -> -16
//   30 + 42 + 70 - 88 = 54 -> 44;  40 + 54 + 84 - 104 = 74 -> 64
func.func @strided() -> tensor<1x2x2x2xi32> {
  %x = qnn.constant dense<[[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]]> : tensor<1x1x4x4xui8>
  %w = qnn.constant dense<[[[[1, -2], [3, -4]]], [[[5, 6], [7, -8]]]]> : tensor<2x1x2x2xi4>
  %b = qnn.constant dense<[10, -10]> : tensor<2xi32>
  %y = qnn.conv2d %x, %w, %b {input_zp = 3, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xui8>, tensor<2x1x2x2xi4>, tensor<2xi32>) -> tensor<1x2x2x2xi32>
  return %y : tensor<1x2x2x2xi32>
}
// STRIDE:      [{{\[\[}}[4, 0],
// STRIDE-NEXT: [-12, -16]],
// STRIDE-NEXT: {{\[\[}}-36, -16],
// STRIDE-NEXT: [44, 64]]]]

// x - 1 = [[0,1],[2,3]], 3x3 kernel w = [[1,2,3],[4,5,6],[7,8,9]], padding 1
// on every side, bias -49. Each output sees the four real inputs through
// different kernel taps:
//   (0,0): 0*5 + 1*6 + 2*8 + 3*9 = 49 -> 0    (0,1): 0*4 + 1*5 + 2*7 + 3*8 = 43 -> -6
//   (1,0): 0*2 + 1*3 + 2*5 + 3*6 = 31 -> -18  (1,1): 0*1 + 1*2 + 2*4 + 3*5 = 25 -> -24
func.func @padded() -> tensor<1x1x2x2xi32> {
  %x = qnn.constant dense<[[[[1, 2], [3, 4]]]]> : tensor<1x1x2x2xui8>
  %w = qnn.constant dense<[[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]> : tensor<1x1x3x3xi8>
  %b = qnn.constant dense<[-49]> : tensor<1xi32>
  %y = qnn.conv2d %x, %w, %b {input_zp = 1, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x1x2x2xui8>, tensor<1x1x3x3xi8>, tensor<1xi32>) -> tensor<1x1x2x2xi32>
  return %y : tensor<1x1x2x2xi32>
}
// PAD:      [{{\[\[}}[0, -6],
// PAD-NEXT: [-18, -24]]]]

// groups = 2: output channel g reads input channel g only. weight - 1:
// channel 0 [[1,0],[0,0]] on [[1,2],[3,4]] -> 1;
// channel 1 [[2,-1],[-1,1]] on [[-1,-2],[-3,-4]] -> -2 + 2 + 3 - 4 = -1.
func.func @depthwise() -> tensor<1x2x1x1xi32> {
  %x = qnn.constant dense<[[[[1, 2], [3, 4]], [[-1, -2], [-3, -4]]]]> : tensor<1x2x2x2xi8>
  %w = qnn.constant dense<[[[[2, 1], [1, 1]]], [[[3, 0], [0, 2]]]]> : tensor<2x1x2x2xi8>
  %y = qnn.conv2d %x, %w {groups = 2, weight_zp = 1} : (tensor<1x2x2x2xi8>, tensor<2x1x2x2xi8>) -> tensor<1x2x1x1xi32>
  return %y : tensor<1x2x1x1xi32>
}
// DW: {{\[\[\[\[}}1]],
// DW-NEXT: {{\[\[}}-1]]]]

// Dilation 2: the 2x2 kernel [[1,2],[3,4]] touches the corners of 1..9:
// 1*1 + 3*2 + 7*3 + 9*4 = 64.
func.func @dilated() -> tensor<1x1x1x1xi32> {
  %x = qnn.constant dense<[[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]> : tensor<1x1x3x3xi8>
  %w = qnn.constant dense<[[[[1, 2], [3, 4]]]]> : tensor<1x1x2x2xi8>
  %y = qnn.conv2d %x, %w {dilations = array<i64: 2, 2>} : (tensor<1x1x3x3xi8>, tensor<1x1x2x2xi8>) -> tensor<1x1x1x1xi32>
  return %y : tensor<1x1x1x1xi32>
}
// DIL: {{\[\[\[\[}}64]]]]

// 4 * (-32768)^2 = 2^32: an i32 accumulator wraps to 0 (+ bias 5 = 5); an
// i64 accumulator holds 4294967301.
func.func @wraps() -> (tensor<1x1x1x1xi32>, tensor<1x1x1x1xi64>) {
  %x = qnn.constant dense<-32768> : tensor<1x4x1x1xi16>
  %w = qnn.constant dense<-32768> : tensor<1x4x1x1xi16>
  %b32 = qnn.constant dense<5> : tensor<1xi32>
  %b64 = qnn.constant dense<5> : tensor<1xi64>
  %a = qnn.conv2d %x, %w, %b32 : (tensor<1x4x1x1xi16>, tensor<1x4x1x1xi16>, tensor<1xi32>) -> tensor<1x1x1x1xi32>
  %b = qnn.conv2d %x, %w, %b64 : (tensor<1x4x1x1xi16>, tensor<1x4x1x1xi16>, tensor<1xi64>) -> tensor<1x1x1x1xi64>
  return %a, %b : tensor<1x1x1x1xi32>, tensor<1x1x1x1xi64>
}
// WRAP: // result #0
// WRAP-NEXT: {{\[\[\[\[}}5]]]]
// WRAP: // result #1
// WRAP-NEXT: {{\[\[\[\[}}4294967301]]]]
