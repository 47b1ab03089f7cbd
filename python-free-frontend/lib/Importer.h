//===- Importer.h - The graph walk and the per-node context -----*- C++ -*-===//
//
// Internal interface between the graph walk (Importer.cpp) and the op
// families (one file each), which register their lowerings in an OpTable.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_FRONTEND_ONNX_IMPORTER_H
#define QNN_FRONTEND_ONNX_IMPORTER_H

#include "ImportedValue.h"

#include "qnn/Frontend/ONNX/Import.h"

#include "onnx/onnx_pb.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"

namespace mlir::qnn::frontend {

class Importer;

/// One node being lowered: its inputs, attributes, outputs and diagnostics.
class NodeContext {
public:
  /// `index` is the node's position in the graph, which names it in
  /// diagnostics when it has no name.
  NodeContext(Importer &importer, const ::onnx::NodeProto &node, int index,
              Location loc, int64_t opset);

  Importer &importer;
  const ::onnx::NodeProto &node;
  Location loc;
  /// The opset version of the node's domain.
  int64_t opset;

  OpBuilder &builder();
  MLIRContext *context();
  /// Emits an error at the node, prefixed "node 'name' (OpType): ".
  InFlightDiagnostic error();

  /// True if input i is given (present and not the empty name).
  bool hasInput(unsigned i) const;
  /// Input i; an error if it is not given.
  FailureOr<ValueRef> input(unsigned i);
  /// The data of input i, which must be known at import (an initializer, a
  /// Constant node, a value from ImportOptions::inputValues); `role` names
  /// it in the error otherwise ("scale", "shape").
  FailureOr<std::shared_ptr<const TensorData>> constantInput(unsigned i,
                                                             StringRef role);
  /// Fails if the node has more than `max` inputs or outputs given.
  LogicalResult checkArity(unsigned maxInputs, unsigned maxOutputs);

  /// Fails on an attribute whose name is not in `known`.
  LogicalResult checkAttributes(ArrayRef<StringRef> known);
  bool hasAttribute(StringRef name) const;
  /// Each reads the attribute into `value` if present (leaving the default
  /// the caller put there otherwise) and fails on a wrong attribute type.
  LogicalResult readAttribute(StringRef name, int64_t &value);
  LogicalResult readAttribute(StringRef name, SmallVectorImpl<int64_t> &value);
  LogicalResult readAttribute(StringRef name, double &value);
  LogicalResult readAttribute(StringRef name, std::string &value);
  LogicalResult readAttribute(StringRef name,
                              std::shared_ptr<const TensorData> &value);

  /// Binds output i (if the node names it) to `value`.
  void setOutput(unsigned i, ImportedValue value);

  /// "Conv 'conv1'" (or "Conv #3"), for the origin of values this node produces.
  std::string describe() const;

private:
  const ::onnx::AttributeProto *findAttribute(StringRef name) const;
  /// "'conv1'", or "#3" for an unnamed node.
  std::string label;
  InFlightDiagnostic attributeError(StringRef name, StringRef expected);
};

using LowerFn = LogicalResult (*)(NodeContext &);

/// Lowerings by domain and op type.
class OpTable {
public:
  /// `domain` is "" for the default ONNX domain.
  void add(StringRef domain, StringRef opType, LowerFn lower);
  LowerFn lookup(StringRef domain, StringRef opType) const;

private:
  llvm::StringMap<LowerFn> lowerings;
};

// One registration function per op family (one file each).
void registerQuantizeOps(OpTable &table);   // QuantizeOps.cpp
void registerConvOps(OpTable &table);       // ConvOps.cpp
void registerMatMulOps(OpTable &table);     // MatMulOps.cpp
void registerPoolOps(OpTable &table);       // PoolOps.cpp
void registerElementwiseOps(OpTable &table); // ElementwiseOps.cpp
void registerShapeOps(OpTable &table);      // ShapeOps.cpp

/// The graph walk. Owns the module under construction and the binding of
/// ONNX tensor names to ImportedValues.
class Importer {
public:
  Importer(MLIRContext *context, const ImportOptions &options);

  FailureOr<ImportedModel> run(llvm::StringRef bytes);

  MLIRContext *context;
  const ImportOptions &options;
  OpBuilder builder;

  /// The value bound to `name`, or null.
  ValueRef lookup(StringRef name) const;
  /// Binds `name`, which must not be bound yet.
  void bind(StringRef name, ImportedValue value);
  /// The lowering of an op, or null.
  LowerFn lowering(StringRef domain, StringRef opType) const {
    return table.lookup(domain, opType);
  }
  /// The integers of an Int, Grid or Accum value, or of an integer
  /// Constant, as an SSA value; materializes constants (once per data and
  /// type) as qnn.constant.
  Value materialize(const ImportedValue &value, Location loc);
  /// A qnn.constant of `type` holding `data`'s integers (which must fit).
  Value constant(std::shared_ptr<const TensorData> data, RankedTensorType type,
                 Location loc);

private:
  OpTable table;
  llvm::StringMap<ValueRef> values;
  llvm::DenseMap<std::pair<const TensorData *, Type>, Value> constants;
  /// Keeps constant data alive while `constants` refers to it.
  std::vector<std::shared_ptr<const TensorData>> constantData;
};

} // namespace mlir::qnn::frontend

#endif // QNN_FRONTEND_ONNX_IMPORTER_H
