//===- ExportOnnx.cpp - The integer student as an ONNX model --------------===//

#include "ExportOnnx.h"

#include "onnx/onnx_pb.h"

#include <cmath>
#include <set>

namespace qnn::train {
namespace {

constexpr const char *kQonnxDomain = "qonnx.custom_op.general";

/// Builds the graph node by node; `current` is the float tensor that the
/// next layer reads.
class GraphWriter {
public:
  GraphWriter(onnx::GraphProto &graph, OnnxForm form)
      : graph(graph), qdq(form != OnnxForm::QOnnx),
        exposeLayers(form == OnnxForm::QdqLayers) {}

  Expected<bool> student(const ExportedStudent &net) {
    std::vector<int64_t> shape{1, net.channels, net.rows, net.cols};
    valueInfo(*graph.add_input(), "image", onnx::TensorProto::UINT8, shape);
    scalar("one", 1.0f);
    scalar("zero", 0.0f);
    initializer("zero_u8", onnx::TensorProto::UINT8, {}, {0});
    node("DequantizeLinear", "input.dequantize", {"image", "one", "zero_u8"},
         "image.real");
    current = "image.real";
    rank = 4;
    for (size_t l = 0; l < net.layers.size(); ++l) {
      std::string id = "layer" + std::to_string(l);
      auto written = net.layers[l].classifier ? classifier(net.layers[l], id)
                                              : hidden(net.layers[l], id);
      if (!written)
        return written;
    }
    return true;
  }

private:
  Expected<bool> hidden(const ExportedLayer &layer, const std::string &id) {
    auto scales = weightScales(layer, id);
    if (!scales)
      return Expected<bool>::failure(scales.error());
    int64_t out = layer.outputs();
    std::string weight = quantizedWeight(layer, *scales, id);
    initializer(id + ".bias", onnx::TensorProto::INT32, {out}, layer.bias);
    floats(id + ".bias_scale", {out}, *scales);
    node("DequantizeLinear", id + ".bias_dequantize",
         {id + ".bias", id + ".bias_scale"}, id + ".bias_real")
        .add_attribute()
        ->CopyFrom(intAttribute("axis", 0));
    if (layer.isConv) {
      onnx::NodeProto &conv = node(
          "Conv", id + ".conv", {current, weight, id + ".bias_real"}, id + ".acc");
      int64_t p = layer.padding;
      conv.add_attribute()->CopyFrom(
          intsAttribute("kernel_shape", {layer.weightShape[2],
                                         layer.weightShape[3]}));
      conv.add_attribute()->CopyFrom(intsAttribute("pads", {p, p, p, p}));
      conv.add_attribute()->CopyFrom(
          intsAttribute("strides", {layer.stride, layer.stride}));
    } else {
      flatten(id);
      node("Gemm", id + ".linear", {current, weight, id + ".bias_real"},
           id + ".acc")
          .add_attribute()
          ->CopyFrom(intAttribute("transB", 1));
    }
    current = id + ".acc";
    activation(layer.actBits, id);
    if (layer.pool.kind == PoolKind::Max)
      maxPool(layer.pool, id);
    return true;
  }

  /// MatMulInteger of the uint8 codes and the int8 weights, plus the int32
  /// bias: the logits, an int32 graph output.
  Expected<bool> classifier(const ExportedLayer &layer, const std::string &id) {
    int64_t out = layer.outputs(), in = layer.weightShape[1];
    flatten(id);
    node("QuantizeLinear", id + ".quantize", {current, "one", "zero_u8"},
         id + ".codes");
    initializer(id + ".weight", onnx::TensorProto::INT8, {in, out},
                transposed(layer.weight, out, in));
    node("MatMulInteger", id + ".linear", {id + ".codes", id + ".weight"},
         id + ".acc");
    initializer(id + ".bias", onnx::TensorProto::INT32, {out}, layer.bias);
    node("Add", id + ".bias_add", {id + ".acc", id + ".bias"}, "logits");
    valueInfo(*graph.add_output(), "logits", onnx::TensorProto::INT32,
              {1, out});
    return true;
  }

  /// s_w[o] = M[o] / 2^s[o] as float32, exactly.
  Expected<std::vector<float>> weightScales(const ExportedLayer &layer,
                                            const std::string &id) {
    std::vector<float> scales;
    for (size_t c = 0; c < layer.requant.size(); ++c) {
      double exact = std::ldexp(double(layer.requant[c].multiplier),
                                -int(layer.requant[c].shift));
      float scale = float(exact);
      if (double(scale) != exact || !std::isnormal(scale))
        return Expected<std::vector<float>>::failure(
            id + " channel " + std::to_string(c) + ": the scale " +
            std::to_string(layer.requant[c].multiplier) + " / 2^" +
            std::to_string(layer.requant[c].shift) +
            " is not a float32, which ONNX scales are (train with "
            "--multiplier-bits 24 or less)");
      scales.push_back(scale);
    }
    return scales;
  }

