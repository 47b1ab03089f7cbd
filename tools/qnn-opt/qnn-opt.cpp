//===- qnn-opt.cpp - The qnn pass driver ----------------------------------===//
//
// MlirOptMain with the qnn dialect, its passes and the upstream dialects qnn
// modules use. `math` and `quant` are registered so that modules holding
// them parse, and --qnn-verify-integer-only can reject them.
//
//===----------------------------------------------------------------------===//

#include "qnn/Conversion/Passes.h"
#include "qnn/Debug/Passes.h"
#include "qnn/Dialect/QNN/IR/QNNDialect.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  mlir::registerSymbolDCEPass();
  mlir::qnn::registerQNNPasses();
  mlir::qnn::registerQNNConversionPasses();
  mlir::qnn::registerQNNDebugPasses();
  mlir::qnn::registerIntegerizePipeline();

  mlir::DialectRegistry registry;
  registry.insert<mlir::qnn::QNNDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect, mlir::math::MathDialect,
                  mlir::quant::QuantDialect, mlir::memref::MemRefDialect,
                  mlir::scf::SCFDialect>();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "qnn-mlir pass driver\n", registry));
}
