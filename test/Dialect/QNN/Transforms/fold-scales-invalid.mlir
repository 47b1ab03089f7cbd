// RUN: qnn-opt %s -split-input-file --qnn-fold-scales -verify-diagnostics
// RUN: not qnn-opt %s -split-input-file --qnn-fold-scales=multiplier-bits=8 2>&1 | FileCheck %s --check-prefix=W8 --implicit-check-not="error: '"
// RUN: not qnn-opt %s -split-input-file --qnn-fold-scales="shift-only multiplier-bits=8" 2>&1 | FileCheck %s --check-prefix=POW2 --implicit-check-not="error: '"
// RUN: not qnn-opt %s -split-input-file --qnn-fold-scales=shift-only 2>&1 | FileCheck %s --check-prefix=POW31 --implicit-check-not="error: '"
// RUN: not qnn-opt %s -split-input-file --qnn-fold-scales=per-tensor 2>&1 | FileCheck %s --check-prefix=PT --implicit-check-not="error: '"
// RUN: not qnn-opt %s --qnn-fold-scales=multiplier-bits=32 2>&1 | FileCheck %s --check-prefix=WIDTH
// RUN: not qnn-opt %s --qnn-fold-scales=multiplier-bits=0 2>&1 | FileCheck %s --check-prefix=WIDTH0

// Every error of --qnn-fold-scales: at the default width with
// -verify-diagnostics, and at 8 bits, shift-only (8 and 31 bits) and
// per-tensor with FileCheck on the errors, which must be exactly these. The
// op stays as it was and the pass fails; no scale is ever clamped into range.

// WIDTH: error: qnn-fold-scales: multiplier-bits must be between 1 and 31, got 32
// WIDTH0: error: qnn-fold-scales: multiplier-bits must be between 1 and 31, got 0