  /// The weight tensor the Conv or Gemm reads: QONNX Quant of the reals
  /// w * s_w (narrow signed range, as the student's weights are), or
  /// DequantizeLinear of int8 codes.
  std::string quantizedWeight(const ExportedLayer &layer,
                              const std::vector<float> &scales,
                              const std::string &id) {
    int64_t out = layer.outputs();
    std::string weight = id + ".weight", result = id + ".weight_real";
    if (qdq) {
      initializer(weight, onnx::TensorProto::INT8, layer.weightShape,
                  layer.weight);
      floats(id + ".weight_scale", {out}, scales);
      initializer(id + ".weight_zero", onnx::TensorProto::INT8, {out},
                  std::vector<int64_t>(out, 0));
      node("DequantizeLinear", id + ".weight_dequantize",
           {weight, id + ".weight_scale", id + ".weight_zero"}, result)
          .add_attribute()
          ->CopyFrom(intAttribute("axis", 0));
      return result;
    }
    int64_t perChannel = int64_t(layer.weight.size()) / out;
    std::vector<float> reals;
    for (size_t i = 0; i < layer.weight.size(); ++i)
      reals.push_back(float(layer.weight[i]) * scales[i / perChannel]);
    floats(weight, layer.weightShape, reals);
    std::vector<int64_t> scaleShape(layer.weightShape.size(), 1);
    scaleShape[0] = out;
    floats(id + ".weight_scale", scaleShape, scales);
    quant(id + ".weight_quant", weight, id + ".weight_scale",
          layer.weightBits, /*isSigned=*/true, /*narrow=*/true, "ROUND",
          result);
    return result;
  }

  /// The unsigned A-bit codes of `current` at scale 1. QONNX rounds half
  /// away from zero; on the clamped range [0, 2^A - 1] that is the student's
  /// half up.
  void activation(unsigned bits, const std::string &id) {
    std::string codes = id + ".act";
    if (!qdq) {
      quant(id + ".rescale", current, "one", bits, /*isSigned=*/false,
            /*narrow=*/false, "HALF_UP", codes);
      current = codes;
      return;
    }
    scalar(id + ".act_max",
           float(rules::intRange(bits, /*isSigned=*/false).max));
    node("Clip", id + ".clip", {current, "zero", id + ".act_max"},
         id + ".clipped");
    current = id + ".clipped";
    requantizeCodes(id + ".rescale", id + ".rescale", codes);
  }

  void maxPool(const PoolSpec &spec, const std::string &id) {
    onnx::NodeProto &pool =
        node("MaxPool", id + ".pool", {current}, id + ".pooled");
    int64_t k = spec.kernel, s = spec.stride, p = spec.padding;
    pool.add_attribute()->CopyFrom(intsAttribute("kernel_shape", {k, k}));
    pool.add_attribute()->CopyFrom(intsAttribute("strides", {s, s}));
    pool.add_attribute()->CopyFrom(intsAttribute("pads", {p, p, p, p}));
    current = id + ".pooled";
    if (qdq)
      requantizeCodes(id + ".pool_quantize", id + ".pool",
                      id + ".pooled_codes");
  }

  /// QuantizeLinear (node `name`) then DequantizeLinear at scale 1: the QDQ
  /// pair around an integer-valued tensor. The uint8 codes are named after
  /// the layer they belong to (`layer`, as in the layer dumps).
  void requantizeCodes(const std::string &name, const std::string &layer,
                       const std::string &codes) {
    node("QuantizeLinear", name, {current, "one", "zero_u8"}, layer);
    if (exposeLayers) {
      onnx::ValueInfoProto &output = *graph.add_output();
      output.set_name(layer);
      output.mutable_type()->mutable_tensor_type()->set_elem_type(
          onnx::TensorProto::UINT8);
    }
    node("DequantizeLinear", name + "_dequantize", {layer, "one", "zero_u8"},
         codes);
    current = codes;
  }

  void flatten(const std::string &id) {
    if (rank == 2)
      return;
    node("Flatten", id + ".flatten", {current}, id + ".flat")
        .add_attribute()
        ->CopyFrom(intAttribute("axis", 1));
    current = id + ".flat";
    rank = 2;
  }

  void quant(const std::string &name, const std::string &input,
             const std::string &scale, unsigned bits, bool isSigned,
             bool narrow, const std::string &rounding,
             const std::string &output) {
    std::string bitWidth = "bits" + std::to_string(bits);
    if (!scalars.count(bitWidth))
      scalar(bitWidth, float(bits));
    onnx::NodeProto &q =
        node("Quant", name, {input, scale, "zero", bitWidth}, output);
    q.set_domain(kQonnxDomain);
    q.add_attribute()->CopyFrom(intAttribute("signed", isSigned));
    q.add_attribute()->CopyFrom(intAttribute("narrow", narrow));
    onnx::AttributeProto mode;
    mode.set_name("rounding_mode");
    mode.set_type(onnx::AttributeProto::STRING);
    mode.set_s(rounding);
    q.add_attribute()->CopyFrom(mode);
  }

