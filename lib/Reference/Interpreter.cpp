//===- Interpreter.cpp - The reference interpreter of qnn -----------------===//

#include "qnn/Reference/Interpreter.h"

#include "Kernels.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::qnn::reference;
namespace qnnd = mlir::qnn;

namespace {

std::string locationString(Location loc) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << loc;
  return s;
}

llvm::Error opError(Operation *op, const llvm::Twine &message) {
  return llvm::createStringError(
      llvm::formatv("{0}: '{1}': {2}", locationString(op->getLoc()),
                    op->getName().getStringRef(), message.str())
          .str());
}

/// Values computed so far, by SSA value.
class Environment {
public:
  void bind(Value v, Tensor t) { values[v] = std::move(t); }
  const Tensor &lookup(Value v) const { return values.find(v)->second; }
  const Tensor *lookupOptional(Value v) const {
    return v ? &lookup(v) : nullptr;
  }

private:
  llvm::DenseMap<Value, Tensor> values;
};

/// Computes the results of one op, or fails for an op without reference
/// semantics.
llvm::Expected<std::vector<Tensor>> evaluate(Operation *op,
                                             const Environment &env) {
  auto one = [](Tensor t) { return std::vector<Tensor>{std::move(t)}; };
  auto arg = [&](Value v) -> const Tensor & { return env.lookup(v); };
  return llvm::TypeSwitch<Operation *, llvm::Expected<std::vector<Tensor>>>(op)
      .Case([&](qnnd::ConstantOp o) { return one(constantKernel(o)); })
      .Case([&](qnnd::Conv2DOp o) {
        return one(conv2dKernel(o, arg(o.getInput()), arg(o.getWeight()),
                                env.lookupOptional(o.getBias())));
      })
      .Case([&](qnnd::MatmulOp o) {
        return one(matmulKernel(o, arg(o.getLhs()), arg(o.getRhs()),
                                env.lookupOptional(o.getBias())));
      })
      .Case([&](qnnd::AddOp o) {
        return one(addKernel(o, arg(o.getLhs()), arg(o.getRhs())));
      })
      .Case([&](qnnd::AvgPool2DOp o) {
        return one(avgPool2dKernel(o, arg(o.getInput())));
      })
      .Case([&](qnnd::MaxPool2DOp o) {
        return one(maxPool2dKernel(o, arg(o.getInput())));
      })
      .Case([&](qnnd::ClampOp o) {
        return one(clampKernel(o, arg(o.getInput())));
      })
      .Case([&](qnnd::PadOp o) { return one(padKernel(o, arg(o.getInput()))); })
      .Case([&](qnnd::ReshapeOp o) {
        return one(reshapeKernel(o, arg(o.getInput())));
      })
      .Case([&](qnnd::ConcatOp o) {
        std::vector<Tensor> inputs;
        for (Value v : o.getInputs())
          inputs.push_back(arg(v));
        return one(concatKernel(o, inputs));
      })
      .Case([&](qnnd::RescaleOp o) {
        return one(rescaleKernel(o, arg(o.getInput())));
      })
      .Case([&](qnnd::RequantizeOp o) {
        return one(requantizeKernel(o, arg(o.getInput())));
      })
      .Case([&](qnnd::RequantizeAddOp o) {
        return one(requantizeAddKernel(o, arg(o.getLhs()), arg(o.getRhs())));
      })
      .Case([&](qnnd::BatchNormOp o) {
        return one(batchNormKernel(o, arg(o.getInput())));
      })
      .Case([&](qnnd::QuantizeOp o) {
        return one(quantizeKernel(o, arg(o.getInput())));
      })
      .Case([&](qnnd::DequantizeOp o) {
        return one(dequantizeKernel(o, arg(o.getInput())));
      })
      .Default([&](Operation *o) -> llvm::Expected<std::vector<Tensor>> {
        return opError(o, "has no reference semantics");
      });
}

} // namespace

llvm::Error mlir::qnn::reference::checkTensorMatches(const Tensor &t,
                                               RankedTensorType type,
                                               llvm::StringRef what) {
  auto typeStr = [](Type ty) {
    std::string s;
    llvm::raw_string_ostream os(s);
    os << ty;
    return s;
  };
  if (t.type != type)
    return llvm::createStringError(
        llvm::formatv("{0} has type {1}, expected {2}", what,
                      typeStr(t.type), typeStr(type))
            .str());
  auto intType = dyn_cast<IntegerType>(type.getElementType());
  if (!intType)
    return llvm::Error::success();
  rules::IntRange range = mlir::qnn::integerRange(intType);
  for (auto [i, v] : llvm::enumerate(t.ints))
    if (!range.contains(v))
      return llvm::createStringError(
          llvm::formatv("{0} element {1} is {2}, outside the range [{3}, {4}] "
                        "of {5}",
                        what, i, v, range.min, range.max, typeStr(intType))
              .str());
  return llvm::Error::success();
}

llvm::Expected<std::vector<Tensor>>
mlir::qnn::reference::runFunction(func::FuncOp func, llvm::ArrayRef<Tensor> args,
                            const OpObserver &observer) {
  if (func.isExternal())
    return llvm::createStringError("function '" + func.getSymName().str() +
                                   "' has no body");
  FunctionType signature = func.getFunctionType();
  if (args.size() != signature.getNumInputs())
    return llvm::createStringError(
        llvm::formatv("function '{0}' takes {1} arguments, got {2}",
                      func.getSymName(), signature.getNumInputs(), args.size())
            .str());
  Environment env;
  Block &body = func.getBody().front();
  for (auto [i, blockArg] : llvm::enumerate(body.getArguments())) {
    auto type = dyn_cast<RankedTensorType>(blockArg.getType());
    if (!type)
      return llvm::createStringError(
          llvm::formatv("argument #{0} is not a ranked tensor", i).str());
    if (llvm::Error e = checkTensorMatches(
            args[i], type, llvm::formatv("argument #{0}", i).str()))
      return std::move(e);
    env.bind(blockArg, args[i]);
  }
  for (Operation &op : body) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      std::vector<Tensor> results;
      for (Value v : ret.getOperands())
        results.push_back(env.lookup(v));
      return results;
    }
    if (op.getNumRegions() != 0)
      return opError(&op, "ops with regions have no reference semantics");
    llvm::Expected<std::vector<Tensor>> results = evaluate(&op, env);
    if (!results)
      return results.takeError();
    if (observer)
      observer(&op, *results);
    for (auto [value, tensor] : llvm::zip(op.getResults(), *results))
      env.bind(value, std::move(tensor));
  }
  return llvm::createStringError("function '" + func.getSymName().str() +
                                 "' does not end in func.return");
}
