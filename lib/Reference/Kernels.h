//===- Kernels.h - Reference kernels, one per qnn op ------------*- C++ -*-===//
//
// Each kernel computes one op's result from its operand tensors, exactly as
// docs/semantics.md states it. Operands are already checked by the op
// verifier; kernels do not re-validate structure.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_REFERENCE_KERNELS_H
#define QNN_LIB_REFERENCE_KERNELS_H

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Reference/Tensor.h"

namespace mlir::qnn::reference {

Tensor constantKernel(mlir::qnn::ConstantOp op);
Tensor conv2dKernel(mlir::qnn::Conv2DOp op, const Tensor &input,
                    const Tensor &weight, const Tensor *bias);
Tensor matmulKernel(mlir::qnn::MatmulOp op, const Tensor &lhs,
                    const Tensor &rhs, const Tensor *bias);
Tensor addKernel(mlir::qnn::AddOp op, const Tensor &lhs, const Tensor &rhs);
Tensor avgPool2dKernel(mlir::qnn::AvgPool2DOp op, const Tensor &input);
Tensor maxPool2dKernel(mlir::qnn::MaxPool2DOp op, const Tensor &input);
Tensor clampKernel(mlir::qnn::ClampOp op, const Tensor &input);
Tensor padKernel(mlir::qnn::PadOp op, const Tensor &input);
Tensor reshapeKernel(mlir::qnn::ReshapeOp op, const Tensor &input);
Tensor concatKernel(mlir::qnn::ConcatOp op, llvm::ArrayRef<Tensor> inputs);
Tensor rescaleKernel(mlir::qnn::RescaleOp op, const Tensor &input);
Tensor requantizeKernel(mlir::qnn::RequantizeOp op, const Tensor &input);
Tensor requantizeAddKernel(mlir::qnn::RequantizeAddOp op, const Tensor &lhs,
                           const Tensor &rhs);
Tensor batchNormKernel(mlir::qnn::BatchNormOp op, const Tensor &input);
Tensor quantizeKernel(mlir::qnn::QuantizeOp op, const Tensor &input);
Tensor dequantizeKernel(mlir::qnn::DequantizeOp op, const Tensor &input);

} // namespace mlir::qnn::reference

#endif // QNN_LIB_REFERENCE_KERNELS_H
