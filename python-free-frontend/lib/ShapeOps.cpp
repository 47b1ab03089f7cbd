//===- ShapeOps.cpp - Flatten, Reshape, Concat, Pad, Identity, Constant ---===//
//
// Shape ops move integers without changing what they mean, so they apply to
// Int, Grid and Accum values alike (a per-channel axis follows the data
// through a reshape when it survives it). Concat of differently quantized
// tensors waits, as a Concat value, for the QuantizeLinear that unifies it.
//
//===----------------------------------------------------------------------===//

#include "Quantization.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "onnx/onnx_pb.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::frontend;
using Kind = ImportedValue::Kind;

/// The position of dimension `axis` of `from` in `to`, if a row-major
/// reshape keeps it whole: the same size with the same number of elements
/// before it.
static std::optional<int64_t> remapAxis(ArrayRef<int64_t> from,
                                        ArrayRef<int64_t> to, int64_t axis) {
  int64_t before = 1;
  for (int64_t d = 0; d < axis; ++d)
    before *= from[d];
  int64_t prefix = 1;
  for (int64_t d = 0; d < int64_t(to.size()); ++d) {
    if (prefix == before && to[d] == from[axis])
      return d;
    prefix *= to[d];
  }
  return std::nullopt;
}

/// `x` with shape `shape` (same element count).
static FailureOr<ImportedValue> reshape(NodeContext &ctx,
                                        const ImportedValue &x,
                                        ArrayRef<int64_t> shape) {
  ImportedValue out = x;
  out.type = withShape(x.type, shape);
  if (x.kind == Kind::FloatArg || x.kind == Kind::Sum ||
      x.kind == Kind::Concat)
    return ctx.error() << "reshaping the real-valued " << x.origin
                       << " is not supported; quantize it first";
  if (x.kind != Kind::Constant && x.kind != Kind::Int &&
      !x.quant.isPerTensor()) {
    std::optional<int64_t> axis =
        remapAxis(x.type.getShape(), shape, x.quant.axis);
    if (!axis)
      return ctx.error() << "the reshape splits or merges the per-channel "
                            "axis "
                         << x.quant.axis << " of " << x.origin;
    out.quant.axis = *axis;
  }
  if (x.data) {
    auto data = std::make_shared<TensorData>(*x.data);
    data->shape.assign(shape.begin(), shape.end());
    out.data = data;
  }
  if (x.ints)
    out.ints = ReshapeOp::create(ctx.builder(), ctx.loc, out.type, x.ints);
  return out;
}

static LogicalResult lowerFlatten(NodeContext &ctx) {
  if (failed(ctx.checkArity(1, 1)) || failed(ctx.checkAttributes({"axis"})))
    return failure();
  FailureOr<ValueRef> x = ctx.input(0);
  if (failed(x))
    return failure();
  ArrayRef<int64_t> shape = (*x)->type.getShape();
  int64_t rank = shape.size(), axis = 1;
  if (failed(ctx.readAttribute("axis", axis)))
    return failure();
  if (axis < -rank || axis > rank)
    return ctx.error() << "axis " << axis << " is out of range for rank "
                       << rank;
  if (axis < 0)
    axis += rank;
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < rank; ++d)
    (d < axis ? outer : inner) *= shape[d];
  FailureOr<ImportedValue> out = reshape(ctx, **x, {outer, inner});
  if (failed(out))
    return failure();
  ctx.setOutput(0, std::move(*out));
  return success();
}

