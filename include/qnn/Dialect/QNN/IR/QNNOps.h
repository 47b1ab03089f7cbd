//===- QNNOps.h - qnn operations --------------------------------*- C++ -*-===//

#ifndef QNN_DIALECT_QNN_IR_QNNOPS_H
#define QNN_DIALECT_QNN_IR_QNNOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "qnn/Dialect/QNN/IR/QNNDialect.h"
#include "qnn/Support/IntegerRules.h"

namespace mlir::qnn {
namespace rules = ::qnn::rules;
} // namespace mlir::qnn

#include "qnn/Dialect/QNN/IR/QNNEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "qnn/Dialect/QNN/IR/QNNAttrs.h.inc"

#define GET_OP_CLASSES
#include "qnn/Dialect/QNN/IR/QNNOps.h.inc"

namespace mlir::qnn {

/// The shared-rules tie rule of a dialect rounding mode.
rules::Rounding toRulesRounding(RoundingMode mode);

/// The value range of an integer element type under the dialect's signedness
/// convention (signless is signed, `ui` is unsigned).
rules::IntRange integerRange(IntegerType type);

/// Bits of the container that holds one element of `type` outside the
/// compiler (object code, the C header, qnn-run's raw and .npy files): the
/// narrowest of 8, 16, 32, 64 that holds it; sub-byte values take a byte.
unsigned containerBits(IntegerType type);

/// Output spatial size of a sliding window: floor((in + padBefore + padAfter
/// - dilation*(kernel-1) - 1) / stride) + 1, or a negative value if the
/// window does not fit.
int64_t slidingWindowOutputSize(int64_t in, int64_t kernel, int64_t stride,
                                int64_t padBefore, int64_t padAfter,
                                int64_t dilation);

/// The bounds a requantizing op (qnn.rescale, qnn.requantize,
/// qnn.requantize_add) clamps its result to: clamp_min and clamp_max where
/// present, the output type's range otherwise.
template <typename OpTy>
rules::IntRange clampBounds(OpTy op) {
  rules::IntRange type = integerRange(cast<IntegerType>(
      cast<ShapedType>(op.getOutput().getType()).getElementType()));
  return {op.getClampMin().value_or(type.min),
          op.getClampMax().value_or(type.max)};
}

} // namespace mlir::qnn

#endif // QNN_DIALECT_QNN_IR_QNNOPS_H
