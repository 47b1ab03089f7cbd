//===- onnx-import-fuzzer.cpp - libFuzzer target of the ONNX importer -----===//
//
// Feeds arbitrary bytes to importModel. The importer must refuse what it
// cannot read with a diagnostic; a crash, a sanitizer report, a timeout or
// unbounded memory is a bug. Built only with -DQNN_ENABLE_FRONTEND_FUZZER=ON
// (a sanitizer build); scripts/fuzz-frontend.sh runs it.
//
//===----------------------------------------------------------------------===//

#include "qnn/Frontend/ONNX/Import.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::DialectRegistry registry;
  mlir::qnn::frontend::registerImportDialects(registry);
  // A fresh context per input: uniqued attributes would otherwise pile up.
  mlir::MLIRContext context(registry, mlir::MLIRContext::Threading::DISABLED);
  mlir::ScopedDiagnosticHandler silence(
      &context, [](mlir::Diagnostic &) { return mlir::success(); });
  mlir::qnn::frontend::ImportOptions options;
  (void)mlir::qnn::frontend::importModel(
      llvm::StringRef(reinterpret_cast<const char *>(data), size), &context,
      options);
  return 0;
}
