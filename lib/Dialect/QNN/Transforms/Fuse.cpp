//===- Fuse.cpp - Apply the qnn canonicalizations and folders -------------===//
//
// The fusions themselves are the canonicalization patterns and folders of
// the qnn ops (lib/Dialect/QNN/IR/QNNCanonicalize.cpp), so that
// --canonicalize applies them too; this pass applies only those, to a fixed
// point, and the greedy driver erases the ops they leave without users.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/QNN/IR/QNNDialect.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNFUSE
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

namespace {

struct FusePass : public mlir::qnn::impl::QNNFuseBase<FusePass> {
  LogicalResult initialize(MLIRContext *context) override {
    RewritePatternSet set(context);
    for (RegisteredOperationName name :
         context->getRegisteredOperationsByDialect(
             QNNDialect::getDialectNamespace()))
      name.getCanonicalizationPatterns(set, context);
    patterns = std::move(set);
    return success();
  }

  void runOnOperation() override {
    if (failed(applyPatternsGreedily(getOperation(), patterns)))
      signalPassFailure();
  }

private:
  FrozenRewritePatternSet patterns;
};

} // namespace
