//===- MemoryPlan.cpp - Static memory plan of a lowered qnn function ------===//

#include "MemoryPlan.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::qnn;

IntegerType mlir::qnn::containerType(IntegerType elementType) {
  return IntegerType::get(elementType.getContext(),
                          containerBits(elementType));
}

int64_t mlir::qnn::storageBytes(RankedTensorType type) {
  auto element = cast<IntegerType>(type.getElementType());
  return type.getNumElements() * (containerType(element).getWidth() / 8);
}

namespace {

/// The value whose storage `v` shares: reshapes alias their operand.
Value storageRoot(Value v) {
  while (auto reshape = v.getDefiningOp<ReshapeOp>())
    v = reshape.getInput();
  return v;
}

/// A value that needs its own scratch bytes for a span of op positions.
struct Interval {
  Value root;
  int64_t start, end; // op positions, inclusive
  int64_t bytes;
};

/// First-fit: the lowest offset at which `bytes` fit between the blocks
/// already placed whose intervals overlap `interval` in time.
int64_t firstFitOffset(const Interval &interval,
                       ArrayRef<std::pair<Interval, int64_t>> placed) {
  SmallVector<std::pair<int64_t, int64_t>> busy; // [offset, offset + bytes)
  for (const auto &[other, offset] : placed)
    if (other.start <= interval.end && interval.start <= other.end)
      busy.push_back({offset, offset + other.bytes});
  llvm::sort(busy);
  int64_t candidate = 0;
  for (auto [begin, end] : busy) {
    if (candidate + interval.bytes <= begin)
      break;
    candidate = std::max<int64_t>(candidate, llvm::alignTo(end, kScratchAlignment));
  }
  return candidate;
}

} // namespace

MemoryPlan mlir::qnn::planMemory(func::FuncOp func,
                                 ArrayRef<OpScratch> requests) {
  MemoryPlan plan;
  Block &body = func.getBody().front();
  for (auto [i, arg] : llvm::enumerate(body.getArguments()))
    plan.placements[arg] = {Placement::Base::Input, unsigned(i), 0};

  // Results computed in place in the caller's output buffers.
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
    Value root = storageRoot(v);
    Operation *def = root.getDefiningOp();
    if (!def || isa<ConstantOp>(def) || plan.placements.count(root)) {
      plan.outputCopies.push_back({unsigned(i), v});
      continue;
    }
    plan.placements[root] = {Placement::Base::Output, unsigned(i), 0};
  }

  // Live intervals of the values that still need storage.
  llvm::DenseMap<Operation *, int64_t> position;
  for (auto [i, op] : llvm::enumerate(body))
    position[&op] = int64_t(i);
  llvm::DenseMap<Operation *, int64_t> operandsLiveUntil;
  for (const OpScratch &r : requests)
    operandsLiveUntil[r.op] = position[r.until];
  llvm::MapVector<Value, Interval> intervals;
  for (Operation &op : body) {
    for (Value result : op.getResults()) {
      if (isa<ConstantOp>(op)) {
        plan.placements[result] = {Placement::Base::Constant};
        continue;
      }
      Value root = storageRoot(result);
      if (root != result || plan.placements.count(root))
        continue;
      int64_t at = position[&op];
      intervals[root] = {root, at, at,
                         storageBytes(cast<RankedTensorType>(root.getType()))};
    }
    int64_t lastUse = operandsLiveUntil.lookup_or(&op, position[&op]);
    for (Value operand : op.getOperands()) {
      auto it = intervals.find(storageRoot(operand));
      if (it != intervals.end())
        it->second.end = std::max(it->second.end, lastUse);
    }
  }

  SmallVector<std::pair<Interval, int64_t>> placed;
  for (auto &[root, interval] : intervals) {
    int64_t offset = firstFitOffset(interval, placed);
    placed.push_back({interval, offset});
    plan.placements[root] = {Placement::Base::Scratch, 0, offset};
    plan.scratchBytes = std::max(plan.scratchBytes, offset + interval.bytes);
  }
  for (const OpScratch &r : requests) {
    Interval interval{Value(), position[r.op], position[r.until], r.bytes};
    int64_t offset = firstFitOffset(interval, placed);
    placed.push_back({interval, offset});
    plan.opScratch[r.op] = offset;
    plan.scratchBytes = std::max(plan.scratchBytes, offset + interval.bytes);
  }

  // Aliases take their root's placement.
  for (Operation &op : body)
    for (Value result : op.getResults())
      plan.placements.try_emplace(result, plan.placements.lookup(
                                              storageRoot(result)));
  return plan;
}
