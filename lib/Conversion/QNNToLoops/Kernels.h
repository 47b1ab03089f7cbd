//===- Kernels.h - Calls of the fused conv/matmul kernels -------*- C++ -*-===//
//
// A qnn.conv2d (groups = 1, or depthwise: groups = channels = outputs) or
// qnn.matmul with constant weights, an i32
// accumulator and byte-sized input, optionally followed by its only user, a
// per-channel qnn.rescale to a byte-sized type, becomes one call of a
// micro-kernel of lib/Target/Kernels/conv.c. The weights are packed here,
// at compile time, into the kernel's layout; the interface is
// include/qnn/Conversion/KernelABI.h.
//
// The memory plan does not depend on the instruction set: for x86-64 and
// AArch64 targets every candidate gets the scratch that the largest of its
// kernels needs, so one header serves the objects of every CPU level.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CONVERSION_QNNTOLOOPS_KERNELS_H
#define QNN_LIB_CONVERSION_QNNTOLOOPS_KERNELS_H

#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include <optional>

namespace mlir::qnn {

class Emitter;

/// The instruction sets with kernels: x86-64 AVX2 and AVX-512 VNNI, AArch64
/// NEON with the dot-product instructions.
enum class KernelISA { AVX2, VNNI, Dotprod };

/// Parses the pass option: "none" (std::nullopt), "avx2", "avx512-vnni",
/// "neon-dotprod".
FailureOr<std::optional<KernelISA>> parseKernelISA(StringRef name);

/// A conv2d or matmul a kernel can compute, as a convolution over NCHW
/// input (a matmul is a 1x1 convolution of K channels over M pixels).
struct KernelCandidate {
  Operation *op;
  RescaleOp rescale; ///< fused output stage, or null (32-bit sums)
  Value input, output;
  int64_t batch, inChannels, inHeight, inWidth;
  int64_t inStrides[4]; ///< n, c, y, x, in elements
  int64_t outChannels, outHeight, outWidth;
  int64_t outStrides[4];
  int64_t kernel[2], strides[2], dilations[2], padBefore[2];
  bool inputSigned;
  int64_t inputZp;
  /// weight - weight_zp, [outChannels][inChannels][kh][kw].
  SmallVector<int64_t> weights;
  /// Bits of the weights' element type: at 4 or fewer, weights that fit i4
  /// after the zero point are stored two per byte.
  unsigned weightBits;
  SmallVector<int64_t> bias; ///< [outChannels], zeros if absent
  /// groups = inChannels = outChannels: weights [outChannels][1][kh][kw].
  bool depthwise = false;
};

/// The candidate `op` forms (with its rescale), if any kernel can compute it.
std::optional<KernelCandidate> matchKernelCandidate(Operation *op);

/// Whether `isa`'s kernels can compute `c` (its weights fit their operands).
bool supports(KernelISA isa, const KernelCandidate &c);

/// Scratch bytes `isa`'s kernel needs for `c` (its packed input, and one
/// channel block of nibble weights expanded).
int64_t kernelScratchBytes(KernelISA isa, const KernelCandidate &c);

/// Scratch bytes the largest supporting kernel needs.
int64_t maxKernelScratchBytes(const KernelCandidate &c);

/// Emits the call of `isa`'s kernel for `c`, with its packed input at
/// `scratchOffset` of the arena.
void emitKernelCall(Emitter &e, KernelISA isa, const KernelCandidate &c,
                    int64_t scratchOffset);

/// Emits a call of `isa`'s max-pool kernel for `op` and returns true, or
/// returns false (nothing emitted) when the kernel cannot compute it:
/// padding, stride x above 2, a constant input, elements wider than a byte.
/// The kernel needs no scratch.
bool emitMaxPoolKernelCall(Emitter &e, KernelISA isa, MaxPool2DOp op);

} // namespace mlir::qnn

#endif // QNN_LIB_CONVERSION_QNNTOLOOPS_KERNELS_H