  onnx::NodeProto &node(const std::string &op, const std::string &name,
                        const std::vector<std::string> &inputs,
                        const std::string &output) {
    onnx::NodeProto &n = *graph.add_node();
    n.set_op_type(op);
    n.set_name(name);
    for (const std::string &input : inputs)
      n.add_input(input);
    n.add_output(output);
    return n;
  }

  void initializer(const std::string &name, onnx::TensorProto::DataType type,
                   const std::vector<int64_t> &dims,
                   const std::vector<int64_t> &values) {
    onnx::TensorProto &t = tensor(name, type, dims);
    for (int64_t v : values)
      t.add_int32_data(int32_t(v)); // int8/uint8/int32 all live in int32_data
  }

  void floats(const std::string &name, const std::vector<int64_t> &dims,
              const std::vector<float> &values) {
    onnx::TensorProto &t = tensor(name, onnx::TensorProto::FLOAT, dims);
    for (float v : values)
      t.add_float_data(v);
  }

  void scalar(const std::string &name, float value) {
    floats(name, {}, {value});
    scalars.insert(name);
  }

  onnx::TensorProto &tensor(const std::string &name,
                            onnx::TensorProto::DataType type,
                            const std::vector<int64_t> &dims) {
    onnx::TensorProto &t = *graph.add_initializer();
    t.set_name(name);
    t.set_data_type(type);
    for (int64_t d : dims)
      t.add_dims(d);
    return t;
  }

  static void valueInfo(onnx::ValueInfoProto &info, const std::string &name,
                        onnx::TensorProto::DataType type,
                        const std::vector<int64_t> &shape) {
    info.set_name(name);
    onnx::TypeProto::Tensor &t = *info.mutable_type()->mutable_tensor_type();
    t.set_elem_type(type);
    for (int64_t d : shape)
      t.mutable_shape()->add_dim()->set_dim_value(d);
  }

  static onnx::AttributeProto intAttribute(const std::string &name,
                                           int64_t value) {
    onnx::AttributeProto a;
    a.set_name(name);
    a.set_type(onnx::AttributeProto::INT);
    a.set_i(value);
    return a;
  }

  static onnx::AttributeProto intsAttribute(const std::string &name,
                                            const std::vector<int64_t> &values) {
    onnx::AttributeProto a;
    a.set_name(name);
    a.set_type(onnx::AttributeProto::INTS);
    for (int64_t v : values)
      a.add_ints(v);
    return a;
  }

  onnx::GraphProto &graph;
  bool qdq, exposeLayers;
  std::set<std::string> scalars;
  std::string current;
  int rank = 4;
};

} // namespace

std::optional<std::string> onnxUnsupported(const ExportedStudent &net) {
  for (size_t l = 0; l < net.layers.size(); ++l) {
    const ExportedLayer &layer = net.layers[l];
    if (layer.isJoin() || layer.projection ||
        sourceLayer(layer.input, l) != int(l) - 1)
      return std::string(
          "residual blocks have no ONNX form that the frontend imports "
          "bit-exactly (int16 residual rescales, integer add); "
          "student.mlir has them");
    if (layer.pool.kind == PoolKind::GlobalAvg)
      return std::string("the global average pool is not exported to ONNX "
                         "(its integer (M, s) divisor); student.mlir has it");
  }
  return std::nullopt;
}

Expected<bool> writeOnnxModel(const ExportedStudent &net, OnnxForm form,
                              const std::string &path) {
  if (std::optional<std::string> why = onnxUnsupported(net))
    return Expected<bool>::failure(path + ": " + *why);
  onnx::ModelProto model;
  model.set_ir_version(7); // the IR version of opset 13
  model.set_producer_name("qnn-train");
  model.add_opset_import()->set_version(13);
  if (form == OnnxForm::QOnnx) {
    onnx::OperatorSetIdProto &qonnx = *model.add_opset_import();
    qonnx.set_domain(kQonnxDomain);
    qonnx.set_version(1);
  }
  onnx::GraphProto &graph = *model.mutable_graph();
  graph.set_name("student");
  auto written = GraphWriter(graph, form).student(net);
  if (!written)
    return written;
  std::string bytes;
  if (!model.SerializeToString(&bytes))
    return Expected<bool>::failure(path + ": cannot serialize the model");
  return writeFileAtomically(path, bytes);
}

} // namespace qnn::train
