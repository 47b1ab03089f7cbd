//===- ExportOnnx.h - The integer student as an ONNX model ------*- C++ -*-===//
//
// Writes the integer student as ONNX (opset 13) that computes exactly what
// simulateInteger computes, in one of two forms:
//
// - QONNX: sub-8-bit values as QONNX `Quant` nodes (domain
//   qonnx.custom_op.general) with their true bit widths, as Brevitas
//   exports them. python-free-frontend imports it, and the compiled result is
//   bit-identical to the integer simulation.
// - QDQ: only standard ONNX ops (QuantizeLinear/DequantizeLinear in 8-bit
//   containers, a Clip for the A-bit range), which ONNX Runtime runs.
//   QuantizeLinear rounds half to even where the student rounds half up,
//   and runtimes evaluate it in float32, so this form may differ from the
//   student by one code at or near a tie.
//
// Both forms: the uint8 image, DequantizeLinear(scale 1) to the reals the
// codes stand for; per hidden layer Conv or Gemm with per-channel weight
// scales s_w = M / 2^s (so that acc * s_w is the student's rescale) and an
// int32 bias dequantized at scale s_w, then the A-bit activation at scale 1
// (its integer codes) and the max-pool; the classifier as MatMulInteger of
// the uint8 codes and int8 weights plus the int32 bias: the int32 logits.
// Node names are the student's layer names ("layer0.conv",
// "layer0.rescale", ...), which the frontend keeps as locations, so per-layer
// dumps of the imported module line up with the training module's.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_TRAINING_EXPORTONNX_H
#define QNN_TRAINING_EXPORTONNX_H

#include "ExportedStudent.h"

#include <optional>
#include <string>

namespace qnn::train {

enum class OnnxForm {
  QOnnx,
  Qdq,
  /// Qdq whose every QuantizeLinear result (the activation codes, named
  /// after the layer: "layer0.rescale", "layer1.pool", ...) is also a graph
  /// output, so that a runtime's per-layer values can be compared with
  /// qnn-diff (scripts/ort-dump-layers.js).
  QdqLayers,
};

/// Why `net` has no ONNX form here, if it has none: a residual block (its
/// int16 residual rescales and integer add; README.md) or a global average
/// pool. writeOnnxModel refuses such a student with this reason.
std::optional<std::string> onnxUnsupported(const ExportedStudent &net);

/// Writes `net` to `path` atomically. Fails, naming the layer and channel,
/// when a scale M / 2^s is not a float32 (ONNX scales are float32; 24-bit
/// multipliers or narrower always are, within float32's exponent range).
Expected<bool> writeOnnxModel(const ExportedStudent &net, OnnxForm form,
                              const std::string &path);

} // namespace qnn::train

#endif // QNN_TRAINING_EXPORTONNX_H
