//===- ExportQnn.cpp - The integer student as a qnn module ----------------===//

#include "ExportQnn.h"

#include "LayerDump.h"

#include <sstream>

namespace qnn::train {
namespace {

/// A dense literal of row-major `values`, with brackets for each dimension
/// of `shape`.
std::string denseLiteral(const std::vector<int64_t> &values,
                         const std::vector<int64_t> &shape) {
  std::vector<int64_t> block(shape.size(), 1); // elements per bracket level
  for (int64_t d = int64_t(shape.size()) - 1, n = 1; d >= 0; --d)
    block[d] = n *= shape[d];
  int64_t count = int64_t(values.size());
  std::ostringstream os;
  os << "dense<";
  for (int64_t i = 0; i < count; ++i) {
    for (int64_t b : block)
      if (i % b == 0)
        os << "[";
    os << values[i];
    int closing = 0;
    for (int64_t b : block)
      closing += (i + 1) % b == 0;
    os << std::string(closing, ']') << (i + 1 < count ? ", " : "");
  }
  os << ">";
  return os.str();
}

std::string i32Array(const std::vector<rules::MultiplierShift> &ms,
                     bool multipliers) {
  std::string s = "array<i32: ";
  for (size_t c = 0; c < ms.size(); ++c)
    s += (c ? ", " : "") +
         std::to_string(multipliers ? ms[c].multiplier : int32_t(ms[c].shift));
  return s + ">";
}

/// Emits the module text, tracking the current value and its shape.
class Writer {
public:
  explicit Writer(const ExportedStudent &net)
      : shape{1, net.channels, net.rows, net.cols}, element("ui8") {}

  std::string module(const ExportedStudent &net) {
    std::string input = tensorType(shape, element);
    for (size_t l = 0; l < net.layers.size(); ++l)
      layer(net, l);
    std::ostringstream os;
    os << "// The integer student written by qnn-train: integer-only qnn.\n"
       << "func.func @main(%image: " << input << ") -> "
       << tensorType(shape, element) << " {\n"
       << body.str() << "  return " << value << " : "
       << tensorType(shape, element) << "\n}\n";
    return os.str();
  }

private:
  /// `%name = <op> <operands> : <operand types> -> <result type> loc(...)`
  void emit(const std::string &name, const StepInModule &step,
            const std::string &operands, const std::string &types,
            const std::vector<int64_t> &resultShape) {
    body << "  %" << name << " = " << step.op << " " << operands << " : "
         << types << " -> " << tensorType(resultShape, step.element)
         << " loc(\"" << step.location << "\")\n";
    value = "%" + name;
    shape = resultShape;
    element = step.element;
  }

  std::string constant(const std::string &name,
                       const std::vector<int64_t> &values,
                       const std::vector<int64_t> &shape,
                       const std::string &type) {
    body << "  %" << name << " = qnn.constant " << denseLiteral(values, shape)
         << " : " << tensorType(shape, type) << "\n";
    return "%" + name;
  }

  void layer(const ExportedStudent &net, size_t index) {
    const ExportedLayer &layer = net.layers[index];
    std::string id = "layer" + std::to_string(index);
    auto step = [&](IntegerStep s) { return describeStep(net, index, s); };
    std::string weightType = "i" + std::to_string(layer.weightBits);
    int64_t out = layer.outputs();
    std::string bias = constant(id + "_bias", layer.bias, {out}, "i32");
    std::string in = tensorType(shape, element);
    if (layer.isConv) {
      const std::vector<int64_t> &w = layer.weightShape;
      std::string weight = constant(id + "_weight", layer.weight, w, weightType);
      int64_t p = layer.padding;
      std::vector<int64_t> result{shape[0], out, shape[2] + 2 * p - w[2] + 1,
                                  shape[3] + 2 * p - w[3] + 1};
      emit(id + "_acc", step(IntegerStep::Accumulate),
           value + ", " + weight + ", " + bias + " {padding = array<i64: " +
               std::to_string(p) + ", " + std::to_string(p) + ", " +
               std::to_string(p) + ", " + std::to_string(p) + ">}",
           "(" + in + ", " + tensorType(w, weightType) + ", " +
               tensorType({out}, "i32") + ")",
           result);
    } else {
      if (shape.size() != 2) {
        int64_t features = 1;
        for (size_t d = 1; d < shape.size(); ++d)
          features *= shape[d];
        emit(id + "_flat", step(IntegerStep::Flatten), value, in,
             {shape[0], features});
        in = tensorType(shape, element);
      }
      // The layer stores [out, in]; qnn.matmul multiplies by [K, N] =
      // [in, out].
      std::vector<int64_t> w{layer.weightShape[1], out};
      std::string weight =
          constant(id + "_weight", transposed(layer.weight, out, w[0]), w,
                   weightType);
      emit(id + "_acc", step(IntegerStep::Accumulate),
           value + ", " + weight + ", " + bias,
           "(" + in + ", " + tensorType(w, weightType) + ", " +
               tensorType({out}, "i32") + ")",
           {shape[0], out});
    }
    if (layer.classifier)
      return;
    int64_t actMax = rules::intRange(layer.actBits, /*isSigned=*/false).max;
    emit(id + "_act", step(IntegerStep::Rescale),
         value + " {axis = 1, multiplier = " + i32Array(layer.requant, true) +
             ", shift = " + i32Array(layer.requant, false) +
             ", clamp_min = 0, clamp_max = " + std::to_string(actMax) + "}",
         tensorType(shape, element), shape);
    if (layer.poolAfter)
      emit(id + "_pool", step(IntegerStep::Pool),
           value + " {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}",
           tensorType(shape, element),
           {shape[0], shape[1], shape[2] / 2, shape[3] / 2});
  }

  std::ostringstream body;
  std::vector<int64_t> shape;
  std::string element, value = "%image";
};

} // namespace

StepInModule describeStep(const ExportedStudent &net, size_t index,
                          IntegerStep step) {
  const ExportedLayer &layer = net.layers[index];
  std::string id = "layer" + std::to_string(index);
  std::string codes = "ui" + std::to_string(layer.actBits);
  switch (step) {
  case IntegerStep::Flatten: // the codes of the layer before, or the pixels
    return {id + ".flatten", "qnn.reshape",
            index == 0 ? "ui8"
                       : "ui" + std::to_string(net.layers[index - 1].actBits)};
  case IntegerStep::Accumulate:
    if (layer.isConv)
      return {id + ".conv", "qnn.conv2d", "i32"};
    return {id + ".linear", "qnn.matmul", "i32"};
  case IntegerStep::Rescale:
    return {id + ".rescale", "qnn.rescale", codes};
  case IntegerStep::Pool:
    return {id + ".pool", "qnn.max_pool2d", codes};
  }
  return {};
}

Expected<bool> writeQnnModule(const ExportedStudent &net,
                              const std::string &path) {
  return writeFileAtomically(path, Writer(net).module(net));
}

Expected<bool> writeInt32File(const std::vector<int32_t> &values,
                              const std::string &path) {
  std::string bytes;
  for (int32_t v : values)
    for (int b = 0; b < 4; ++b)
      bytes.push_back(char((uint32_t(v) >> (8 * b)) & 0xff));
  return writeFileAtomically(path, bytes);
}

} // namespace qnn::train
