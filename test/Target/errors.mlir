// qnn-translate's native-code translations refuse bad requests with one
// located error, exit non-zero and write nothing.
// RUN: rm -rf %t && split-file %s %t

// RUN: not qnn-translate --emit-obj --target=riscv64-linux-gnu %t/good.mlir -o %t/a.o 2>&1 | FileCheck %s --check-prefix=TARGET
// RUN: test ! -e %t/a.o
// TARGET: good.mlir:0:0: error: unknown target 'riscv64-linux-gnu' (supported: x86_64-linux-gnu, aarch64-linux-gnu, thumbv7m-none-eabi)

// RUN: not qnn-translate --emit-obj --target=x86_64-linux-gnu --target-cpu=pentium %t/good.mlir -o %t/b.o 2>&1 | FileCheck %s --check-prefix=CPU
// RUN: test ! -e %t/b.o
// CPU: error: unknown x86_64-linux-gnu CPU 'pentium' (supported: baseline, avx2, avx512-vnni)

// RUN: not qnn-translate --emit-obj --target=aarch64-linux-gnu --target-cpu=avx2 %t/good.mlir -o %t/c.o 2>&1 | FileCheck %s --check-prefix=CPUTARGET
// RUN: test ! -e %t/c.o
// CPUTARGET: error: unknown aarch64-linux-gnu CPU 'avx2' (supported: generic, dotprod)
// RUN: not qnn-translate --emit-obj --target=x86_64-linux-gnu --target-cpu=dotprod %t/good.mlir -o %t/c.o 2>&1 | FileCheck %s --check-prefix=CPUX86
// CPUX86: error: unknown x86_64-linux-gnu CPU 'dotprod' (supported: baseline, avx2, avx512-vnni)
// RUN: not qnn-translate --emit-header --target=thumbv7m-none-eabi --target-cpu=dotprod %t/good.mlir -o %t/c.h 2>&1 | FileCheck %s --check-prefix=CPUM3
// RUN: test ! -e %t/c.h
// CPUM3: error: --target-cpu does not apply to thumbv7m-none-eabi (its only CPU is cortex-m3)

// RUN: not qnn-translate --emit-obj --model-name=9lives %t/good.mlir -o %t/d.o 2>&1 | FileCheck %s --check-prefix=NAME
// RUN: test ! -e %t/d.o
// NAME: error: model-name '9lives' is not a C identifier

// RUN: not qnn-translate --emit-obj %t/prefold.mlir -o %t/e.o 2>&1 | FileCheck %s --check-prefix=PREFOLD
// RUN: test ! -e %t/e.o
// PREFOLD: prefold.mlir:2:8: error: 'qnn.requantize' op is not integer-only
// PREFOLD-NOT: see current operation

// RUN: not qnn-translate --emit-header %t/prefold.mlir -o %t/e.h 2>&1 | FileCheck %s --check-prefix=HEADER
// RUN: test ! -e %t/e.h
// HEADER: prefold.mlir:2:8: error: 'qnn.requantize' has no lowering to native code (it is not integer-only: run --qnn-integerize first)

// The header and object agree on the symbol and the sizes.
// RUN: qnn-translate --emit-header --model-name=tiny %t/good.mlir | FileCheck %s --check-prefix=GOOD
// RUN: qnn-translate --emit-obj --model-name=tiny %t/good.mlir -o %t/tiny.o
// RUN: llvm-nm --defined-only %t/tiny.o | FileCheck %s --check-prefix=SYMBOL
// GOOD: #define TINY_INPUT0_SHAPE {4}
// GOOD: #define TINY_INPUT0_BYTES 4
// GOOD: #define TINY_OUTPUT0_BYTES 16
// GOOD: #define TINY_SCRATCH_BYTES 1
// GOOD: #define TINY_SCRATCH_ALIGN 64
// GOOD: int32_t tiny_run(const uint8_t *input0, int32_t *output0, void *scratch);
// SYMBOL: T tiny_run

//--- good.mlir
func.func @main(%x: tensor<4xui4>) -> tensor<4xi32> {
  %y = qnn.add %x, %x {lhs_multiplier = 3} : (tensor<4xui4>, tensor<4xui4>) -> tensor<4xi32>
  return %y : tensor<4xi32>
}

//--- prefold.mlir
func.func @main(%x: tensor<4xi32>) -> tensor<4xi8> {
  %y = qnn.requantize %x {scale = array<f64: 0.5>} : tensor<4xi32> -> tensor<4xi8>
  return %y : tensor<4xi8>
}