func.func @too_large(%x: tensor<4xi8>) -> tensor<4xi32> {
  // 300 = 0.586 * 2^9 needs 9 bits even at shift 0. The default width has
  // them; 8 bits do not, and its nearest power of two 2^8 = 256 does not fit
  // 8 bits either.
  // W8: :[[@LINE+2]]:8: error: 'qnn.requantize' op cannot represent the scale 3.000000e+02 of the tensor with a multiplier of 8 bits: scale too large: the multiplier does not fit its width even with shift 0
  // POW2: :[[@LINE+1]]:8: error: 'qnn.requantize' op cannot represent the scale 3.000000e+02 of the tensor with a power-of-two multiplier of 8 bits: scale too large: the multiplier 256 / 2^0 does not fit its width
  %0 = qnn.requantize %x {scale = array<f64: 300.0>} : tensor<4xi8> -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @too_small(%x: tensor<1x3xi32>) -> tensor<1x3xi8> {
  // 1e-25 * 2^63 = 9.2e-7 rounds to 0 even at the largest shift; the error
  // names the channel. (Per-tensor collapses to sqrt(0.5 * 1e-25) = 2.2e-13,
  // which is representable.)
  // W8: :[[@LINE+4]]:8: error: 'qnn.requantize' op cannot represent the scale 1.000000e-25 of channel 2 with a multiplier of 8 bits: scale too small: the multiplier rounds to 0 even with shift 63
  // POW2: :[[@LINE+3]]:8: error: 'qnn.requantize' op cannot represent the scale 1.000000e-25 of channel 2 with a power-of-two multiplier of 8 bits: scale too small: the multiplier rounds to 0 even with shift 63
  // POW31: :[[@LINE+2]]:8: error: 'qnn.requantize' op cannot represent the scale 1.000000e-25 of channel 2 with a power-of-two multiplier of 31 bits: scale too small: the multiplier rounds to 0 even with shift 63
  // expected-error @+1 {{'qnn.requantize' op cannot represent the scale 1.000000e-25 of channel 2 with a multiplier of 31 bits: scale too small: the multiplier rounds to 0 even with shift 63}}
  %0 = qnn.requantize %x {scale = array<f64: 0.5, 0.25, 1.0e-25>} : tensor<1x3xi32> -> tensor<1x3xi8>
  return %0 : tensor<1x3xi8>
}

// -----

func.func @per_tensor_collapse(%x: tensor<1x2xi32>) -> tensor<1x2xi8> {
  // The collapse sqrt(1e-30 * 1e-28) = 1e-29 is as unrepresentable as the
  // channel scales.
  // W8: :[[@LINE+5]]:8: error: 'qnn.requantize' op cannot represent the scale 1.000000e-30 of channel 0 with a multiplier of 8 bits
  // POW2: :[[@LINE+4]]:8: error: 'qnn.requantize' op cannot represent the scale 1.000000e-30 of channel 0 with a power-of-two multiplier of 8 bits
  // POW31: :[[@LINE+3]]:8: error: 'qnn.requantize' op cannot represent the scale 1.000000e-30 of channel 0 with a power-of-two multiplier of 31 bits
  // PT: :[[@LINE+2]]:8: error: 'qnn.requantize' op cannot represent the scale 1.000000e-29 of the per-tensor collapse of 2 channel scales with a multiplier of 31 bits: scale too small: the multiplier rounds to 0 even with shift 63
  // expected-error @+1 {{'qnn.requantize' op cannot represent the scale 1.000000e-30 of channel 0 with a multiplier of 31 bits}}
  %0 = qnn.requantize %x {scale = array<f64: 1.0e-30, 1.0e-28>} : tensor<1x2xi32> -> tensor<1x2xi8>
  return %0 : tensor<1x2xi8>
}

// -----

func.func @add_operand_vanishes(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // The larger scale 1.0 fixes the shift (31 bits: 30; 8 bits: 7), where
  // 1e-12 * 2^30 = 0.001 < 1: the rhs would be dropped. Shift-only: 2^0 and
  // 2^-40 meet at shift 40, where the lhs multiplier 2^40 fits no width.
  // W8: :[[@LINE+5]]:8: error: 'qnn.requantize_add' op cannot bring the operand scales 1.000000e+00 and 1.000000e-12 to a common shift: the rhs multiplier is less than 1 at shift 7
  // POW2: :[[@LINE+4]]:8: error: 'qnn.requantize_add' op cannot bring both power-of-two scales to the common shift 40: the lhs multiplier 1099511627776 does not fit 8 bits
  // POW31: :[[@LINE+3]]:8: error: 'qnn.requantize_add' op cannot bring both power-of-two scales to the common shift 40: the lhs multiplier 1099511627776 does not fit 31 bits
  // PT: :[[@LINE+2]]:8: error: 'qnn.requantize_add' op cannot bring the operand scales 1.000000e+00 and 1.000000e-12 to a common shift: the rhs multiplier is less than 1 at shift 30
  // expected-error @+1 {{'qnn.requantize_add' op cannot bring the operand scales 1.000000e+00 and 1.000000e-12 to a common shift: the rhs multiplier is less than 1 at shift 30}}
  %0 = qnn.requantize_add %a, %b {lhs_scale = 1.0, rhs_scale = 1.0e-12} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @add_overflow(%a: tensor<4xi16>, %b: tensor<4xi16>) -> tensor<4xi16> {
  // i16 operands: 2^15 * (M_lhs + M_rhs) <= 2^31 needs M_lhs + M_rhs <= 2^16,
  // so from the width's shift 30 the shift must come down to 15. At shift 20
  // the accumulator still overflows and at 19 the rhs multiplier
  // 1e-6 * 2^19 = 0.52 is below 1. At 8 bits the width's shift 7 gives
  // 1e-6 * 2^7 < 1 directly. Shift-only: 2^0 and 2^-20 meet at shift 20, where
  // 2^20 does not fit 8 bits, and at 31 bits 2^20 * 2^15 overflows.
  // W8: :[[@LINE+5]]:8: error: 'qnn.requantize_add' op cannot bring the operand scales 1.000000e+00 and 1.000000e-06 to a common shift: the rhs multiplier is less than 1 at shift 7
  // POW2: :[[@LINE+4]]:8: error: 'qnn.requantize_add' op cannot bring both power-of-two scales to the common shift 20: the lhs multiplier 1048576 does not fit 8 bits
  // POW31: :[[@LINE+3]]:8: error: 'qnn.requantize_add' op the power-of-two multipliers 1048576 and 1 at shift 20 give an accumulator range [-34359771136, 34358722559] that does not fit i32
  // PT: :[[@LINE+2]]:8: error: 'qnn.requantize_add' op cannot bring the operand scales 1.000000e+00 and 1.000000e-06 to a common shift: the rhs multiplier is less than 1 at shift 19 (every larger shift overflows the i32 accumulator)
  // expected-error @+1 {{'qnn.requantize_add' op cannot bring the operand scales 1.000000e+00 and 1.000000e-06 to a common shift: the rhs multiplier is less than 1 at shift 19 (every larger shift overflows the i32 accumulator)}}
  %0 = qnn.requantize_add %a, %b {lhs_scale = 1.0, rhs_scale = 1.0e-6} : (tensor<4xi16>, tensor<4xi16>) -> tensor<4xi16>
  return %0 : tensor<4xi16>
}

// -----

func.func @add_power_of_two_overflow(%a: tensor<4xi16>, %b: tensor<4xi16>) -> tensor<4xi16> {
  // Scales 23 and 2^-11. The default mode takes shift 11: M_lhs = 23 * 2^11
  // = 47104, M_rhs = 1, and 2^15 * 47105 = 1543536640 fits i32. Shift-only
  // rounds 23 up to 2^5 (log2 23 = 4.52): M_lhs = 2^16, M_rhs = 1 at shift 11,
  // and -2^15 * (2^16 + 1) = -2147516416 < -2^31. At 8 bits, 23 = 0.72 * 2^5
  // fixes shift 3, where 2^-11 * 2^3 < 1.
  // W8: :[[@LINE+3]]:8: error: 'qnn.requantize_add' op cannot bring the operand scales 2.300000e+01 and 4.882812e-04 to a common shift: the rhs multiplier is less than 1 at shift 3
  // POW2: :[[@LINE+2]]:8: error: 'qnn.requantize_add' op cannot bring both power-of-two scales to the common shift 11: the lhs multiplier 65536 does not fit 8 bits
  // POW31: :[[@LINE+1]]:8: error: 'qnn.requantize_add' op the power-of-two multipliers 65536 and 1 at shift 11 give an accumulator range [-2147516416, 2147450879] that does not fit i32
  %0 = qnn.requantize_add %a, %b {lhs_scale = 23.0, rhs_scale = 0.00048828125} : (tensor<4xi16>, tensor<4xi16>) -> tensor<4xi16>
  return %0 : tensor<4xi16>
}
