//===- QNNAttrs.td - qnn attributes ------------------------*- tablegen -*-===//

#ifndef QNN_ATTRS_TD
#define QNN_ATTRS_TD

include "qnn/Dialect/QNN/IR/QNNDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

// Mirrors qnn::rules::Rounding (include/qnn/Support/IntegerRules.h).
def QNN_RoundingMode : I32EnumAttr<"RoundingMode",
    "tie rule of a rounding right shift", [
      I32EnumAttrCase<"half_up", 0>,
      I32EnumAttrCase<"half_even", 1>,
      I32EnumAttrCase<"half_away_from_zero", 2>
    ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::qnn";
}

def QNN_RoundingAttr : EnumAttr<QNN_Dialect, QNN_RoundingMode, "rounding"> {
  let assemblyFormat = "`<` $value `>`";
}

#endif // QNN_ATTRS_TD
