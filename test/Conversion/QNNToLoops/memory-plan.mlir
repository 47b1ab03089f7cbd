// The static memory plan of --qnn-lower-to-loops: values whose lifetimes do
// not overlap share scratch bytes, offsets are 64-byte aligned, reshapes
// alias, the returned value is computed in the caller's output buffer, and
// weights become read-only globals in their byte containers, or packed into
// bytes at 4 bits or fewer ([1, -8] -> 0x81, [7, 0] -> 0x07).
// RUN: qnn-opt %s --qnn-lower-to-loops=model-name=net | FileCheck %s

// Op positions: 1 %a, 2 %b, 3 %f = reshape %b, 4 %c, 5 %d = reshape %c,
// 6 %e, 7 %r = reshape %e, 8 return. %r's root %e goes to the output.
// Live intervals: %a [1, 2] 32 bytes; %b [2, 4] 8 bytes (through %f);
// %c [4, 6] 8 bytes (through %d). First fit, in that order:
//   %a at 0; %b overlaps %a -> after it, aligned: 64; %c overlaps only %b
//   -> 0 again. Scratch = max(0+32, 64+8, 0+8) = 72.

// CHECK-DAG: memref.global "private" constant @net_const : memref<2xi8> = dense<[-127, 7]> {alignment = 64 : i64}
// CHECK-LABEL: func.func @net_run(
// CHECK-SAME: %[[IN:.*]]: memref<8xi8>, %[[OUT:.*]]: memref<2xi8>, %[[SCRATCH:.*]]: memref<72xi8>) -> i32
// CHECK-SAME: qnn.inputs = [tensor<4x2xui8>]
// CHECK-SAME: qnn.model_name = "net"
// CHECK-SAME: qnn.outputs = [tensor<2xi8>]
// CHECK-SAME: qnn.scratch_align = 64 : i64
// CHECK-SAME: qnn.scratch_bytes = 72 : i64
// CHECK-DAG: memref.view %[[IN]][%c0{{(_[0-9]+)?}}][] : memref<8xi8> to memref<4x2xi8>
// CHECK-DAG: memref.view %[[SCRATCH]][%c0{{(_[0-9]+)?}}][] : memref<72xi8> to memref<4x2xi32>
// CHECK-DAG: memref.view %[[SCRATCH]][%c64{{(_[0-9]+)?}}][] : memref<72xi8> to memref<4x2xi8>
// CHECK-DAG: memref.view %[[SCRATCH]][%c64{{(_[0-9]+)?}}][] : memref<72xi8> to memref<8xi8>
// CHECK-DAG: memref.view %[[SCRATCH]][%c0{{(_[0-9]+)?}}][] : memref<72xi8> to memref<8xi8>
// CHECK-DAG: memref.view %[[SCRATCH]][%c0{{(_[0-9]+)?}}][] : memref<72xi8> to memref<1x2x1x4xi8>
// CHECK-DAG: memref.view %[[OUT]][%c0{{(_[0-9]+)?}}][] : memref<2xi8> to memref<1x2x1x1xi8>
// CHECK-NOT: memref.alloc
// CHECK: return %{{.*}} : i32
func.func @main(%x: tensor<4x2xui8>) -> tensor<2xi8> {
  %w = qnn.constant dense<[[1, -8], [7, 0]]> : tensor<2x2xi4>
  %a = qnn.matmul %x, %w : (tensor<4x2xui8>, tensor<2x2xi4>) -> tensor<4x2xi32>
  %b = qnn.rescale %a {multiplier = array<i32: 1>, shift = array<i32: 4>} : tensor<4x2xi32> -> tensor<4x2xi8>
  %f = qnn.reshape %b : tensor<4x2xi8> -> tensor<8xi8>
  %c = qnn.clamp %f {min = 0, max = 100} : tensor<8xi8>
  %d = qnn.reshape %c : tensor<8xi8> -> tensor<1x2x1x4xi8>
  %e = qnn.max_pool2d %d {kernel = array<i64: 1, 4>} : tensor<1x2x1x4xi8> -> tensor<1x2x1x1xi8>
  %r = qnn.reshape %e : tensor<1x2x1x1xi8> -> tensor<2xi8>
  return %r : tensor<2xi8>
}
