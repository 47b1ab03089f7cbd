//===- Importer.cpp - The graph walk of the ONNX importer -----------------===//
//
// Parses the ModelProto, checks the opsets, binds initializers and inputs,
// lowers the nodes in order through the OpTable, and ends @main at the
// graph outputs. Nothing here trusts the file: every name, index, size and
// attribute type is checked before use.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "Quantization.h"

#include "qnn/Dialect/QNN/IR/QNNDialect.h"
#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "onnx/onnx_pb.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <climits>

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::frontend;
using Kind = ImportedValue::Kind;

/// The opset versions of the default domain whose operator definitions the
/// lowerings follow.
static constexpr int64_t kMinOpset = 10;
static constexpr int64_t kMaxOpset = 21;

/// The canonical name of a node's domain: "" for ONNX, "qonnx" for the
/// QONNX/FINN custom-op domains.
static StringRef canonicalDomain(StringRef domain) {
  if (domain.empty() || domain == "ai.onnx")
    return "";
  if (domain == "qonnx.custom_op.general" ||
      domain == "finn.custom_op.general" || domain == "finn")
    return "qonnx";
  return domain;
}

//===----------------------------------------------------------------------===//
// OpTable
//===----------------------------------------------------------------------===//

void OpTable::add(StringRef domain, StringRef opType, LowerFn lower) {
  lowerings[(domain + "::" + opType).str()] = lower;
}

LowerFn OpTable::lookup(StringRef domain, StringRef opType) const {
  auto it = lowerings.find((domain + "::" + opType).str());
  return it == lowerings.end() ? nullptr : it->second;
}

//===----------------------------------------------------------------------===//
// NodeContext
//===----------------------------------------------------------------------===//

NodeContext::NodeContext(Importer &importer, const ::onnx::NodeProto &node,
                         int index, Location loc, int64_t opset)
    : importer(importer), node(node), loc(loc), opset(opset),
      label(node.name().empty() ? "#" + std::to_string(index)
                                : "'" + node.name() + "'") {}

OpBuilder &NodeContext::builder() { return importer.builder; }

MLIRContext *NodeContext::context() { return importer.context; }

std::string NodeContext::describe() const {
  return node.op_type() + " " + label;
}

InFlightDiagnostic NodeContext::error() {
  InFlightDiagnostic diag = emitError(loc);
  diag << "node " << label << " (" << node.op_type() << "): ";
  return diag;
}

bool NodeContext::hasInput(unsigned i) const {
  return int(i) < node.input_size() && !node.input(i).empty();
}

FailureOr<ValueRef> NodeContext::input(unsigned i) {
  if (!hasInput(i))
    return error() << "input #" << i << " is required";
  // The graph walk has checked that every given input is bound.
  ValueRef v = importer.lookup(node.input(i));
  // Empty constants are valid parameters (a scalar Reshape's shape); an
  // empty tensor flowing between ops is not supported.
  if (v->kind != ImportedValue::Kind::Constant &&
      v->type.getNumElements() == 0)
    return error() << "input '" << node.input(i) << "' has no elements";
  return v;
}

FailureOr<std::shared_ptr<const TensorData>>
NodeContext::constantInput(unsigned i, StringRef role) {
  FailureOr<ValueRef> v = input(i);
  if (failed(v))
    return failure();
  if (!(*v)->data)
    return error() << "the " << role << " '" << node.input(i)
                   << "' must be a constant (an initializer or a Constant "
                      "node), got "
                   << (*v)->origin;
  return (*v)->data;
}

LogicalResult NodeContext::checkArity(unsigned maxInputs,
                                      unsigned maxOutputs) {
  for (int i = maxInputs; i < node.input_size(); ++i)
    if (!node.input(i).empty())
      return error() << "has " << node.input_size()
                     << " inputs; at most " << maxInputs
                     << " are supported";
  for (int i = maxOutputs; i < node.output_size(); ++i)
    if (!node.output(i).empty())
      return error() << "output #" << i << " ('" << node.output(i)
                     << "') is not supported";
  return success();
}

LogicalResult NodeContext::checkAttributes(ArrayRef<StringRef> known) {
  for (const ::onnx::AttributeProto &attr : node.attribute())
    if (!llvm::is_contained(known, StringRef(attr.name())))
      return error() << "unsupported attribute '" << attr.name() << "'";
  return success();
}

