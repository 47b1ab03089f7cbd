// RUN: qnn-opt --qnn-expose-layers %s | FileCheck %s

// How layers are named (docs/tools.md): an argument or op result takes the
// first NameLoc of its location, with characters outside [A-Za-z0-9_.-]
// turned into '_'; without one, an argument is arg<N> and an op result its
// op's mnemonic. Names shared by several layers are numbered in order
// (<name>_<k>); constants are not layers. The function then returns every
// op result, in execution order, with its name and op.

// CHECK-LABEL: func.func @names(
// CHECK-SAME:    %{{.*}}: tensor<4xi8> {qnn.layer = "_input_0"}
// CHECK-SAME:    %{{.*}}: tensor<4xi8> {qnn.layer = "arg1"})
// CHECK-SAME:    -> (tensor<4xi32> {qnn.layer = "_block1_Add", qnn.layer_op = "qnn.add"},
// CHECK-SAME:        tensor<4xi32> {qnn.layer = "relu", qnn.layer_op = "qnn.clamp"},
// CHECK-SAME:        tensor<4xi8> {qnn.layer = "rescale_0", qnn.layer_op = "qnn.rescale"},
// CHECK-SAME:        tensor<4xi8> {qnn.layer = "rescale_1", qnn.layer_op = "qnn.rescale"},
// CHECK-SAME:        tensor<4xi8> {qnn.layer = "node_0", qnn.layer_op = "qnn.clamp"},
// CHECK-SAME:        tensor<4xi8> {qnn.layer = "node_1", qnn.layer_op = "qnn.clamp"},
// CHECK-SAME:        tensor<2x2xi8> {qnn.layer = "reshape", qnn.layer_op = "qnn.reshape"})
// CHECK:         %[[ADD:.*]] = qnn.add
// CHECK:         %[[RELU:.*]] = qnn.clamp %[[ADD]]
// CHECK:         %[[R0:.*]] = qnn.rescale %[[RELU]]
// CHECK:         %[[R1:.*]] = qnn.rescale %[[RELU]]
// CHECK:         %[[N0:.*]] = qnn.clamp %[[R0]]
// CHECK:         %[[N1:.*]] = qnn.clamp %[[N0]]
// CHECK:         %[[F:.*]] = qnn.reshape %[[N1]]
// CHECK:         return %[[ADD]], %[[RELU]], %[[R0]], %[[R1]], %[[N0]], %[[N1]], %[[F]] :
func.func @names(%x: tensor<4xi8> loc("/input:0"), %y: tensor<4xi8>) -> tensor<2x2xi8> {
  %sum = qnn.add %x, %y {lhs_multiplier = 1, rhs_multiplier = 1} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi32> loc("/block1/Add")
  %relu = qnn.clamp %sum {min = 0, max = 1000} : tensor<4xi32> loc(fused["relu", "/block1/Relu"])
  %r0 = qnn.rescale %relu {multiplier = array<i32: 1>, shift = array<i32: 2>} : tensor<4xi32> -> tensor<4xi8>
  %r1 = qnn.rescale %relu {multiplier = array<i32: 1>, shift = array<i32: 3>} : tensor<4xi32> -> tensor<4xi8>
  %n0 = qnn.clamp %r0 {min = -8, max = 7} : tensor<4xi8> loc("node")
  %n1 = qnn.clamp %n0 {min = -4, max = 3} : tensor<4xi8> loc("node")
  %flat = qnn.reshape %n1 : tensor<4xi8> -> tensor<2x2xi8>
  return %flat : tensor<2x2xi8>
}

// A generated name that some layer already has repeats its suffix; a
// returned argument is no result (it is a layer already); constants are
// skipped.
// CHECK-LABEL: func.func @collision(
// CHECK-SAME:    {qnn.layer = "x"}
// CHECK-SAME:    -> (tensor<4xi8> {qnn.layer = "a_0_0", qnn.layer_op = "qnn.clamp"},
// CHECK-SAME:        tensor<4xi8> {qnn.layer = "a_0", qnn.layer_op = "qnn.clamp"},
// CHECK-SAME:        tensor<4xi8> {qnn.layer = "a_1", qnn.layer_op = "qnn.clamp"},
// CHECK-SAME:        tensor<4xi32> {qnn.layer = "add", qnn.layer_op = "qnn.add"})
// CHECK-NOT:   qnn.layer
func.func @collision(%x: tensor<4xi8> loc("x")) -> (tensor<4xi8>, tensor<4xi8>) {
  %k = qnn.constant dense<1> : tensor<4xi8> loc("k")
  %a = qnn.clamp %x {min = -8, max = 7} : tensor<4xi8> loc("a")
  %b = qnn.clamp %a {min = -8, max = 7} : tensor<4xi8> loc("a_0")
  %c = qnn.clamp %b {min = -8, max = 7} : tensor<4xi8> loc("a")
  %s = qnn.add %c, %k {lhs_multiplier = 1, rhs_multiplier = 1} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi32>
  return %x, %c : tensor<4xi8>, tensor<4xi8>
}
