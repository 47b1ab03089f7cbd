//===- Npy.h - Tensor files: NumPy .npy and raw little-endian ---*- C++ -*-===//
//
// The interchange format of qnn-run (and of per-layer dumps): NumPy's .npy
// version 1.0, C order, little-endian, and raw little-endian arrays. An
// element type travels in the narrowest standard container that holds it:
// i2..i8 as int8, ui2..ui8 as uint8, up to 16 bits as (u)int16, 32 as
// (u)int32, i64 as int64, f32 as float32.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_REFERENCE_NPY_H
#define QNN_REFERENCE_NPY_H

#include "qnn/Reference/Tensor.h"

#include "llvm/Support/Error.h"

namespace mlir::qnn::reference {

/// Reads a tensor of type `type` from `path`: a .npy file (its shape must be
/// `type`'s; any integer dtype is accepted if every value fits the element
/// type) or, for any other extension, raw little-endian data in the
/// element type's container.
llvm::Expected<Tensor> readTensorFile(llvm::StringRef path,
                                      mlir::RankedTensorType type);

/// Writes `t` to `path` as .npy if the extension is .npy, else raw.
llvm::Error writeTensorFile(llvm::StringRef path, const Tensor &t);

} // namespace mlir::qnn::reference

#endif // QNN_REFERENCE_NPY_H