const ::onnx::AttributeProto *
NodeContext::findAttribute(StringRef name) const {
  for (const ::onnx::AttributeProto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

bool NodeContext::hasAttribute(StringRef name) const {
  return findAttribute(name) != nullptr;
}

InFlightDiagnostic NodeContext::attributeError(StringRef name,
                                               StringRef expected) {
  return error() << "attribute '" << name << "' must be " << expected;
}

LogicalResult NodeContext::readAttribute(StringRef name, int64_t &value) {
  const ::onnx::AttributeProto *attr = findAttribute(name);
  if (!attr)
    return success();
  if (attr->type() != ::onnx::AttributeProto::INT)
    return attributeError(name, "an integer");
  value = attr->i();
  return success();
}

LogicalResult NodeContext::readAttribute(StringRef name,
                                         SmallVectorImpl<int64_t> &value) {
  const ::onnx::AttributeProto *attr = findAttribute(name);
  if (!attr)
    return success();
  if (attr->type() != ::onnx::AttributeProto::INTS)
    return attributeError(name, "a list of integers");
  value.assign(attr->ints().begin(), attr->ints().end());
  return success();
}

LogicalResult NodeContext::readAttribute(StringRef name, double &value) {
  const ::onnx::AttributeProto *attr = findAttribute(name);
  if (!attr)
    return success();
  if (attr->type() != ::onnx::AttributeProto::FLOAT)
    return attributeError(name, "a float");
  value = attr->f();
  return success();
}

LogicalResult NodeContext::readAttribute(StringRef name, std::string &value) {
  const ::onnx::AttributeProto *attr = findAttribute(name);
  if (!attr)
    return success();
  if (attr->type() != ::onnx::AttributeProto::STRING)
    return attributeError(name, "a string");
  value = attr->s();
  return success();
}

LogicalResult
NodeContext::readAttribute(StringRef name,
                           std::shared_ptr<const TensorData> &value) {
  const ::onnx::AttributeProto *attr = findAttribute(name);
  if (!attr)
    return success();
  if (attr->type() != ::onnx::AttributeProto::TENSOR)
    return attributeError(name, "a tensor");
  llvm::Expected<TensorData> data =
      decodeTensor(attr->t(), importer.options.externalDataDir);
  if (!data)
    return error() << "the tensor of attribute '" << name << "' "
                   << llvm::toString(data.takeError());
  value = std::make_shared<TensorData>(std::move(*data));
  return success();
}

void NodeContext::setOutput(unsigned i, ImportedValue value) {
  if (int(i) >= node.output_size() || node.output(i).empty())
    return;
  value.origin = "output '" + node.output(i) + "' of " + describe();
  importer.bind(node.output(i), std::move(value));
}

//===----------------------------------------------------------------------===//
// Importer
//===----------------------------------------------------------------------===//

Importer::Importer(MLIRContext *context, const ImportOptions &options)
    : context(context), options(options), builder(context) {
  registerQuantizeOps(table);
  registerConvOps(table);
  registerMatMulOps(table);
  registerPoolOps(table);
  registerElementwiseOps(table);
  registerShapeOps(table);
}

ValueRef Importer::lookup(StringRef name) const {
  auto it = values.find(name);
  return it == values.end() ? nullptr : it->second;
}

void Importer::bind(StringRef name, ImportedValue value) {
  values[name] = std::make_shared<const ImportedValue>(std::move(value));
}

Value Importer::constant(std::shared_ptr<const TensorData> data,
                         RankedTensorType type, Location loc) {
  auto key = std::make_pair(data.get(), Type(type));
  if (Value cached = constants.lookup(key))
    return cached;
  auto intType = cast<IntegerType>(type.getElementType());
  SmallVector<APInt> elements;
  elements.reserve(data->ints.size());
  for (int64_t v : data->ints)
    elements.push_back(APInt(intType.getWidth(), uint64_t(v),
                             /*isSigned=*/!intType.isUnsigned(),
                             /*implicitTrunc=*/true));
  Value result = ConstantOp::create(builder, loc, type,
                                    DenseIntElementsAttr::get(type, elements));
  constants[key] = result;
  constantData.push_back(std::move(data));
  return result;
}

Value Importer::materialize(const ImportedValue &value, Location loc) {
  if (value.ints)
    return value.ints;
  return constant(value.data, value.type, loc);
}

namespace {

/// The diagnostics of one import: located errors, each naming a node or a
/// graph element.
class GraphImport {
public:
  GraphImport(Importer &importer, const ::onnx::ModelProto &model)
      : importer(importer), model(model), context(importer.context),
        builder(importer.builder) {}

  FailureOr<ImportedModel> run();

private:
  Location fileLoc() {
    return FileLineColLoc::get(context, importer.options.modelName, 0, 0);
  }
  Location namedLoc(StringRef name) {
    return NameLoc::get(StringAttr::get(context, name), fileLoc());
  }
  LogicalResult readOpsets();
  LogicalResult bindInitializers();
  FailureOr<RankedTensorType> inputType(const ::onnx::ValueInfoProto &input);
  LogicalResult bindInputs(Block &body);
  LogicalResult lowerNodes();
  LogicalResult lowerNode(const ::onnx::NodeProto &node, int index);
  LogicalResult bindValue(StringRef name, ImportedValue value, Location loc);

  Importer &importer;
  const ::onnx::ModelProto &model;
  MLIRContext *context;
  OpBuilder &builder;
  llvm::StringMap<int64_t> opsets;
  /// Arguments whose data came from ImportOptions::inputValues.
  llvm::BitVector frozenArgs;
  std::vector<std::string> argNames;
};

} // namespace

LogicalResult GraphImport::readOpsets() {
  for (const ::onnx::OperatorSetIdProto &opset : model.opset_import())
    opsets[canonicalDomain(opset.domain())] = opset.version();
  auto it = opsets.find("");
  if (it == opsets.end())
    return emitError(fileLoc()) << "the model imports no ONNX opset";
  if (it->second < kMinOpset || it->second > kMaxOpset)
    return emitError(fileLoc())
           << "ONNX opset " << it->second << " is not supported (supported: "
           << kMinOpset << " to " << kMaxOpset << ")";
  return success();
}

LogicalResult GraphImport::bindValue(StringRef name, ImportedValue value,
                                     Location loc) {
  if (name.empty())
    return emitError(loc) << "a graph tensor has an empty name";
  if (importer.lookup(name))
    return emitError(loc) << "tensor '" << name << "' is defined twice";
  importer.bind(name, std::move(value));
  return success();
}

LogicalResult GraphImport::bindInitializers() {
  const ::onnx::GraphProto &graph = model.graph();
  if (graph.sparse_initializer_size() != 0)
    return emitError(fileLoc()) << "sparse initializers are not supported";
  for (const ::onnx::TensorProto &init : graph.initializer()) {
    Location loc = namedLoc(init.name());
    llvm::Expected<TensorData> data =
        decodeTensor(init, importer.options.externalDataDir);
    if (!data)
      return emitError(loc) << "initializer '" << init.name() << "' "
                            << llvm::toString(data.takeError());
    ImportedValue v;
    v.kind = Kind::Constant;
    Type element = data->isInteger()
                       ? toMLIRElementType(context, data->dataType)
                       : Type(Float32Type::get(context));
    v.type = RankedTensorType::get(data->shape, element);
    v.data = std::make_shared<const TensorData>(std::move(*data));
    v.origin = "initializer '" + init.name() + "'";
    if (failed(bindValue(init.name(), std::move(v), loc)))
      return failure();
  }
  return success();
}

FailureOr<RankedTensorType>
GraphImport::inputType(const ::onnx::ValueInfoProto &input) {
  Location loc = namedLoc(input.name());
  auto error = [&]() -> InFlightDiagnostic {
    return emitError(loc) << "graph input '" << input.name() << "' ";
  };
  if (!input.type().has_tensor_type())
    return error() << "is not a tensor";
  const ::onnx::TypeProto::Tensor &tensor = input.type().tensor_type();
  Type element = toMLIRElementType(context, tensor.elem_type());
  if (!element)
    return error() << "has element type " << elementTypeName(tensor.elem_type())
                   << "; only FLOAT and integer inputs are supported";
  if (!tensor.has_shape())
    return error() << "has no shape (dynamic rank is not supported)";
  SmallVector<int64_t> shape;
  for (auto [d, dim] : llvm::enumerate(tensor.shape().dim())) {
    if (d == 0 && importer.options.batchSize) {
      shape.push_back(*importer.options.batchSize);
      continue;
    }
    if (!dim.has_dim_value())
      return error() << "has a dynamic dimension " << d
                     << (dim.has_dim_param() ? " ('" + dim.dim_param() + "')"
                                             : std::string())
                     << (d == 0 ? "; fix the batch size with --onnx-batch-size"
                                : "; only static shapes are supported");
    if (dim.dim_value() < 1 || dim.dim_value() > INT32_MAX)
      return error() << "has dimension " << d << " of size "
                     << dim.dim_value() << "; sizes must be 1 to 2^31 - 1";
    shape.push_back(dim.dim_value());
  }
  if (!checkedElementCount(shape) || *checkedElementCount(shape) > INT32_MAX)
    return error() << "has more than 2^31 - 1 elements";
  return RankedTensorType::get(shape, element);
}

LogicalResult GraphImport::bindInputs(Block &body) {
  for (const ::onnx::ValueInfoProto &input : model.graph().input()) {
    // Before IR version 4 initializers are also listed as inputs; the
    // initializer gives the value.
    if (ValueRef init = importer.lookup(input.name());
        init && init->kind == Kind::Constant)
      continue;
    FailureOr<RankedTensorType> type = inputType(input);
    if (failed(type))
      return failure();
    Location loc = namedLoc(input.name());
    ImportedValue v;
    v.kind = isa<FloatType>(type->getElementType()) ? Kind::FloatArg
                                                    : Kind::Int;
    v.type = *type;
    v.ints = body.addArgument(*type, loc);
    v.origin = "graph input '" + input.name() + "'";
    bool frozen = false;
    auto given = importer.options.inputValues.find(input.name());
    if (given != importer.options.inputValues.end()) {
      llvm::Expected<TensorData> data =
          decodeTensor(*given->second, importer.options.externalDataDir);
      if (!data)
        return emitError(loc) << "the value given for graph input '"
                              << input.name() << "' "
                              << llvm::toString(data.takeError());
      if (ArrayRef<int64_t>(data->shape) != type->getShape() ||
          toMLIRElementType(context, data->dataType) !=
              type->getElementType())
        return emitError(loc) << "the value given for graph input '"
                              << input.name()
                              << "' does not match its type";
      v.data = std::make_shared<const TensorData>(std::move(*data));
      frozen = true;
    }
    frozenArgs.push_back(frozen);
    argNames.push_back(input.name());
    if (failed(bindValue(input.name(), std::move(v), loc)))
      return failure();
  }
  return success();
}

LogicalResult GraphImport::lowerNode(const ::onnx::NodeProto &node,
                                     int index) {
  std::string name = node.name().empty()
                         ? node.op_type() + "#" + std::to_string(index)
                         : node.name();
  Location loc = namedLoc(name);
  StringRef domain = canonicalDomain(node.domain());
  auto opset = opsets.find(domain);
  // Custom domains (QONNX, com.microsoft) are often used without an opset
  // import; their ops have one version.
  NodeContext ctx(importer, node, index, loc,
                  opset == opsets.end() ? 1 : opset->second);
  for (const std::string &input : node.input())
    if (!input.empty() && !importer.lookup(input))
      return ctx.error() << "input '" << input
                         << "' is not defined before the node";
  for (const std::string &output : node.output())
    if (!output.empty() && importer.lookup(output))
      return ctx.error() << "output '" << output << "' is defined twice";
  LowerFn lower = importer.lowering(domain, node.op_type());
  if (!lower)
    return ctx.error() << "unsupported op"
                       << (domain.empty() ? std::string()
                                          : " in domain '" + node.domain() +
                                                "'");
  if (failed(lower(ctx)))
    return failure();
  for (const std::string &output : node.output())
    if (!output.empty() && !importer.lookup(output))
      return ctx.error() << "output '" << output << "' is not supported";
  return success();
}

LogicalResult GraphImport::lowerNodes() {
  for (auto [index, node] : llvm::enumerate(model.graph().node()))
    if (failed(lowerNode(node, index)))
      return failure();
  return success();
}

/// Erases the ops nothing uses (constants of weights that were rewritten,
/// a conv replaced by one with a bias), last first.
static void eraseDeadOps(Block &body) {
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(body)))
    if (op.use_empty() && isPure(&op) && !op.hasTrait<OpTrait::IsTerminator>())
      op.erase();
}

