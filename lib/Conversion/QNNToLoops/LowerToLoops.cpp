//===- LowerToLoops.cpp - The qnn-lower-to-loops pass ---------------------===//

#include "Emitter.h"
#include "Kernels.h"
#include "MemoryPlan.h"

#include "qnn/Conversion/Passes.h"
#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "llvm/ADT/TypeSwitch.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNLOWERTOLOOPS
#include "qnn/Conversion/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

namespace {

/// Ops this pass emits code for; constants and reshapes need none (the
/// memory plan turns them into globals and aliases).
bool hasLowering(Operation *op) {
  return isa<ConstantOp, ReshapeOp, Conv2DOp, MatmulOp, AddOp, AvgPool2DOp,
             RescaleOp, MaxPool2DOp, ClampOp, PadOp, ConcatOp,
             func::ReturnOp>(op);
}

/// A static integer tensor of at most 64 bits per element.
bool isLowerableTensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape())
    return false;
  auto element = dyn_cast<IntegerType>(tensor.getElementType());
  return element && element.getWidth() <= 64;
}

LogicalResult checkLowerable(func::FuncOp func) {
  if (!func.getBody().hasOneBlock())
    return func.emitError("qnn-lower-to-loops expects a function with a body "
                          "of one block");
  bool ok = true;
  FunctionType type = func.getFunctionType();
  for (auto [i, t] : llvm::enumerate(type.getInputs()))
    if (!isLowerableTensor(t)) {
      func.emitError() << "argument #" << i
                       << " must be a static integer tensor, got " << t;
      ok = false;
    }
  for (auto [i, t] : llvm::enumerate(type.getResults()))
    if (!isLowerableTensor(t)) {
      func.emitError() << "result #" << i
                       << " must be a static integer tensor, got " << t;
      ok = false;
    }
  func.walk([&](Operation *op) {
    if (op == func || hasLowering(op))
      return;
    InFlightDiagnostic diag = op->emitError()
                              << "'" << op->getName()
                              << "' has no lowering to native code";
    if (isa<RequantizeOp, QuantizeOp, DequantizeOp>(op))
      diag << " (it is not integer-only: run --qnn-integerize first)";
    ok = false;
  });
  return success(ok);
}

SmallVector<Type> byteBufferTypes(MLIRContext *ctx, TypeRange tensors) {
  SmallVector<Type> types;
  for (Type t : tensors)
    types.push_back(MemRefType::get({storageBytes(cast<RankedTensorType>(t))},
                                    IntegerType::get(ctx, 8)));
  return types;
}

void emitOp(Emitter &e, Operation *op) {
  llvm::TypeSwitch<Operation *>(op)
      .Case([&](Conv2DOp o) { emitConv2D(e, o); })
      .Case([&](MatmulOp o) { emitMatmul(e, o); })
      .Case([&](AddOp o) { emitAdd(e, o); })
      .Case([&](AvgPool2DOp o) { emitAvgPool2D(e, o); })
      .Case([&](RescaleOp o) { emitRescale(e, o); })
      .Case([&](MaxPool2DOp o) { emitMaxPool2D(e, o); })
      .Case([&](ClampOp o) { emitClamp(e, o); })
      .Case([&](PadOp o) { emitPad(e, o); })
      .Case([&](ConcatOp o) { emitConcat(e, o); })
      .Default([](Operation *) {}); // constants, reshapes: storage only
}

/// The conv2d/matmul ops that the kernels can compute, and the scratch
/// each needs (the most any instruction set's kernel needs, so that the
/// plan is the same for every CPU level).
void collectKernelCandidates(func::FuncOp func,
                             std::vector<KernelCandidate> &candidates,
                             SmallVectorImpl<OpScratch> &requests) {
  for (Operation &op : func.getBody().front()) {
    std::optional<KernelCandidate> c = matchKernelCandidate(&op);
    if (!c)
      continue;
    int64_t bytes = maxKernelScratchBytes(*c);
    if (bytes == 0)
      continue;
    requests.push_back(
        {&op, c->rescale ? c->rescale.getOperation() : &op, bytes});
    candidates.push_back(std::move(*c));
  }
}

