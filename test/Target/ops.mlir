// Every op, compiled to x86-64 (baseline, AVX2 and AVX-512 VNNI code), to
// AArch64 (generic and dotprod, under qemu-aarch64) and to the FPU-less
// Cortex-M3 (bare metal under qemu-system-arm), gives byte-identical results to the reference
// interpreter on random inputs.
// RUN: rm -rf %t && split-file %s %t
// RUN: %S/Inputs/check-native.sh %t/conv.mlir %t/conv 4 | FileCheck %s --check-prefix=OK
// RUN: %S/Inputs/check-native.sh %t/depthwise.mlir %t/depthwise 4 | FileCheck %s --check-prefix=OK
// RUN: %S/Inputs/check-native.sh %t/matmul.mlir %t/matmul 4 | FileCheck %s --check-prefix=OK
// RUN: %S/Inputs/check-native.sh %t/residual.mlir %t/residual 4 | FileCheck %s --check-prefix=OK
// RUN: %S/Inputs/check-native.sh %t/pools.mlir %t/pools 4 | FileCheck %s --check-prefix=OK
// RUN: %S/Inputs/check-native.sh %t/movement.mlir %t/movement 4 | FileCheck %s --check-prefix=OK
// RUN: %S/Inputs/check-native.sh %t/rounding.mlir %t/rounding 8 | FileCheck %s --check-prefix=OK
// RUN: %S/Inputs/check-native.sh %t/extremes.mlir %t/extremes 8 | FileCheck %s --check-prefix=OK
// RUN: %S/Inputs/check-native.sh %t/wide.mlir %t/wide 4 | FileCheck %s --check-prefix=OK
// RUN: %S/Inputs/check-native.sh %t/identity.mlir %t/identity 2 | FileCheck %s --check-prefix=OK
// RUN: %S/Inputs/check-native.sh %t/conv.mlir %t/conv-avx2 2 x86_64-linux-gnu avx2 | FileCheck %s --check-prefix=OK
// RUN: %S/Inputs/check-native.sh %t/conv.mlir %t/conv-vnni 2 x86_64-linux-gnu avx512-vnni | FileCheck %s --check-prefix=OK
// RUN: %S/Inputs/check-native.sh %t/rounding.mlir %t/rounding-a64 4 aarch64-linux-gnu | FileCheck %s --check-prefix=OK
// RUN: %S/Inputs/check-native.sh %t/conv.mlir %t/conv-a64 2 aarch64-linux-gnu | FileCheck %s --check-prefix=OK
// RUN: %S/Inputs/check-native.sh %t/conv.mlir %t/conv-dotprod 2 aarch64-linux-gnu dotprod | FileCheck %s --check-prefix=OK
// RUN: %S/Inputs/check-native.sh %t/rounding.mlir %t/rounding-m3 3 thumbv7m-none-eabi | FileCheck %s --check-prefix=OK
// RUN: %S/Inputs/check-native.sh %t/extremes.mlir %t/extremes-m3 3 thumbv7m-none-eabi | FileCheck %s --check-prefix=OK
// RUN: %S/Inputs/check-native.sh %t/conv.mlir %t/conv-m3 2 thumbv7m-none-eabi | FileCheck %s --check-prefix=OK
// RUN: %S/Inputs/check-native.sh %t/movement.mlir %t/movement-m3 2 thumbv7m-none-eabi | FileCheck %s --check-prefix=OK
// OK: bit-identical

