// qnn.matmul and qnn.add against hand-computed values.
// RUN: qnn-run %s --function matmul_bias --print | FileCheck %s --check-prefix=MM
// RUN: qnn-run %s --function matmul_rhs_zp --print | FileCheck %s --check-prefix=MMZP
// RUN: qnn-run %s --function residual_add --print | FileCheck %s --check-prefix=ADD

// lhs - 1 = [[0,1,2],[3,4,5]], rhs = [[1,-1],[2,-2],[3,-3]], bias [100,-100]:
// row 0: 0+2+6 = 8 -> 108, -8 -> -108; row 1: 3+8+15 = 26 -> 126, -126.
func.func @matmul_bias() -> tensor<2x2xi32> {
  %a = qnn.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi8>
  %b = qnn.constant dense<[[1, -1], [2, -2], [3, -3]]> : tensor<3x2xi4>
  %c = qnn.constant dense<[100, -100]> : tensor<2xi32>
  %y = qnn.matmul %a, %b, %c {lhs_zp = 1} : (tensor<2x3xi8>, tensor<3x2xi4>, tensor<2xi32>) -> tensor<2x2xi32>
  return %y : tensor<2x2xi32>
}
// MM:      {{\[\[}}108, -108],
// MM-NEXT: [126, -126]]

// rhs - (-1) = [[2,0],[3,-1],[4,-2]] with lhs - 1 as above:
// row 0: 0 + 3 + 8 = 11, 0 - 1 - 4 = -5; row 1: 6 + 12 + 20 = 38, 0 - 4 - 10 = -14.
func.func @matmul_rhs_zp() -> tensor<2x2xi32> {
  %a = qnn.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi8>
  %b = qnn.constant dense<[[1, -1], [2, -2], [3, -3]]> : tensor<3x2xi4>
  %y = qnn.matmul %a, %b {lhs_zp = 1, rhs_zp = -1} : (tensor<2x3xi8>, tensor<3x2xi4>) -> tensor<2x2xi32>
  return %y : tensor<2x2xi32>
}
// MMZP:      {{\[\[}}11, -5],
// MMZP-NEXT: [38, -14]]

// 3 * lhs + (-2) * (rhs - 128):
// 3*[1,2,3,-128] = [3,6,9,-384]; -2*[-128,127,0,-118] = [256,-254,0,236].
func.func @residual_add() -> tensor<4xi32> {
  %a = qnn.constant dense<[1, 2, 3, -128]> : tensor<4xi8>
  %b = qnn.constant dense<[0, 255, 128, 10]> : tensor<4xui8>
  %y = qnn.add %a, %b {lhs_multiplier = 3, rhs_multiplier = -2, rhs_zp = 128} : (tensor<4xi8>, tensor<4xui8>) -> tensor<4xi32>
  return %y : tensor<4xi32>
}
// ADD: [259, -248, 9, -148]
