//===- ExportQnn.cpp - The integer student as a qnn module ----------------===//

#include "ExportQnn.h"

#include <sstream>

namespace qnn::train {
namespace {

std::string shapeType(const std::vector<int64_t> &shape,
                      const std::string &element) {
  std::string s = "tensor<";
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s + element + ">";
}

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
    std::string input = shapeType(shape, element);
    for (size_t l = 0; l < net.layers.size(); ++l)
      layer(net.layers[l], "layer" + std::to_string(l));
    std::ostringstream os;
    os << "// The integer student written by qnn-train: integer-only qnn.\n"
       << "func.func @main(%image: " << input << ") -> "
       << shapeType(shape, element) << " {\n"
       << body.str() << "  return " << value << " : "
       << shapeType(shape, element) << "\n}\n";
    return os.str();
  }

private:
  /// `%name = <text> : <operand types> -> <result type> loc("where")`
  void emit(const std::string &name, const std::string &text,
            const std::string &types, const std::vector<int64_t> &resultShape,
            const std::string &resultElement, const std::string &where) {
    body << "  %" << name << " = " << text << " : " << types << " -> "
         << shapeType(resultShape, resultElement) << " loc(\"" << where
         << "\")\n";
    value = "%" + name;
    shape = resultShape;
    element = resultElement;
  }

  std::string constant(const std::string &name,
                       const std::vector<int64_t> &values,
                       const std::vector<int64_t> &shape,
                       const std::string &type) {
    body << "  %" << name << " = qnn.constant " << denseLiteral(values, shape)
         << " : " << shapeType(shape, type) << "\n";
    return "%" + name;
  }

  void layer(const ExportedLayer &layer, const std::string &id) {
    std::string weightType = "i" + std::to_string(layer.weightBits);
    int64_t out = layer.outputs();
    std::string bias = constant(id + "_bias", layer.bias, {out}, "i32");
    std::string in = shapeType(shape, element);
    if (layer.isConv) {
      const std::vector<int64_t> &w = layer.weightShape;
      std::string weight = constant(id + "_weight", layer.weight, w, weightType);
      int64_t p = layer.padding;
      std::vector<int64_t> result{shape[0], out, shape[2] + 2 * p - w[2] + 1,
                                  shape[3] + 2 * p - w[3] + 1};
      emit(id + "_acc",
           "qnn.conv2d " + value + ", " + weight + ", " + bias +
               " {padding = array<i64: " + std::to_string(p) + ", " +
               std::to_string(p) + ", " + std::to_string(p) + ", " +
               std::to_string(p) + ">}",
           "(" + in + ", " + shapeType(w, weightType) + ", " +
               shapeType({out}, "i32") + ")",
           result, "i32", id + ".conv");
    } else {
      if (shape.size() != 2) {
        int64_t features = 1;
        for (size_t d = 1; d < shape.size(); ++d)
          features *= shape[d];
        emit(id + "_flat", "qnn.reshape " + value, in, {shape[0], features},
             element, id + ".flatten");
        in = shapeType(shape, element);
      }
      // The layer stores [out, in]; qnn.matmul multiplies by [K, N] =
      // [in, out].
      std::vector<int64_t> w{layer.weightShape[1], out};
      std::string weight =
          constant(id + "_weight", transposed(layer.weight, out, w[0]), w,
                   weightType);
      emit(id + "_acc", "qnn.matmul " + value + ", " + weight + ", " + bias,
           "(" + in + ", " + shapeType(w, weightType) + ", " +
               shapeType({out}, "i32") + ")",
           {shape[0], out}, "i32", id + ".linear");
    }
    if (layer.classifier)
      return;
    std::string act = "ui" + std::to_string(layer.actBits);
    int64_t actMax = rules::intRange(layer.actBits, /*isSigned=*/false).max;
    emit(id + "_act",
         "qnn.rescale " + value + " {axis = 1, multiplier = " +
             i32Array(layer.requant, true) + ", shift = " +
             i32Array(layer.requant, false) +
             ", clamp_min = 0, clamp_max = " + std::to_string(actMax) + "}",
         shapeType(shape, element), shape, act, id + ".rescale");
    if (layer.poolAfter)
      emit(id + "_pool",
           "qnn.max_pool2d " + value +
               " {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}",
           shapeType(shape, element),
           {shape[0], shape[1], shape[2] / 2, shape[3] / 2}, element,
           id + ".pool");
  }

  std::ostringstream body;
  std::vector<int64_t> shape;
  std::string element, value = "%image";
};

} // namespace

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
