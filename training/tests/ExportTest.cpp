//===- ExportTest.cpp - The qnn and ONNX exporters on a hand-made student -===//
//
// The end-to-end proof that the exports compute the student is the main
// job's test (import, compile, compare with the integer simulation); these
// tests pin the structure the frontend and ONNX Runtime rely on, and the
// exporters' errors.
//
//===----------------------------------------------------------------------===//

#include "ExportOnnx.h"
#include "ExportQnn.h"

#include "onnx/onnx_pb.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <unistd.h>

namespace qnn::train {
namespace {

/// conv 1->2 (3x3, pad 1), ReLU-clamp to 4 bits, max-pool; linear 2*2*2 -> 3.
ExportedStudent tinyStudent() {
  ExportedStudent net;
  net.channels = 1;
  net.rows = net.cols = 4;
  ExportedLayer conv;
  conv.padding = 1;
  conv.pool = {PoolKind::Max, 2, 2, 0};
  conv.weightBits = 4;
  conv.actBits = 4;
  conv.weightShape = {2, 1, 3, 3};
  for (int i = 0; i < 18; ++i)
    conv.weight.push_back(i % 15 - 7);
  conv.bias = {100, -100};
  conv.requant = {{24577, 20}, {16385, 17}};
  ExportedLayer linear;
  linear.isConv = false;
  linear.classifier = true;
  linear.weightBits = 4;
  linear.weightShape = {3, 8};
  for (int i = 0; i < 24; ++i)
    linear.weight.push_back(7 - i % 15);
  linear.bias = {1, 2, 3};
  net.layers = {conv, linear};
  return net;
}

std::string temporaryPath(const std::string &name) {
  return (std::filesystem::temp_directory_path() /
          ("qnn-export-test-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

std::string readText(const std::string &path) {
  std::ifstream is(path);
  std::stringstream text;
  text << is.rdbuf();
  return text.str();
}

onnx::ModelProto readModel(const std::string &path) {
  onnx::ModelProto model;
  std::ifstream is(path, std::ios::binary);
  EXPECT_TRUE(model.ParseFromIstream(&is)) << path;
  return model;
}

const onnx::TensorProto *findInitializer(const onnx::GraphProto &graph,
                                         const std::string &name) {
  for (const onnx::TensorProto &t : graph.initializer())
    if (t.name() == name)
      return &t;
  return nullptr;
}

std::map<std::string, std::string> nodeOps(const onnx::GraphProto &graph) {
  std::map<std::string, std::string> ops;
  for (const onnx::NodeProto &n : graph.node())
    ops[n.name()] = n.domain().empty() ? n.op_type()
                                       : n.domain() + ":" + n.op_type();
  return ops;
}

TEST(ExportOnnx, QonnxFormNamesLayersAndKeepsBitWidths) {
  std::string path = temporaryPath("qonnx.onnx");
  ASSERT_TRUE(writeOnnxModel(tinyStudent(), OnnxForm::QOnnx, path));
  onnx::ModelProto model = readModel(path);
  const onnx::GraphProto &graph = model.graph();
  std::map<std::string, std::string> ops = nodeOps(graph);
  EXPECT_EQ(ops["layer0.conv"], "Conv");
  EXPECT_EQ(ops["layer0.weight_quant"], "qonnx.custom_op.general:Quant");
  EXPECT_EQ(ops["layer0.rescale"], "qonnx.custom_op.general:Quant");
  EXPECT_EQ(ops["layer0.pool"], "MaxPool");
  EXPECT_EQ(ops["layer1.flatten"], "Flatten");
  EXPECT_EQ(ops["layer1.linear"], "MatMulInteger");
  EXPECT_EQ(ops["layer1.bias_add"], "Add");
  ASSERT_EQ(graph.output_size(), 1);
  EXPECT_EQ(graph.output(0).type().tensor_type().elem_type(),
            onnx::TensorProto::INT32);
  EXPECT_EQ(graph.input(0).type().tensor_type().elem_type(),
            onnx::TensorProto::UINT8);
  // The activation Quant rounds half up on [0, 15], the weights' half to
  // even on the narrow signed range.
  for (const onnx::NodeProto &n : graph.node()) {
    if (n.op_type() != "Quant")
      continue;
    std::map<std::string, std::string> s;
    std::map<std::string, int64_t> i;
    for (const onnx::AttributeProto &a : n.attribute())
      a.type() == onnx::AttributeProto::STRING ? void(s[a.name()] = a.s())
                                               : void(i[a.name()] = a.i());
    bool weight = n.name() == "layer0.weight_quant";
    EXPECT_EQ(s["rounding_mode"], weight ? "ROUND" : "HALF_UP") << n.name();
    EXPECT_EQ(i["signed"], weight ? 1 : 0) << n.name();
    EXPECT_EQ(i["narrow"], weight ? 1 : 0) << n.name();
    EXPECT_EQ(n.input(3), "bits4") << n.name();
  }
  // Weight scales are M / 2^s exactly.
  const onnx::TensorProto *scale = findInitializer(graph, "layer0.weight_scale");
  ASSERT_NE(scale, nullptr);
  ASSERT_EQ(scale->float_data_size(), 2);
  EXPECT_EQ(double(scale->float_data(0)), std::ldexp(24577.0, -20));
  EXPECT_EQ(double(scale->float_data(1)), std::ldexp(16385.0, -17));
  // The classifier's weights are transposed to [in, out] for MatMulInteger.
  const onnx::TensorProto *w = findInitializer(graph, "layer1.weight");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->dims(0), 8);
  EXPECT_EQ(w->dims(1), 3);
  EXPECT_EQ(w->int32_data(1), 7 - 8 % 15); // [in 0, out 1] = torch [1, 0]
  std::filesystem::remove(path);
}

TEST(ExportOnnx, QdqFormUsesOnlyStandardOps) {
  std::string path = temporaryPath("qdq.onnx");
  ASSERT_TRUE(writeOnnxModel(tinyStudent(), OnnxForm::Qdq, path));
  onnx::ModelProto model = readModel(path);
  for (const onnx::NodeProto &n : model.graph().node())
    EXPECT_TRUE(n.domain().empty()) << n.name();
  ASSERT_EQ(model.opset_import_size(), 1);
  std::map<std::string, std::string> ops = nodeOps(model.graph());
  EXPECT_EQ(ops["layer0.clip"], "Clip");
  EXPECT_EQ(ops["layer0.rescale"], "QuantizeLinear");
  EXPECT_EQ(ops["layer0.weight_dequantize"], "DequantizeLinear");
  const onnx::TensorProto *w = findInitializer(model.graph(), "layer0.weight");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->data_type(), onnx::TensorProto::INT8);
  std::filesystem::remove(path);
}

TEST(ExportOnnx, QdqLayersFormOutputsEveryActivationsCodes) {
  std::string path = temporaryPath("qdq-layers.onnx");
  ASSERT_TRUE(writeOnnxModel(tinyStudent(), OnnxForm::QdqLayers, path));
  onnx::ModelProto model = readModel(path);
  std::vector<std::string> outputs;
  for (const onnx::ValueInfoProto &output : model.graph().output())
    outputs.push_back(output.name());
  EXPECT_EQ(outputs, (std::vector<std::string>{"layer0.rescale", "layer0.pool",
                                               "logits"}));
  std::filesystem::remove(path);
}

TEST(ExportOnnx, RefusesAScaleThatIsNoFloat32) {
  ExportedStudent net = tinyStudent();
  net.layers[0].requant[1] = {(1 << 30) + 1, 40}; // 31 significant bits
  std::string path = temporaryPath("wide.onnx");
  auto written = writeOnnxModel(net, OnnxForm::QOnnx, path);
  ASSERT_FALSE(written);
  EXPECT_NE(written.error().find("layer0 channel 1"), std::string::npos)
      << written.error();
  EXPECT_NE(written.error().find("--multiplier-bits 24"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(path));
}

/// tinyStudent with a second conv that joins the first's output (identity
/// shortcut, 4-bit codes: residual shift 9) before the max-pool.
ExportedStudent tinyResidualStudent() {
  ExportedStudent net = tinyStudent();
  ExportedLayer join = net.layers[0];
  net.layers[0].pool = {};
  join.weightShape = {2, 2, 3, 3};
  join.weight.resize(36, 1);
  join.shortcut = 0;
  join.shortcutRequant = {3, 2};
  join.residualShift = 9;
  net.layers.insert(net.layers.begin() + 1, join);
  return net;
}

TEST(ExportOnnx, RefusesAResidualStudentSayingWhy) {
  std::string path = temporaryPath("residual.onnx");
  auto written =
      writeOnnxModel(tinyResidualStudent(), OnnxForm::QOnnx, path);
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error(),
            path + ": residual blocks have no ONNX form that the frontend "
                   "imports bit-exactly (int16 residual rescales, integer "
                   "add); student.mlir has them");
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_FALSE(onnxUnsupported(tinyStudent()));
}

TEST(ExportQnn, WritesTheResidualJoin) {
  std::string path = temporaryPath("residual.mlir");
  ASSERT_TRUE(writeQnnModule(tinyResidualStudent(), path));
  std::string module = readText(path);
  for (const char *expected :
       {"%layer1_residual = qnn.rescale %layer1_acc {axis = 1, multiplier = "
        "array<i32: 24577, 16385>, shift = array<i32: 20, 17>, clamp_min = "
        "-32768, clamp_max = 32767} : tensor<1x2x4x4xi32> -> "
        "tensor<1x2x4x4xi16> loc(\"layer1.residual\")",
        "%layer1_shortcut = qnn.rescale %layer0_act {multiplier = array<i32: "
        "3>, shift = array<i32: 2>, clamp_min = -32768, clamp_max = 32767} : "
        "tensor<1x2x4x4xui4> -> tensor<1x2x4x4xi16> loc(\"layer1.shortcut\")",
        "%layer1_sum = qnn.add %layer1_residual, %layer1_shortcut : "
        "(tensor<1x2x4x4xi16>, tensor<1x2x4x4xi16>) -> tensor<1x2x4x4xi32> "
        "loc(\"layer1.add\")",
        "%layer1_act = qnn.rescale %layer1_sum {multiplier = array<i32: 1>, "
        "shift = array<i32: 9>, clamp_min = 0, clamp_max = 15} : "
        "tensor<1x2x4x4xi32> -> tensor<1x2x4x4xui4> loc(\"layer1.rescale\")",
        "loc(\"layer1.pool\")"})
    EXPECT_NE(module.find(expected), std::string::npos) << expected;
  std::filesystem::remove(path);
}

TEST(ExportQnn, WritesTheModuleWithLayerLocations) {
  std::string path = temporaryPath("student.mlir");
  ASSERT_TRUE(writeQnnModule(tinyStudent(), path));
  std::string module = readText(path);
  for (const char *expected :
       {"func.func @main(%image: tensor<1x1x4x4xui8>) -> tensor<1x3xi32>",
        "qnn.conv2d %image", "loc(\"layer0.conv\")",
        "multiplier = array<i32: 24577, 16385>, shift = array<i32: 20, 17>",
        "clamp_max = 15", "loc(\"layer0.pool\")",
        "tensor<1x2x2x2xui4> -> tensor<1x8xui4> loc(\"layer1.flatten\")",
        "(tensor<1x8xui4>, tensor<8x3xi4>, tensor<3xi32>) -> tensor<1x3xi32> "
        "loc(\"layer1.linear\")"})
    EXPECT_NE(module.find(expected), std::string::npos) << expected;
  std::filesystem::remove(path);
}

} // namespace
} // namespace qnn::train
