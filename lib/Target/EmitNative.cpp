//===- EmitNative.cpp - LLVM dialect to optimized object code -------------===//

#include "qnn/Target/Native.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/Linker/Linker.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Transforms/Utils/Cloning.h"

using namespace mlir;
using namespace mlir::qnn;

/// Links the kernels `llvmModule` calls from `spec`'s bitcode, and makes
/// every function but the entry point internal, so that the object stays
/// self-contained and defines one symbol (two models' objects can be linked
/// into one program).
static LogicalResult linkKernels(ModuleOp module, llvm::Module &llvmModule,
                                 const TargetSpec &spec,
                                 llvm::TargetMachine &machine) {
  llvm::StringRef bitcode = kernelBitcode(spec.kernels);
  if (bitcode.empty())
    return success();
  // Lazily: the linker reads only the bodies of the kernels the module
  // calls, not the hundreds of tile variants beside them.
  auto kernels = llvm::getLazyBitcodeModule(
      llvm::MemoryBufferRef(bitcode, "qnn-kernels"), llvmModule.getContext());
  if (!kernels)
    return module.emitError("cannot read the kernel bitcode: ")
           << llvm::toString(kernels.takeError());
  (*kernels)->setTargetTriple(machine.getTargetTriple());
  (*kernels)->setDataLayout(machine.createDataLayout());
  if (llvm::Linker::linkModules(llvmModule, std::move(*kernels),
                                llvm::Linker::LinkOnlyNeeded))
    return module.emitError("cannot link the kernels");
  for (llvm::Function &f : llvmModule)
    if (!f.isDeclaration() && f.getName().starts_with("qnn_kernel_"))
      f.setLinkage(llvm::GlobalValue::InternalLinkage);
  return success();
}

/// Gives every call of a kernel a copy of its own, so that interprocedural
/// constant propagation specializes each copy on its call's constant
/// descriptor (geometry folded, the taps unrolled) for every layer, instead
/// of where LLVM's function-specialization heuristics choose to (they
/// declined for a kernel called twice once its body grew).
static void cloneKernelPerCall(llvm::Module &llvmModule) {
  llvm::SmallVector<llvm::Function *> kernels;
  for (llvm::Function &f : llvmModule)
    if (!f.isDeclaration() && f.getName().starts_with("qnn_kernel_"))
      kernels.push_back(&f);
  for (llvm::Function *kernel : kernels) {
    llvm::SmallVector<llvm::CallBase *> calls;
    for (llvm::User *user : kernel->users())
      if (auto *call = llvm::dyn_cast<llvm::CallBase>(user);
          call && call->getCalledFunction() == kernel)
        calls.push_back(call);
    for (llvm::CallBase *call : llvm::drop_begin(calls)) {
      llvm::ValueToValueMapTy map;
      call->setCalledFunction(llvm::CloneFunction(kernel, map));
    }
  }
}

LogicalResult mlir::qnn::emitNativeCode(ModuleOp module,
                                        const TargetSpec &spec,
                                        llvm::TargetMachine &machine,
                                        llvm::raw_ostream &os,
                                        bool emitLLVMIR) {
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context);
  if (!llvmModule)
    return module.emitError("translation to LLVM IR failed");
  llvmModule->setTargetTriple(machine.getTargetTriple());
  llvmModule->setDataLayout(machine.createDataLayout());
  if (failed(linkKernels(module, *llvmModule, spec, machine)))
    return failure();
  cloneKernelPerCall(*llvmModule);
  auto optimize = makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0,
                                            &machine);
  if (llvm::Error e = optimize(llvmModule.get()))
    return module.emitError("LLVM optimization failed: ")
           << llvm::toString(std::move(e));
  if (emitLLVMIR) {
    llvmModule->print(os, nullptr);
    return success();
  }
  llvm::SmallVector<char, 0> object;
  llvm::raw_svector_ostream objectStream(object);
  llvm::legacy::PassManager codegen;
  if (machine.addPassesToEmitFile(codegen, objectStream, nullptr,
                                  llvm::CodeGenFileType::ObjectFile))
    return module.emitError("the target cannot emit object files");
  codegen.run(*llvmModule);
  os.write(object.data(), object.size());
  return success();
}