FailureOr<ImportedModel> GraphImport::run() {
  if (!model.has_graph())
    return emitError(fileLoc()) << "the model has no graph";
  if (failed(readOpsets()) || failed(bindInitializers()))
    return failure();

  ImportedModel result;
  result.module = ModuleOp::create(fileLoc());
  builder.setInsertionPointToEnd(result.module->getBody());
  auto func = func::FuncOp::create(builder, fileLoc(), "main",
                                   builder.getFunctionType({}, {}));
  Block *body = func.addEntryBlock();
  builder.setInsertionPointToEnd(body);
  if (failed(bindInputs(*body)) || failed(lowerNodes()))
    return failure();

  SmallVector<Value> results;
  for (const ::onnx::ValueInfoProto &output : model.graph().output()) {
    Location loc = namedLoc(output.name());
    ValueRef value = importer.lookup(output.name());
    if (!value)
      return emitError(loc) << "graph output '" << output.name()
                            << "' is not defined";
    FailureOr<Value> v =
        materializeOutput(importer, *value, output.name(), loc);
    if (failed(v))
      return failure();
    int32_t declared = output.type().tensor_type().elem_type();
    Type actual = cast<RankedTensorType>(v->getType()).getElementType();
    if (declared != 0 && toMLIRElementType(context, declared) != actual)
      return emitError(loc) << "graph output '" << output.name()
                            << "' is declared " << elementTypeName(declared)
                            << " but the model computes " << actual;
    results.push_back(*v);
    result.outputNames.push_back(output.name());
  }
  func::ReturnOp::create(builder, fileLoc(), results);
  eraseDeadOps(*body);

  // Inputs given only to supply constants leave the signature.
  llvm::BitVector unused(body->getNumArguments());
  for (BlockArgument arg : body->getArguments())
    if (frozenArgs[arg.getArgNumber()] && arg.use_empty())
      unused.set(arg.getArgNumber());
  body->eraseArguments(unused);
  for (auto [i, name] : llvm::enumerate(argNames))
    if (!unused.test(i))
      result.inputNames.push_back(name);
  func.setFunctionType(builder.getFunctionType(
      body->getArgumentTypes(), ValueRange(results).getTypes()));
  return result;
}

