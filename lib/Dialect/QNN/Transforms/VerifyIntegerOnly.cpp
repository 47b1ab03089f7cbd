//===- VerifyIntegerOnly.cpp - Prove that no float remains ----------------===//
//
// Every value of a module is an op result or a block argument, every type
// an op or function refers to is in its operands, results, block arguments
// or attributes, and every attribute is in its discardable dictionary or
// its properties. Checking all of these on every op of a full walk, with the
// generic sub-element walkers that look inside tensors, memrefs, functions,
// arrays, dictionaries and dense elements, leaves nowhere to hide a float.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNVERIFYINTEGERONLY
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

namespace {

/// Dialects whose every op computes on reals: `math` (elementary functions)
/// and `quant` (casts to and from quantized reals).
bool isFloatDialect(StringRef ns) { return ns == "math" || ns == "quant"; }

bool isNonIntegerType(Type t) {
  if (isa<FloatType>(t))
    return true;
  // Unregistered dialects parse as opaque types that keep their namespace.
  if (auto opaque = dyn_cast<OpaqueType>(t))
    return opaque.getDialectNamespace().getValue() == "quant";
  return t.getDialect().getNamespace() == "quant";
}

bool isNonIntegerAttr(Attribute a) {
  if (auto opaque = dyn_cast<OpaqueAttr>(a))
    return opaque.getDialectNamespace().getValue() == "quant";
  return a.getDialect().getNamespace() == "quant";
}

std::string describe(Type t) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << t;
  return s;
}

/// The first float or quant type nested anywhere in `type`.
Type findNonIntegerType(Type type) {
  Type found;
  type.walk([&](Type t) {
    if (!isNonIntegerType(t))
      return WalkResult::advance();
    found = t;
    return WalkResult::interrupt();
  });
  return found;
}

/// What makes `attr` not integer-only, looking through nested attributes and
/// the types they hold; empty if nothing.
std::string findInAttribute(Attribute attr) {
  std::string found;
  attr.walk(
      [&](Attribute a) {
        if (isNonIntegerAttr(a)) {
          std::string s;
          llvm::raw_string_ostream(s) << a;
          found = "the quant attribute " + s;
          return WalkResult::interrupt();
        }
        // Not every attribute walks its own type as a sub-element (dense
        // elements do not): look at the type of every typed attribute.
        if (auto typed = dyn_cast<TypedAttr>(a))
          if (Type t = findNonIntegerType(typed.getType())) {
            found = "the type " + describe(t);
            return WalkResult::interrupt();
          }
        return WalkResult::advance();
      },
      [&](Type t) {
        if (!isNonIntegerType(t))
          return WalkResult::advance();
        found = "the type " + describe(t);
        return WalkResult::interrupt();
      });
  return found;
}

/// A qnn.quantize of an argument of the function it is in.
bool isArgumentQuantize(Operation *op) {
  auto quantize = dyn_cast<QuantizeOp>(op);
  if (!quantize)
    return false;
  auto arg = dyn_cast<BlockArgument>(quantize.getInput());
  return arg && arg.getOwner()->isEntryBlock() &&
         isa<FunctionOpInterface>(arg.getOwner()->getParentOp());
}

/// A return of a function (not of a region nested in it).
bool isFunctionReturn(Operation *op) {
  return op->hasTrait<OpTrait::ReturnLike>() &&
         isa_and_nonnull<FunctionOpInterface>(op->getParentOp());
}

/// A qnn.dequantize whose every user is a return of its function.
bool isResultDequantize(Operation *op) {
  return isa<DequantizeOp>(op) && !op->use_empty() &&
         llvm::all_of(op->getUsers(), isFunctionReturn);
}

struct VerifyIntegerOnlyPass
    : public mlir::qnn::impl::QNNVerifyIntegerOnlyBase<VerifyIntegerOnlyPass> {
  using Base::Base;

  void runOnOperation() override {
    bool failedAny = false;
    getOperation()->walk<WalkOrder::PreOrder>([&](Operation *op) {
      std::string reason = offense(op);
      if (reason.empty())
        return;
      op->emitOpError() << "is not integer-only: " << reason;
      failedAny = true;
    });
    if (failedAny)
      signalPassFailure();
  }

private:
  /// Why `op` is not integer-only (the first reason found), or empty.
  std::string offense(Operation *op);
  /// The same for the attributes of `op` other than `skip`.
  std::string attributeOffense(Operation *op,
                               std::optional<NamedAttribute> skip);
  /// The same for the signature of a function.
  std::string signatureOffense(FunctionOpInterface func);

  /// Function argument `i` is allowed a float type: boundary ops are allowed
  /// and every use of the argument is a qnn.quantize.
  bool isBoundaryArgument(FunctionOpInterface func, unsigned i) {
    if (!allowBoundary || func.isExternal())
      return false;
    return llvm::all_of(func.getArgument(i).getUsers(), isArgumentQuantize);
  }

  /// Function result `i` is allowed a float type: boundary ops are allowed
  /// and every return of the function returns a qnn.dequantize there.
  bool isBoundaryResult(FunctionOpInterface func, unsigned i) {
    if (!allowBoundary || func.isExternal())
      return false;
    for (Block &block : func.getFunctionBody()) {
      if (block.empty() || !isFunctionReturn(&block.back()))
        continue;
      Operation *def = block.back().getOperand(i).getDefiningOp();
      if (!def || !isResultDequantize(def))
        return false;
    }
    return true;
  }
};

