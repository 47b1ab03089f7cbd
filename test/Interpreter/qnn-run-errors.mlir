// qnn-run refuses bad input with one line and exit status 1, and reads back
// the .npy and raw files it writes.

// RUN: not qnn-run %s 2>&1 | FileCheck %s --check-prefix=NOFUNC
// NOFUNC: qnn-run: error: the module has 5 functions and none is 'main': pass --function

// RUN: not qnn-run %s --function nope 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: qnn-run: error: no function 'nope' in the module

// RUN: not qnn-run %s --function takes_ui4 2>&1 | FileCheck %s --check-prefix=COUNT
// COUNT: qnn-run: error: function 'takes_ui4' takes 1 arguments, got 0 --input files

// Round trip: write .npy and raw, read them back, print.
// RUN: qnn-run %s --function produce --output %t.npy
// RUN: qnn-run %s --function produce --output %t.raw
// RUN: qnn-run %s --function echo_2x2 --input %t.npy --print | FileCheck %s --check-prefix=ECHO
// RUN: qnn-run %s --function echo_2x2 --input %t.raw --print | FileCheck %s --check-prefix=ECHO
// ECHO:      {{\[\[}}-128, 2],
// ECHO-NEXT: [3, 127]]

// RUN: not qnn-run %s --function takes_ui4 --input %t.npy 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: qnn-run: error: {{.*}}.npy: has shape (2, 2), expected (4,)

// RUN: printf '\001\002\003' > %t.short
// RUN: not qnn-run %s --function takes_ui4 --input %t.short 2>&1 | FileCheck %s --check-prefix=SIZE
// SIZE: qnn-run: error: {{.*}}.short: holds 3 bytes of data, expected 4 (4 elements of 1 bytes)

// RUN: printf '\001\002\003\020' > %t.range
// RUN: not qnn-run %s --function takes_ui4 --input %t.range 2>&1 | FileCheck %s --check-prefix=RANGE
// RANGE: qnn-run: error: {{.*}}.range element 3 is 16, outside the range [0, 15] of ui4

// RUN: head -c 12 %t.npy > %t.trunc.npy
// RUN: not qnn-run %s --function echo_2x2 --input %t.trunc.npy 2>&1 | FileCheck %s --check-prefix=TRUNC
// TRUNC: qnn-run: error: {{.*}}.trunc.npy: truncated .npy header

// RUN: not qnn-run %s --function echo_2x2 --input %t.missing 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: qnn-run: error: {{.*}}.missing: No such file or directory

// RUN: not qnn-run %s --function float_op 2>&1 | FileCheck %s --check-prefix=NOSEM
// NOSEM: qnn-run: error: {{.*}}qnn-run-errors.mlir{{.*}}: 'arith.constant': has no reference semantics

// RUN: not qnn-run %s --function echo_2x2 --random-inputs 1 --input %t.npy 2>&1 | FileCheck %s --check-prefix=EXCL
// EXCL: qnn-run: error: --random-inputs and --input exclude each other

func.func @produce() -> tensor<2x2xi8> {
  %x = qnn.constant dense<[[-128, 2], [3, 127]]> : tensor<2x2xi8>
  return %x : tensor<2x2xi8>
}

func.func @echo_2x2(%x: tensor<2x2xi8>) -> tensor<2x2xi8> {
  return %x : tensor<2x2xi8>
}

func.func @takes_ui4(%x: tensor<4xui4>) -> tensor<4xui4> {
  return %x : tensor<4xui4>
}

func.func @float_op() -> f32 {
  %c = arith.constant 1.0 : f32
  return %c : f32
}

func.func @unused() {
  return
}
