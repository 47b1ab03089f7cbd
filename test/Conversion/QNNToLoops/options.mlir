// entry= picks the function; model-name= must be a C identifier.
// RUN: qnn-opt %s --qnn-lower-to-loops="entry=second model-name=m2" | FileCheck %s
// RUN: not qnn-opt %s --qnn-lower-to-loops="entry=third" 2>&1 | FileCheck %s --check-prefix=NOENTRY
// RUN: not qnn-opt %s --qnn-lower-to-loops="entry=first model-name=2bad" 2>&1 | FileCheck %s --check-prefix=BADNAME

// CHECK: func.func @first
// CHECK: func.func @m2_run(%{{.*}}: memref<4xi8>, %{{.*}}: memref<4xi8>, %{{.*}}: memref<1xi8>) -> i32
// CHECK-NOT: func.func @second
// NOENTRY: error: no function 'third' to lower
// BADNAME: error: model-name '2bad' is not a C identifier

func.func @first(%x: tensor<4xi8>) -> tensor<4xi8> {
  return %x : tensor<4xi8>
}
func.func @second(%x: tensor<4xi8>) -> tensor<4xi8> {
  %y = qnn.clamp %x {min = 0, max = 3} : tensor<4xi8>
  return %y : tensor<4xi8>
}