static LogicalResult lowerReshape(NodeContext &ctx) {
  if (failed(ctx.checkArity(2, 1)) ||
      failed(ctx.checkAttributes({"allowzero"})))
    return failure();
  int64_t allowZero = 0;
  if (failed(ctx.readAttribute("allowzero", allowZero)))
    return failure();
  FailureOr<ValueRef> x = ctx.input(0);
  if (failed(x))
    return failure();
  FailureOr<std::shared_ptr<const TensorData>> shapeData =
      ctx.constantInput(1, "shape");
  if (failed(shapeData))
    return failure();
  const TensorData &spec = **shapeData;
  if (!spec.isInteger() || spec.shape.size() != 1)
    return ctx.error() << "the shape must be a 1-D integer tensor";
  ArrayRef<int64_t> in = (*x)->type.getShape();
  // Resolve 0 (copy the input's size) and -1 (infer).
  SmallVector<int64_t> shape;
  std::optional<size_t> inferred;
  int64_t known = 1;
  for (auto [d, entry] : llvm::enumerate(spec.ints)) {
    int64_t v = entry;
    if (v == 0 && !allowZero) {
      if (d >= in.size())
        return ctx.error() << "shape entry " << d
                           << " copies a dimension the input lacks";
      v = in[d];
    }
    if (v == -1) {
      if (inferred)
        return ctx.error() << "the shape has more than one -1";
      inferred = d;
      shape.push_back(1);
      continue;
    }
    if (v < 1 || v > INT32_MAX)
      return ctx.error() << "shape entry " << d << " (" << v
                         << ") is not supported";
    known *= v;
    if (known > INT32_MAX)
      return ctx.error() << "the shape has too many elements";
    shape.push_back(v);
  }
  int64_t count = (*x)->type.getNumElements();
  if (inferred) {
    if (count % known != 0)
      return ctx.error() << "cannot infer the -1 entry: " << count
                         << " elements are not a multiple of " << known;
    shape[*inferred] = count / known;
    known = count;
  }
  if (known != count)
    return ctx.error() << "cannot reshape " << count << " elements into "
                       << known;
  FailureOr<ImportedValue> out = reshape(ctx, **x, shape);
  if (failed(out))
    return failure();
  ctx.setOutput(0, std::move(*out));
  return success();
}

static LogicalResult lowerConcat(NodeContext &ctx) {
  if (failed(ctx.checkArity(ctx.node.input_size(), 1)) ||
      failed(ctx.checkAttributes({"axis"})))
    return failure();
  if (!ctx.hasAttribute("axis"))
    return ctx.error() << "attribute 'axis' is required";
  int64_t axis = 0;
  if (failed(ctx.readAttribute("axis", axis)))
    return failure();
  SmallVector<ValueRef> inputs;
  for (int i = 0; i < ctx.node.input_size(); ++i) {
    FailureOr<ValueRef> v = ctx.input(i);
    if (failed(v))
      return failure();
    inputs.push_back(*v);
  }
  if (inputs.empty())
    return ctx.error() << "needs at least one input";
  RankedTensorType first = inputs[0]->type;
  int64_t rank = first.getRank();
  if (axis < -rank || axis >= rank)
    return ctx.error() << "axis " << axis << " is out of range for rank "
                       << rank;
  if (axis < 0)
    axis += rank;
  SmallVector<int64_t> shape(first.getShape());
  shape[axis] = 0;
  for (const ValueRef &v : inputs) {
    ArrayRef<int64_t> s = v->type.getShape();
    if (int64_t(s.size()) != rank)
      return ctx.error() << "the inputs have different ranks";
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && s[d] != shape[d])
        return ctx.error() << "the inputs differ in dimension " << d;
    shape[axis] += s[axis];
  }

  // Integers of one type, or quantized tensors of one quantization, concat
  // now; real values quantized differently wait for a QuantizeLinear.
  const ImportedValue &head = *inputs[0];
  bool allInts = llvm::all_of(inputs, [](const ValueRef &v) {
    return !v->isRealValued();
  });
  bool sameGrid = llvm::all_of(inputs, [&](const ValueRef &v) {
    return v->kind == Kind::Grid && head.kind == Kind::Grid &&
           v->quant.isPerTensor() && v->quant.scales == head.quant.scales &&
           v->quant.zeroPoints == head.quant.zeroPoints;
  });
  if ((allInts || sameGrid) &&
      llvm::all_of(inputs, [&](const ValueRef &v) {
        return v->type.getElementType() == first.getElementType();
      })) {
    SmallVector<Value> parts;
    for (int i = 0; i < ctx.node.input_size(); ++i) {
      if (allInts) {
        parts.push_back(ctx.importer.materialize(*inputs[i], ctx.loc));
        continue;
      }
      FailureOr<GridOperand> operand = gridInput(ctx, i, "input");
      if (failed(operand))
        return failure();
      parts.push_back(operandValue(ctx, *operand));
    }
    ImportedValue out;
    out.kind = allInts ? Kind::Int : Kind::Grid;
    out.type = withShape(first, shape);
    out.quant = head.quant;
    out.ints = ConcatOp::create(ctx.builder(), ctx.loc, out.type, parts, axis);
    ctx.setOutput(0, std::move(out));
    return success();
  }
  for (const ValueRef &v : inputs) {
    if (!v->isRealValued() || v->kind == Kind::Constant)
      return ctx.error() << "cannot concatenate " << v->origin
                         << " with quantized tensors";
    // One level only: a chain of pending Concats would make quantizing it
    // recurse as deep as the chain is long.
    if (v->kind == Kind::Concat)
      return ctx.error() << v->origin
                         << " concatenates differently quantized tensors; "
                            "quantize it before concatenating it again";
  }
  ImportedValue out;
  out.kind = Kind::Concat;
  out.type = RankedTensorType::get(shape, Float32Type::get(ctx.context()));
  out.parts.assign(inputs.begin(), inputs.end());
  out.concatAxis = axis;
  ctx.setOutput(0, std::move(out));
  return success();
}

