//===- TensorData.h - Decoded ONNX tensors ----------------------*- C++ -*-===//
//
// An ONNX TensorProto decoded into plain vectors, with every size checked
// against the data actually present: a hostile file can claim any dims, any
// raw_data length and any external offset.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_FRONTEND_ONNX_TENSORDATA_H
#define QNN_FRONTEND_ONNX_TENSORDATA_H

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace onnx {
class TensorProto;
} // namespace onnx

namespace mlir::qnn::frontend {

/// What the importer needs to know about an ONNX element type
/// (TensorProto::DataType).
struct ElementTypeInfo {
  enum class Kind { Integer, Real };
  Kind kind;
  unsigned bits;
  bool isSigned;
  const char *name;
};

/// The element types the importer reads, or nullopt for the others (string,
/// complex, float8, 4-bit).
std::optional<ElementTypeInfo> elementTypeInfo(int32_t dataType);

/// The name of an ONNX element type for diagnostics ("UINT8", "type 99").
std::string elementTypeName(int32_t dataType);

/// The qnn element type of an integer ONNX type (INT8 -> i8, UINT8 -> ui8),
/// f32 for FLOAT, null for the others.
Type toMLIRElementType(MLIRContext *context, int32_t dataType);

/// The ONNX integer type of an MLIR integer type, or 0 (UNDEFINED).
int32_t toONNXElementType(IntegerType type);

/// A decoded tensor: integers as int64_t, reals (float, double, float16,
/// bfloat16) as double, both row-major.
struct TensorData {
  int32_t dataType = 0;
  llvm::SmallVector<int64_t> shape;
  std::vector<int64_t> ints;
  std::vector<double> reals;

  /// An empty tensor of integers (as INT64) of `shape`, for data the
  /// importer computes.
  static std::shared_ptr<TensorData> integers(llvm::ArrayRef<int64_t> shape);

  bool isInteger() const;
  int64_t numElements() const;
  /// The value of element i as a real number.
  double realAt(int64_t i) const {
    return isInteger() ? double(ints[i]) : reals[i];
  }
};

/// Decodes `proto`. External data is read relative to `externalDataDir`
/// (refused when it is empty). Fails with a message that does not name the
/// tensor; callers add that.
llvm::Expected<TensorData> decodeTensor(const ::onnx::TensorProto &proto,
                                        llvm::StringRef externalDataDir);

/// The product of `shape`, or nullopt on a negative dimension or overflow
/// past 2^62.
std::optional<int64_t> checkedElementCount(llvm::ArrayRef<int64_t> shape);

} // namespace mlir::qnn::frontend

#endif // QNN_FRONTEND_ONNX_TENSORDATA_H