//--- conv.mlir
// ui8 input with zero point, 4-bit weights, padding, stride, dilation, bias,
// per-channel rescale with a ReLU clamp to 4 bits.
func.func @main(%x: tensor<1x3x11x11xui8>) -> tensor<1x4x5x6xui4> {
  %w = qnn.constant dense<[[[[1, -2, 3], [-4, 5, -6], [7, -8, 0]], [[2, 2, -2], [0, 1, -1], [3, -3, 4]], [[-7, 6, -5], [4, -3, 2], [-1, 0, 1]]], [[[0, 0, 1], [0, 2, 0], [3, 0, 0]], [[-1, -1, -1], [-1, 7, -1], [-1, -1, -1]], [[5, 5, 5], [5, -8, 5], [5, 5, 5]]], [[[1, 1, 1], [1, 1, 1], [1, 1, 1]], [[2, 2, 2], [2, 2, 2], [2, 2, 2]], [[-3, -3, -3], [-3, -3, -3], [-3, -3, -3]]], [[[7, 0, -7], [0, 0, 0], [-7, 0, 7]], [[6, -6, 6], [-6, 6, -6], [6, -6, 6]], [[0, 1, 0], [1, -8, 1], [0, 1, 0]]]]> : tensor<4x3x3x3xi4>
  %b = qnn.constant dense<[100, -2000, 37, 0]> : tensor<4xi32>
  %c = qnn.conv2d %x, %w, %b {input_zp = 128, strides = array<i64: 2, 2>, padding = array<i64: 1, 2, 1, 0>, dilations = array<i64: 2, 1>} : (tensor<1x3x11x11xui8>, tensor<4x3x3x3xi4>, tensor<4xi32>) -> tensor<1x4x5x6xi32>
  %r = qnn.rescale %c {multiplier = array<i32: 1717986918, 858993459, 1073741824, 2147483647>, shift = array<i32: 40, 39, 38, 41>, clamp_min = 0} : tensor<1x4x5x6xi32> -> tensor<1x4x5x6xui4>
  return %r : tensor<1x4x5x6xui4>
}

//--- depthwise.mlir
// Depthwise (groups = channels) with signed input and a weight zero point.
func.func @main(%x: tensor<2x3x6x6xi8>) -> tensor<2x3x6x6xi32> {
  %w = qnn.constant dense<[[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]], [[[-9, -8, -7], [-6, -5, -4], [-3, -2, -1]]], [[[0, 1, 0], [1, 1, 1], [0, 1, 0]]]]> : tensor<3x1x3x3xi8>
  %c = qnn.conv2d %x, %w {groups = 3, weight_zp = 1, input_zp = -3, padding = array<i64: 1, 1, 1, 1>} : (tensor<2x3x6x6xi8>, tensor<3x1x3x3xi8>) -> tensor<2x3x6x6xi32>
  return %c : tensor<2x3x6x6xi32>
}

