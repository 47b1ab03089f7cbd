// RUN: qnn-opt %s --qnn-verify-integer-only | FileCheck %s

// An integer-only module passes, unchanged: the pass only verifies.

// CHECK-LABEL: func.func @integer_only
// CHECK: qnn.rescale
func.func @integer_only(%x: tensor<1x3x4x4xi8>, %s: tensor<4xi8>) -> (tensor<1x2x4x4xui4>, tensor<4xi32>) {
  %w = qnn.constant dense<1> : tensor<2x3x3x3xi4>
  %b = qnn.constant dense<[5, -5]> : tensor<2xi32>
  %acc = qnn.conv2d %x, %w, %b {padding = array<i64: 1, 1, 1, 1>, qnn.acc16} : (tensor<1x3x4x4xi8>, tensor<2x3x3x3xi4>, tensor<2xi32>) -> tensor<1x2x4x4xi32>
  %y = qnn.rescale %acc {multiplier = array<i32: 1717986918, 3>, shift = array<i32: 34, 2>, clamp_min = 0} : tensor<1x2x4x4xi32> -> tensor<1x2x4x4xui4>
  %c = arith.constant dense<[1, 2, 3, 4]> : tensor<4xi32>
  %sum = qnn.add %s, %s {lhs_multiplier = 3} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi32>
  %t = arith.addi %sum, %c : tensor<4xi32>
  return %y, %t : tensor<1x2x4x4xui4>, tensor<4xi32>
}
