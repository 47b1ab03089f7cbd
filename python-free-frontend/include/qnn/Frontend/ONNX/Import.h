//===- Import.h - Import quantized ONNX models into qnn ---------*- C++ -*-===//
//
// Reads an ONNX ModelProto (QDQ form, QOperator form, QONNX Quant nodes) and
// produces a module with one `func.func @main` of `qnn` ops in their
// pre-folding form (real scales in qnn.requantize / qnn.requantize_add).
// docs/frontend.md lists the supported ops and forms.
//
// Every refusal (unsupported op or attribute value, dynamic shape, float op
// outside a quantized region, malformed file) is one located error
// diagnostic naming the node; no module is returned then.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_FRONTEND_ONNX_IMPORT_H
#define QNN_FRONTEND_ONNX_IMPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringMap.h"

#include <optional>
#include <string>
#include <vector>

namespace onnx {
class TensorProto;
} // namespace onnx

namespace mlir::qnn::frontend {

struct ImportOptions {
  /// Replaces dimension 0 of every graph input (symbolic or not).
  std::optional<int64_t> batchSize;
  /// Directory that external tensor data is read from; external data is
  /// refused when empty.
  std::string externalDataDir;
  /// The file name diagnostics and locations mention.
  std::string modelName = "model.onnx";
  /// Values for graph inputs, used only where the importer needs a constant
  /// (a scale, a zero point, a shape, a weight it must rewrite): the
  /// conformance runner passes an ONNX test's input data here, because the
  /// backend tests feed scales as inputs. Inputs used this way and nowhere
  /// else are dropped from the function signature.
  llvm::StringMap<const ::onnx::TensorProto *> inputValues;
};

struct ImportedModel {
  OwningOpRef<ModuleOp> module;
  /// ONNX names of @main's arguments and results, in order.
  std::vector<std::string> inputNames;
  std::vector<std::string> outputNames;
};

/// Imports a serialized ModelProto. Emits an error diagnostic and fails on
/// anything it refuses.
FailureOr<ImportedModel> importModel(llvm::StringRef bytes,
                                     MLIRContext *context,
                                     const ImportOptions &options);

/// Reads and imports `path`; external data is read from its directory.
FailureOr<ImportedModel> importModelFile(llvm::StringRef path,
                                         MLIRContext *context,
                                         ImportOptions options = {});

/// Registers the dialects that imported modules contain.
void registerImportDialects(DialectRegistry &registry);

/// Registers `--import-onnx` (and its options) with mlir-translate's
/// registry, for qnn-translate.
void registerImportTranslation();

} // namespace mlir::qnn::frontend

#endif // QNN_FRONTEND_ONNX_IMPORT_H
