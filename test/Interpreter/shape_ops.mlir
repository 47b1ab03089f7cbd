// qnn.clamp, qnn.pad, qnn.reshape and qnn.concat move or bound values and
// never change them otherwise.
// RUN: qnn-run %s --function clamp --print | FileCheck %s --check-prefix=CLAMP
// RUN: qnn-run %s --function pad --print | FileCheck %s --check-prefix=PAD
// RUN: qnn-run %s --function flatten --print | FileCheck %s --check-prefix=FLAT
// RUN: qnn-run %s --function concat_channels --print | FileCheck %s --check-prefix=CAT1
// RUN: qnn-run %s --function concat_last --print | FileCheck %s --check-prefix=CAT2

func.func @clamp() -> tensor<5xi8> {
  %x = qnn.constant dense<[-10, -1, 0, 5, 10]> : tensor<5xi8>
  %y = qnn.clamp %x {min = 0, max = 6} : tensor<5xi8>
  return %y : tensor<5xi8>
}
// CLAMP: [0, 0, 0, 5, 6]

// One row on top and one column on the right, filled with 7.
func.func @pad() -> tensor<1x1x3x3xui4> {
  %x = qnn.constant dense<[[[[1, 2], [3, 4]]]]> : tensor<1x1x2x2xui4>
  %y = qnn.pad %x {low = array<i64: 0, 0, 1, 0>, high = array<i64: 0, 0, 0, 1>, value = 7} : tensor<1x1x2x2xui4> -> tensor<1x1x3x3xui4>
  return %y : tensor<1x1x3x3xui4>
}
// PAD:      {{\[\[\[}}[7, 7, 7],
// PAD-NEXT: [1, 2, 7],
// PAD-NEXT: [3, 4, 7]]]]

func.func @flatten() -> tensor<1x4xi8> {
  %x = qnn.constant dense<[[[[1], [2]], [[3], [4]]]]> : tensor<1x2x2x1xi8>
  %y = qnn.reshape %x : tensor<1x2x2x1xi8> -> tensor<1x4xi8>
  return %y : tensor<1x4xi8>
}
// FLAT: {{\[\[}}1, 2, 3, 4]]

func.func @concat_channels() -> tensor<1x3x2xi8> {
  %a = qnn.constant dense<[[[1, 2]]]> : tensor<1x1x2xi8>
  %b = qnn.constant dense<[[[3, 4], [5, 6]]]> : tensor<1x2x2xi8>
  %y = qnn.concat %a, %b {axis = 1} : (tensor<1x1x2xi8>, tensor<1x2x2xi8>) -> tensor<1x3x2xi8>
  return %y : tensor<1x3x2xi8>
}
// CAT1:      {{\[\[}}[1, 2],
// CAT1-NEXT: [3, 4],
// CAT1-NEXT: [5, 6]]]

func.func @concat_last() -> tensor<2x3xi8> {
  %a = qnn.constant dense<[[1], [2]]> : tensor<2x1xi8>
  %b = qnn.constant dense<[[3, 4], [5, 6]]> : tensor<2x2xi8>
  %y = qnn.concat %a, %b {axis = 1} : (tensor<2x1xi8>, tensor<2x2xi8>) -> tensor<2x3xi8>
  return %y : tensor<2x3xi8>
}
// CAT2:      {{\[\[}}1, 3, 4],
// CAT2-NEXT: [2, 5, 6]]