//--- matmul.mlir
// Fully connected with both zero points and a per-channel (axis 1) rescale.
func.func @main(%x: tensor<3x16xui8>) -> tensor<3x5xi8> {
  %w = qnn.constant dense<[[1, -1, 2, -2, 3], [-3, 4, -4, 5, -5], [6, -6, 7, -7, 0], [1, 1, 1, 1, 1], [-1, -1, -1, -1, -1], [2, 0, -2, 0, 2], [7, 7, 7, 7, 7], [-8, -8, -8, -8, -8], [3, 1, 4, 1, 5], [-2, 7, -1, 8, -3], [0, 0, 0, 0, 0], [5, 4, 3, 2, 1], [-5, -4, -3, -2, -1], [1, 3, 5, 7, -7], [2, 4, 6, -6, -4], [1, 2, 1, 2, 1]]> : tensor<16x5xi4>
  %b = qnn.constant dense<[-500, 500, 0, 12345, -12345]> : tensor<5xi32>
  %m = qnn.matmul %x, %w, %b {lhs_zp = 100, rhs_zp = -1} : (tensor<3x16xui8>, tensor<16x5xi4>, tensor<5xi32>) -> tensor<3x5xi32>
  %r = qnn.rescale %m {axis = 1, multiplier = array<i32: 3, 5, 7, 11, 13>, shift = array<i32: 4, 5, 6, 7, 8>, output_zp = -2, rounding = #qnn.rounding<half_even>} : tensor<3x5xi32> -> tensor<3x5xi8>
  return %r : tensor<3x5xi8>
}

//--- residual.mlir
// A residual add of a tensor and its clamped self, rescaled once.
func.func @main(%x: tensor<1x2x4x4xi8>) -> tensor<1x2x4x4xi8> {
  %y = qnn.clamp %x {min = -20, max = 90} : tensor<1x2x4x4xi8>
  %s = qnn.add %x, %y {lhs_zp = 3, rhs_zp = -5, lhs_multiplier = 12345, rhs_multiplier = -23456} : (tensor<1x2x4x4xi8>, tensor<1x2x4x4xi8>) -> tensor<1x2x4x4xi32>
  %r = qnn.rescale %s {multiplier = array<i32: 1>, shift = array<i32: 14>, output_zp = 4, rounding = #qnn.rounding<half_away_from_zero>} : tensor<1x2x4x4xi32> -> tensor<1x2x4x4xi8>
  return %r : tensor<1x2x4x4xi8>
}

//--- pools.mlir
// Padded average pool (sum, then a 1/9 rescale) into a padded, dilated max
// pool.
func.func @main(%x: tensor<1x2x7x7xui8>) -> tensor<1x2x2x4xui8> {
  %s = qnn.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, input_zp = 7} : tensor<1x2x7x7xui8> -> tensor<1x2x4x4xi32>
  %a = qnn.rescale %s {multiplier = array<i32: 1908874354>, shift = array<i32: 34>, output_zp = 7} : tensor<1x2x4x4xi32> -> tensor<1x2x4x4xui8>
  %m = qnn.max_pool2d %a {kernel = array<i64: 2, 2>, padding = array<i64: 1, 0, 0, 1>, dilations = array<i64: 2, 1>, strides = array<i64: 2, 1>} : tensor<1x2x4x4xui8> -> tensor<1x2x2x4xui8>
  return %m : tensor<1x2x2x4xui8>
}

//--- movement.mlir
// pad, concat and reshape of sub-byte values; the result is a reshape of
// the concat, computed in place in the output buffer.
func.func @main(%x: tensor<1x2x3x3xi2>) -> tensor<1x54xi2> {
  %p = qnn.pad %x {low = array<i64: 0, 0, 1, 0>, high = array<i64: 0, 0, 0, 1>, value = -2} : tensor<1x2x3x3xi2> -> tensor<1x2x4x4xi2>
  %q = qnn.pad %x {low = array<i64: 0, 1, 0, 0>, high = array<i64: 0, 0, 0, 0>, value = 1} : tensor<1x2x3x3xi2> -> tensor<1x3x3x3xi2>
  %pf = qnn.reshape %p : tensor<1x2x4x4xi2> -> tensor<1x32xi2>
  %qf = qnn.reshape %q : tensor<1x3x3x3xi2> -> tensor<1x27xi2>
  %qs = qnn.constant dense<1> : tensor<1x27xi2>
  %c = qnn.concat %pf, %qf {axis = 1} : (tensor<1x32xi2>, tensor<1x27xi2>) -> tensor<1x59xi2>
  %t = qnn.constant dense<0> : tensor<1x5xi2>
  %d = qnn.concat %c, %t {axis = 1} : (tensor<1x59xi2>, tensor<1x5xi2>) -> tensor<1x64xi2>
  %r = qnn.reshape %d : tensor<1x64xi2> -> tensor<1x4x16xi2>
  %u = qnn.reshape %r : tensor<1x4x16xi2> -> tensor<1x64xi2>
  %v = qnn.concat %u, %qs {axis = 1} : (tensor<1x64xi2>, tensor<1x27xi2>) -> tensor<1x91xi2>
  %w = qnn.pad %x {low = array<i64: 0, 0, 0, 0>, high = array<i64: 0, 4, 0, 0>, value = 0} : tensor<1x2x3x3xi2> -> tensor<1x6x3x3xi2>
  %wf = qnn.reshape %w : tensor<1x6x3x3xi2> -> tensor<1x54xi2>
  return %wf : tensor<1x54xi2>
}

//--- rounding.mlir
// All three tie rules on the same accumulators, per-tensor and per-channel,
// shift 0 included; concatenated into one output.
func.func @main(%x: tensor<2x8xi16>) -> tensor<2x32xi8> {
  %up = qnn.rescale %x {multiplier = array<i32: 3>, shift = array<i32: 3>} : tensor<2x8xi16> -> tensor<2x8xi8>
  %even = qnn.rescale %x {multiplier = array<i32: 3>, shift = array<i32: 3>, rounding = #qnn.rounding<half_even>} : tensor<2x8xi16> -> tensor<2x8xi8>
  %away = qnn.rescale %x {multiplier = array<i32: 3>, shift = array<i32: 3>, rounding = #qnn.rounding<half_away_from_zero>} : tensor<2x8xi16> -> tensor<2x8xi8>
  %chan = qnn.rescale %x {axis = 0, multiplier = array<i32: 1, 5>, shift = array<i32: 0, 9>, input_zp = 17, output_zp = -9, clamp_min = -100, clamp_max = 100} : tensor<2x8xi16> -> tensor<2x8xi8>
  %c = qnn.concat %up, %even, %away, %chan {axis = 1} : (tensor<2x8xi8>, tensor<2x8xi8>, tensor<2x8xi8>, tensor<2x8xi8>) -> tensor<2x32xi8>
  return %c : tensor<2x32xi8>
}

//--- extremes.mlir
// 64-bit extremes of the rescale product: full-range i32 inputs and zero
// points, the largest multiplier, shifts 0, 31, 32 and 63, ui32 output.
func.func @main(%x: tensor<4x6xi32>) -> tensor<4x24xui32> {
  %a = qnn.rescale %x {multiplier = array<i32: 2147483647>, shift = array<i32: 63>, input_zp = -2147483648, rounding = #qnn.rounding<half_even>} : tensor<4x6xi32> -> tensor<4x6xui32>
  %b = qnn.rescale %x {multiplier = array<i32: 2147483647>, shift = array<i32: 32>, input_zp = 2147483647, output_zp = 2147483648} : tensor<4x6xi32> -> tensor<4x6xui32>
  %c = qnn.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>, output_zp = 4294967295} : tensor<4x6xi32> -> tensor<4x6xui32>
  %d = qnn.rescale %x {multiplier = array<i32: 65537>, shift = array<i32: 31>, output_zp = 7, rounding = #qnn.rounding<half_away_from_zero>} : tensor<4x6xi32> -> tensor<4x6xui32>
  %r = qnn.concat %a, %b, %c, %d {axis = 1} : (tensor<4x6xui32>, tensor<4x6xui32>, tensor<4x6xui32>, tensor<4x6xui32>) -> tensor<4x24xui32>
  return %r : tensor<4x24xui32>
}

//--- wide.mlir
// 16-bit operands, an i64 accumulator, and the i32 accumulator's wrap.
func.func @main(%x: tensor<1x8x2x2xi16>) -> tensor<1x2x2x2xi64> {
  %w = qnn.constant dense<-32768> : tensor<2x8x1x1xi16>
  %b = qnn.constant dense<[9223372036854775807, -9223372036854775808]> : tensor<2xi64>
  %c = qnn.conv2d %x, %w, %b {input_zp = -32768} : (tensor<1x8x2x2xi16>, tensor<2x8x1x1xi16>, tensor<2xi64>) -> tensor<1x2x2x2xi64>
  return %c : tensor<1x2x2x2xi64>
}

//--- identity.mlir
// A result that is the argument itself is copied to the output buffer.
func.func @main(%x: tensor<3x5xui4>) -> tensor<15xui4> {
  %r = qnn.reshape %x : tensor<3x5xui4> -> tensor<15xui4>
  return %r : tensor<15xui4>
}
