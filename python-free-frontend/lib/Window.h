//===- Window.h - 2-D sliding-window attributes of ONNX nodes ---*- C++ -*-===//
//
// Conv, MaxPool and AveragePool share kernel_shape, strides, pads,
// dilations, auto_pad and ceil_mode; this reads and checks them once.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_FRONTEND_ONNX_WINDOW_H
#define QNN_FRONTEND_ONNX_WINDOW_H

#include "Importer.h"

namespace mlir::qnn::frontend {

struct Window2D {
  SmallVector<int64_t, 2> kernel;
  SmallVector<int64_t, 2> strides{1, 1};
  /// [top, left, bottom, right]: ONNX's [h_begin, w_begin, h_end, w_end].
  SmallVector<int64_t, 4> pads{0, 0, 0, 0};
  SmallVector<int64_t, 2> dilations{1, 1};
  /// Output height and width.
  SmallVector<int64_t, 2> output;
};

/// Reads the window of a node over an NCHW `inputShape`. `kernel` is the
/// weight's kernel for Conv (kernel_shape must then agree) or empty for
/// pools (kernel_shape is required). `allowCeilMode` accepts ceil_mode = 1
/// when it changes no output size.
FailureOr<Window2D> readWindow2D(NodeContext &ctx,
                                 ArrayRef<int64_t> inputShape,
                                 ArrayRef<int64_t> kernel, bool allowCeilMode);

} // namespace mlir::qnn::frontend

#endif // QNN_FRONTEND_ONNX_WINDOW_H
