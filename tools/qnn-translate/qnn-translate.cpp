//===- qnn-translate.cpp - Translations into and out of qnn ---------------===//
//
// mlirTranslateMain with every qnn translation registered; each one is a
// flag: --import-onnx (python-free-frontend), --emit-obj, --emit-llvmir and
// --emit-header (lib/Target).
//
//===----------------------------------------------------------------------===//

#include "qnn/Frontend/ONNX/Import.h"
#include "qnn/Target/Native.h"

#include "mlir/Support/LogicalResult.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  mlir::qnn::frontend::registerImportTranslation();
  mlir::qnn::registerNativeTranslations();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "qnn-mlir translation driver\n"));
}
