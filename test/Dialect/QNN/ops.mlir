// RUN: qnn-opt %s | qnn-opt | FileCheck %s
// RUN: qnn-opt %s --mlir-print-op-generic | qnn-opt | FileCheck %s

// Round-trip of every qnn op, in its custom form and through the generic
// form: each op must print back with its attributes (default-valued ones
// elided) and types.

//===----------------------------------------------------------------------===//
// qnn.constant
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @constants(
// CHECK: %{{.+}} = qnn.constant dense<[-2, -1, 0, 1]> : tensor<4xi2>
// CHECK: %{{.+}} = qnn.constant dense<[-8, 0, 7]> : tensor<3xi4>
// CHECK: %{{.+}} = qnn.constant dense<[0, 8, 15]> : tensor<3xui4>
// CHECK: %{{.+}} = qnn.constant dense<{{\[\[}}-128, 127], [0, -1]]> : tensor<2x2xi8>
// CHECK: %{{.+}} = qnn.constant dense<[0, 128, 255]> : tensor<3xui8>
// CHECK: %{{.+}} = qnn.constant dense<[-2147483648, 2147483647]> : tensor<2xi32>
// CHECK: %{{.+}} = qnn.constant dense<3> : tensor<2x3xi8>
func.func @constants() -> (tensor<4xi2>, tensor<3xi4>, tensor<3xui4>, tensor<2x2xi8>, tensor<3xui8>, tensor<2xi32>, tensor<2x3xi8>) {
  %0 = qnn.constant dense<[-2, -1, 0, 1]> : tensor<4xi2>
  %1 = qnn.constant dense<[-8, 0, 7]> : tensor<3xi4>
  %2 = qnn.constant dense<[0, 8, 15]> : tensor<3xui4>
  %3 = qnn.constant dense<[[-128, 127], [0, -1]]> : tensor<2x2xi8>
  %4 = qnn.constant dense<[0, 128, 255]> : tensor<3xui8>
  %5 = qnn.constant dense<[-2147483648, 2147483647]> : tensor<2xi32>
  %6 = qnn.constant dense<3> : tensor<2x3xi8>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<4xi2>, tensor<3xi4>, tensor<3xui4>, tensor<2x2xi8>, tensor<3xui8>, tensor<2xi32>, tensor<2x3xi8>
}

//===----------------------------------------------------------------------===//
// qnn.conv2d
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @conv2d_plain(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x3x8x8xi8>, %[[W:[^:]+]]: tensor<16x3x3x3xi8>)
// CHECK: %{{.+}} = qnn.conv2d %[[X]], %[[W]] : (tensor<1x3x8x8xi8>, tensor<16x3x3x3xi8>) -> tensor<1x16x6x6xi32>
func.func @conv2d_plain(%x: tensor<1x3x8x8xi8>, %w: tensor<16x3x3x3xi8>) -> tensor<1x16x6x6xi32> {
  %0 = qnn.conv2d %x, %w : (tensor<1x3x8x8xi8>, tensor<16x3x3x3xi8>) -> tensor<1x16x6x6xi32>
  return %0 : tensor<1x16x6x6xi32>
}

// CHECK-LABEL: func.func @conv2d_bias(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x3x8x8xi8>, %[[W:[^:]+]]: tensor<16x3x3x3xi8>, %[[B:[^:]+]]: tensor<16xi32>)
// CHECK: %{{.+}} = qnn.conv2d %[[X]], %[[W]], %[[B]] : (tensor<1x3x8x8xi8>, tensor<16x3x3x3xi8>, tensor<16xi32>) -> tensor<1x16x6x6xi32>
func.func @conv2d_bias(%x: tensor<1x3x8x8xi8>, %w: tensor<16x3x3x3xi8>, %b: tensor<16xi32>) -> tensor<1x16x6x6xi32> {
  %0 = qnn.conv2d %x, %w, %b : (tensor<1x3x8x8xi8>, tensor<16x3x3x3xi8>, tensor<16xi32>) -> tensor<1x16x6x6xi32>
  return %0 : tensor<1x16x6x6xi32>
}

// CHECK-LABEL: func.func @conv2d_strided_padded(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3x9x8xui8>, %[[W:[^:]+]]: tensor<8x3x3x3xi4>, %[[B:[^:]+]]: tensor<8xi32>)
// CHECK: %{{.+}} = qnn.conv2d %[[X]], %[[W]], %[[B]] {input_zp = 128 : i64, padding = array<i64: 1, 1, 1, 0>, strides = array<i64: 2, 2>, weight_zp = -3 : i64} : (tensor<2x3x9x8xui8>, tensor<8x3x3x3xi4>, tensor<8xi32>) -> tensor<2x8x5x4xi32>
func.func @conv2d_strided_padded(%x: tensor<2x3x9x8xui8>, %w: tensor<8x3x3x3xi4>, %b: tensor<8xi32>) -> tensor<2x8x5x4xi32> {
  %0 = qnn.conv2d %x, %w, %b {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 0>, input_zp = 128, weight_zp = -3} : (tensor<2x3x9x8xui8>, tensor<8x3x3x3xi4>, tensor<8xi32>) -> tensor<2x8x5x4xi32>
  return %0 : tensor<2x8x5x4xi32>
}

// CHECK-LABEL: func.func @conv2d_dilated(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x4x10x10xi8>, %[[W:[^:]+]]: tensor<4x4x3x3xi8>)
// CHECK: %{{.+}} = qnn.conv2d %[[X]], %[[W]] {dilations = array<i64: 2, 1>} : (tensor<1x4x10x10xi8>, tensor<4x4x3x3xi8>) -> tensor<1x4x6x8xi32>
func.func @conv2d_dilated(%x: tensor<1x4x10x10xi8>, %w: tensor<4x4x3x3xi8>) -> tensor<1x4x6x8xi32> {
  %0 = qnn.conv2d %x, %w {dilations = array<i64: 2, 1>} : (tensor<1x4x10x10xi8>, tensor<4x4x3x3xi8>) -> tensor<1x4x6x8xi32>
  return %0 : tensor<1x4x6x8xi32>
}

// CHECK-LABEL: func.func @conv2d_grouped(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x8x6x6xi8>, %[[W:[^:]+]]: tensor<12x4x1x1xi8>)
// CHECK: %{{.+}} = qnn.conv2d %[[X]], %[[W]] {groups = 2 : i64} : (tensor<1x8x6x6xi8>, tensor<12x4x1x1xi8>) -> tensor<1x12x6x6xi32>
func.func @conv2d_grouped(%x: tensor<1x8x6x6xi8>, %w: tensor<12x4x1x1xi8>) -> tensor<1x12x6x6xi32> {
  %0 = qnn.conv2d %x, %w {groups = 2} : (tensor<1x8x6x6xi8>, tensor<12x4x1x1xi8>) -> tensor<1x12x6x6xi32>
  return %0 : tensor<1x12x6x6xi32>
}

// CHECK-LABEL: func.func @conv2d_depthwise(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x8x6x6xi8>, %[[W:[^:]+]]: tensor<8x1x3x3xi8>, %[[B:[^:]+]]: tensor<8xi32>)
// CHECK: %{{.+}} = qnn.conv2d %[[X]], %[[W]], %[[B]] {groups = 8 : i64, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x6x6xi8>, tensor<8x1x3x3xi8>, tensor<8xi32>) -> tensor<1x8x6x6xi32>
func.func @conv2d_depthwise(%x: tensor<1x8x6x6xi8>, %w: tensor<8x1x3x3xi8>, %b: tensor<8xi32>) -> tensor<1x8x6x6xi32> {
  %0 = qnn.conv2d %x, %w, %b {groups = 8, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x6x6xi8>, tensor<8x1x3x3xi8>, tensor<8xi32>) -> tensor<1x8x6x6xi32>
  return %0 : tensor<1x8x6x6xi32>
}

// CHECK-LABEL: func.func @conv2d_i64_acc(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x2x4x4xi16>, %[[W:[^:]+]]: tensor<2x2x2x2xi16>, %[[B:[^:]+]]: tensor<2xi64>)
// CHECK: %{{.+}} = qnn.conv2d %[[X]], %[[W]], %[[B]] {input_zp = -32768 : i64, weight_zp = 32767 : i64} : (tensor<1x2x4x4xi16>, tensor<2x2x2x2xi16>, tensor<2xi64>) -> tensor<1x2x3x3xi64>
func.func @conv2d_i64_acc(%x: tensor<1x2x4x4xi16>, %w: tensor<2x2x2x2xi16>, %b: tensor<2xi64>) -> tensor<1x2x3x3xi64> {
  %0 = qnn.conv2d %x, %w, %b {input_zp = -32768, weight_zp = 32767} : (tensor<1x2x4x4xi16>, tensor<2x2x2x2xi16>, tensor<2xi64>) -> tensor<1x2x3x3xi64>
  return %0 : tensor<1x2x3x3xi64>
}

//===----------------------------------------------------------------------===//
// qnn.matmul, qnn.add, qnn.avg_pool2d
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @matmul(
// CHECK-SAME: %[[A:[^:]+]]: tensor<4x16xi8>, %[[B:[^:]+]]: tensor<16x10xi8>)
// CHECK: %{{.+}} = qnn.matmul %[[A]], %[[B]] : (tensor<4x16xi8>, tensor<16x10xi8>) -> tensor<4x10xi32>
func.func @matmul(%a: tensor<4x16xi8>, %b: tensor<16x10xi8>) -> tensor<4x10xi32> {
  %0 = qnn.matmul %a, %b : (tensor<4x16xi8>, tensor<16x10xi8>) -> tensor<4x10xi32>
  return %0 : tensor<4x10xi32>
}

// CHECK-LABEL: func.func @matmul_bias(
// CHECK-SAME: %[[A:[^:]+]]: tensor<1x64xui8>, %[[B:[^:]+]]: tensor<64x10xi2>, %[[C:[^:]+]]: tensor<10xi64>)
// CHECK: %{{.+}} = qnn.matmul %[[A]], %[[B]], %[[C]] {lhs_zp = 7 : i64, rhs_zp = -1 : i64} : (tensor<1x64xui8>, tensor<64x10xi2>, tensor<10xi64>) -> tensor<1x10xi64>
func.func @matmul_bias(%a: tensor<1x64xui8>, %b: tensor<64x10xi2>, %c: tensor<10xi64>) -> tensor<1x10xi64> {
  %0 = qnn.matmul %a, %b, %c {lhs_zp = 7, rhs_zp = -1} : (tensor<1x64xui8>, tensor<64x10xi2>, tensor<10xi64>) -> tensor<1x10xi64>
  return %0 : tensor<1x10xi64>
}

// CHECK-LABEL: func.func @add(
// CHECK-SAME: %[[A:[^:]+]]: tensor<1x8x4x4xi8>, %[[B:[^:]+]]: tensor<1x8x4x4xui8>)
// CHECK: %{{.+}} = qnn.add %[[A]], %[[B]] : (tensor<1x8x4x4xi8>, tensor<1x8x4x4xui8>) -> tensor<1x8x4x4xi32>
// CHECK: %{{.+}} = qnn.add %[[A]], %[[B]] {lhs_multiplier = 1518500250 : i64, lhs_zp = -5 : i64, rhs_multiplier = -3 : i64, rhs_zp = 128 : i64} : (tensor<1x8x4x4xi8>, tensor<1x8x4x4xui8>) -> tensor<1x8x4x4xi32>
func.func @add(%a: tensor<1x8x4x4xi8>, %b: tensor<1x8x4x4xui8>) -> (tensor<1x8x4x4xi32>, tensor<1x8x4x4xi32>) {
  %0 = qnn.add %a, %b : (tensor<1x8x4x4xi8>, tensor<1x8x4x4xui8>) -> tensor<1x8x4x4xi32>
  %1 = qnn.add %a, %b {lhs_zp = -5, rhs_zp = 128, lhs_multiplier = 1518500250, rhs_multiplier = -3} : (tensor<1x8x4x4xi8>, tensor<1x8x4x4xui8>) -> tensor<1x8x4x4xi32>
  return %0, %1 : tensor<1x8x4x4xi32>, tensor<1x8x4x4xi32>
}

// CHECK-LABEL: func.func @avg_pool2d(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x8x7x7xi8>)
// CHECK: %{{.+}} = qnn.avg_pool2d %[[X]] {kernel = array<i64: 7, 7>} : tensor<1x8x7x7xi8> -> tensor<1x8x1x1xi32>
// CHECK: %{{.+}} = qnn.avg_pool2d %[[X]] {input_zp = -128 : i64, kernel = array<i64: 3, 2>, padding = array<i64: 1, 0, 1, 1>, strides = array<i64: 2, 3>} : tensor<1x8x7x7xi8> -> tensor<1x8x4x3xi64>
func.func @avg_pool2d(%x: tensor<1x8x7x7xi8>) -> (tensor<1x8x1x1xi32>, tensor<1x8x4x3xi64>) {
  %0 = qnn.avg_pool2d %x {kernel = array<i64: 7, 7>} : tensor<1x8x7x7xi8> -> tensor<1x8x1x1xi32>
  %1 = qnn.avg_pool2d %x {kernel = array<i64: 3, 2>, strides = array<i64: 2, 3>, padding = array<i64: 1, 0, 1, 1>, input_zp = -128} : tensor<1x8x7x7xi8> -> tensor<1x8x4x3xi64>
  return %0, %1 : tensor<1x8x1x1xi32>, tensor<1x8x4x3xi64>
}

//===----------------------------------------------------------------------===//
// qnn.max_pool2d, qnn.clamp
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @max_pool2d(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x8x8x8xi8>)
// CHECK: %{{.+}} = qnn.max_pool2d %[[X]] {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x8x8xi8> -> tensor<1x8x4x4xi8>
// CHECK: %{{.+}} = qnn.max_pool2d %[[X]] {dilations = array<i64: 2, 1>, kernel = array<i64: 3, 3>, padding = array<i64: 2, 1, 1, 0>, strides = array<i64: 1, 2>} : tensor<1x8x8x8xi8> -> tensor<1x8x7x4xi8>
func.func @max_pool2d(%x: tensor<1x8x8x8xi8>) -> (tensor<1x8x4x4xi8>, tensor<1x8x7x4xi8>) {
  %0 = qnn.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x8x8xi8> -> tensor<1x8x4x4xi8>
  %1 = qnn.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 1, 2>, padding = array<i64: 2, 1, 1, 0>, dilations = array<i64: 2, 1>} : tensor<1x8x8x8xi8> -> tensor<1x8x7x4xi8>
  return %0, %1 : tensor<1x8x4x4xi8>, tensor<1x8x7x4xi8>
}

// CHECK-LABEL: func.func @clamp(
// CHECK-SAME: %[[X:[^:]+]]: tensor<4xi8>, %[[Y:[^:]+]]: tensor<2x3xui4>)
// CHECK: %{{.+}} = qnn.clamp %[[X]] {max = 127 : i64, min = 0 : i64} : tensor<4xi8>
// CHECK: %{{.+}} = qnn.clamp %[[Y]] {max = 3 : i64, min = 3 : i64} : tensor<2x3xui4>
func.func @clamp(%x: tensor<4xi8>, %y: tensor<2x3xui4>) -> (tensor<4xi8>, tensor<2x3xui4>) {
  %0 = qnn.clamp %x {min = 0, max = 127} : tensor<4xi8>
  %1 = qnn.clamp %y {min = 3, max = 3} : tensor<2x3xui4>
  return %0, %1 : tensor<4xi8>, tensor<2x3xui4>
}

//===----------------------------------------------------------------------===//
// qnn.pad, qnn.reshape, qnn.concat
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @pad(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x3x4x4xi8>)
// CHECK: %{{.+}} = qnn.pad %[[X]] {high = array<i64: 0, 0, 1, 1>, low = array<i64: 0, 0, 1, 2>, value = -128 : i64} : tensor<1x3x4x4xi8> -> tensor<1x3x6x7xi8>
// CHECK: %{{.+}} = qnn.pad %[[X]] {high = array<i64: 0, 0, 0, 0>, low = array<i64: 0, 0, 0, 0>} : tensor<1x3x4x4xi8> -> tensor<1x3x4x4xi8>
func.func @pad(%x: tensor<1x3x4x4xi8>) -> (tensor<1x3x6x7xi8>, tensor<1x3x4x4xi8>) {
  %0 = qnn.pad %x {low = array<i64: 0, 0, 1, 2>, high = array<i64: 0, 0, 1, 1>, value = -128} : tensor<1x3x4x4xi8> -> tensor<1x3x6x7xi8>
  %1 = qnn.pad %x {low = array<i64: 0, 0, 0, 0>, high = array<i64: 0, 0, 0, 0>} : tensor<1x3x4x4xi8> -> tensor<1x3x4x4xi8>
  return %0, %1 : tensor<1x3x6x7xi8>, tensor<1x3x4x4xi8>
}

// CHECK-LABEL: func.func @reshape(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x16x2x2xi8>)
// CHECK: %[[R0:.+]] = qnn.reshape %[[X]] : tensor<1x16x2x2xi8> -> tensor<1x64xi8>
// CHECK: %{{.+}} = qnn.reshape %[[R0]] : tensor<1x64xi8> -> tensor<64xi8>
func.func @reshape(%x: tensor<1x16x2x2xi8>) -> (tensor<1x64xi8>, tensor<64xi8>) {
  %0 = qnn.reshape %x : tensor<1x16x2x2xi8> -> tensor<1x64xi8>
  %1 = qnn.reshape %0 : tensor<1x64xi8> -> tensor<64xi8>
  return %0, %1 : tensor<1x64xi8>, tensor<64xi8>
}

// CHECK-LABEL: func.func @concat(
// CHECK-SAME: %[[A:[^:]+]]: tensor<1x2x4x4xui8>, %[[B:[^:]+]]: tensor<1x3x4x4xui8>, %[[C:[^:]+]]: tensor<1x1x4x4xui8>)
// CHECK: %{{.+}} = qnn.concat %[[A]], %[[B]] {axis = 1 : i64} : (tensor<1x2x4x4xui8>, tensor<1x3x4x4xui8>) -> tensor<1x5x4x4xui8>
// CHECK: %{{.+}} = qnn.concat %[[A]], %[[B]], %[[C]] {axis = 1 : i64} : (tensor<1x2x4x4xui8>, tensor<1x3x4x4xui8>, tensor<1x1x4x4xui8>) -> tensor<1x6x4x4xui8>
// CHECK: %{{.+}} = qnn.concat %[[A]], %[[A]], %[[A]] {axis = 3 : i64} : (tensor<1x2x4x4xui8>, tensor<1x2x4x4xui8>, tensor<1x2x4x4xui8>) -> tensor<1x2x4x12xui8>
func.func @concat(%a: tensor<1x2x4x4xui8>, %b: tensor<1x3x4x4xui8>, %c: tensor<1x1x4x4xui8>) -> (tensor<1x5x4x4xui8>, tensor<1x6x4x4xui8>, tensor<1x2x4x12xui8>) {
  %0 = qnn.concat %a, %b {axis = 1} : (tensor<1x2x4x4xui8>, tensor<1x3x4x4xui8>) -> tensor<1x5x4x4xui8>
  %1 = qnn.concat %a, %b, %c {axis = 1} : (tensor<1x2x4x4xui8>, tensor<1x3x4x4xui8>, tensor<1x1x4x4xui8>) -> tensor<1x6x4x4xui8>
  %2 = qnn.concat %a, %a, %a {axis = 3} : (tensor<1x2x4x4xui8>, tensor<1x2x4x4xui8>, tensor<1x2x4x4xui8>) -> tensor<1x2x4x12xui8>
  return %0, %1, %2 : tensor<1x5x4x4xui8>, tensor<1x6x4x4xui8>, tensor<1x2x4x12xui8>
}

//===----------------------------------------------------------------------===//
// qnn.rescale
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @rescale_per_tensor(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x8x4x4xi32>)
// CHECK: %{{.+}} = qnn.rescale %[[X]] {multiplier = array<i32: 1518500250>, shift = array<i32: 38>} : tensor<1x8x4x4xi32> -> tensor<1x8x4x4xi8>
func.func @rescale_per_tensor(%x: tensor<1x8x4x4xi32>) -> tensor<1x8x4x4xi8> {
  %0 = qnn.rescale %x {multiplier = array<i32: 1518500250>, shift = array<i32: 38>} : tensor<1x8x4x4xi32> -> tensor<1x8x4x4xi8>
  return %0 : tensor<1x8x4x4xi8>
}

// CHECK-LABEL: func.func @rescale_per_channel(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x3x2x2xi32>)
// CHECK: %{{.+}} = qnn.rescale %[[X]] {multiplier = array<i32: 1073741824, 2147483647, 0>, output_zp = 255 : i64, shift = array<i32: 31, 63, 0>} : tensor<1x3x2x2xi32> -> tensor<1x3x2x2xui8>
func.func @rescale_per_channel(%x: tensor<1x3x2x2xi32>) -> tensor<1x3x2x2xui8> {
  %0 = qnn.rescale %x {multiplier = array<i32: 1073741824, 2147483647, 0>, shift = array<i32: 31, 63, 0>, output_zp = 255} : tensor<1x3x2x2xi32> -> tensor<1x3x2x2xui8>
  return %0 : tensor<1x3x2x2xui8>
}

// CHECK-LABEL: func.func @rescale_axis(
// CHECK-SAME: %[[X:[^:]+]]: tensor<4x10xi32>, %[[Y:[^:]+]]: tensor<2x3x5xi16>)
// CHECK: %{{.+}} = qnn.rescale %[[X]] {axis = 0 : i64, multiplier = array<i32: 1, 2, 3, 4>, shift = array<i32: 1, 2, 3, 4>} : tensor<4x10xi32> -> tensor<4x10xi8>
// CHECK: %{{.+}} = qnn.rescale %[[X]] {multiplier = array<i32: 1, 1, 1, 1, 1, 1, 1, 1, 1, 1>, shift = array<i32: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9>} : tensor<4x10xi32> -> tensor<4x10xi8>
// CHECK: %{{.+}} = qnn.rescale %[[Y]] {axis = 2 : i64, multiplier = array<i32: 5, 6, 7, 8, 9>, shift = array<i32: 8, 8, 8, 8, 8>} : tensor<2x3x5xi16> -> tensor<2x3x5xi8>
func.func @rescale_axis(%x: tensor<4x10xi32>, %y: tensor<2x3x5xi16>) -> (tensor<4x10xi8>, tensor<4x10xi8>, tensor<2x3x5xi8>) {
  %0 = qnn.rescale %x {axis = 0, multiplier = array<i32: 1, 2, 3, 4>, shift = array<i32: 1, 2, 3, 4>} : tensor<4x10xi32> -> tensor<4x10xi8>
  %1 = qnn.rescale %x {axis = 1, multiplier = array<i32: 1, 1, 1, 1, 1, 1, 1, 1, 1, 1>, shift = array<i32: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9>} : tensor<4x10xi32> -> tensor<4x10xi8>
  %2 = qnn.rescale %y {axis = 2, multiplier = array<i32: 5, 6, 7, 8, 9>, shift = array<i32: 8, 8, 8, 8, 8>} : tensor<2x3x5xi16> -> tensor<2x3x5xi8>
  return %0, %1, %2 : tensor<4x10xi8>, tensor<4x10xi8>, tensor<2x3x5xi8>
}

// CHECK-LABEL: func.func @rescale_rounding(
// CHECK-SAME: %[[X:[^:]+]]: tensor<16xi32>)
// CHECK: %{{.+}} = qnn.rescale %[[X]] {multiplier = array<i32: 3>, shift = array<i32: 4>} : tensor<16xi32> -> tensor<16xi8>
// CHECK: %{{.+}} = qnn.rescale %[[X]] {multiplier = array<i32: 3>, rounding = #qnn.rounding<half_even>, shift = array<i32: 4>} : tensor<16xi32> -> tensor<16xi8>
// CHECK: %{{.+}} = qnn.rescale %[[X]] {multiplier = array<i32: 3>, rounding = #qnn.rounding<half_away_from_zero>, shift = array<i32: 4>} : tensor<16xi32> -> tensor<16xi8>
func.func @rescale_rounding(%x: tensor<16xi32>) -> (tensor<16xi8>, tensor<16xi8>, tensor<16xi8>) {
  %0 = qnn.rescale %x {multiplier = array<i32: 3>, shift = array<i32: 4>, rounding = #qnn.rounding<half_up>} : tensor<16xi32> -> tensor<16xi8>
  %1 = qnn.rescale %x {multiplier = array<i32: 3>, shift = array<i32: 4>, rounding = #qnn.rounding<half_even>} : tensor<16xi32> -> tensor<16xi8>
  %2 = qnn.rescale %x {multiplier = array<i32: 3>, shift = array<i32: 4>, rounding = #qnn.rounding<half_away_from_zero>} : tensor<16xi32> -> tensor<16xi8>
  return %0, %1, %2 : tensor<16xi8>, tensor<16xi8>, tensor<16xi8>
}

// CHECK-LABEL: func.func @rescale_shift_only_clamped(
// CHECK-SAME: %[[X:[^:]+]]: tensor<16xi32>, %[[Y:[^:]+]]: tensor<16xi8>)
// CHECK: %{{.+}} = qnn.rescale %[[X]] {clamp_max = 6 : i64, clamp_min = 0 : i64, multiplier = array<i32: 1>, shift = array<i32: 7>} : tensor<16xi32> -> tensor<16xi8>
// CHECK: %{{.+}} = qnn.rescale %[[Y]] {clamp_max = 15 : i64, input_zp = -128 : i64, multiplier = array<i32: 1>, output_zp = 15 : i64, shift = array<i32: 0>} : tensor<16xi8> -> tensor<16xui4>
// CHECK: %{{.+}} = qnn.rescale %[[X]] {clamp_min = -2147483648 : i64, multiplier = array<i32: 1>, shift = array<i32: 0>} : tensor<16xi32> -> tensor<16xi32>
func.func @rescale_shift_only_clamped(%x: tensor<16xi32>, %y: tensor<16xi8>) -> (tensor<16xi8>, tensor<16xui4>, tensor<16xi32>) {
  %0 = qnn.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 7>, clamp_min = 0, clamp_max = 6} : tensor<16xi32> -> tensor<16xi8>
  %1 = qnn.rescale %y {multiplier = array<i32: 1>, shift = array<i32: 0>, input_zp = -128, output_zp = 15, clamp_max = 15} : tensor<16xi8> -> tensor<16xui4>
  %2 = qnn.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>, clamp_min = -2147483648} : tensor<16xi32> -> tensor<16xi32>
  return %0, %1, %2 : tensor<16xi8>, tensor<16xui4>, tensor<16xi32>
}

//===----------------------------------------------------------------------===//
// qnn.requantize, qnn.quantize, qnn.dequantize
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @requantize(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x3x2x2xi32>)
// CHECK: %{{.+}} = qnn.requantize %[[X]] {scale = array<f64: 0.0039215686274509803>} : tensor<1x3x2x2xi32> -> tensor<1x3x2x2xi8>
// CHECK: %{{.+}} = qnn.requantize %[[X]] {clamp_max = 100 : i64, clamp_min = 0 : i64, input_zp = 3 : i64, output_zp = -1 : i64, rounding = #qnn.rounding<half_even>, scale = array<f64: 5.000000e-01, 2.500000e-03, 1.000000e+02>} : tensor<1x3x2x2xi32> -> tensor<1x3x2x2xi8>
// CHECK: %{{.+}} = qnn.requantize %[[X]] {axis = 3 : i64, rounding = #qnn.rounding<half_away_from_zero>, scale = array<f64: 1.000000e+00, 2.500000e-01>} : tensor<1x3x2x2xi32> -> tensor<1x3x2x2xui8>
func.func @requantize(%x: tensor<1x3x2x2xi32>) -> (tensor<1x3x2x2xi8>, tensor<1x3x2x2xi8>, tensor<1x3x2x2xui8>) {
  %0 = qnn.requantize %x {scale = array<f64: 0.0039215686274509803>} : tensor<1x3x2x2xi32> -> tensor<1x3x2x2xi8>
  %1 = qnn.requantize %x {scale = array<f64: 0.5, 2.5e-03, 1.0e+02>, input_zp = 3, output_zp = -1, clamp_min = 0, clamp_max = 100, rounding = #qnn.rounding<half_even>} : tensor<1x3x2x2xi32> -> tensor<1x3x2x2xi8>
  %2 = qnn.requantize %x {axis = 3, scale = array<f64: 1.0, 0.25>, rounding = #qnn.rounding<half_away_from_zero>} : tensor<1x3x2x2xi32> -> tensor<1x3x2x2xui8>
  return %0, %1, %2 : tensor<1x3x2x2xi8>, tensor<1x3x2x2xi8>, tensor<1x3x2x2xui8>
}

// CHECK-LABEL: func.func @quantize(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x3x4x4xf32>)
// CHECK: %{{.+}} = qnn.quantize %[[X]] {scale = 7.812500e-03 : f64} : tensor<1x3x4x4xf32> -> tensor<1x3x4x4xi8>
// CHECK: %{{.+}} = qnn.quantize %[[X]] {rounding = #qnn.rounding<half_up>, scale = 2.500000e-02 : f64, zero_point = 128 : i64} : tensor<1x3x4x4xf32> -> tensor<1x3x4x4xui8>
func.func @quantize(%x: tensor<1x3x4x4xf32>) -> (tensor<1x3x4x4xi8>, tensor<1x3x4x4xui8>) {
  %0 = qnn.quantize %x {scale = 0.0078125 : f64} : tensor<1x3x4x4xf32> -> tensor<1x3x4x4xi8>
  %1 = qnn.quantize %x {scale = 2.5e-02 : f64, zero_point = 128, rounding = #qnn.rounding<half_up>} : tensor<1x3x4x4xf32> -> tensor<1x3x4x4xui8>
  return %0, %1 : tensor<1x3x4x4xi8>, tensor<1x3x4x4xui8>
}

// CHECK-LABEL: func.func @dequantize(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x10xi32>, %[[Y:[^:]+]]: tensor<1x10xi8>)
// CHECK: %{{.+}} = qnn.dequantize %[[X]] {scale = 1.500000e-04 : f64} : tensor<1x10xi32> -> tensor<1x10xf32>
// CHECK: %{{.+}} = qnn.dequantize %[[Y]] {scale = 1.250000e-01 : f64, zero_point = -3 : i64} : tensor<1x10xi8> -> tensor<1x10xf32>
func.func @dequantize(%x: tensor<1x10xi32>, %y: tensor<1x10xi8>) -> (tensor<1x10xf32>, tensor<1x10xf32>) {
  %0 = qnn.dequantize %x {scale = 1.5e-04 : f64} : tensor<1x10xi32> -> tensor<1x10xf32>
  %1 = qnn.dequantize %y {scale = 0.125 : f64, zero_point = -3} : tensor<1x10xi8> -> tensor<1x10xf32>
  return %0, %1 : tensor<1x10xf32>, tensor<1x10xf32>
}
