//===- Registration.cpp - qnn-translate's native-code translations --------===//

#include "qnn/Target/Native.h"

#include "qnn/Conversion/Passes.h"
#include "qnn/Dialect/QNN/IR/QNNDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"

using namespace mlir;
using namespace mlir::qnn;

static llvm::cl::OptionCategory category("qnn native code options");

static llvm::cl::opt<std::string>
    targetName("target",
               llvm::cl::desc("target of --emit-obj/--emit-llvmir: "
                              "x86_64-linux-gnu, aarch64-linux-gnu, "
                              "thumbv7m-none-eabi"),
               llvm::cl::init("x86_64-linux-gnu"), llvm::cl::cat(category));
static llvm::cl::opt<std::string>
    targetCpu("target-cpu",
              llvm::cl::desc("CPU level: baseline, avx2, avx512-vnni "
                             "(x86_64-linux-gnu); generic, dotprod "
                             "(aarch64-linux-gnu)"),
              llvm::cl::init(""), llvm::cl::cat(category));
static llvm::cl::opt<std::string>
    modelName("model-name",
              llvm::cl::desc("prefix of the emitted symbols and macros: "
                             "<name>_run, <NAME>_SCRATCH_BYTES"),
              llvm::cl::init("model"), llvm::cl::cat(category));

namespace {

void registerDialects(DialectRegistry &registry) {
  registry.insert<QNNDialect, func::FuncDialect, arith::ArithDialect,
                  memref::MemRefDialect, scf::SCFDialect,
                  cf::ControlFlowDialect, LLVM::LLVMDialect>();
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
}

/// A refusal is one located line: no dump of the offending op after it (for
/// a module-level error that would be the whole model).
void quietDiagnostics(ModuleOp module) {
  module.getContext()->printOpOnDiagnostic(false);
}

/// Emits object code or LLVM IR for a copy of `module`.
LogicalResult emitNative(ModuleOp module, llvm::raw_ostream &os,
                         bool emitLLVMIR) {
  quietDiagnostics(module);
  // Errors about the command line, not the module: located at the file.
  llvm::Expected<TargetSpec> spec = resolveTarget(targetName, targetCpu);
  if (!spec)
    return emitError(module.getLoc(), llvm::toString(spec.takeError()));
  auto machine = createTargetMachine(*spec);
  if (!machine)
    return emitError(module.getLoc(), llvm::toString(machine.takeError()));
  OwningOpRef<ModuleOp> copy = module.clone();
  if (failed(lowerToLLVMDialect(*copy, modelName, *spec, **machine)))
    return failure();
  return emitNativeCode(*copy, *spec, **machine, os, emitLLVMIR);
}

} // namespace

void mlir::qnn::registerNativeTranslations() {
  static TranslateFromMLIRRegistration object(
      "emit-obj", "compile an integer-only qnn module to an object file",
      [](ModuleOp module, llvm::raw_ostream &os) {
        return emitNative(module, os, /*emitLLVMIR=*/false);
      },
      registerDialects);
  static TranslateFromMLIRRegistration llvmIR(
      "emit-llvmir", "compile an integer-only qnn module to optimized LLVM IR",
      [](ModuleOp module, llvm::raw_ostream &os) {
        return emitNative(module, os, /*emitLLVMIR=*/true);
      },
      registerDialects);
  static TranslateFromMLIRRegistration header(
      "emit-header", "write the C header of a compiled qnn module",
      [](ModuleOp module, llvm::raw_ostream &os) -> LogicalResult {
        quietDiagnostics(module);
        // The target decides the scratch plan (x86-64 and AArch64 plan
        // their kernels').
        llvm::Expected<TargetSpec> spec = resolveTarget(targetName, targetCpu);
        if (!spec)
          return emitError(module.getLoc(), llvm::toString(spec.takeError()));
        OwningOpRef<ModuleOp> copy = module.clone();
        PassManager pm(module.getContext());
        pm.addPass(createQNNLowerToLoops(QNNLowerToLoopsOptions{
            /*entry=*/"", modelName, /*kernels=*/"none",
            spec->planKernelScratch}));
        if (failed(pm.run(*copy)))
          return failure();
        return emitCHeader(*copy, os);
      },
      registerDialects);
}
