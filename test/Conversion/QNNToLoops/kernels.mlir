// kernels= replaces a conv2d and the per-channel rescale that is its only
// user by one call of an x86-64 kernel: weights packed at compile time into
// the register-tile layout ([group][tap][lane][4 channels] of i8 for VNNI,
// [..][2 channels] of i16 for AVX2), bias' = bias - (input_zp + offset) *
// rowsum(weights), parameters padded to whole vectors, and the descriptor
// (include/qnn/Conversion/KernelABI.h). The scratch plan is the same with
// kernel-scratch and with either kernels= (the packed input of the larger,
// AVX2, kernel at offset 128, after the i32 sums).
// RUN: qnn-opt %s --qnn-lower-to-loops="entry=fused kernels=avx512-vnni" | FileCheck %s --check-prefix=VNNI
// RUN: qnn-opt %s --qnn-lower-to-loops="entry=fused kernels=avx2" | FileCheck %s --check-prefix=AVX2
// RUN: qnn-opt %s --qnn-lower-to-loops="entry=fused kernel-scratch=true" | FileCheck %s --check-prefix=PLAN
// RUN: not qnn-opt %s --qnn-lower-to-loops="entry=fused kernels=sse2" 2>&1 | FileCheck %s --check-prefix=BAD

// VNNI-DAG: memref.global "private" constant @[[SHIFT:model_params_3]] : memref<16xi32> = dense<[2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]>
// VNNI-DAG: memref.global "private" constant @[[MULT:model_params_2]] : memref<16xi32> = dense<[3, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]>
// VNNI-DAG: memref.global "private" constant @[[BIAS:model_params_1]] : memref<16xi32> = dense<[-20, -30, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]>
// VNNI-DAG: memref.global "private" constant @[[WEIGHTS:model_params_0]] : memref<64xi8> = dense<[1, -2, 3, 0, 4, 5, -6, 0, 0,
// VNNI-DAG: memref.global "private" constant @[[DESC:model_params]] : memref<36xi32> = dense<[1, 3, 4, 4, 48, 16, 4, 1, 0, 10, 2, 4, 4, 32, 16, 4, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 4, 4, 1, 0, 0, 0, 255, 0, 0, 0]>
// VNNI: func.func @model_run(%{{.*}}: memref<48xi8>, %{{.*}}: memref<32xi8>, %[[SCRATCH:.*]]: memref<512xi8>)
// VNNI-SAME: qnn.scratch_bytes = 512
// VNNI: %[[BASE:.*]] = memref.extract_aligned_pointer_as_index %[[SCRATCH]]
// VNNI: %[[PACKED:.*]] = arith.addi %[[BASE]], %c128
// VNNI: call @qnn_kernel_vnni_o1_p4({{.*}}, %[[PACKED]]) : (index, index, index, index, index, index, index, index) -> ()
// VNNI-NOT: arith.shrsi
// VNNI: func.func private @qnn_kernel_vnni_o1_p4(index, index, index, index, index, index, index, index)

// AVX2: memref.global "private" constant @model_params_0 : memref<32xi16> = dense<[1, -2, 4, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, -6, 0,
// AVX2: qnn.scratch_bytes = 512
// AVX2: call @qnn_kernel_avx2_o1_p4(

// PLAN: qnn.scratch_bytes = 512
// PLAN-NOT: call
// PLAN: arith.shrsi


// BAD: error: unknown kernels 'sse2' (supported: none, avx2, avx512-vnni, neon-dotprod)

func.func @fused(%x: tensor<1x3x4x4xui8>) -> tensor<1x2x4x4xui8> {
  %w = qnn.constant dense<[[[[1]], [[-2]], [[3]]], [[[4]], [[5]], [[-6]]]]> : tensor<2x3x1x1xi8>
  %c = qnn.conv2d %x, %w {input_zp = 10} : (tensor<1x3x4x4xui8>, tensor<2x3x1x1xi8>) -> tensor<1x2x4x4xi32>
  %r = qnn.rescale %c {axis = 1, multiplier = array<i32: 3, 5>, shift = array<i32: 2, 3>} : tensor<1x2x4x4xi32> -> tensor<1x2x4x4xui8>
  return %r : tensor<1x2x4x4xui8>
}


