//===- ImportedValue.h - What an ONNX tensor name stands for ----*- C++ -*-===//
//
// The importer does not translate ONNX nodes one to one: a float tensor in a
// QDQ graph is a real number that is only ever materialized as integers
// together with the QuantizeLinear that ends it. Each ONNX tensor is bound
// to one of the forms below, and QuantizeLinear (or the integer op that
// consumes it) decides which qnn ops realize it. docs/frontend.md explains
// the forms with examples.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_FRONTEND_ONNX_IMPORTEDVALUE_H
#define QNN_FRONTEND_ONNX_IMPORTEDVALUE_H

#include "TensorData.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Value.h"

#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlir::qnn::frontend {

/// Scales and zero points of a quantized tensor: one pair for the whole
/// tensor, or one per index along `axis`.
struct QuantParams {
  llvm::SmallVector<double> scales;
  llvm::SmallVector<int64_t> zeroPoints; ///< as many as scales
  int64_t axis = 0;                      ///< meaningful with several scales

  bool isPerTensor() const { return scales.size() == 1; }
  double scale(int64_t channel) const {
    return scales.size() == 1 ? scales[0] : scales[channel];
  }
  int64_t zeroPoint(int64_t channel) const {
    return zeroPoints.size() == 1 ? zeroPoints[0] : zeroPoints[channel];
  }
  /// The zero point if every channel has the same one.
  std::optional<int64_t> uniformZeroPoint() const;
  /// True if every channel has the same scale.
  bool hasUniformScale() const;
};

/// A closed real interval [lo, hi]: a ReLU or Clip not yet applied.
struct Interval {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();

  bool isFull() const;
  Interval intersect(const Interval &other) const;
};

struct ImportedValue;
using ValueRef = std::shared_ptr<const ImportedValue>;

struct ImportedValue {
  enum class Kind {
    /// Integers without a real meaning (QOperator tensors, QuantizeLinear
    /// outputs, integer graph inputs): `ints`.
    Int,
    /// The reals (ints - zp) * scale, clipped to `clip` (DequantizeLinear
    /// outputs): `ints`, `quant`, `clip`.
    Grid,
    /// The reals acc * scale[c], clipped to `clip`, with acc an i32
    /// accumulator (Conv, Gemm, MatMul, AveragePool outputs): `ints` holds
    /// acc, `quant` the scales (zero points 0).
    Accum,
    /// The reals lhs + rhs, clipped to `clip`, of two Grid values (Add):
    /// `parts`.
    Sum,
    /// A concatenation along `concatAxis` of `parts` whose quantization
    /// differs, waiting for the QuantizeLinear that unifies it.
    Concat,
    /// A float graph input: `ints` holds the f32 argument.
    FloatArg,
    /// An initializer or Constant node: `data`.
    Constant,
  };

  Kind kind;
  /// The shape; the element type is the integer type of `ints` (Int, Grid,
  /// Accum), f32 for the real-valued kinds, the data's type for Constant.
  RankedTensorType type;
  /// The SSA value (null while a constant's integers are not materialized).
  Value ints;
  /// The integers or reals when known at import (constants, weights).
  std::shared_ptr<const TensorData> data;
  QuantParams quant;
  Interval clip;
  std::vector<ValueRef> parts;
  int64_t concatAxis = 0;
  /// "Conv 'conv1'", "graph input 'x'": where the value comes from, for
  /// diagnostics about its use.
  std::string origin;

  bool isRealValued() const {
    return kind != Kind::Int &&
           !(kind == Kind::Constant && data && data->isInteger());
  }
};

} // namespace mlir::qnn::frontend

#endif // QNN_FRONTEND_ONNX_IMPORTEDVALUE_H
