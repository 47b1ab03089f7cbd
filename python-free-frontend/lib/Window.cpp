//===- Window.cpp - 2-D sliding-window attributes of ONNX nodes -----------===//

#include "Window.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::frontend;

/// Values of a window attribute are small positive (or, for pads,
/// non-negative) integers; bounding them keeps every size computation far
/// from overflow.
static constexpr int64_t kMaxWindowValue = int64_t(1) << 24;

static LogicalResult readList(NodeContext &ctx, StringRef name, size_t size,
                              int64_t min, SmallVectorImpl<int64_t> &values) {
  if (failed(ctx.readAttribute(name, values)))
    return failure();
  if (values.size() != size)
    return ctx.error() << "attribute '" << name << "' has " << values.size()
                       << " values, expected " << size
                       << " (only 2-D windows are supported)";
  for (int64_t v : values)
    if (v < min || v > kMaxWindowValue)
      return ctx.error() << "attribute '" << name << "' value " << v
                         << " is not supported";
  return success();
}

FailureOr<Window2D>
mlir::qnn::frontend::readWindow2D(NodeContext &ctx,
                                  ArrayRef<int64_t> inputShape,
                                  ArrayRef<int64_t> kernel,
                                  bool allowCeilMode) {
  if (inputShape.size() != 4)
    return ctx.error() << "expects a 4-D NCHW input, got rank "
                       << inputShape.size()
                       << " (only 2-D windows are supported)";
  Window2D w;
  if (!ctx.hasAttribute("kernel_shape") && kernel.empty())
    return ctx.error() << "attribute 'kernel_shape' is required";
  if (ctx.hasAttribute("kernel_shape")) {
    if (failed(readList(ctx, "kernel_shape", 2, 1, w.kernel)))
      return failure();
    if (!kernel.empty() && ArrayRef<int64_t>(w.kernel) != kernel)
      return ctx.error() << "attribute 'kernel_shape' does not match the "
                            "weight's kernel "
                         << kernel[0] << "x" << kernel[1];
  } else {
    w.kernel.assign(kernel.begin(), kernel.end());
  }
  if (failed(readList(ctx, "strides", 2, 1, w.strides)) ||
      failed(readList(ctx, "dilations", 2, 1, w.dilations)))
    return failure();

  std::string autoPad = "NOTSET";
  if (failed(ctx.readAttribute("auto_pad", autoPad)))
    return failure();
  if (autoPad == "NOTSET") {
    if (failed(readList(ctx, "pads", 4, 0, w.pads)))
      return failure();
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    if (ctx.hasAttribute("pads"))
      return ctx.error() << "attributes 'auto_pad' and 'pads' exclude each "
                            "other";
    for (int i = 0; i < 2; ++i) {
      int64_t in = inputShape[2 + i], s = w.strides[i];
      int64_t extent = w.dilations[i] * (w.kernel[i] - 1) + 1;
      int64_t total =
          std::max<int64_t>(((in + s - 1) / s - 1) * s + extent - in, 0);
      int64_t small = total / 2, large = total - small;
      w.pads[i] = autoPad == "SAME_UPPER" ? small : large;
      w.pads[2 + i] = autoPad == "SAME_UPPER" ? large : small;
    }
  } else if (autoPad != "VALID") {
    return ctx.error() << "attribute 'auto_pad' value '" << autoPad
                       << "' is not supported";
  }

  int64_t ceilMode = 0;
  if (allowCeilMode && failed(ctx.readAttribute("ceil_mode", ceilMode)))
    return failure();
  if (ceilMode != 0 && ceilMode != 1)
    return ctx.error() << "attribute 'ceil_mode' value " << ceilMode
                       << " is not supported";
  for (int i = 0; i < 2; ++i) {
    int64_t out = slidingWindowOutputSize(inputShape[2 + i], w.kernel[i],
                                          w.strides[i], w.pads[i],
                                          w.pads[2 + i], w.dilations[i]);
    if (out < 1)
      return ctx.error() << "the window does not fit the input "
                         << (i == 0 ? "height " : "width ")
                         << inputShape[2 + i];
    int64_t extent = w.dilations[i] * (w.kernel[i] - 1) + 1;
    int64_t room = inputShape[2 + i] + w.pads[i] + w.pads[2 + i] - extent;
    if (ceilMode && room % w.strides[i] != 0)
      return ctx.error() << "ceil_mode = 1 with a partial last window is not "
                            "supported";
    w.output.push_back(out);
  }
  return w;
}
