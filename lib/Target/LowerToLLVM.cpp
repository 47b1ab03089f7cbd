//===- LowerToLLVM.cpp - Integer-only qnn to the LLVM dialect -------------===//

#include "qnn/Conversion/Passes.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"
#include "qnn/Target/Native.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::qnn;

LogicalResult mlir::qnn::lowerToLLVMDialect(ModuleOp module,
                                            llvm::StringRef modelName,
                                            const TargetSpec &spec,
                                            const llvm::TargetMachine &machine) {
  llvm::DataLayout layout = machine.createDataLayout();
  unsigned indexBits = layout.getPointerSizeInBits();
  module->setAttr(LLVM::LLVMDialect::getDataLayoutAttrName(),
                  StringAttr::get(module.getContext(),
                                  layout.getStringRepresentation()));
  module->setAttr(LLVM::LLVMDialect::getTargetTripleAttrName(),
                  StringAttr::get(module.getContext(),
                                  machine.getTargetTriple().str()));

  PassManager pm(module.getContext());
  pm.addPass(createQNNVerifyIntegerOnly());
  pm.addPass(createQNNLowerToLoops(QNNLowerToLoopsOptions{
      /*entry=*/"", /*modelName=*/modelName.str(), spec.kernels,
      spec.planKernelScratch}));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createArithToLLVMConversionPass({indexBits}));
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(
      {/*useAlignedAlloc=*/false, indexBits, /*useGenericFunctions=*/false}));
  pm.addPass(createConvertFuncToLLVMPass({/*useBarePtrCallConv=*/true,
                                          indexBits}));
  pm.addPass(createConvertControlFlowToLLVMPass({indexBits}));
  pm.addPass(createReconcileUnrealizedCastsPass());
  return pm.run(module);
}
