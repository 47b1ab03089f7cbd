/*===- KernelABI.h - Interface of the fused conv/matmul kernels -*- C -*-===*
 *
 * The contract between the code generator (lib/Conversion/QNNToLoops/
 * EmitKernels.cpp, which packs weights and writes the descriptor at compile
 * time) and the micro-kernels (lib/Target/Kernels/conv.c, compiled to LLVM
 * bitcode at build time and linked into the model's object). Plain C so
 * that both sides include the same definition.
 *
 * One kernel call computes a 2-D convolution (a matmul is a 1x1 convolution
 * over M pixels) with a fused output stage:
 *
 *   acc[oc][p]  = bias'[oc] + sum_k packedInput[p][k] * packedWeight[oc][k]
 *   output      = rescale(acc) (8-bit results) or acc (32-bit results)
 *
 * packedInput holds every window position, padding included, filled with the
 * input zero point (plus 128 for signed input on VNNI, which multiplies
 * unsigned by signed bytes; minus 128 for unsigned input on sdot, which
 * multiplies signed bytes): bias' folds "- (zp + offset) * rowsum(w')" in,
 * so the wrapping 32-bit sum equals the interpreter's exactly.
 *
 * Kernel symbols: qnn_kernel_<isa>_o<OB>_p<PB> with isa vnni (16 int32 lanes
 * per vector, 4 input channels of u8 per lane group), avx2 (8 lanes, 2
 * channels of i16) or dotprod (AArch64 sdot: 4 lanes, 4 channels of s8);
 * qnn_kernel_<isa>_w4_o<OB>_p<PB> take the weights as nibbles, w + 8, two
 * reduction steps (channel group, tap) per byte, and expand each channel
 * block into the scratch (QNN_KERNEL_EXPANDED_WEIGHTS) before its tiles;
 * qnn_kernel_<isa>_w4r_o<OB>_p<PB> unpack them in registers in every tile. OB vectors of output
 * channels by PB output pixels of one row make the register tile.
 * qnn_kernel_<isa>_dw (every isa) computes a depthwise convolution (groups
 * = channels = outputs) with output pixels in the lanes: int32 weights
 * [channel][kh * kw], bias' = bias - input_zp * rowsum, and in the scratch
 * one channel's padded image of QNN_KERNEL_PACKED_ROWS rows of
 * QNN_KERNEL_PHASE_WIDTH bytes. qnn_kernel_<isa>_maxpool (every isa) takes
 * an unpadded max pool of bytes: the descriptor's geometry fields only, the
 * other arguments unused.
 * Arguments, all intptr_t:
 *   (descriptor, input, output, packed weights, bias', multipliers, shifts,
 *    scratch)
 *===----------------------------------------------------------------------===*/

#ifndef QNN_CONVERSION_KERNELABI_H
#define QNN_CONVERSION_KERNELABI_H

/* Field indices of the int32 descriptor. Strides count elements. */
enum QnnKernelField {
  QNN_KERNEL_BATCH,
  QNN_KERNEL_IN_CHANNELS,
  QNN_KERNEL_IN_HEIGHT,
  QNN_KERNEL_IN_WIDTH,
  QNN_KERNEL_IN_STRIDE_N,
  QNN_KERNEL_IN_STRIDE_C,
  QNN_KERNEL_IN_STRIDE_Y,
  QNN_KERNEL_IN_STRIDE_X,
  QNN_KERNEL_IN_SIGNED, /* 1: the input bytes are signed */
  QNN_KERNEL_PAD_VALUE, /* input zero point, stored in the padding */
  QNN_KERNEL_OUT_CHANNELS,
  QNN_KERNEL_OUT_HEIGHT,
  QNN_KERNEL_OUT_WIDTH,
  QNN_KERNEL_OUT_STRIDE_N,
  QNN_KERNEL_OUT_STRIDE_C,
  QNN_KERNEL_OUT_STRIDE_Y,
  QNN_KERNEL_OUT_STRIDE_X,
  QNN_KERNEL_KERNEL_H,
  QNN_KERNEL_KERNEL_W,
  QNN_KERNEL_STRIDE_Y,
  QNN_KERNEL_STRIDE_X,
  QNN_KERNEL_DILATION_Y,
  QNN_KERNEL_DILATION_X,
  QNN_KERNEL_PAD_TOP,
  QNN_KERNEL_PAD_LEFT,
  /* Packed input: channel groups x rows x (stride-x phases x phase width)
     groups of 4 bytes; see packInput in conv.c. */
  QNN_KERNEL_CHANNEL_GROUPS,
  QNN_KERNEL_PACKED_ROWS,
  QNN_KERNEL_PHASE_WIDTH,
  /* Output stage. */
  QNN_KERNEL_RESCALE, /* 0: store the 32-bit sums; 1: rescale to bytes */
  QNN_KERNEL_RESCALE_INPUT_ZP,
  QNN_KERNEL_OUTPUT_ZP,
  QNN_KERNEL_CLAMP_MIN,
  QNN_KERNEL_CLAMP_MAX,
  QNN_KERNEL_ROUNDING, /* 0 half_up, 1 half_even, 2 half_away_from_zero */
  /* _w4 kernels: byte offset in the scratch (64-byte aligned, past the
     packed input) where each channel block's weights are expanded to the
     byte layout before its tiles run; 0 for the other kernels. */
  QNN_KERNEL_EXPANDED_WEIGHTS,
  /* 1: the kx taps are folded into the channel groups (virtual channel
     c * kernel_w + kx; packed columns are output columns, one per 32-bit
     group, whatever stride_x); the kernel reduces over kernel_h taps of
     ceil(in_channels * kernel_w / 4) groups. For layers of few input
     channels, which would fill one lane group of four with one channel. */
  QNN_KERNEL_FOLD_KX,
  QNN_KERNEL_FIELDS
};

/* Bytes of scratch past the packed input that a tile may read (pixels of
   the last block beyond the row end; their results are discarded). */
#define QNN_KERNEL_SCRATCH_SLACK 256

#endif /* QNN_CONVERSION_KERNELABI_H */
