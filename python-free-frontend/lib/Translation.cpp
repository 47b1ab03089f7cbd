//===- Translation.cpp - --import-onnx for qnn-translate ------------------===//

#include "qnn/Frontend/ONNX/Import.h"

#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace mlir::qnn::frontend;

void mlir::qnn::frontend::registerImportTranslation() {
  static llvm::cl::opt<unsigned> batchSize(
      "onnx-batch-size",
      llvm::cl::desc("With --import-onnx: fix dimension 0 of every graph "
                     "input to this size"),
      llvm::cl::value_desc("N"), llvm::cl::init(0));
  TranslateToMLIRRegistration registration(
      "import-onnx", "import a quantized ONNX model (QDQ, QOperator, QONNX)",
      [](const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *file =
            sourceMgr->getMemoryBuffer(sourceMgr->getMainFileID());
        ImportOptions options;
        options.modelName = file->getBufferIdentifier().str();
        // External data lies beside the model; stdin has no directory.
        if (options.modelName != "<stdin>" && options.modelName != "-") {
          options.externalDataDir =
              llvm::sys::path::parent_path(options.modelName).str();
          if (options.externalDataDir.empty())
            options.externalDataDir = ".";
        }
        if (batchSize > 0)
          options.batchSize = batchSize;
        FailureOr<ImportedModel> model =
            importModel(file->getBuffer(), context, options);
        if (failed(model))
          return nullptr;
        return OwningOpRef<Operation *>(model->module.release());
      },
      registerImportDialects);
}
