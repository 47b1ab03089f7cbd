// RUN: qnn-opt %s -split-input-file -verify-diagnostics

// One case per verifier error path of lib/Dialect/QNN/IR/QNNOps.cpp (every
// emitOpError branch, at every call site of the shared helpers), plus a few
// ODS constraint and parser errors. Each case checks the whole message.

//===----------------------------------------------------------------------===//
// ODS constraints
//===----------------------------------------------------------------------===//

func.func @dynamic_shape(%x: tensor<?xi8>) -> tensor<?xi8> {
  // expected-error @+1 {{'qnn.clamp' op operand #0 must be statically shaped tensor of integer values, but got 'tensor<?xi8>'}}
  %0 = qnn.clamp %x {min = 0, max = 1} : tensor<?xi8>
  return %0 : tensor<?xi8>
}

// -----

func.func @unranked(%x: tensor<*xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.reshape' op operand #0 must be statically shaped tensor of integer values, but got 'tensor<*xi8>'}}
  %0 = "qnn.reshape"(%x) : (tensor<*xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @conv2d_float_input(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xi8>) -> tensor<1x16x6x6xi32> {
  // expected-error @+1 {{'qnn.conv2d' op operand #0 must be statically shaped tensor of integer values, but got 'tensor<1x3x8x8xf32>'}}
  %0 = qnn.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<16x3x3x3xi8>) -> tensor<1x16x6x6xi32>
  return %0 : tensor<1x16x6x6xi32>
}

// -----

func.func @quantize_integer_input(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.quantize' op operand #0 must be statically shaped tensor of 32-bit float values, but got 'tensor<4xi32>'}}
  %0 = qnn.quantize %x {scale = 1.0 : f64} : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @dequantize_integer_result(%x: tensor<4xi8>) -> tensor<4xi32> {
  // expected-error @+1 {{'qnn.dequantize' op result #0 must be statically shaped tensor of 32-bit float values, but got 'tensor<4xi32>'}}
  %0 = qnn.dequantize %x {scale = 1.0 : f64} : tensor<4xi8> -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @quantize_f32_scale_attr(%x: tensor<4xf32>) -> tensor<4xi8> {
  // expected-error @+1 {{attribute 'scale' failed to satisfy constraint: 64-bit float attribute}}
  %0 = qnn.quantize %x {scale = 1.0 : f32} : tensor<4xf32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @clamp_missing_max(%x: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.clamp' op requires attribute 'max'}}
  %0 = qnn.clamp %x {min = 0} : tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @clamp_result_type(%x: tensor<4xi8>) -> tensor<4xi16> {
  // expected-error @+1 {{'qnn.clamp' op requires the same type for all operands and results}}
  %0 = "qnn.clamp"(%x) {min = 0 : i64, max = 1 : i64} : (tensor<4xi8>) -> tensor<4xi16>
  return %0 : tensor<4xi16>
}

// -----

func.func @reshape_element_type(%x: tensor<4xi8>) -> tensor<2x2xui8> {
  // expected-error @+1 {{'qnn.reshape' op requires the same element type for all operands and results}}
  %0 = qnn.reshape %x : tensor<4xi8> -> tensor<2x2xui8>
  return %0 : tensor<2x2xui8>
}

// -----

func.func @concat_element_type(%a: tensor<2xi8>, %b: tensor<2xi4>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.concat' op requires the same element type for all operands and results}}
  %0 = qnn.concat %a, %b {axis = 0} : (tensor<2xi8>, tensor<2xi4>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// ConcatOp::verify's "expects at least one input" is unreachable: the
// SameOperandsAndResultElementType trait rejects an empty operand list first.
func.func @concat_no_inputs() -> tensor<2xi8> {
  // expected-error @+1 {{'qnn.concat' op expected 1 or more operands, but found 0}}
  %0 = qnn.concat {axis = 0} : () -> tensor<2xi8>
  return %0 : tensor<2xi8>
}

// -----

func.func @rescale_shape(%x: tensor<4xi32>) -> tensor<2x2xi8> {
  // expected-error @+1 {{'qnn.rescale' op requires the same shape for all operands and results}}
  %0 = qnn.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>} : tensor<4xi32> -> tensor<2x2xi8>
  return %0 : tensor<2x2xi8>
}

// -----

func.func @rescale_unknown_rounding(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+2 {{expected ::mlir::qnn::RoundingMode to be one of: half_up, half_even, half_away_from_zero}}
  // expected-error @+1 {{failed to parse QNN_RoundingAttr parameter 'value' which is to be a `::mlir::qnn::RoundingMode`}}
  %0 = qnn.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>, rounding = #qnn.rounding<half_down>} : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @rescale_missing_shift(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.rescale' op requires attribute 'shift'}}
  %0 = qnn.rescale %x {multiplier = array<i32: 1>} : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @constant_type_mismatch() -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.constant' op failed to verify that result type matches the value's type}}
  %0 = "qnn.constant"() <{value = dense<1> : tensor<4xi16>}> : () -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @constant_float() -> tensor<4xf32> {
  // expected-error @+1 {{'qnn.constant' op result #0 must be statically shaped tensor of integer values, but got 'tensor<4xf32>'}}
  %0 = qnn.constant dense<1.0> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// qnn.constant
//===----------------------------------------------------------------------===//

func.func @constant_not_dense() -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.constant' op expects a dense integer elements value}}
  %0 = qnn.constant sparse<[[0]], [1]> : tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

//===----------------------------------------------------------------------===//
// qnn.reshape
//===----------------------------------------------------------------------===//

func.func @reshape_element_count(%x: tensor<1x16x2x2xi8>) -> tensor<1x60xi8> {
  // expected-error @+1 {{'qnn.reshape' op cannot reshape 64 elements into 60}}
  %0 = qnn.reshape %x : tensor<1x16x2x2xi8> -> tensor<1x60xi8>
  return %0 : tensor<1x60xi8>
}

// -----

//===----------------------------------------------------------------------===//
// qnn.concat
//===----------------------------------------------------------------------===//

func.func @concat_axis_too_large(%a: tensor<2x3xi8>, %b: tensor<2x3xi8>) -> tensor<4x3xi8> {
  // expected-error @+1 {{'qnn.concat' op axis 2 is out of range for rank 2}}
  %0 = qnn.concat %a, %b {axis = 2} : (tensor<2x3xi8>, tensor<2x3xi8>) -> tensor<4x3xi8>
  return %0 : tensor<4x3xi8>
}

// -----

func.func @concat_axis_negative(%a: tensor<2x3xi8>, %b: tensor<2x3xi8>) -> tensor<2x6xi8> {
  // expected-error @+1 {{'qnn.concat' op axis -1 is out of range for rank 2}}
  %0 = qnn.concat %a, %b {axis = -1} : (tensor<2x3xi8>, tensor<2x3xi8>) -> tensor<2x6xi8>
  return %0 : tensor<2x6xi8>
}

// -----

func.func @concat_input_rank(%a: tensor<2x3xi8>, %b: tensor<2x3x1xi8>) -> tensor<4x3xi8> {
  // expected-error @+1 {{'qnn.concat' op input #1 has rank 3, expected 2}}
  %0 = qnn.concat %a, %b {axis = 0} : (tensor<2x3xi8>, tensor<2x3x1xi8>) -> tensor<4x3xi8>
  return %0 : tensor<4x3xi8>
}

// -----

func.func @concat_input_size(%a: tensor<1x2x4x4xi8>, %b: tensor<1x3x4x4xi8>, %c: tensor<1x1x4x5xi8>) -> tensor<1x6x4x4xi8> {
  // expected-error @+1 {{'qnn.concat' op input #2 has size 5 in dimension 3, expected 4}}
  %0 = qnn.concat %a, %b, %c {axis = 1} : (tensor<1x2x4x4xi8>, tensor<1x3x4x4xi8>, tensor<1x1x4x5xi8>) -> tensor<1x6x4x4xi8>
  return %0 : tensor<1x6x4x4xi8>
}

// -----

func.func @concat_axis_sum(%a: tensor<1x2x4x4xi8>, %b: tensor<1x3x4x4xi8>) -> tensor<1x6x4x4xi8> {
  // expected-error @+1 {{'qnn.concat' op result size 6 along axis 1 is not the sum of the inputs' sizes 5}}
  %0 = qnn.concat %a, %b {axis = 1} : (tensor<1x2x4x4xi8>, tensor<1x3x4x4xi8>) -> tensor<1x6x4x4xi8>
  return %0 : tensor<1x6x4x4xi8>
}

// -----

//===----------------------------------------------------------------------===//
// qnn.pad
//===----------------------------------------------------------------------===//

func.func @pad_low_size(%x: tensor<1x3x4x4xi8>) -> tensor<1x3x6x6xi8> {
  // expected-error @+1 {{'qnn.pad' op expects 'low' to have 4 elements, got 2}}
  %0 = qnn.pad %x {low = array<i64: 1, 1>, high = array<i64: 0, 0, 1, 1>} : tensor<1x3x4x4xi8> -> tensor<1x3x6x6xi8>
  return %0 : tensor<1x3x6x6xi8>
}

// -----

func.func @pad_high_size(%x: tensor<1x3x4x4xi8>) -> tensor<1x3x6x6xi8> {
  // expected-error @+1 {{'qnn.pad' op expects 'high' to have 4 elements, got 5}}
  %0 = qnn.pad %x {low = array<i64: 0, 0, 1, 1>, high = array<i64: 0, 0, 1, 1, 0>} : tensor<1x3x4x4xi8> -> tensor<1x3x6x6xi8>
  return %0 : tensor<1x3x6x6xi8>
}

// -----

func.func @pad_low_negative(%x: tensor<1x3x4x4xi8>) -> tensor<1x3x4x4xi8> {
  // expected-error @+1 {{'qnn.pad' op expects every 'low' value in [0, 2147483647], got -1}}
  %0 = qnn.pad %x {low = array<i64: 0, 0, -1, 0>, high = array<i64: 0, 0, 1, 0>} : tensor<1x3x4x4xi8> -> tensor<1x3x4x4xi8>
  return %0 : tensor<1x3x4x4xi8>
}

// -----

func.func @pad_high_negative(%x: tensor<1x3x4x4xi8>) -> tensor<1x3x4x4xi8> {
  // expected-error @+1 {{'qnn.pad' op expects every 'high' value in [0, 2147483647], got -2}}
  %0 = qnn.pad %x {low = array<i64: 0, 0, 0, 2>, high = array<i64: 0, 0, 0, -2>} : tensor<1x3x4x4xi8> -> tensor<1x3x4x4xi8>
  return %0 : tensor<1x3x4x4xi8>
}

// -----

func.func @pad_value_range(%x: tensor<2x2xui8>) -> tensor<4x4xui8> {
  // expected-error @+1 {{'qnn.pad' op pad value -1 is outside the range [0, 255] of ui8}}
  %0 = qnn.pad %x {low = array<i64: 1, 1>, high = array<i64: 1, 1>, value = -1} : tensor<2x2xui8> -> tensor<4x4xui8>
  return %0 : tensor<4x4xui8>
}

// -----

func.func @pad_result_rank(%x: tensor<2x2xi8>) -> tensor<16xi8> {
  // expected-error @+1 {{'qnn.pad' op expects result of rank 2, got rank 1}}
  %0 = qnn.pad %x {low = array<i64: 1, 1>, high = array<i64: 1, 1>} : tensor<2x2xi8> -> tensor<16xi8>
  return %0 : tensor<16xi8>
}

// -----

func.func @pad_result_size(%x: tensor<1x3x4x4xi8>) -> tensor<1x3x6x7xi8> {
  // expected-error @+1 {{'qnn.pad' op expects result size 6 in dimension 3, got 7}}
  %0 = qnn.pad %x {low = array<i64: 0, 0, 1, 1>, high = array<i64: 0, 0, 1, 1>} : tensor<1x3x4x4xi8> -> tensor<1x3x6x7xi8>
  return %0 : tensor<1x3x6x7xi8>
}

// -----

//===----------------------------------------------------------------------===//
// qnn.conv2d
//===----------------------------------------------------------------------===//

func.func @conv2d_input_rank(%x: tensor<3x8x8xi8>, %w: tensor<16x3x3x3xi8>) -> tensor<1x16x6x6xi32> {
  // expected-error @+1 {{'qnn.conv2d' op expects input of rank 4, got rank 3}}
  %0 = qnn.conv2d %x, %w : (tensor<3x8x8xi8>, tensor<16x3x3x3xi8>) -> tensor<1x16x6x6xi32>
  return %0 : tensor<1x16x6x6xi32>
}

// -----

func.func @conv2d_weight_rank(%x: tensor<1x3x8x8xi8>, %w: tensor<16x3x3xi8>) -> tensor<1x16x6x6xi32> {
  // expected-error @+1 {{'qnn.conv2d' op expects weight of rank 4, got rank 3}}
  %0 = qnn.conv2d %x, %w : (tensor<1x3x8x8xi8>, tensor<16x3x3xi8>) -> tensor<1x16x6x6xi32>
  return %0 : tensor<1x16x6x6xi32>
}

// -----

func.func @conv2d_result_rank(%x: tensor<1x3x8x8xi8>, %w: tensor<16x3x3x3xi8>) -> tensor<16x6x6xi32> {
  // expected-error @+1 {{'qnn.conv2d' op expects result of rank 4, got rank 3}}
  %0 = qnn.conv2d %x, %w : (tensor<1x3x8x8xi8>, tensor<16x3x3x3xi8>) -> tensor<16x6x6xi32>
  return %0 : tensor<16x6x6xi32>
}

// -----

func.func @conv2d_wide_input(%x: tensor<1x3x8x8xi32>, %w: tensor<16x3x3x3xi8>) -> tensor<1x16x6x6xi64> {
  // expected-error @+1 {{'qnn.conv2d' op expects input elements of at most 16 bits, got i32}}
  %0 = qnn.conv2d %x, %w : (tensor<1x3x8x8xi32>, tensor<16x3x3x3xi8>) -> tensor<1x16x6x6xi64>
  return %0 : tensor<1x16x6x6xi64>
}

// -----

func.func @conv2d_wide_weight(%x: tensor<1x3x8x8xi8>, %w: tensor<16x3x3x3xui17>) -> tensor<1x16x6x6xi64> {
  // expected-error @+1 {{'qnn.conv2d' op expects weight elements of at most 16 bits, got ui17}}
  %0 = qnn.conv2d %x, %w : (tensor<1x3x8x8xi8>, tensor<16x3x3x3xui17>) -> tensor<1x16x6x6xi64>
  return %0 : tensor<1x16x6x6xi64>
}

// -----

func.func @conv2d_narrow_accumulator(%x: tensor<1x3x8x8xi8>, %w: tensor<16x3x3x3xi8>) -> tensor<1x16x6x6xi16> {
  // expected-error @+1 {{'qnn.conv2d' op expects result of accumulator type i32 or i64, got i16}}
  %0 = qnn.conv2d %x, %w : (tensor<1x3x8x8xi8>, tensor<16x3x3x3xi8>) -> tensor<1x16x6x6xi16>
  return %0 : tensor<1x16x6x6xi16>
}

// -----

func.func @conv2d_unsigned_accumulator(%x: tensor<1x3x8x8xi8>, %w: tensor<16x3x3x3xi8>) -> tensor<1x16x6x6xui32> {
  // expected-error @+1 {{'qnn.conv2d' op expects result of accumulator type i32 or i64, got ui32}}
  %0 = qnn.conv2d %x, %w : (tensor<1x3x8x8xi8>, tensor<16x3x3x3xi8>) -> tensor<1x16x6x6xui32>
  return %0 : tensor<1x16x6x6xui32>
}

// -----

func.func @conv2d_input_zp(%x: tensor<1x3x8x8xui8>, %w: tensor<16x3x3x3xi8>) -> tensor<1x16x6x6xi32> {
  // expected-error @+1 {{'qnn.conv2d' op input_zp 256 is outside the range [0, 255] of ui8}}
  %0 = qnn.conv2d %x, %w {input_zp = 256} : (tensor<1x3x8x8xui8>, tensor<16x3x3x3xi8>) -> tensor<1x16x6x6xi32>
  return %0 : tensor<1x16x6x6xi32>
}

// -----

func.func @conv2d_weight_zp(%x: tensor<1x3x8x8xi8>, %w: tensor<16x3x3x3xi4>) -> tensor<1x16x6x6xi32> {
  // expected-error @+1 {{'qnn.conv2d' op weight_zp -9 is outside the range [-8, 7] of i4}}
  %0 = qnn.conv2d %x, %w {weight_zp = -9} : (tensor<1x3x8x8xi8>, tensor<16x3x3x3xi4>) -> tensor<1x16x6x6xi32>
  return %0 : tensor<1x16x6x6xi32>
}

// -----

func.func @conv2d_empty_kernel(%x: tensor<1x3x8x8xi8>, %w: tensor<16x3x3x0xi8>) -> tensor<1x16x6x9xi32> {
  // expected-error @+1 {{'qnn.conv2d' op expects a weight kernel of at least 1x1, got 3x0}}
  %0 = qnn.conv2d %x, %w : (tensor<1x3x8x8xi8>, tensor<16x3x3x0xi8>) -> tensor<1x16x6x9xi32>
  return %0 : tensor<1x16x6x9xi32>
}

// -----

func.func @conv2d_strides_size(%x: tensor<1x3x8x8xi8>, %w: tensor<16x3x3x3xi8>) -> tensor<1x16x3x3xi32> {
  // expected-error @+1 {{'qnn.conv2d' op expects 'strides' to have 2 elements, got 1}}
  %0 = qnn.conv2d %x, %w {strides = array<i64: 2>} : (tensor<1x3x8x8xi8>, tensor<16x3x3x3xi8>) -> tensor<1x16x3x3xi32>
  return %0 : tensor<1x16x3x3xi32>
}

// -----

func.func @conv2d_padding_size(%x: tensor<1x3x8x8xi8>, %w: tensor<16x3x3x3xi8>) -> tensor<1x16x8x8xi32> {
  // expected-error @+1 {{'qnn.conv2d' op expects 'padding' to have 4 elements, got 2}}
  %0 = qnn.conv2d %x, %w {padding = array<i64: 1, 1>} : (tensor<1x3x8x8xi8>, tensor<16x3x3x3xi8>) -> tensor<1x16x8x8xi32>
  return %0 : tensor<1x16x8x8xi32>
}

// -----

func.func @conv2d_dilations_size(%x: tensor<1x3x8x8xi8>, %w: tensor<16x3x3x3xi8>) -> tensor<1x16x4x4xi32> {
  // expected-error @+1 {{'qnn.conv2d' op expects 'dilations' to have 2 elements, got 3}}
  %0 = qnn.conv2d %x, %w {dilations = array<i64: 2, 2, 2>} : (tensor<1x3x8x8xi8>, tensor<16x3x3x3xi8>) -> tensor<1x16x4x4xi32>
  return %0 : tensor<1x16x4x4xi32>
}

// -----

func.func @conv2d_zero_stride(%x: tensor<1x3x8x8xi8>, %w: tensor<16x3x3x3xi8>) -> tensor<1x16x6x6xi32> {
  // expected-error @+1 {{'qnn.conv2d' op expects every 'strides' value in [1, 2147483647], got 0}}
  %0 = qnn.conv2d %x, %w {strides = array<i64: 1, 0>} : (tensor<1x3x8x8xi8>, tensor<16x3x3x3xi8>) -> tensor<1x16x6x6xi32>
  return %0 : tensor<1x16x6x6xi32>
}

// -----

func.func @conv2d_negative_padding(%x: tensor<1x3x8x8xi8>, %w: tensor<16x3x3x3xi8>) -> tensor<1x16x6x6xi32> {
  // expected-error @+1 {{'qnn.conv2d' op expects every 'padding' value in [0, 2147483647], got -1}}
  %0 = qnn.conv2d %x, %w {padding = array<i64: 1, -1, -1, 1>} : (tensor<1x3x8x8xi8>, tensor<16x3x3x3xi8>) -> tensor<1x16x6x6xi32>
  return %0 : tensor<1x16x6x6xi32>
}

// -----

func.func @conv2d_zero_dilation(%x: tensor<1x3x8x8xi8>, %w: tensor<16x3x3x3xi8>) -> tensor<1x16x6x6xi32> {
  // expected-error @+1 {{'qnn.conv2d' op expects every 'dilations' value in [1, 2147483647], got 0}}
  %0 = qnn.conv2d %x, %w {dilations = array<i64: 0, 1>} : (tensor<1x3x8x8xi8>, tensor<16x3x3x3xi8>) -> tensor<1x16x6x6xi32>
  return %0 : tensor<1x16x6x6xi32>
}

// -----

func.func @conv2d_zero_groups(%x: tensor<1x4x8x8xi8>, %w: tensor<8x4x3x3xi8>) -> tensor<1x8x6x6xi32> {
  // expected-error @+1 {{'qnn.conv2d' op expects 'groups' >= 1, got 0}}
  %0 = qnn.conv2d %x, %w {groups = 0} : (tensor<1x4x8x8xi8>, tensor<8x4x3x3xi8>) -> tensor<1x8x6x6xi32>
  return %0 : tensor<1x8x6x6xi32>
}

// -----

func.func @conv2d_negative_groups(%x: tensor<1x4x8x8xi8>, %w: tensor<8x4x3x3xi8>) -> tensor<1x8x6x6xi32> {
  // expected-error @+1 {{'qnn.conv2d' op expects 'groups' >= 1, got -1}}
  %0 = qnn.conv2d %x, %w {groups = -1} : (tensor<1x4x8x8xi8>, tensor<8x4x3x3xi8>) -> tensor<1x8x6x6xi32>
  return %0 : tensor<1x8x6x6xi32>
}

// -----

func.func @conv2d_groups_input_channels(%x: tensor<1x6x8x8xi8>, %w: tensor<8x1x3x3xi8>) -> tensor<1x8x6x6xi32> {
  // expected-error @+1 {{'qnn.conv2d' op groups 4 must divide the input channels 6 and the output channels 8}}
  %0 = qnn.conv2d %x, %w {groups = 4} : (tensor<1x6x8x8xi8>, tensor<8x1x3x3xi8>) -> tensor<1x8x6x6xi32>
  return %0 : tensor<1x8x6x6xi32>
}

// -----

func.func @conv2d_groups_output_channels(%x: tensor<1x8x8x8xi8>, %w: tensor<6x2x3x3xi8>) -> tensor<1x6x6x6xi32> {
  // expected-error @+1 {{'qnn.conv2d' op groups 4 must divide the input channels 8 and the output channels 6}}
  %0 = qnn.conv2d %x, %w {groups = 4} : (tensor<1x8x8x8xi8>, tensor<6x2x3x3xi8>) -> tensor<1x6x6x6xi32>
  return %0 : tensor<1x6x6x6xi32>
}

// -----

func.func @conv2d_weight_channels(%x: tensor<1x3x8x8xi8>, %w: tensor<16x4x3x3xi8>) -> tensor<1x16x6x6xi32> {
  // expected-error @+1 {{'qnn.conv2d' op expects weight dimension 1 to be input channels / groups = 3, got 4}}
  %0 = qnn.conv2d %x, %w : (tensor<1x3x8x8xi8>, tensor<16x4x3x3xi8>) -> tensor<1x16x6x6xi32>
  return %0 : tensor<1x16x6x6xi32>
}

// -----

func.func @conv2d_depthwise_weight_channels(%x: tensor<1x8x8x8xi8>, %w: tensor<8x8x3x3xi8>) -> tensor<1x8x6x6xi32> {
  // expected-error @+1 {{'qnn.conv2d' op expects weight dimension 1 to be input channels / groups = 1, got 8}}
  %0 = qnn.conv2d %x, %w {groups = 8} : (tensor<1x8x8x8xi8>, tensor<8x8x3x3xi8>) -> tensor<1x8x6x6xi32>
  return %0 : tensor<1x8x6x6xi32>
}

// -----

func.func @conv2d_bias_rank(%x: tensor<1x3x8x8xi8>, %w: tensor<16x3x3x3xi8>, %b: tensor<1x16xi32>) -> tensor<1x16x6x6xi32> {
  // expected-error @+1 {{'qnn.conv2d' op expects bias of rank 1, got rank 2}}
  %0 = qnn.conv2d %x, %w, %b : (tensor<1x3x8x8xi8>, tensor<16x3x3x3xi8>, tensor<1x16xi32>) -> tensor<1x16x6x6xi32>
  return %0 : tensor<1x16x6x6xi32>
}

// -----

func.func @conv2d_bias_size(%x: tensor<1x3x8x8xi8>, %w: tensor<16x3x3x3xi8>, %b: tensor<3xi32>) -> tensor<1x16x6x6xi32> {
  // expected-error @+1 {{'qnn.conv2d' op expects bias of 16 elements (one per output channel), got 3}}
  %0 = qnn.conv2d %x, %w, %b : (tensor<1x3x8x8xi8>, tensor<16x3x3x3xi8>, tensor<3xi32>) -> tensor<1x16x6x6xi32>
  return %0 : tensor<1x16x6x6xi32>
}

// -----

func.func @conv2d_bias_type(%x: tensor<1x3x8x8xi8>, %w: tensor<16x3x3x3xi8>, %b: tensor<16xi64>) -> tensor<1x16x6x6xi32> {
  // expected-error @+1 {{'qnn.conv2d' op expects bias element type i32 (the accumulator type), got i64}}
  %0 = qnn.conv2d %x, %w, %b : (tensor<1x3x8x8xi8>, tensor<16x3x3x3xi8>, tensor<16xi64>) -> tensor<1x16x6x6xi32>
  return %0 : tensor<1x16x6x6xi32>
}

// -----

func.func @conv2d_window_height(%x: tensor<1x3x2x8xi8>, %w: tensor<16x3x3x3xi8>) -> tensor<1x16x1x6xi32> {
  // expected-error @+1 {{'qnn.conv2d' op window of extent 3 does not fit height 2 with padding 0+0}}
  %0 = qnn.conv2d %x, %w : (tensor<1x3x2x8xi8>, tensor<16x3x3x3xi8>) -> tensor<1x16x1x6xi32>
  return %0 : tensor<1x16x1x6xi32>
}

// -----

func.func @conv2d_window_width_dilated(%x: tensor<1x3x8x8xi8>, %w: tensor<16x3x3x3xi8>) -> tensor<1x16x6x1xi32> {
  // expected-error @+1 {{'qnn.conv2d' op window of extent 9 does not fit width 8 with padding 0+0}}
  %0 = qnn.conv2d %x, %w {dilations = array<i64: 1, 4>, padding = array<i64: 0, 0, 0, 0>} : (tensor<1x3x8x8xi8>, tensor<16x3x3x3xi8>) -> tensor<1x16x6x1xi32>
  return %0 : tensor<1x16x6x1xi32>
}

// -----

func.func @conv2d_result_shape(%x: tensor<2x3x9x8xi8>, %w: tensor<8x3x3x3xi8>) -> tensor<2x8x4x4xi32> {
  // expected-error @+1 {{'qnn.conv2d' op expects result shape [2, 8, 5, 4], got tensor<2x8x4x4xi32>}}
  %0 = qnn.conv2d %x, %w {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 0>} : (tensor<2x3x9x8xi8>, tensor<8x3x3x3xi8>) -> tensor<2x8x4x4xi32>
  return %0 : tensor<2x8x4x4xi32>
}

// -----

func.func @conv2d_result_channels(%x: tensor<1x3x8x8xi8>, %w: tensor<16x3x3x3xi8>) -> tensor<1x8x6x6xi32> {
  // expected-error @+1 {{'qnn.conv2d' op expects result shape [1, 16, 6, 6], got tensor<1x8x6x6xi32>}}
  %0 = qnn.conv2d %x, %w : (tensor<1x3x8x8xi8>, tensor<16x3x3x3xi8>) -> tensor<1x8x6x6xi32>
  return %0 : tensor<1x8x6x6xi32>
}

// -----

//===----------------------------------------------------------------------===//
// qnn.matmul
//===----------------------------------------------------------------------===//

func.func @matmul_lhs_rank(%a: tensor<16xi8>, %b: tensor<16x10xi8>) -> tensor<1x10xi32> {
  // expected-error @+1 {{'qnn.matmul' op expects lhs of rank 2, got rank 1}}
  %0 = qnn.matmul %a, %b : (tensor<16xi8>, tensor<16x10xi8>) -> tensor<1x10xi32>
  return %0 : tensor<1x10xi32>
}

// -----

func.func @matmul_rhs_rank(%a: tensor<1x16xi8>, %b: tensor<1x16x10xi8>) -> tensor<1x10xi32> {
  // expected-error @+1 {{'qnn.matmul' op expects rhs of rank 2, got rank 3}}
  %0 = qnn.matmul %a, %b : (tensor<1x16xi8>, tensor<1x16x10xi8>) -> tensor<1x10xi32>
  return %0 : tensor<1x10xi32>
}

// -----

func.func @matmul_result_rank(%a: tensor<1x16xi8>, %b: tensor<16x10xi8>) -> tensor<10xi32> {
  // expected-error @+1 {{'qnn.matmul' op expects result of rank 2, got rank 1}}
  %0 = qnn.matmul %a, %b : (tensor<1x16xi8>, tensor<16x10xi8>) -> tensor<10xi32>
  return %0 : tensor<10xi32>
}

// -----

func.func @matmul_wide_lhs(%a: tensor<1x16xi32>, %b: tensor<16x10xi8>) -> tensor<1x10xi64> {
  // expected-error @+1 {{'qnn.matmul' op expects lhs elements of at most 16 bits, got i32}}
  %0 = qnn.matmul %a, %b : (tensor<1x16xi32>, tensor<16x10xi8>) -> tensor<1x10xi64>
  return %0 : tensor<1x10xi64>
}

// -----

func.func @matmul_wide_rhs(%a: tensor<1x16xi8>, %b: tensor<16x10xi17>) -> tensor<1x10xi64> {
  // expected-error @+1 {{'qnn.matmul' op expects rhs elements of at most 16 bits, got i17}}
  %0 = qnn.matmul %a, %b : (tensor<1x16xi8>, tensor<16x10xi17>) -> tensor<1x10xi64>
  return %0 : tensor<1x10xi64>
}

// -----

func.func @matmul_accumulator(%a: tensor<1x16xi8>, %b: tensor<16x10xi8>) -> tensor<1x10xi8> {
  // expected-error @+1 {{'qnn.matmul' op expects result of accumulator type i32 or i64, got i8}}
  %0 = qnn.matmul %a, %b : (tensor<1x16xi8>, tensor<16x10xi8>) -> tensor<1x10xi8>
  return %0 : tensor<1x10xi8>
}

// -----

func.func @matmul_lhs_zp(%a: tensor<1x16xi8>, %b: tensor<16x10xi8>) -> tensor<1x10xi32> {
  // expected-error @+1 {{'qnn.matmul' op lhs_zp 128 is outside the range [-128, 127] of i8}}
  %0 = qnn.matmul %a, %b {lhs_zp = 128} : (tensor<1x16xi8>, tensor<16x10xi8>) -> tensor<1x10xi32>
  return %0 : tensor<1x10xi32>
}

// -----

func.func @matmul_rhs_zp(%a: tensor<1x16xi8>, %b: tensor<16x10xui4>) -> tensor<1x10xi32> {
  // expected-error @+1 {{'qnn.matmul' op rhs_zp -1 is outside the range [0, 15] of ui4}}
  %0 = qnn.matmul %a, %b {rhs_zp = -1} : (tensor<1x16xi8>, tensor<16x10xui4>) -> tensor<1x10xi32>
  return %0 : tensor<1x10xi32>
}

// -----

func.func @matmul_contraction(%a: tensor<2x16xi8>, %b: tensor<15x10xi8>) -> tensor<2x10xi32> {
  // expected-error @+1 {{'qnn.matmul' op contraction sizes differ: lhs is 2x16, rhs is 15x10}}
  %0 = qnn.matmul %a, %b : (tensor<2x16xi8>, tensor<15x10xi8>) -> tensor<2x10xi32>
  return %0 : tensor<2x10xi32>
}

// -----

func.func @matmul_result_shape(%a: tensor<2x16xi8>, %b: tensor<16x10xi8>) -> tensor<10x2xi32> {
  // expected-error @+1 {{'qnn.matmul' op expects result shape [2, 10], got tensor<10x2xi32>}}
  %0 = qnn.matmul %a, %b : (tensor<2x16xi8>, tensor<16x10xi8>) -> tensor<10x2xi32>
  return %0 : tensor<10x2xi32>
}

// -----

func.func @matmul_bias_rank(%a: tensor<2x16xi8>, %b: tensor<16x10xi8>, %c: tensor<2x10xi32>) -> tensor<2x10xi32> {
  // expected-error @+1 {{'qnn.matmul' op expects bias of rank 1, got rank 2}}
  %0 = qnn.matmul %a, %b, %c : (tensor<2x16xi8>, tensor<16x10xi8>, tensor<2x10xi32>) -> tensor<2x10xi32>
  return %0 : tensor<2x10xi32>
}

// -----

func.func @matmul_bias_size(%a: tensor<2x16xi8>, %b: tensor<16x10xi8>, %c: tensor<2xi32>) -> tensor<2x10xi32> {
  // expected-error @+1 {{'qnn.matmul' op expects bias of 10 elements (one per output channel), got 2}}
  %0 = qnn.matmul %a, %b, %c : (tensor<2x16xi8>, tensor<16x10xi8>, tensor<2xi32>) -> tensor<2x10xi32>
  return %0 : tensor<2x10xi32>
}

// -----

func.func @matmul_bias_type(%a: tensor<2x16xi8>, %b: tensor<16x10xi8>, %c: tensor<10xi32>) -> tensor<2x10xi64> {
  // expected-error @+1 {{'qnn.matmul' op expects bias element type i64 (the accumulator type), got i32}}
  %0 = qnn.matmul %a, %b, %c : (tensor<2x16xi8>, tensor<16x10xi8>, tensor<10xi32>) -> tensor<2x10xi64>
  return %0 : tensor<2x10xi64>
}

// -----

//===----------------------------------------------------------------------===//
// qnn.add
//===----------------------------------------------------------------------===//

func.func @add_wide_lhs(%a: tensor<4xi32>, %b: tensor<4xi8>) -> tensor<4xi64> {
  // expected-error @+1 {{'qnn.add' op expects lhs elements of at most 16 bits, got i32}}
  %0 = qnn.add %a, %b : (tensor<4xi32>, tensor<4xi8>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

func.func @add_wide_rhs(%a: tensor<4xi8>, %b: tensor<4xui32>) -> tensor<4xi64> {
  // expected-error @+1 {{'qnn.add' op expects rhs elements of at most 16 bits, got ui32}}
  %0 = qnn.add %a, %b : (tensor<4xi8>, tensor<4xui32>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

func.func @add_accumulator(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi16> {
  // expected-error @+1 {{'qnn.add' op expects result of accumulator type i32 or i64, got i16}}
  %0 = qnn.add %a, %b : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi16>
  return %0 : tensor<4xi16>
}

// -----

func.func @add_lhs_zp(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi32> {
  // expected-error @+1 {{'qnn.add' op lhs_zp -129 is outside the range [-128, 127] of i8}}
  %0 = qnn.add %a, %b {lhs_zp = -129} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @add_rhs_zp(%a: tensor<4xi8>, %b: tensor<4xui8>) -> tensor<4xi32> {
  // expected-error @+1 {{'qnn.add' op rhs_zp 256 is outside the range [0, 255] of ui8}}
  %0 = qnn.add %a, %b {rhs_zp = 256} : (tensor<4xi8>, tensor<4xui8>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @add_operand_shapes(%a: tensor<4xi8>, %b: tensor<2x2xi8>) -> tensor<4xi32> {
  // expected-error @+1 {{'qnn.add' op expects operands and result of one shape, got tensor<4xi8>, tensor<2x2xi8> -> tensor<4xi32>}}
  %0 = qnn.add %a, %b : (tensor<4xi8>, tensor<2x2xi8>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @add_result_shape(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<5xi32> {
  // expected-error @+1 {{'qnn.add' op expects operands and result of one shape, got tensor<4xi8>, tensor<4xi8> -> tensor<5xi32>}}
  %0 = qnn.add %a, %b : (tensor<4xi8>, tensor<4xi8>) -> tensor<5xi32>
  return %0 : tensor<5xi32>
}

// -----

func.func @add_lhs_multiplier(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi32> {
  // expected-error @+1 {{'qnn.add' op lhs_multiplier 2147483648 does not fit in 32 signed bits}}
  %0 = qnn.add %a, %b {lhs_multiplier = 2147483648} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @add_rhs_multiplier(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi32> {
  // expected-error @+1 {{'qnn.add' op rhs_multiplier -2147483649 does not fit in 32 signed bits}}
  %0 = qnn.add %a, %b {rhs_multiplier = -2147483649} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

//===----------------------------------------------------------------------===//
// qnn.avg_pool2d
//===----------------------------------------------------------------------===//

func.func @avg_pool2d_input_rank(%x: tensor<8x7x7xi8>) -> tensor<1x8x1x1xi32> {
  // expected-error @+1 {{'qnn.avg_pool2d' op expects input of rank 4, got rank 3}}
  %0 = qnn.avg_pool2d %x {kernel = array<i64: 7, 7>} : tensor<8x7x7xi8> -> tensor<1x8x1x1xi32>
  return %0 : tensor<1x8x1x1xi32>
}

// -----

func.func @avg_pool2d_result_rank(%x: tensor<1x8x7x7xi8>) -> tensor<1x8xi32> {
  // expected-error @+1 {{'qnn.avg_pool2d' op expects result of rank 4, got rank 2}}
  %0 = qnn.avg_pool2d %x {kernel = array<i64: 7, 7>} : tensor<1x8x7x7xi8> -> tensor<1x8xi32>
  return %0 : tensor<1x8xi32>
}

// -----

func.func @avg_pool2d_wide_input(%x: tensor<1x8x7x7xi32>) -> tensor<1x8x1x1xi64> {
  // expected-error @+1 {{'qnn.avg_pool2d' op expects input elements of at most 16 bits, got i32}}
  %0 = qnn.avg_pool2d %x {kernel = array<i64: 7, 7>} : tensor<1x8x7x7xi32> -> tensor<1x8x1x1xi64>
  return %0 : tensor<1x8x1x1xi64>
}

// -----

func.func @avg_pool2d_accumulator(%x: tensor<1x8x7x7xi8>) -> tensor<1x8x1x1xi8> {
  // expected-error @+1 {{'qnn.avg_pool2d' op expects result of accumulator type i32 or i64, got i8}}
  %0 = qnn.avg_pool2d %x {kernel = array<i64: 7, 7>} : tensor<1x8x7x7xi8> -> tensor<1x8x1x1xi8>
  return %0 : tensor<1x8x1x1xi8>
}

// -----

func.func @avg_pool2d_input_zp(%x: tensor<1x8x7x7xi8>) -> tensor<1x8x1x1xi32> {
  // expected-error @+1 {{'qnn.avg_pool2d' op input_zp 200 is outside the range [-128, 127] of i8}}
  %0 = qnn.avg_pool2d %x {kernel = array<i64: 7, 7>, input_zp = 200} : tensor<1x8x7x7xi8> -> tensor<1x8x1x1xi32>
  return %0 : tensor<1x8x1x1xi32>
}

// -----

func.func @avg_pool2d_kernel_size(%x: tensor<1x8x7x7xi8>) -> tensor<1x8x1x1xi32> {
  // expected-error @+1 {{'qnn.avg_pool2d' op expects 'kernel' to have 2 elements, got 1}}
  %0 = qnn.avg_pool2d %x {kernel = array<i64: 7>} : tensor<1x8x7x7xi8> -> tensor<1x8x1x1xi32>
  return %0 : tensor<1x8x1x1xi32>
}

// -----

func.func @avg_pool2d_strides_size(%x: tensor<1x8x7x7xi8>) -> tensor<1x8x1x1xi32> {
  // expected-error @+1 {{'qnn.avg_pool2d' op expects 'strides' to have 2 elements, got 3}}
  %0 = qnn.avg_pool2d %x {kernel = array<i64: 7, 7>, strides = array<i64: 1, 1, 1>} : tensor<1x8x7x7xi8> -> tensor<1x8x1x1xi32>
  return %0 : tensor<1x8x1x1xi32>
}

// -----

func.func @avg_pool2d_padding_size(%x: tensor<1x8x7x7xi8>) -> tensor<1x8x1x1xi32> {
  // expected-error @+1 {{'qnn.avg_pool2d' op expects 'padding' to have 4 elements, got 3}}
  %0 = qnn.avg_pool2d %x {kernel = array<i64: 7, 7>, padding = array<i64: 0, 0, 0>} : tensor<1x8x7x7xi8> -> tensor<1x8x1x1xi32>
  return %0 : tensor<1x8x1x1xi32>
}

// -----

func.func @avg_pool2d_zero_kernel(%x: tensor<1x8x7x7xi8>) -> tensor<1x8x1x1xi32> {
  // expected-error @+1 {{'qnn.avg_pool2d' op expects every 'kernel' value in [1, 2147483647], got 0}}
  %0 = qnn.avg_pool2d %x {kernel = array<i64: 7, 0>} : tensor<1x8x7x7xi8> -> tensor<1x8x1x1xi32>
  return %0 : tensor<1x8x1x1xi32>
}

// -----

func.func @avg_pool2d_zero_stride(%x: tensor<1x8x7x7xi8>) -> tensor<1x8x1x1xi32> {
  // expected-error @+1 {{'qnn.avg_pool2d' op expects every 'strides' value in [1, 2147483647], got 0}}
  %0 = qnn.avg_pool2d %x {kernel = array<i64: 7, 7>, strides = array<i64: 0, 1>} : tensor<1x8x7x7xi8> -> tensor<1x8x1x1xi32>
  return %0 : tensor<1x8x1x1xi32>
}

// -----

func.func @avg_pool2d_negative_padding(%x: tensor<1x8x7x7xi8>) -> tensor<1x8x1x1xi32> {
  // expected-error @+1 {{'qnn.avg_pool2d' op expects every 'padding' value in [0, 2147483647], got -3}}
  %0 = qnn.avg_pool2d %x {kernel = array<i64: 7, 7>, padding = array<i64: 0, 0, 0, -3>} : tensor<1x8x7x7xi8> -> tensor<1x8x1x1xi32>
  return %0 : tensor<1x8x1x1xi32>
}

// -----

func.func @avg_pool2d_window_too_large(%x: tensor<1x8x7x7xi8>) -> tensor<1x8x1x1xi32> {
  // expected-error @+1 {{'qnn.avg_pool2d' op window of extent 8 does not fit height 7 with padding 0+0}}
  %0 = qnn.avg_pool2d %x {kernel = array<i64: 8, 8>} : tensor<1x8x7x7xi8> -> tensor<1x8x1x1xi32>
  return %0 : tensor<1x8x1x1xi32>
}

// -----

func.func @avg_pool2d_result_shape(%x: tensor<1x8x7x7xi8>) -> tensor<1x8x3x3xi32> {
  // expected-error @+1 {{'qnn.avg_pool2d' op expects result shape [1, 8, 4, 4], got tensor<1x8x3x3xi32>}}
  %0 = qnn.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x8x7x7xi8> -> tensor<1x8x3x3xi32>
  return %0 : tensor<1x8x3x3xi32>
}

// -----

//===----------------------------------------------------------------------===//
// qnn.max_pool2d
//===----------------------------------------------------------------------===//

func.func @max_pool2d_input_rank(%x: tensor<8x8xi8>) -> tensor<1x8x4x4xi8> {
  // expected-error @+1 {{'qnn.max_pool2d' op expects input of rank 4, got rank 2}}
  %0 = "qnn.max_pool2d"(%x) {kernel = array<i64: 2, 2>} : (tensor<8x8xi8>) -> tensor<1x8x4x4xi8>
  return %0 : tensor<1x8x4x4xi8>
}

// -----

func.func @max_pool2d_result_rank(%x: tensor<1x8x8x8xi8>) -> tensor<8x4x4xi8> {
  // expected-error @+1 {{'qnn.max_pool2d' op expects result of rank 4, got rank 3}}
  %0 = qnn.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x8x8xi8> -> tensor<8x4x4xi8>
  return %0 : tensor<8x4x4xi8>
}

// -----

func.func @max_pool2d_kernel_size(%x: tensor<1x8x8x8xi8>) -> tensor<1x8x4x4xi8> {
  // expected-error @+1 {{'qnn.max_pool2d' op expects 'kernel' to have 2 elements, got 3}}
  %0 = qnn.max_pool2d %x {kernel = array<i64: 2, 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x8x8xi8> -> tensor<1x8x4x4xi8>
  return %0 : tensor<1x8x4x4xi8>
}

// -----

func.func @max_pool2d_strides_size(%x: tensor<1x8x8x8xi8>) -> tensor<1x8x4x4xi8> {
  // expected-error @+1 {{'qnn.max_pool2d' op expects 'strides' to have 2 elements, got 1}}
  %0 = qnn.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2>} : tensor<1x8x8x8xi8> -> tensor<1x8x4x4xi8>
  return %0 : tensor<1x8x4x4xi8>
}

// -----

func.func @max_pool2d_padding_size(%x: tensor<1x8x8x8xi8>) -> tensor<1x8x4x4xi8> {
  // expected-error @+1 {{'qnn.max_pool2d' op expects 'padding' to have 4 elements, got 0}}
  %0 = qnn.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64>} : tensor<1x8x8x8xi8> -> tensor<1x8x4x4xi8>
  return %0 : tensor<1x8x4x4xi8>
}

// -----

func.func @max_pool2d_dilations_size(%x: tensor<1x8x8x8xi8>) -> tensor<1x8x4x4xi8> {
  // expected-error @+1 {{'qnn.max_pool2d' op expects 'dilations' to have 2 elements, got 1}}
  %0 = qnn.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1>} : tensor<1x8x8x8xi8> -> tensor<1x8x4x4xi8>
  return %0 : tensor<1x8x4x4xi8>
}

// -----

func.func @max_pool2d_zero_kernel(%x: tensor<1x8x8x8xi8>) -> tensor<1x8x4x4xi8> {
  // expected-error @+1 {{'qnn.max_pool2d' op expects every 'kernel' value in [1, 2147483647], got 0}}
  %0 = qnn.max_pool2d %x {kernel = array<i64: 0, 2>, strides = array<i64: 2, 2>} : tensor<1x8x8x8xi8> -> tensor<1x8x4x4xi8>
  return %0 : tensor<1x8x4x4xi8>
}

// -----

func.func @max_pool2d_negative_stride(%x: tensor<1x8x8x8xi8>) -> tensor<1x8x4x4xi8> {
  // expected-error @+1 {{'qnn.max_pool2d' op expects every 'strides' value in [1, 2147483647], got -2}}
  %0 = qnn.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, -2>} : tensor<1x8x8x8xi8> -> tensor<1x8x4x4xi8>
  return %0 : tensor<1x8x4x4xi8>
}

// -----

func.func @max_pool2d_negative_padding(%x: tensor<1x8x8x8xi8>) -> tensor<1x8x4x4xi8> {
  // expected-error @+1 {{'qnn.max_pool2d' op expects every 'padding' value in [0, 2147483647], got -1}}
  %0 = qnn.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: -1, 0, 1, 0>} : tensor<1x8x8x8xi8> -> tensor<1x8x4x4xi8>
  return %0 : tensor<1x8x4x4xi8>
}

// -----

func.func @max_pool2d_zero_dilation(%x: tensor<1x8x8x8xi8>) -> tensor<1x8x4x4xi8> {
  // expected-error @+1 {{'qnn.max_pool2d' op expects every 'dilations' value in [1, 2147483647], got 0}}
  %0 = qnn.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 0>} : tensor<1x8x8x8xi8> -> tensor<1x8x4x4xi8>
  return %0 : tensor<1x8x4x4xi8>
}

// -----

func.func @max_pool2d_padding_top(%x: tensor<1x8x8x8xi8>) -> tensor<1x8x5x4xi8> {
  // expected-error @+1 {{'qnn.max_pool2d' op padding 2 must be smaller than the window extent 2}}
  %0 = qnn.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 2, 0, 0, 0>} : tensor<1x8x8x8xi8> -> tensor<1x8x5x4xi8>
  return %0 : tensor<1x8x5x4xi8>
}

// -----

func.func @max_pool2d_padding_right_dilated(%x: tensor<1x8x8x8xi8>) -> tensor<1x8x8x4xi8> {
  // expected-error @+1 {{'qnn.max_pool2d' op padding 4 must be smaller than the window extent 4}}
  %0 = qnn.max_pool2d %x {kernel = array<i64: 1, 2>, strides = array<i64: 1, 3>, padding = array<i64: 0, 3, 0, 4>, dilations = array<i64: 1, 3>} : tensor<1x8x8x8xi8> -> tensor<1x8x8x4xi8>
  return %0 : tensor<1x8x8x4xi8>
}

// -----

// Each padding is below the window extent 4, yet the only window's taps (at
// rows -2 and 1) both miss the one-row input.
func.func @max_pool2d_dilated_window_reads_only_padding(%x: tensor<1x1x1x1xi8>) -> tensor<1x1x1x1xi8> {
  // expected-error @+1 {{'qnn.max_pool2d' op window 0 along the height reads only padding: kernel 2 with dilation 3 and padding 2+1 has no tap on the input of size 1}}
  %0 = qnn.max_pool2d %x {kernel = array<i64: 2, 1>, dilations = array<i64: 3, 1>, padding = array<i64: 2, 0, 1, 0>} : tensor<1x1x1x1xi8> -> tensor<1x1x1x1xi8>
  return %0 : tensor<1x1x1x1xi8>
}

// -----

// Window 0 starts at column -3 and reads column 1, but window 1 starts at
// column 2 - 3 = -1 and taps columns -1 and 3, both outside the 3-wide input.
func.func @max_pool2d_dilated_later_window(%x: tensor<1x1x1x3xi8>) -> tensor<1x1x1x2xi8> {
  // expected-error @+1 {{'qnn.max_pool2d' op window 1 along the width reads only padding: kernel 2 with dilation 4 and padding 3+1 has no tap on the input of size 3}}
  %0 = qnn.max_pool2d %x {kernel = array<i64: 1, 2>, strides = array<i64: 1, 2>, dilations = array<i64: 1, 4>, padding = array<i64: 0, 3, 0, 1>} : tensor<1x1x1x3xi8> -> tensor<1x1x1x2xi8>
  return %0 : tensor<1x1x1x2xi8>
}

// -----

func.func @max_pool2d_window_too_large(%x: tensor<1x8x1x8xi8>) -> tensor<1x8x1x8xi8> {
  // expected-error @+1 {{'qnn.max_pool2d' op window of extent 2 does not fit height 1 with padding 0+0}}
  %0 = qnn.max_pool2d %x {kernel = array<i64: 2, 1>} : tensor<1x8x1x8xi8> -> tensor<1x8x1x8xi8>
  return %0 : tensor<1x8x1x8xi8>
}

// -----

func.func @max_pool2d_result_shape(%x: tensor<1x8x8x8xi8>) -> tensor<1x8x4x4xi8> {
  // expected-error @+1 {{'qnn.max_pool2d' op expects result shape [1, 8, 7, 7], got tensor<1x8x4x4xi8>}}
  %0 = qnn.max_pool2d %x {kernel = array<i64: 2, 2>} : tensor<1x8x8x8xi8> -> tensor<1x8x4x4xi8>
  return %0 : tensor<1x8x4x4xi8>
}

// -----

//===----------------------------------------------------------------------===//
// qnn.clamp
//===----------------------------------------------------------------------===//

func.func @clamp_min_range(%x: tensor<4xui8>) -> tensor<4xui8> {
  // expected-error @+1 {{'qnn.clamp' op min -1 is outside the range [0, 255] of ui8}}
  %0 = qnn.clamp %x {min = -1, max = 6} : tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

func.func @clamp_max_range(%x: tensor<4xi4>) -> tensor<4xi4> {
  // expected-error @+1 {{'qnn.clamp' op max 8 is outside the range [-8, 7] of i4}}
  %0 = qnn.clamp %x {min = 0, max = 8} : tensor<4xi4>
  return %0 : tensor<4xi4>
}

// -----

func.func @clamp_min_greater_than_max(%x: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.clamp' op min 6 is greater than max 5}}
  %0 = qnn.clamp %x {min = 6, max = 5} : tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @clamp_ui64_range(%x: tensor<4xui64>) -> tensor<4xui64> {
  // expected-error @+1 {{'qnn.clamp' op min -1 is outside the range [0, 9223372036854775807] of ui64}}
  %0 = qnn.clamp %x {min = -1, max = 7} : tensor<4xui64>
  return %0 : tensor<4xui64>
}

// -----

//===----------------------------------------------------------------------===//
// qnn.rescale
//===----------------------------------------------------------------------===//

func.func @rescale_no_multiplier(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.rescale' op expects at least one multiplier}}
  %0 = qnn.rescale %x {multiplier = array<i32>, shift = array<i32>} : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @rescale_shift_count(%x: tensor<1x2x4x4xi32>) -> tensor<1x2x4x4xi8> {
  // expected-error @+1 {{'qnn.rescale' op expects as many shifts as multipliers, got 1 and 2}}
  %0 = qnn.rescale %x {multiplier = array<i32: 3, 5>, shift = array<i32: 7>} : tensor<1x2x4x4xi32> -> tensor<1x2x4x4xi8>
  return %0 : tensor<1x2x4x4xi8>
}

// -----

func.func @rescale_negative_multiplier(%x: tensor<1x2x4x4xi32>) -> tensor<1x2x4x4xi8> {
  // expected-error @+1 {{'qnn.rescale' op multiplier -5 is outside [0, 2147483647]}}
  %0 = qnn.rescale %x {multiplier = array<i32: 3, -5>, shift = array<i32: 7, 7>} : tensor<1x2x4x4xi32> -> tensor<1x2x4x4xi8>
  return %0 : tensor<1x2x4x4xi8>
}

// -----

func.func @rescale_negative_shift(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.rescale' op shift -1 is outside [0, 63]}}
  %0 = qnn.rescale %x {multiplier = array<i32: 3>, shift = array<i32: -1>} : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @rescale_shift_too_large(%x: tensor<1x2x4x4xi32>) -> tensor<1x2x4x4xi8> {
  // expected-error @+1 {{'qnn.rescale' op shift 64 is outside [0, 63]}}
  %0 = qnn.rescale %x {multiplier = array<i32: 3, 5>, shift = array<i32: 63, 64>} : tensor<1x2x4x4xi32> -> tensor<1x2x4x4xi8>
  return %0 : tensor<1x2x4x4xi8>
}

// -----

func.func @rescale_wide_input(%x: tensor<4xi64>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.rescale' op expects input elements of at most 32 bits, got i64}}
  %0 = qnn.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>} : tensor<4xi64> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @rescale_wide_unsigned_input(%x: tensor<4xui33>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.rescale' op expects input elements of at most 32 bits, got ui33}}
  %0 = qnn.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>} : tensor<4xui33> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @rescale_wide_result(%x: tensor<4xi32>) -> tensor<4xi64> {
  // expected-error @+1 {{'qnn.rescale' op expects result elements of at most 32 bits, got i64}}
  %0 = qnn.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>} : tensor<4xi32> -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

func.func @rescale_input_zp(%x: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.rescale' op input_zp 128 is outside the range [-128, 127] of i8}}
  %0 = qnn.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>, input_zp = 128} : tensor<4xi8> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @rescale_output_zp(%x: tensor<4xi32>) -> tensor<4xui8> {
  // expected-error @+1 {{'qnn.rescale' op output_zp -1 is outside the range [0, 255] of ui8}}
  %0 = qnn.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>, output_zp = -1} : tensor<4xi32> -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

func.func @rescale_clamp_min_range(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.rescale' op clamp_min -129 is outside the range [-128, 127] of i8}}
  %0 = qnn.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>, clamp_min = -129} : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @rescale_clamp_max_range(%x: tensor<4xi32>) -> tensor<4xui4> {
  // expected-error @+1 {{'qnn.rescale' op clamp_max 16 is outside the range [0, 15] of ui4}}
  %0 = qnn.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>, clamp_min = 0, clamp_max = 16} : tensor<4xi32> -> tensor<4xui4>
  return %0 : tensor<4xui4>
}

// -----

func.func @rescale_clamp_min_greater_than_max(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.rescale' op clamp_min 10 is greater than clamp_max 9}}
  %0 = qnn.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>, clamp_min = 10, clamp_max = 9} : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// clamp_max below the default clamp_min (the output type's minimum).
func.func @rescale_clamp_max_below_default_min(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.rescale' op clamp_max -129 is outside the range [-128, 127] of i8}}
  %0 = qnn.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>, clamp_max = -129} : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @rescale_axis_too_large(%x: tensor<1x2x4x4xi32>) -> tensor<1x2x4x4xi8> {
  // expected-error @+1 {{'qnn.rescale' op axis 4 is out of range for rank 4}}
  %0 = qnn.rescale %x {axis = 4, multiplier = array<i32: 3, 5>, shift = array<i32: 7, 7>} : tensor<1x2x4x4xi32> -> tensor<1x2x4x4xi8>
  return %0 : tensor<1x2x4x4xi8>
}

// -----

func.func @rescale_axis_negative(%x: tensor<1x2x4x4xi32>) -> tensor<1x2x4x4xi8> {
  // expected-error @+1 {{'qnn.rescale' op axis -1 is out of range for rank 4}}
  %0 = qnn.rescale %x {axis = -1, multiplier = array<i32: 3, 5>, shift = array<i32: 7, 7>} : tensor<1x2x4x4xi32> -> tensor<1x2x4x4xi8>
  return %0 : tensor<1x2x4x4xi8>
}

// -----

func.func @rescale_channel_count(%x: tensor<1x3x4x4xi32>) -> tensor<1x3x4x4xi8> {
  // expected-error @+1 {{'qnn.rescale' op expects 1 (per-tensor) or 3 (one per channel along axis 1) multiplier values, got 2}}
  %0 = qnn.rescale %x {multiplier = array<i32: 3, 5>, shift = array<i32: 7, 7>} : tensor<1x3x4x4xi32> -> tensor<1x3x4x4xi8>
  return %0 : tensor<1x3x4x4xi8>
}

// -----

func.func @rescale_channel_count_axis0(%x: tensor<4x10xi32>) -> tensor<4x10xi8> {
  // expected-error @+1 {{'qnn.rescale' op expects 1 (per-tensor) or 4 (one per channel along axis 0) multiplier values, got 10}}
  %0 = qnn.rescale %x {axis = 0, multiplier = array<i32: 1, 1, 1, 1, 1, 1, 1, 1, 1, 1>, shift = array<i32: 1, 1, 1, 1, 1, 1, 1, 1, 1, 1>} : tensor<4x10xi32> -> tensor<4x10xi8>
  return %0 : tensor<4x10xi8>
}

// -----

//===----------------------------------------------------------------------===//
// qnn.requantize
//===----------------------------------------------------------------------===//

func.func @requantize_no_scale(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.requantize' op expects at least one scale}}
  %0 = qnn.requantize %x {scale = array<f64>} : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @requantize_zero_scale(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.requantize' op scale 0.000000e+00 is not positive and finite}}
  %0 = qnn.requantize %x {scale = array<f64: 0.0>} : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @requantize_negative_scale(%x: tensor<1x2xi32>) -> tensor<1x2xi8> {
  // expected-error @+1 {{'qnn.requantize' op scale -2.500000e-01 is not positive and finite}}
  %0 = qnn.requantize %x {scale = array<f64: 0.5, -0.25>} : tensor<1x2xi32> -> tensor<1x2xi8>
  return %0 : tensor<1x2xi8>
}

// -----

func.func @requantize_nan_scale(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.requantize' op scale nan is not positive and finite}}
  %0 = qnn.requantize %x {scale = array<f64: 0x7FF8000000000000>} : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @requantize_inf_scale(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.requantize' op scale INF is not positive and finite}}
  %0 = qnn.requantize %x {scale = array<f64: 0x7FF0000000000000>} : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @requantize_wide_input(%x: tensor<4xi48>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.requantize' op expects input elements of at most 32 bits, got i48}}
  %0 = qnn.requantize %x {scale = array<f64: 0.5>} : tensor<4xi48> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @requantize_wide_result(%x: tensor<4xi32>) -> tensor<4xui64> {
  // expected-error @+1 {{'qnn.requantize' op expects result elements of at most 32 bits, got ui64}}
  %0 = qnn.requantize %x {scale = array<f64: 0.5>} : tensor<4xi32> -> tensor<4xui64>
  return %0 : tensor<4xui64>
}

// -----

func.func @requantize_input_zp(%x: tensor<4xi16>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.requantize' op input_zp 32768 is outside the range [-32768, 32767] of i16}}
  %0 = qnn.requantize %x {scale = array<f64: 0.5>, input_zp = 32768} : tensor<4xi16> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @requantize_output_zp(%x: tensor<4xi32>) -> tensor<4xi4> {
  // expected-error @+1 {{'qnn.requantize' op output_zp 8 is outside the range [-8, 7] of i4}}
  %0 = qnn.requantize %x {scale = array<f64: 0.5>, output_zp = 8} : tensor<4xi32> -> tensor<4xi4>
  return %0 : tensor<4xi4>
}

// -----

func.func @requantize_clamp_min_range(%x: tensor<4xi32>) -> tensor<4xui8> {
  // expected-error @+1 {{'qnn.requantize' op clamp_min 256 is outside the range [0, 255] of ui8}}
  %0 = qnn.requantize %x {scale = array<f64: 0.5>, clamp_min = 256} : tensor<4xi32> -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

func.func @requantize_clamp_max_range(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.requantize' op clamp_max 128 is outside the range [-128, 127] of i8}}
  %0 = qnn.requantize %x {scale = array<f64: 0.5>, clamp_max = 128} : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @requantize_clamp_min_greater_than_max(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.requantize' op clamp_min 1 is greater than clamp_max 0}}
  %0 = qnn.requantize %x {scale = array<f64: 0.5>, clamp_min = 1, clamp_max = 0} : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @requantize_axis(%x: tensor<2x3xi32>) -> tensor<2x3xi8> {
  // expected-error @+1 {{'qnn.requantize' op axis 2 is out of range for rank 2}}
  %0 = qnn.requantize %x {axis = 2, scale = array<f64: 0.5, 0.25, 0.125>} : tensor<2x3xi32> -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @requantize_channel_count(%x: tensor<2x3xi32>) -> tensor<2x3xi8> {
  // expected-error @+1 {{'qnn.requantize' op expects 1 (per-tensor) or 2 (one per channel along axis 0) scale values, got 3}}
  %0 = qnn.requantize %x {axis = 0, scale = array<f64: 0.5, 0.25, 0.125>} : tensor<2x3xi32> -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

//===----------------------------------------------------------------------===//
// qnn.quantize, qnn.dequantize
//===----------------------------------------------------------------------===//

func.func @quantize_zero_scale(%x: tensor<4xf32>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.quantize' op scale 0.000000e+00 is not positive and finite}}
  %0 = qnn.quantize %x {scale = 0.0 : f64} : tensor<4xf32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @quantize_nan_scale(%x: tensor<4xf32>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.quantize' op scale nan is not positive and finite}}
  %0 = qnn.quantize %x {scale = 0x7FF8000000000000 : f64} : tensor<4xf32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @quantize_wide_result(%x: tensor<4xf32>) -> tensor<4xi64> {
  // expected-error @+1 {{'qnn.quantize' op expects integer elements of at most 32 bits, got i64}}
  %0 = qnn.quantize %x {scale = 0.5 : f64} : tensor<4xf32> -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

func.func @quantize_zero_point(%x: tensor<4xf32>) -> tensor<4xui8> {
  // expected-error @+1 {{'qnn.quantize' op zero_point 256 is outside the range [0, 255] of ui8}}
  %0 = qnn.quantize %x {scale = 0.5 : f64, zero_point = 256} : tensor<4xf32> -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

func.func @dequantize_negative_scale(%x: tensor<4xi8>) -> tensor<4xf32> {
  // expected-error @+1 {{'qnn.dequantize' op scale -5.000000e-01 is not positive and finite}}
  %0 = qnn.dequantize %x {scale = -0.5 : f64} : tensor<4xi8> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @dequantize_inf_scale(%x: tensor<4xi8>) -> tensor<4xf32> {
  // expected-error @+1 {{'qnn.dequantize' op scale INF is not positive and finite}}
  %0 = qnn.dequantize %x {scale = 0x7FF0000000000000 : f64} : tensor<4xi8> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @dequantize_wide_input(%x: tensor<4xi64>) -> tensor<4xf32> {
  // expected-error @+1 {{'qnn.dequantize' op expects integer elements of at most 32 bits, got i64}}
  %0 = qnn.dequantize %x {scale = 0.5 : f64} : tensor<4xi64> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @dequantize_zero_point(%x: tensor<4xi2>) -> tensor<4xf32> {
  // expected-error @+1 {{'qnn.dequantize' op zero_point -3 is outside the range [-2, 1] of i2}}
  %0 = qnn.dequantize %x {scale = 0.5 : f64, zero_point = -3} : tensor<4xi2> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @conv_stride_too_large(%x: tensor<1x1x4x4xi8>, %w: tensor<1x1x1x1xi8>) -> tensor<1x1x1x1xi32> {
  // expected-error @+1 {{'qnn.conv2d' op expects every 'strides' value in [1, 2147483647], got 2147483648}}
  %y = qnn.conv2d %x, %w {strides = array<i64: 2147483648, 1>} : (tensor<1x1x4x4xi8>, tensor<1x1x1x1xi8>) -> tensor<1x1x1x1xi32>
  return %y : tensor<1x1x1x1xi32>
}

// -----

func.func @pad_too_large(%x: tensor<2xi8>) -> tensor<2xi8> {
  // expected-error @+1 {{'qnn.pad' op expects every 'high' value in [0, 2147483647], got 9223372036854775806}}
  %y = qnn.pad %x {low = array<i64: 0>, high = array<i64: 9223372036854775806>} : tensor<2xi8> -> tensor<2xi8>
  return %y : tensor<2xi8>
}
