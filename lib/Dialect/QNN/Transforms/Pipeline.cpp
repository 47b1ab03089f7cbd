//===- Pipeline.cpp - The --qnn-integerize pipeline -----------------------===//

#include "qnn/Dialect/QNN/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;
using namespace mlir::qnn;

void mlir::qnn::buildIntegerizePipeline(OpPassManager &pm,
                                        const IntegerizeOptions &options) {
  pm.addPass(createQNNFoldBatchNorm());
  QNNFoldScalesOptions foldScales;
  foldScales.multiplierBits = options.multiplierBits;
  foldScales.shiftOnly = options.shiftOnly;
  foldScales.perTensor = options.perTensor;
  pm.addPass(createQNNFoldScales(foldScales));
  pm.addPass(createQNNFuse());
  pm.addPass(createQNNCheckRanges());
  QNNVerifyIntegerOnlyOptions verify;
  verify.allowBoundary = options.allowBoundary;
  pm.addPass(createQNNVerifyIntegerOnly(verify));
}

void mlir::qnn::registerIntegerizePipeline() {
  PassPipelineRegistration<IntegerizeOptions>(
      "qnn-integerize",
      "Turn a pre-folding qnn module into a proven integer-only one: "
      "fold-batch-norm, fold-scales, fuse, check-ranges, verify-integer-only",
      buildIntegerizePipeline);
}
