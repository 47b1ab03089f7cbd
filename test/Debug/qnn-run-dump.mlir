// qnn-run --dump-dir writes a per-layer dump (docs/tools.md): layers.txt
// and one .npy per layer, the arguments first, constants skipped.
// RUN: rm -rf %t && mkdir -p %t
// RUN: qnn-run %S/Inputs/net.mlir --random-inputs 1 --dump-dir %t/a --save-inputs %t/in.npy --output %t/out.npy
// RUN: FileCheck %s --input-file %t/a/layers.txt
// CHECK:      # qnn-mlir layer dump (docs/tools.md): order name op type; the values of each layer in <order>_<name>.npy
// CHECK-NEXT: 0 image argument tensor<1x2x8x8xui8>
// CHECK-NEXT: 1 conv1 qnn.conv2d tensor<1x3x8x8xi32>
// CHECK-NEXT: 2 conv1.requant qnn.rescale tensor<1x3x8x8xui4>
// CHECK-NEXT: 3 conv2 qnn.conv2d tensor<1x2x8x8xi32>
// CHECK-NEXT: 4 conv2.requant qnn.rescale tensor<1x2x8x8xui4>
// CHECK-NEXT: 5 pool qnn.max_pool2d tensor<1x2x4x4xui4>
// CHECK-NEXT: 6 flatten qnn.reshape tensor<1x32xui4>
// CHECK-NEXT: 7 fc qnn.matmul tensor<1x3xi32>
// CHECK-EMPTY:

// RUN: ls %t/a | FileCheck %s --check-prefix=FILES
// FILES:      000_image.npy
// FILES-NEXT: 001_conv1.npy
// FILES-NEXT: 002_conv1.requant.npy
// FILES-NEXT: 003_conv2.npy
// FILES-NEXT: 004_conv2.requant.npy
// FILES-NEXT: 005_pool.npy
// FILES-NEXT: 006_flatten.npy
// FILES-NEXT: 007_fc.npy
// FILES-NEXT: layers.txt

// The files hold the values: the argument and the result as --save-inputs
// and --output write them.
// RUN: cmp %t/a/000_image.npy %t/in.npy
// RUN: cmp %t/a/007_fc.npy %t/out.npy

// The module of --qnn-expose-layers, printed with its locations, names the
// same layers and computes the same values: the same dump, byte for byte.
// RUN: qnn-opt --qnn-expose-layers --mlir-print-debuginfo %S/Inputs/net.mlir -o %t/exposed.mlir
// RUN: qnn-run %t/exposed.mlir --random-inputs 1 --dump-dir %t/b
// RUN: diff -r %t/a %t/b

// A dump directory that cannot be made is one error line.
// RUN: not qnn-run %S/Inputs/net.mlir --random-inputs 1 --dump-dir %t/out.npy/x 2>&1 | FileCheck %s --check-prefix=NODIR
// NODIR: qnn-run: error: {{.*}}out.npy/x: Not a directory