std::string VerifyIntegerOnlyPass::offense(Operation *op) {
  StringRef ns = op->getName().getDialectNamespace();
  if (isFloatDialect(ns))
    return "it belongs to the float dialect '" + ns.str() + "'";
  if (isa<RequantizeOp, RequantizeAddOp, BatchNormOp>(op))
    return "it is a pre-folding op with real-valued parameters (run "
           "--qnn-fold-batch-norm and --qnn-fold-scales)";
  if (isa<QuantizeOp, DequantizeOp>(op)) {
    if (!allowBoundary)
      return "it is a float boundary op (allow-boundary permits it at "
             "function arguments and results)";
    if (isArgumentQuantize(op) || isResultDequantize(op))
      return "";
    return "it is a float boundary op that is not at a function argument "
           "(qnn.quantize) or only used by the function's returns "
           "(qnn.dequantize)";
  }

  for (OpOperand &operand : op->getOpOperands()) {
    Type t = findNonIntegerType(operand.get().getType());
    if (!t)
      continue;
    Operation *def = operand.get().getDefiningOp();
    if (allowBoundary && isFunctionReturn(op) && def && isResultDequantize(def))
      continue;
    return "operand #" + std::to_string(operand.getOperandNumber()) +
           " has the type " + describe(operand.get().getType());
  }
  for (OpResult result : op->getResults())
    if (findNonIntegerType(result.getType()))
      return "result #" + std::to_string(result.getResultNumber()) +
             " has the type " + describe(result.getType());

  auto func = dyn_cast<FunctionOpInterface>(op);
  if (func) {
    std::string reason = signatureOffense(func);
    if (!reason.empty())
      return reason;
  }
  for (Region &region : op->getRegions())
    for (auto [b, block] : llvm::enumerate(region)) {
      // A function's entry block arguments have its argument types, which
      // signatureOffense checked.
      if (func && block.isEntryBlock())
        continue;
      for (BlockArgument arg : block.getArguments()) {
        if (!findNonIntegerType(arg.getType()))
          continue;
        return "argument #" + std::to_string(arg.getArgNumber()) +
               " of block #" + std::to_string(b) + " in region #" +
               std::to_string(region.getRegionNumber()) + " has the type " +
               describe(arg.getType());
      }
    }

  // The function type attribute holds the signature checked above.
  return attributeOffense(op, func ? NamedAttribute(
                                         StringAttr::get(op->getContext(),
                                                         "function_type"),
                                         TypeAttr::get(func.getFunctionType()))
                                   : std::optional<NamedAttribute>());
}

std::string VerifyIntegerOnlyPass::signatureOffense(FunctionOpInterface func) {
  for (auto [i, t] : llvm::enumerate(func.getArgumentTypes()))
    if (findNonIntegerType(t) && !isBoundaryArgument(func, i))
      return "function argument #" + std::to_string(i) + " has the type " +
             describe(t);
  for (auto [i, t] : llvm::enumerate(func.getResultTypes()))
    if (findNonIntegerType(t) && !isBoundaryResult(func, i))
      return "function result #" + std::to_string(i) + " has the type " +
             describe(t);
  return "";
}

std::string
VerifyIntegerOnlyPass::attributeOffense(Operation *op,
                                        std::optional<NamedAttribute> skip) {
  // Inherent attributes live in the properties (when the op has them),
  // discardable ones in the dictionary; together they are all of them.
  SmallVector<NamedAttribute> attrs(
      op->getDiscardableAttrDictionary().getValue());
  if (Attribute props = op->getPropertiesAsAttribute()) {
    if (auto dict = dyn_cast<DictionaryAttr>(props))
      llvm::append_range(attrs, dict.getValue());
    else
      attrs.push_back(
          NamedAttribute(StringAttr::get(op->getContext(), "<properties>"),
                         props));
  }
  for (NamedAttribute attr : attrs) {
    if (attr == skip)
      continue;
    std::string found = findInAttribute(attr.getValue());
    if (!found.empty())
      return "attribute '" + attr.getName().str() + "' holds " + found;
  }
  return "";
}

} // namespace
