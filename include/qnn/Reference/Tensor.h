//===- Tensor.h - Values of the reference interpreter -----------*- C++ -*-===//
//
// The reference interpreter holds every integer element as an int64_t, which
// represents every element type the dialect allows (up to 64 bits signed,
// 32 bits unsigned) exactly; f32 elements exist only at the float boundary
// (qnn.quantize / qnn.dequantize).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_REFERENCE_TENSOR_H
#define QNN_REFERENCE_TENSOR_H

#include "mlir/IR/BuiltinTypes.h"

#include <cstdint>
#include <vector>

namespace mlir::qnn::reference {

struct Tensor {
  mlir::RankedTensorType type;
  std::vector<int64_t> ints;  ///< elements, row-major, if integer-typed
  std::vector<float> floats;  ///< elements, row-major, if f32-typed

  /// A zero-filled tensor of the given type.
  static Tensor zeros(mlir::RankedTensorType type);

  bool isFloat() const { return mlir::isa<mlir::FloatType>(elementType()); }
  mlir::Type elementType() const { return type.getElementType(); }
  llvm::ArrayRef<int64_t> shape() const { return type.getShape(); }
  int64_t numElements() const { return type.getNumElements(); }
};

/// Row-major strides of a shape.
std::vector<int64_t> rowMajorStrides(llvm::ArrayRef<int64_t> shape);

} // namespace mlir::qnn::reference

#endif // QNN_REFERENCE_TENSOR_H
