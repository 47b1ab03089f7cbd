//===- Tensor.cpp - Values of the reference interpreter -------------------===//

#include "qnn/Reference/Tensor.h"

using namespace mlir::qnn::reference;

Tensor Tensor::zeros(mlir::RankedTensorType type) {
  Tensor t;
  t.type = type;
  if (mlir::isa<mlir::FloatType>(type.getElementType()))
    t.floats.assign(type.getNumElements(), 0.0f);
  else
    t.ints.assign(type.getNumElements(), 0);
  return t;
}

std::vector<int64_t>
mlir::qnn::reference::rowMajorStrides(llvm::ArrayRef<int64_t> shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (int64_t d = int64_t(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}
