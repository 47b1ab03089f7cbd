//===- Native.h - Native code and C headers from integer-only qnn -*- C++ -*-===//
//
// The back end of qnn-translate: an integer-only qnn module becomes an
// object file (or LLVM IR) for one of the supported targets, and a C header
// that declares its entry point. Both go through --qnn-lower-to-loops, so
// the header describes exactly the function the object defines.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_TARGET_NATIVE_H
#define QNN_TARGET_NATIVE_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>

namespace mlir::qnn {

/// An LLVM target machine description: triple, CPU and feature string; and
/// the conv/matmul kernels of the CPU level (qnn-lower-to-loops' `kernels`:
/// none, avx2, avx512-vnni, neon-dotprod).
struct TargetSpec {
  std::string triple;
  std::string cpu;
  std::string features;
  std::string kernels = "none";
  /// x86-64 and AArch64: plan the kernels' scratch even at levels that do
  /// not call them, so that one header fits every level's object.
  bool planKernelScratch = false;
};

/// Resolves a target name (x86_64-linux-gnu, aarch64-linux-gnu,
/// thumbv7m-none-eabi) and a CPU flavour (x86-64: baseline, avx2,
/// avx512-vnni; AArch64: generic, dotprod; empty means the first). The
/// error lists the accepted names.
llvm::Expected<TargetSpec> resolveTarget(llvm::StringRef target,
                                         llvm::StringRef cpuFlavour);

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const TargetSpec &spec);

/// Lowers an integer-only qnn module in place to the LLVM dialect:
/// verify-integer-only, qnn-lower-to-loops (symbols prefixed by
/// `modelName`, `spec`'s kernels), and the upstream conversions with the
/// bare-pointer calling convention and the target's pointer width as index
/// width.
LogicalResult lowerToLLVMDialect(ModuleOp module, llvm::StringRef modelName,
                                 const TargetSpec &spec,
                                 const llvm::TargetMachine &machine);

/// Translates a module in the LLVM dialect to LLVM IR, links in the
/// bitcode of `spec`'s kernels that it calls (made internal: the object
/// defines only the model's entry point), optimizes it at O3 for `machine`,
/// and writes an object file (or textual LLVM IR).
LogicalResult emitNativeCode(ModuleOp module, const TargetSpec &spec,
                             llvm::TargetMachine &machine,
                             llvm::raw_ostream &os, bool emitLLVMIR);

/// The LLVM bitcode of lib/Target/Kernels/conv.c for `kernels` (avx2,
/// avx512-vnni, neon-dotprod), built with qnn-translate; empty for other
/// names.
llvm::StringRef kernelBitcode(llvm::StringRef kernels);

/// Writes the C header of a module already lowered by qnn-lower-to-loops.
LogicalResult emitCHeader(ModuleOp loweredModule, llvm::raw_ostream &os);

/// Registers --emit-obj, --emit-llvmir and --emit-header with
/// mlir-translate's registry, and their --target, --target-cpu and
/// --model-name options.
void registerNativeTranslations();

} // namespace mlir::qnn

#endif // QNN_TARGET_NATIVE_H