/// The integer that pads a tensor whose padding reals are `value`.
static FailureOr<int64_t> padInteger(NodeContext &ctx, const ImportedValue &x,
                                     const GridOperand &operand,
                                     double value) {
  double q = value;
  if (x.kind == Kind::Grid) {
    std::optional<int64_t> zp = operand.quant.uniformZeroPoint();
    if (!zp || !operand.quant.hasUniformScale())
      return ctx.error() << "padding a per-channel quantized tensor is not "
                            "supported";
    q = value / operand.quant.scales[0] + double(*zp);
  }
  rules::IntRange range =
      integerRange(intElementType(operand.type));
  if (q != std::nearbyint(q) || q < double(range.min) ||
      q > double(range.max))
    return ctx.error() << "the pad value " << value
                       << " is not an integer of the input's quantization";
  return int64_t(q);
}

static LogicalResult lowerPad(NodeContext &ctx) {
  bool attributes = ctx.opset < 11; // Pad-2: pads and value are attributes
  if (failed(ctx.checkArity(attributes ? 1 : 4, 1)) ||
      failed(ctx.checkAttributes(attributes
                                     ? ArrayRef<StringRef>{"mode", "pads",
                                                           "value"}
                                     : ArrayRef<StringRef>{"mode"})))
    return failure();
  std::string mode = "constant";
  if (failed(ctx.readAttribute("mode", mode)))
    return failure();
  if (mode != "constant")
    return ctx.error() << "mode '" << mode << "' is not supported";
  FailureOr<ValueRef> input = ctx.input(0);
  if (failed(input))
    return failure();
  const ImportedValue &x = **input;
  int64_t rank = x.type.getRank();

  SmallVector<int64_t> pads;
  double value = 0;
  if (attributes) {
    if (failed(ctx.readAttribute("pads", pads)) ||
        failed(ctx.readAttribute("value", value)))
      return failure();
  } else {
    FailureOr<std::shared_ptr<const TensorData>> p =
        ctx.constantInput(1, "pads");
    if (failed(p))
      return failure();
    if (!(*p)->isInteger())
      return ctx.error() << "the pads must be integers";
    pads.assign((*p)->ints.begin(), (*p)->ints.end());
    if (ctx.hasInput(2)) {
      FailureOr<std::shared_ptr<const TensorData>> v =
          ctx.constantInput(2, "constant value");
      if (failed(v))
        return failure();
      if ((*v)->numElements() != 1)
        return ctx.error() << "the constant value must be a scalar";
      value = (*v)->realAt(0);
    }
  }
  // With axes (opset 18), pads lists [begins, ends] of those axes only.
  SmallVector<int64_t> axes;
  if (!attributes && ctx.hasInput(3)) {
    FailureOr<std::shared_ptr<const TensorData>> a =
        ctx.constantInput(3, "axes");
    if (failed(a))
      return failure();
    if (!(*a)->isInteger())
      return ctx.error() << "the axes must be integers";
    for (int64_t axis : (*a)->ints) {
      if (axis < -rank || axis >= rank)
        return ctx.error() << "axis " << axis << " is out of range";
      axes.push_back(axis < 0 ? axis + rank : axis);
    }
  } else {
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  }
  if (pads.size() != 2 * axes.size())
    return ctx.error() << "expects " << 2 * axes.size() << " pads, got "
                       << pads.size();
  SmallVector<int64_t> low(rank, 0), high(rank, 0);
  for (auto [i, axis] : llvm::enumerate(axes)) {
    int64_t begin = pads[i], end = pads[i + axes.size()];
    if (begin < 0 || end < 0 || begin > INT32_MAX || end > INT32_MAX)
      return ctx.error() << "pads must be non-negative (cropping is not "
                            "supported)";
    low[axis] = begin;
    high[axis] = end;
  }

  if (x.kind != Kind::Int && x.kind != Kind::Grid)
    return ctx.error() << "input '" << ctx.node.input(0)
                       << "' must be integers or a quantized tensor, got "
                       << x.origin;
  GridOperand operand{x.ints, x.data, x.type, x.quant};
  if (x.kind == Kind::Grid) {
    FailureOr<GridOperand> g = gridInput(ctx, 0, "input");
    if (failed(g))
      return failure();
    operand = *g;
  }
  FailureOr<int64_t> padValue = padInteger(ctx, x, operand, value);
  if (failed(padValue))
    return failure();
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    shape.push_back(x.type.getDimSize(d) + low[d] + high[d]);
    if (shape.back() > INT32_MAX)
      return ctx.error() << "the padded tensor is too large";
  }
  ImportedValue out;
  out.kind = x.kind;
  out.type = withShape(x.type, shape);
  out.quant = operand.quant;
  out.ints = PadOp::create(ctx.builder(), ctx.loc, out.type,
                           operandValue(ctx, operand), low, high, *padValue);
  ctx.setOutput(0, std::move(out));
  return success();
}