// i4 weights that fit i4 after the zero point are packed as nibbles, w + 8,
// the reduction step pairs sharing a byte: 3 channels x 1 tap is one step
// (one VNNI group), so every high nibble is the 8 of "no second step". Lane
// 0: 1 -> 0x89, -2 -> 0x86, 3 -> 0x8B, the padded fourth channel 0 -> 0x88;
// lane 1: 4, 5, -6 -> 0x8C, 0x8D, 0x82, 0x88. The bias' row sums are those
// of the weights (2 and 3). With four tiles per channel block (one per
// row), the kernel expands the block's weights into the scratch once, past
// the packed input (1 group x 4 rows x 4 columns x 4 bytes + 256 = 320,
// the descriptor's next-to-last field). The plan holds the largest kernel's need:
// AVX2, 384 bytes of packed input and 2 steps x 8 lanes x 2 channels of
// i16, 64 bytes, after the 128 bytes of i32 sums: 576.
// RUN: qnn-opt %s --qnn-lower-to-loops="entry=nibbles kernels=avx512-vnni" | FileCheck %s --check-prefix=NIBBLES
// NIBBLES-DAG: memref.global "private" constant @model_params_0 : memref<64xi8> = dense<[-119, -122, -117, -120, -116, -115, -126, -120, -120, -120,
// NIBBLES-DAG: memref.global "private" constant @model_params_1 : memref<16xi32> = dense<[-20, -30, 0,
// NIBBLES-DAG: memref.global "private" constant @model_params : memref<36xi32> = dense<[{{.*}}, 320, 0]>
// NIBBLES: qnn.scratch_bytes = 576
// NIBBLES: call @qnn_kernel_vnni_w4_o1_p4(
func.func @nibbles(%x: tensor<1x3x4x4xui8>) -> tensor<1x2x4x4xui8> {
  %w = qnn.constant dense<[[[[1]], [[-2]], [[3]]], [[[4]], [[5]], [[-6]]]]> : tensor<2x3x1x1xi4>
  %c = qnn.conv2d %x, %w {input_zp = 10} : (tensor<1x3x4x4xui8>, tensor<2x3x1x1xi4>) -> tensor<1x2x4x4xi32>
  %r = qnn.rescale %c {axis = 1, multiplier = array<i32: 3, 5>, shift = array<i32: 2, 3>} : tensor<1x2x4x4xi32> -> tensor<1x2x4x4xui8>
  return %r : tensor<1x2x4x4xui8>
}

// A layer of one input channel folds its kx taps into the lane group
// (QNN_KERNEL_FOLD_KX, the descriptor's last field): a 1x3 kernel is one
// step of virtual channels kx = 0, 1, 2 (lane 0: 1, 2, 3 and the padded
// fourth 0; lane 1: 4, 5, 6, 0) instead of three steps of one channel
// each; its packed input is 1 group x 4 rows x 6 output columns x 4 bytes
// + 256 = 352 bytes, below AVX2's 384 (1 x 4 x 8 x 4 + 256), which the
// plan holds. AVX2 (two channels a group) would save no step and keeps
// three.
// RUN: qnn-opt %s --qnn-lower-to-loops="entry=folded kernels=avx512-vnni" | FileCheck %s --check-prefix=FOLD
// RUN: qnn-opt %s --qnn-lower-to-loops="entry=folded kernels=avx2" | FileCheck %s --check-prefix=NOFOLD
// FOLD-DAG: memref.global "private" constant @model_params_0 : memref<64xi8> = dense<[1, 2, 3, 0, 4, 5, 6, 0, 0,
// FOLD-DAG: memref.global "private" constant @model_params : memref<36xi32> = dense<[1, 1, 4, 6, 24, 24, 6, 1, 0, 0, 2, 4, 6, 48, 24, 6, 1, 1, 3, 1, 1, 1, 1, 0, 1, 1, 4, 6, 0, 0, 0, 0, 0, 0, 0, 1]>
// FOLD: qnn.scratch_bytes = 384
// NOFOLD-DAG: memref.global "private" constant @model_params_0 : memref<48xi16> = dense<[1, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 5, 0,
// NOFOLD-DAG: memref.global "private" constant @model_params : memref<36xi32> = dense<[{{.*}}, 0, 0]>
func.func @folded(%x: tensor<1x1x4x6xui8>) -> tensor<1x2x4x6xi32> {
  %w = qnn.constant dense<[[[[1, 2, 3]]], [[[4, 5, 6]]]]> : tensor<2x1x1x3xi8>
  %c = qnn.conv2d %x, %w {padding = array<i64: 0, 1, 0, 1>} : (tensor<1x1x4x6xui8>, tensor<2x1x1x3xi8>) -> tensor<1x2x4x6xi32>
  return %c : tensor<1x2x4x6xi32>
}

