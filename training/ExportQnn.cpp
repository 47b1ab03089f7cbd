//===- ExportQnn.cpp - The integer student as a qnn module ----------------===//

#include "ExportQnn.h"

#include "LayerDump.h"

#include <functional>
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

std::string i64Array(const std::vector<int64_t> &values) {
  std::string s = "array<i64: ";
  for (size_t i = 0; i < values.size(); ++i)
    s += (i ? ", " : "") + std::to_string(values[i]);
  return s + ">";
}

/// Windows of `kernel` at `stride` over `size` padded on both sides.
int64_t windowCount(int64_t size, int64_t kernel, int64_t stride,
                    int64_t padding) {
  return (size + 2 * padding - kernel) / stride + 1;
}

/// A value of the module: its SSA name, shape and element type.
struct Value {
  std::string name;
  std::vector<int64_t> shape;
  std::string element;
  std::string type() const { return tensorType(shape, element); }
};

/// Emits the module text; every layer's output is kept for the layers that
/// read it (a residual block's shortcut reads an earlier one).
class Writer {
public:
  explicit Writer(const ExportedStudent &net)
      : image{"%image", {1, net.channels, net.rows, net.cols}, "ui8"} {}

  std::string module(const ExportedStudent &net) {
    for (size_t l = 0; l < net.layers.size(); ++l)
      outputs.push_back(layer(net, l));
    const Value &logits = outputs.back();
    std::ostringstream os;
    os << "// The integer student written by qnn-train: integer-only qnn.\n"
       << "func.func @main(%image: " << image.type() << ") -> " << logits.type()
       << " {\n"
       << body.str() << "  return " << logits.name << " : " << logits.type()
       << "\n}\n";
    return os.str();
  }

private:
  /// `%name = <op> <operands> : <operand types> -> <result type> loc(...)`
  Value emit(const std::string &name, const StepInModule &step,
             const std::string &operands, const std::string &types,
             const std::vector<int64_t> &resultShape) {
    Value result{"%" + name, resultShape, step.element};
    body << "  " << result.name << " = " << step.op << " " << operands << " : "
         << types << " -> " << result.type() << " loc(\"" << step.location
         << "\")\n";
    return result;
  }

  /// qnn.rescale of x, per channel (axis 1) or with one (M, s), clamped.
  Value rescale(const std::string &name, const StepInModule &step,
                const Value &x, const std::vector<rules::MultiplierShift> &ms,
                rules::IntRange clamp) {
    return emit(name, step,
                x.name + " {" + (ms.size() > 1 ? "axis = 1, " : "") +
                    "multiplier = " + i32Array(ms, true) +
                    ", shift = " + i32Array(ms, false) +
                    ", clamp_min = " + std::to_string(clamp.min) +
                    ", clamp_max = " + std::to_string(clamp.max) + "}",
                x.type(), x.shape);
  }

  std::string constant(const std::string &name,
                       const std::vector<int64_t> &values,
                       const std::vector<int64_t> &shape,
                       const std::string &type) {
    body << "  %" << name << " = qnn.constant " << denseLiteral(values, shape)
         << " : " << tensorType(shape, type) << "\n";
    return "%" + name;
  }

  /// conv2d or (after a reshape to [N, features]) matmul, bias included.
  Value accumulate(const ExportedLayer &layer, const std::string &id, Value x,
                   const std::function<StepInModule(IntegerStep)> &step) {
    std::string weightType = "i" + std::to_string(layer.weightBits);
    int64_t out = layer.outputs();
    std::string bias = constant(id + "_bias", layer.bias, {out}, "i32");
    std::string biasType = tensorType({out}, "i32");
    if (layer.isConv) {
      const std::vector<int64_t> &w = layer.weightShape;
      std::string weight = constant(id + "_weight", layer.weight, w, weightType);
      int64_t p = layer.padding, s = layer.stride;
      std::vector<int64_t> result{x.shape[0], out,
                                  windowCount(x.shape[2], w[2], s, p),
                                  windowCount(x.shape[3], w[3], s, p)};
      std::string attributes = "{padding = " + i64Array({p, p, p, p});
      if (s != 1)
        attributes += ", strides = " + i64Array({s, s});
      return emit(id + "_acc", step(IntegerStep::Accumulate),
                  x.name + ", " + weight + ", " + bias + " " + attributes + "}",
                  "(" + x.type() + ", " + tensorType(w, weightType) + ", " +
                      biasType + ")",
                  result);
    }
    if (x.shape.size() != 2) {
      int64_t features = 1;
      for (size_t d = 1; d < x.shape.size(); ++d)
        features *= x.shape[d];
      x = emit(id + "_flat", step(IntegerStep::Flatten), x.name, x.type(),
               {x.shape[0], features});
    }
    // The layer stores [out, in]; qnn.matmul multiplies by [K, N] =
    // [in, out].
    std::vector<int64_t> w{layer.weightShape[1], out};
    std::string weight = constant(
        id + "_weight", transposed(layer.weight, out, w[0]), w, weightType);
    return emit(id + "_acc", step(IntegerStep::Accumulate),
                x.name + ", " + weight + ", " + bias,
                "(" + x.type() + ", " + tensorType(w, weightType) + ", " +
                    biasType + ")",
                {x.shape[0], out});
  }