/// Builds @<name>_run for `func` and erases `func`. With `planKernels`, the
/// memory plan has room for the kernels; with `isa`, they are called.
void lowerFunction(ModuleOp module, func::FuncOp func, StringRef name,
                   bool planKernels, std::optional<KernelISA> isa) {
  MLIRContext *ctx = module.getContext();
  std::vector<KernelCandidate> candidates;
  SmallVector<OpScratch> requests;
  if (planKernels)
    collectKernelCandidates(func, candidates, requests);
  MemoryPlan plan = planMemory(func, requests);
  FunctionType signature = func.getFunctionType();
  SmallVector<Type> args = byteBufferTypes(ctx, signature.getInputs());
  llvm::append_range(args, byteBufferTypes(ctx, signature.getResults()));
  args.push_back(MemRefType::get({std::max<int64_t>(plan.scratchBytes, 1)},
                                 IntegerType::get(ctx, 8)));

  OpBuilder b(func);
  auto run = func::FuncOp::create(
      b, func.getLoc(), (name + "_run").str(),
      b.getFunctionType(args, b.getI32Type()));
  auto typeAttrs = [&](TypeRange types) {
    return b.getArrayAttr(llvm::map_to_vector(
        types, [](Type t) -> Attribute { return TypeAttr::get(t); }));
  };
  run->setAttr("qnn.model_name", b.getStringAttr(name));
  run->setAttr("qnn.scratch_bytes", b.getI64IntegerAttr(plan.scratchBytes));
  run->setAttr("qnn.scratch_align", b.getI64IntegerAttr(kScratchAlignment));
  run->setAttr("qnn.inputs", typeAttrs(signature.getInputs()));
  run->setAttr("qnn.outputs", typeAttrs(signature.getResults()));
  if (ArrayAttr argAttrs = func.getAllArgAttrs())
    run->setAttr("qnn.input_attributes", argAttrs);
  if (ArrayAttr resultAttrs = func.getAllResultAttrs())
    run->setAttr("qnn.output_attributes", resultAttrs);

  Block *entry = run.addEntryBlock();
  b.setInsertionPointToStart(entry);
  unsigned numInputs = signature.getNumInputs();
  unsigned numOutputs = signature.getNumResults();
  ValueRange bufferArgs = entry->getArguments();
  Emitter emitter(b, module, plan, bufferArgs.take_front(numInputs),
                  bufferArgs.slice(numInputs, numOutputs), bufferArgs.back(),
                  name);
  llvm::DenseMap<Operation *, const KernelCandidate *> kernelOps;
  llvm::DenseSet<Operation *> fused;
  if (isa)
    for (const KernelCandidate &c : candidates)
      if (supports(*isa, c)) {
        kernelOps[c.op] = &c;
        if (c.rescale)
          fused.insert(c.rescale);
      }
  for (Operation &op : func.getBody().front().without_terminator()) {
    if (const KernelCandidate *c = kernelOps.lookup(&op))
      emitKernelCall(emitter, *isa, *c, plan.opScratch.lookup(&op));
    else if (auto pool = dyn_cast<MaxPool2DOp>(op);
             pool && isa && emitMaxPoolKernelCall(emitter, *isa, pool))
      continue;
    else if (!fused.contains(&op))
      emitOp(emitter, &op);
  }
  for (auto [index, value] : plan.outputCopies)
    emitter.copyToOutput(func.getLoc(), value, index);
  func::ReturnOp::create(b, func.getLoc(),
                         emitter.constant(func.getLoc(), 0, b.getI32Type()));
  func.erase();
}

struct QNNLowerToLoopsPass
    : public mlir::qnn::impl::QNNLowerToLoopsBase<QNNLowerToLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    func::FuncOp func = selectEntry(module);
    if (!func || failed(checkLowerable(func)))
      return signalPassFailure();
    if (!isValidCIdentifier(modelName)) {
      module.emitError() << "model-name '" << modelName
                         << "' is not a C identifier";
      return signalPassFailure();
    }
    FailureOr<std::optional<KernelISA>> isa = parseKernelISA(kernels);
    if (failed(isa)) {
      module.emitError() << "unknown kernels '" << kernels
                         << "' (supported: none, avx2, avx512-vnni, neon-dotprod)";
      return signalPassFailure();
    }
    lowerFunction(module, func, modelName, kernelScratch || isa->has_value(),
                  *isa);
  }

private:
  func::FuncOp selectEntry(ModuleOp module) {
    if (!entry.empty()) {
      auto f = module.lookupSymbol<func::FuncOp>(entry);
      if (!f)
        module.emitError() << "no function '" << entry << "' to lower";
      return f;
    }
    auto funcs = llvm::to_vector(module.getOps<func::FuncOp>());
    if (funcs.size() == 1)
      return funcs.front();
    module.emitError() << "the module has " << funcs.size()
                       << " functions: name the one to lower with entry=";
    return nullptr;
  }

  static bool isValidCIdentifier(StringRef s) {
    return !s.empty() && !llvm::isDigit(s.front()) &&
           llvm::all_of(s, [](char c) { return llvm::isAlnum(c) || c == '_'; });
  }
};

} // namespace
