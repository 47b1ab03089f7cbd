//===- KernelBitcode.cpp - The kernels' bitcode, built into the compiler --===//
//
// lib/Target/Kernels/conv.c compiled by clang at build time, once per
// instruction set, and embedded here (CMakeLists.txt), so that qnn-translate
// needs no file at run time.
//
//===----------------------------------------------------------------------===//

#include "qnn/Target/Native.h"

#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wc23-extensions"
static const char kVNNI[] = {
#embed "conv-vnni.bc"
};
static const char kAVX2[] = {
#embed "conv-avx2.bc"
};
static const char kDotprod[] = {
#embed "conv-dotprod.bc"
};
#pragma clang diagnostic pop

llvm::StringRef mlir::qnn::kernelBitcode(llvm::StringRef kernels) {
  if (kernels == "avx512-vnni")
    return llvm::StringRef(kVNNI, sizeof(kVNNI));
  if (kernels == "avx2")
    return llvm::StringRef(kAVX2, sizeof(kAVX2));
  if (kernels == "neon-dotprod")
    return llvm::StringRef(kDotprod, sizeof(kDotprod));
  return {};
}