// A depthwise convolution (groups = channels = outputs) calls the
// depthwise kernel: int32 weights [channel][kh * kw], bias' = bias -
// input_zp * rowsum (12 = 0 + 2 * 6, 30 = 0 + 2 * 15: the padding holds the
// zero point), and a padded image of 4 rows x 6 bytes (PACKED_ROWS,
// PHASE_WIDTH) + 256 bytes of slack in the scratch; AArch64 calls its own.
// Other grouped convolutions keep the loops.
// RUN: qnn-opt %s --qnn-lower-to-loops="entry=depthwise kernels=avx512-vnni" | FileCheck %s --check-prefix=DEPTHWISE
// RUN: qnn-opt %s --qnn-lower-to-loops="entry=depthwise kernels=neon-dotprod" | FileCheck %s --check-prefix=A64DW
// RUN: qnn-opt %s --qnn-lower-to-loops="entry=grouped kernels=avx512-vnni" | FileCheck %s --check-prefix=LOOPS
// DEPTHWISE-DAG: memref.global "private" constant @model_params_0 : memref<6xi32> = dense<[1, 2, 3, 4, 5, 6]>
// DEPTHWISE-DAG: memref.global "private" constant @model_params_1 : memref<2xi32> = dense<[12, 30]>
// DEPTHWISE-DAG: memref.global "private" constant @model_params : memref<36xi32> = dense<[1, 2, 4, 4, 32, 16, 4, 1, 1, -2, 2, 4, 4, 32, 16, 4, 1, 1, 3, 1, 1, 1, 1, 0, 1, 0, 4, 6, 0, 0, 0, 0, 0, 0, 0, 0]>
// DEPTHWISE: qnn.scratch_bytes = 280
// DEPTHWISE: call @qnn_kernel_vnni_dw(
// A64DW: call @qnn_kernel_dotprod_dw(
// LOOPS-NOT: call @qnn_kernel
// LOOPS: return
func.func @depthwise(%x: tensor<1x2x4x4xi8>) -> tensor<1x2x4x4xi32> {
  %w = qnn.constant dense<[[[[1, 2, 3]]], [[[4, 5, 6]]]]> : tensor<2x1x1x3xi8>
  %c = qnn.conv2d %x, %w {groups = 2, input_zp = -2, padding = array<i64: 0, 1, 0, 1>} : (tensor<1x2x4x4xi8>, tensor<2x1x1x3xi8>) -> tensor<1x2x4x4xi32>
  return %c : tensor<1x2x4x4xi32>
}

func.func @grouped(%x: tensor<1x4x4x4xi8>) -> tensor<1x4x4x4xi32> {
  %w = qnn.constant dense<1> : tensor<4x2x1x1xi8>
  %c = qnn.conv2d %x, %w {groups = 2} : (tensor<1x4x4x4xi8>, tensor<4x2x1x1xi8>) -> tensor<1x4x4x4xi32>
  return %c : tensor<1x4x4x4xi32>
}

// A max pool without padding calls the max-pool kernel of every instruction
// set (the descriptor's geometry, no scratch); one with padding keeps the
// loops.
// RUN: qnn-opt %s --qnn-lower-to-loops="entry=pools kernels=neon-dotprod" | FileCheck %s --check-prefix=POOLS
// POOLS: call @qnn_kernel_dotprod_maxpool(
// POOLS-NOT: call @qnn_kernel
// POOLS: return
func.func @pools(%x: tensor<1x2x6x6xui8>) -> (tensor<1x2x3x3xui8>, tensor<1x2x3x3xui8>) {
  %a = qnn.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x2x6x6xui8> -> tensor<1x2x3x3xui8>
  %b = qnn.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x2x6x6xui8> -> tensor<1x2x3x3xui8>
  return %a, %b : tensor<1x2x3x3xui8>, tensor<1x2x3x3xui8>
}
