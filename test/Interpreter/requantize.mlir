// The pre-folding qnn.requantize (double precision) and the boundary
// qnn.dequantize / qnn.quantize, with scales exact in binary so every tie is
// a true tie.
// RUN: qnn-run %s --function requantize_ties --print | FileCheck %s --check-prefix=REQ
// RUN: qnn-run %s --function requantize_per_channel --print | FileCheck %s --check-prefix=CHAN
// RUN: qnn-run %s --function boundary --print | FileCheck %s --check-prefix=BOUND

// x * 0.25 = 0.5, -0.5, 1.5, -1.5, 250: half up 1, 0, 2, -1, 127 (saturated);
// half even 0, -0 = 0, 2, -2, 127.
func.func @requantize_ties() -> (tensor<5xi8>, tensor<5xi8>) {
  %x = qnn.constant dense<[2, -2, 6, -6, 1000]> : tensor<5xi32>
  %a = qnn.requantize %x {scale = array<f64: 0.25>} : tensor<5xi32> -> tensor<5xi8>
  %b = qnn.requantize %x {scale = array<f64: 0.25>, rounding = #qnn.rounding<half_even>} : tensor<5xi32> -> tensor<5xi8>
  return %a, %b : tensor<5xi8>, tensor<5xi8>
}
// REQ: // result #0
// REQ-NEXT: [1, 0, 2, -1, 127]
// REQ: // result #1
// REQ-NEXT: [0, 0, 2, -2, 127]

// Along axis 0: row 0 * 0.5 = 1.5, -1.5 -> 2, -1; row 1 * 0.125 = 1.5, 2.5
// -> 2, 3; then + output_zp 10.
func.func @requantize_per_channel() -> tensor<2x2xui8> {
  %x = qnn.constant dense<[[3, -3], [12, 20]]> : tensor<2x2xi32>
  %y = qnn.requantize %x {axis = 0, scale = array<f64: 0.5, 0.125>, output_zp = 10} : tensor<2x2xi32> -> tensor<2x2xui8>
  return %y : tensor<2x2xui8>
}
// CHAN:      {{\[\[}}12, 9],
// CHAN-NEXT: [12, 13]]

// dequantize: (q - 0) * 0.25 = 0, 0.25, -0.25, 0.75, 100;
// quantize: x / 0.5 = 0, 0.5, -0.5, 1.5, 200, half even -> 0, 0, 0, 2, 200;
// + zero point 1 -> 1, 1, 1, 3, 201 -> 127 saturated.
func.func @boundary() -> (tensor<5xf32>, tensor<5xi8>) {
  %q = qnn.constant dense<[0, 1, -1, 3, 400]> : tensor<5xi16>
  %x = qnn.dequantize %q {scale = 0.25 : f64} : tensor<5xi16> -> tensor<5xf32>
  %y = qnn.quantize %x {scale = 0.5 : f64, zero_point = 1} : tensor<5xf32> -> tensor<5xi8>
  return %x, %y : tensor<5xf32>, tensor<5xi8>
}
// BOUND: // result #0
// BOUND-NEXT: [0.000000e+00, 2.500000e-01, -2.500000e-01, 7.500000e-01, 1.000000e+02]
// BOUND: // result #1
// BOUND-NEXT: [1, 1, 1, 3, 127]