  Value layer(const ExportedStudent &net, size_t index) {
    const ExportedLayer &layer = net.layers[index];
    std::string id = "layer" + std::to_string(index);
    auto step = [&](IntegerStep s) { return describeStep(net, index, s); };
    int source = sourceLayer(layer.input, index);
    Value acc =
        accumulate(layer, id, source == kImage ? image : outputs[source], step);
    if (layer.classifier)
      return acc;
    const rules::IntRange int16 = rules::intRange(kResidualBits, true);
    if (layer.projection)
      return rescale(id + "_grid", step(IntegerStep::Rescale), acc,
                     layer.requant, int16);
    rules::IntRange codes = rules::intRange(layer.actBits, false);
    Value act;
    if (layer.isJoin()) {
      Value residual = rescale(id + "_residual", step(IntegerStep::Residual),
                               acc, layer.requant, int16);
      Value shortcut = outputs[layer.shortcut];
      if (!net.layers[layer.shortcut].projection)
        shortcut = rescale(id + "_shortcut", step(IntegerStep::Shortcut),
                           shortcut, {layer.shortcutRequant}, int16);
      Value sum = emit(id + "_sum", step(IntegerStep::Add),
                       residual.name + ", " + shortcut.name,
                       "(" + residual.type() + ", " + shortcut.type() + ")",
                       residual.shape);
      act = rescale(id + "_act", step(IntegerStep::Rescale), sum,
                    {{1, layer.residualShift}}, codes);
    } else {
      act = rescale(id + "_act", step(IntegerStep::Rescale), acc, layer.requant,
                    codes);
    }
    const PoolSpec &pool = layer.pool;
    const std::vector<int64_t> &shape = act.shape;
    if (pool.kind == PoolKind::Max) {
      int64_t k = pool.kernel, s = pool.stride, p = pool.padding;
      std::string attributes =
          "{kernel = " + i64Array({k, k}) + ", strides = " + i64Array({s, s});
      if (p != 0)
        attributes += ", padding = " + i64Array({p, p, p, p});
      return emit(id + "_pool", step(IntegerStep::Pool),
                  act.name + " " + attributes + "}", act.type(),
                  {shape[0], shape[1], windowCount(shape[2], k, s, p),
                   windowCount(shape[3], k, s, p)});
    }
    if (pool.kind == PoolKind::GlobalAvg) {
      Value sum =
          emit(id + "_pool_sum", step(IntegerStep::PoolSum),
               act.name + " {kernel = " + i64Array({shape[2], shape[3]}) + "}",
               act.type(), {shape[0], shape[1], 1, 1});
      return rescale(id + "_pool", step(IntegerStep::Pool), sum,
                     {layer.poolRequant}, codes);
    }
    return act;
  }

  std::ostringstream body;
  Value image;
  std::vector<Value> outputs; // of the layers written so far
};

} // namespace

StepInModule describeStep(const ExportedStudent &net, size_t index,
                          IntegerStep step) {
  const ExportedLayer &layer = net.layers[index];
  std::string id = "layer" + std::to_string(index);
  std::string codes = "ui" + std::to_string(layer.actBits);
  std::string residual = "i" + std::to_string(kResidualBits);
  switch (step) {
  case IntegerStep::Flatten: { // the codes of the layer read, or the pixels
    int source = sourceLayer(layer.input, index);
    return {id + ".flatten", "qnn.reshape",
            source == kImage
                ? "ui8"
                : "ui" + std::to_string(net.layers[source].actBits)};
  }
  case IntegerStep::Accumulate:
    if (layer.isConv)
      return {id + ".conv", "qnn.conv2d", "i32"};
    return {id + ".linear", "qnn.matmul", "i32"};
  case IntegerStep::Residual:
    return {id + ".residual", "qnn.rescale", residual};
  case IntegerStep::Shortcut:
    return {id + ".shortcut", "qnn.rescale", residual};
  case IntegerStep::Add:
    return {id + ".add", "qnn.add", "i32"};
  case IntegerStep::Rescale:
    return {id + ".rescale", "qnn.rescale",
            layer.projection ? residual : codes};
  case IntegerStep::PoolSum:
    return {id + ".pool_sum", "qnn.avg_pool2d", "i32"};
  case IntegerStep::Pool:
    return {id + ".pool",
            layer.pool.kind == PoolKind::Max ? "qnn.max_pool2d" : "qnn.rescale",
            codes};
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
