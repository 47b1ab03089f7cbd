// RUN: qnn-opt %s | qnn-opt | FileCheck %s
// CHECK-LABEL: func.func @smoke
// CHECK: qnn.clamp %{{.*}} {max = 7 : i64, min = 0 : i64} : tensor<4xi8>
func.func @smoke(%x: tensor<4xi8>) -> tensor<4xi8> {
  %0 = qnn.clamp %x {min = 0, max = 7} : tensor<4xi8>
  return %0 : tensor<4xi8>
}
