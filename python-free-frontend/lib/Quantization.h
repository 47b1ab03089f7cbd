//===- Quantization.h - Realizing the forms of ImportedValue ----*- C++ -*-===//
//
// The rules that turn the real-valued forms of ImportedValue into qnn ops:
// reading scales and zero points, quantizing a value to a QuantizeLinear's
// target (qnn.quantize, qnn.requantize, qnn.requantize_add, or folding at
// import), handing an integer op its quantized operands, and ending the
// function at the graph outputs.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_FRONTEND_ONNX_QUANTIZATION_H
#define QNN_FRONTEND_ONNX_QUANTIZATION_H

#include "Importer.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"

namespace mlir::qnn::frontend {

/// The quantized operand of an integer op: its integers (`ints`, or only
/// `data` until materialized) and their scales and zero points.
struct GridOperand {
  Value ints;
  std::shared_ptr<const TensorData> data;
  RankedTensorType type;
  QuantParams quant;
};

/// The SSA value of `operand`, materializing its constant on first use.
Value operandValue(NodeContext &ctx, GridOperand &operand);

/// Input i as a quantized operand: a DequantizeLinear output, whose pending
/// ReLU/Clip becomes an exact integer clamp. Refuses (naming `role`) a float
/// tensor outside a quantized region, an accumulator no QuantizeLinear ends,
/// and integers without a scale.
FailureOr<GridOperand> gridInput(NodeContext &ctx, unsigned i, StringRef role);

/// The value of input i as integers with a scale of 1 and zero point
/// `zeroPoints` (ConvInteger, MatMulInteger).
FailureOr<GridOperand> integerInput(NodeContext &ctx, unsigned i,
                                    std::optional<unsigned> zeroPointInput,
                                    int64_t zeroPointAxis, StringRef role);

/// Reads the scale (and zero point, if given) inputs of a
/// QuantizeLinear-like node for a tensor of shape `shape`: one value, or a
/// 1-D tensor along `axis`. `zeroPointType` receives the zero point's ONNX
/// element type (0 if there is none).
FailureOr<QuantParams> readQuantParams(NodeContext &ctx, unsigned scaleInput,
                                       std::optional<unsigned> zeroPointInput,
                                       int64_t axis, ArrayRef<int64_t> shape,
                                       int32_t &zeroPointType);

/// Clips the reals of `x` to `clip` (ReLU, Clip): an exact integer clamp of
/// a quantized value when its bounds are grid points, a pending clip
/// otherwise, which the QuantizeLinear that follows folds into its bounds.
FailureOr<ImportedValue> clipReals(NodeContext &ctx, const ImportedValue &x,
                                   const Interval &clip);

/// The integer input i with the scale and zero point inputs of a QOperator
/// node (QLinearConv, QLinearMatMul, QLinearAdd).
FailureOr<GridOperand> qlinearInput(NodeContext &ctx, unsigned valueInput,
                                    unsigned scaleInput, unsigned zeroPointInput,
                                    int64_t axis, StringRef role);

/// An integer op's operand has at most 16 bits.
LogicalResult checkOperandWidth(NodeContext &ctx, const GridOperand &operand,
                                StringRef role);

/// An activation operand has one scale and one zero point.
LogicalResult checkPerTensor(NodeContext &ctx, const GridOperand &operand,
                             StringRef role);

/// What a QuantizeLinear produces: scales and zero points, the integer type
/// and the range within it (narrower than the type for QONNX narrow range).
struct QuantTarget {
  QuantParams quant;
  IntegerType type;
  int64_t clampMin;
  int64_t clampMax;
  /// QuantizeLinear rounds half to even; a QONNX Quant says how it rounds.
  RoundingMode rounding = RoundingMode::half_even;
};

/// A target with the full range of `type`.
QuantTarget makeTarget(QuantParams quant, IntegerType type);

/// The per-tensor output quantization of a QOperator node (y_scale,
/// y_zero_point inputs); the output type is the zero point's, or that of
/// `inputType` without one.
FailureOr<QuantTarget> qlinearOutputTarget(NodeContext &ctx,
                                           unsigned scaleInput,
                                           unsigned zeroPointInput,
                                           RankedTensorType inputType);

/// Quantizes `value` (any real-valued form) to `target`: an Int value.
FailureOr<ImportedValue> quantize(NodeContext &ctx, const ImportedValue &value,
                                  const QuantTarget &target);

/// An Accum value: the i32 accumulator `acc` of real scale `scales` (one, or
/// one per index along `axis`).
ImportedValue accumulator(Value acc, ArrayRef<double> scales, int64_t axis);

/// Subtracts per-channel weight zero points (along `axis`) from a constant
/// weight, widening it to 16 bits, so that the op sees one zero point 0.
/// Leaves a uniform zero point alone; refuses per-channel zero points on
/// runtime weights.
LogicalResult foldWeightZeroPoints(NodeContext &ctx, GridOperand &weight,
                                   int64_t axis, StringRef role);

/// Re-expresses a bias (input `i`: DequantizeLinear of integers, or a float
/// constant) in units of the accumulator scales `accScales` (per channel
/// along the bias), rounding to nearest even, as a qnn.constant of i32.
FailureOr<Value> biasInAccumulatorUnits(NodeContext &ctx, unsigned i,
                                        ArrayRef<double> accScales,
                                        int64_t channels, double factor = 1.0);

/// The result of @main for graph output `name` bound to `value`: integers as
/// they are, quantized reals through qnn.dequantize. Emits an error at
/// `loc` for what has no such form.
FailureOr<Value> materializeOutput(Importer &importer,
                                   const ImportedValue &value, StringRef name,
                                   Location loc);

/// The channel of flat element `index` of a tensor of shape `shape` along
/// `axis`, or 0 for per-tensor parameters (`numChannels` 1).
int64_t channelOf(int64_t index, ArrayRef<int64_t> shape, int64_t axis,
                  size_t numChannels);

/// `type` with a new shape.
RankedTensorType withShape(RankedTensorType type, ArrayRef<int64_t> shape);

/// The element type of a tensor of integers.
inline IntegerType intElementType(RankedTensorType type) {
  return cast<IntegerType>(type.getElementType());
}

} // namespace mlir::qnn::frontend

#endif // QNN_FRONTEND_ONNX_QUANTIZATION_H
