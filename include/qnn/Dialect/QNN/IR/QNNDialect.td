//===- QNNDialect.td - The qnn dialect ---------------------*- tablegen -*-===//

#ifndef QNN_DIALECT_TD
#define QNN_DIALECT_TD

include "mlir/IR/OpBase.td"

def QNN_Dialect : Dialect {
  let name = "qnn";
  let summary = "Integer operations of batch-normalization-free quantized networks";
  let description = [{
    Operations on statically shaped integer tensors in NCHW layout, with the
    exact integer semantics of docs/semantics.md. Signless integer types are
    two's-complement signed (as in TOSA); `ui<N>` types are unsigned. Narrow
    types (i2 to i8, ui2 to ui8) are first-class element types.

    The dialect has two levels. The pre-folding level carries real-valued
    scales (`qnn.requantize`, boundary `qnn.quantize`/`qnn.dequantize`);
    `--qnn-fold-scales` turns it into the integer-only level, where every
    requantization is a `qnn.rescale` with an integer multiplier and shift.
  }];
  let cppNamespace = "::mlir::qnn";
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
}

class QNN_Op<string mnemonic, list<Trait> traits = []>
    : Op<QNN_Dialect, mnemonic, traits>;

#endif // QNN_DIALECT_TD