FailureOr<ImportedModel> Importer::run(llvm::StringRef bytes) {
  Location loc = FileLineColLoc::get(context, options.modelName, 0, 0);
  if (bytes.size() > size_t(INT_MAX))
    return emitError(loc) << "the file is larger than 2 GiB; protobuf cannot "
                             "parse it (use external data)";
  ::onnx::ModelProto model;
  if (!model.ParseFromArray(bytes.data(), int(bytes.size())))
    return emitError(loc) << "not an ONNX model: malformed or truncated "
                             "protobuf";
  FailureOr<ImportedModel> result = GraphImport(*this, model).run();
  if (failed(result))
    return failure();
  // Every op was checked before it was built; a verifier failure here is an
  // importer bug, reported as one line at the op's node.
  std::string firstError;
  {
    ScopedDiagnosticHandler capture(context, [&](Diagnostic &diag) {
      if (firstError.empty() && diag.getSeverity() == DiagnosticSeverity::Error)
        firstError = diag.str();
      return success();
    });
    if (succeeded(verify(*result->module)))
      return result;
  }
  return emitError(loc) << "internal error: the imported module does not "
                           "verify: "
                        << firstError;
}

//===----------------------------------------------------------------------===//
// Public API
//===----------------------------------------------------------------------===//

void mlir::qnn::frontend::registerImportDialects(DialectRegistry &registry) {
  registry.insert<QNNDialect, func::FuncDialect>();
}

FailureOr<ImportedModel>
mlir::qnn::frontend::importModel(llvm::StringRef bytes, MLIRContext *context,
                                 const ImportOptions &options) {
  context->loadDialect<QNNDialect, func::FuncDialect>();
  return Importer(context, options).run(bytes);
}

FailureOr<ImportedModel>
mlir::qnn::frontend::importModelFile(llvm::StringRef path,
                                     MLIRContext *context,
                                     ImportOptions options) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!file)
    return emitError(UnknownLoc::get(context))
           << "cannot read '" << path << "': " << file.getError().message();
  options.modelName = path.str();
  options.externalDataDir = llvm::sys::path::parent_path(path).str();
  if (options.externalDataDir.empty())
    options.externalDataDir = ".";
  return importModel((*file)->getBuffer(), context, options);
}