static LogicalResult lowerIdentity(NodeContext &ctx) {
  if (failed(ctx.checkArity(1, 1)) || failed(ctx.checkAttributes({})))
    return failure();
  FailureOr<ValueRef> x = ctx.input(0);
  if (failed(x))
    return failure();
  ctx.setOutput(0, **x);
  return success();
}

static LogicalResult lowerConstant(NodeContext &ctx) {
  if (failed(ctx.checkArity(0, 1)) ||
      failed(ctx.checkAttributes(
          {"value", "value_float", "value_floats", "value_int", "value_ints"})))
    return failure();
  if (ctx.node.attribute_size() != 1)
    return ctx.error() << "expects exactly one value attribute";
  std::shared_ptr<const TensorData> data;
  auto scalars = std::make_shared<TensorData>();
  StringRef name = ctx.node.attribute(0).name();
  if (name == "value") {
    if (failed(ctx.readAttribute("value", data)))
      return failure();
  } else if (name == "value_float") {
    double f = 0;
    if (failed(ctx.readAttribute(name, f)))
      return failure();
    scalars->dataType = ::onnx::TensorProto::FLOAT;
    scalars->reals = {f};
  } else if (name == "value_int") {
    int64_t i = 0;
    if (failed(ctx.readAttribute(name, i)))
      return failure();
    scalars->dataType = ::onnx::TensorProto::INT64;
    scalars->ints = {i};
  } else if (name == "value_ints") {
    SmallVector<int64_t> ints;
    if (failed(ctx.readAttribute(name, ints)))
      return failure();
    scalars->dataType = ::onnx::TensorProto::INT64;
    scalars->shape = {int64_t(ints.size())};
    scalars->ints.assign(ints.begin(), ints.end());
  } else {
    const ::onnx::AttributeProto &attr = ctx.node.attribute(0);
    if (attr.type() != ::onnx::AttributeProto::FLOATS)
      return ctx.error() << "attribute 'value_floats' must be a list of "
                            "floats";
    scalars->dataType = ::onnx::TensorProto::FLOAT;
    scalars->shape = {int64_t(attr.floats_size())};
    scalars->reals.assign(attr.floats().begin(), attr.floats().end());
  }
  if (!data)
    data = scalars;
  ImportedValue v;
  v.kind = Kind::Constant;
  v.type = RankedTensorType::get(
      data->shape, data->isInteger()
                       ? toMLIRElementType(ctx.context(), data->dataType)
                       : Type(Float32Type::get(ctx.context())));
  v.data = data;
  ctx.setOutput(0, std::move(v));
  return success();
}

void mlir::qnn::frontend::registerShapeOps(OpTable &table) {
  table.add("", "Flatten", lowerFlatten);
  table.add("", "Reshape", lowerReshape);
  table.add("", "Concat", lowerConcat);
  table.add("", "Pad", lowerPad);
  table.add("", "Identity", lowerIdentity);
  table.add("", "Constant", lowerConstant);
}
