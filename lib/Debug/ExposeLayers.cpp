//===- ExposeLayers.cpp - Return every layer of a qnn function ------------===//
//
// The compiled code computes every layer in place in an output buffer once
// it is a result, so the unchanged lowering and code generation make a debug
// object whose outputs are the per-layer dump.
//
//===----------------------------------------------------------------------===//

#include "qnn/Debug/Layers.h"
#include "qnn/Debug/Passes.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNEXPOSELAYERS
#include "qnn/Debug/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

namespace {

struct QNNExposeLayersPass
    : public mlir::qnn::impl::QNNExposeLayersBase<QNNExposeLayersPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    if (!func.getBody().hasOneBlock()) {
      func.emitError("qnn-expose-layers expects a function with a body of "
                     "one block");
      return signalPassFailure();
    }
    Builder b(&getContext());
    SmallVector<Value> results;
    SmallVector<DictionaryAttr> resultAttrs;
    for (const Layer &layer : listLayers(func)) {
      StringAttr name = b.getStringAttr(layer.name);
      if (auto arg = dyn_cast<BlockArgument>(layer.value)) {
        func.setArgAttr(arg.getArgNumber(), "qnn.layer", name);
        continue;
      }
      results.push_back(layer.value);
      resultAttrs.push_back(b.getDictionaryAttr(
          {b.getNamedAttr("qnn.layer", name),
           b.getNamedAttr("qnn.layer_op", b.getStringAttr(layer.op))}));
    }
    Operation *terminator = func.getBody().front().getTerminator();
    terminator->setOperands(results);
    func.setFunctionType(b.getFunctionType(func.getArgumentTypes(),
                                           ValueRange(results).getTypes()));
    func.setAllResultAttrs(resultAttrs);
  }
};

} // namespace
