// RUN: qnn-opt %s -split-input-file --qnn-fuse | FileCheck %s
// RUN: qnn-opt %s -split-input-file --canonicalize | FileCheck %s

// The qnn canonicalizations and folders; every rewrite is exact.

// A ReLU on the rescale's output (clamp at the output zero point) becomes
// the rescale's clamp_min.
// CHECK-LABEL: func.func @relu_into_rescale
// CHECK-NEXT: %[[R:.*]] = qnn.rescale %{{.*}} {clamp_max = 127 : i64, clamp_min = -10 : i64, multiplier = array<i32: 3>, output_zp = -10 : i64, shift = array<i32: 5>}
// CHECK-NEXT: return %[[R]]
func.func @relu_into_rescale(%x: tensor<4xi32>) -> tensor<4xi8> {
  %0 = qnn.rescale %x {multiplier = array<i32: 3>, shift = array<i32: 5>, output_zp = -10} : tensor<4xi32> -> tensor<4xi8>
  %1 = qnn.clamp %0 {min = -10, max = 127} : tensor<4xi8>
  return %1 : tensor<4xi8>
}

// -----

// Bounds compose: clamp(clamp(v, 0, 100), 50, 120) = clamp(v, 50, 100), and
// disjoint ones collapse to a point: clamp(clamp(v, 0, 10), 20, 30) = 20.
// CHECK-LABEL: func.func @compose_bounds
// CHECK: qnn.rescale %{{.*}} {clamp_max = 100 : i64, clamp_min = 50 : i64,
// CHECK: qnn.rescale %{{.*}} {clamp_max = 20 : i64, clamp_min = 20 : i64,
// CHECK-NOT: qnn.clamp
func.func @compose_bounds(%x: tensor<4xi32>) -> (tensor<4xi8>, tensor<4xi8>) {
  %0 = qnn.rescale %x {multiplier = array<i32: 3>, shift = array<i32: 5>, clamp_min = 0, clamp_max = 100} : tensor<4xi32> -> tensor<4xi8>
  %1 = qnn.clamp %0 {min = 50, max = 120} : tensor<4xi8>
  %2 = qnn.rescale %x {multiplier = array<i32: 3>, shift = array<i32: 5>, clamp_min = 0, clamp_max = 10} : tensor<4xi32> -> tensor<4xi8>
  %3 = qnn.clamp %2 {min = 20, max = 30} : tensor<4xi8>
  return %1, %3 : tensor<4xi8>, tensor<4xi8>
}

// -----

// The pre-folding ops take the clamp too.
// CHECK-LABEL: func.func @relu_into_prefolding
// CHECK: qnn.requantize %{{.*}} {clamp_max = 127 : i64, clamp_min = 0 : i64, scale = array<f64: 1.000000e-01>}
// CHECK: qnn.requantize_add %{{.*}}, %{{.*}} {clamp_max = 6 : i64, clamp_min = 0 : i64, lhs_scale = 5.000000e-01 : f64, rhs_scale = 5.000000e-01 : f64}
// CHECK-NOT: qnn.clamp
func.func @relu_into_prefolding(%x: tensor<4xi32>, %a: tensor<4xi8>, %b: tensor<4xi8>) -> (tensor<4xi8>, tensor<4xi8>) {
  %0 = qnn.requantize %x {scale = array<f64: 0.1>} : tensor<4xi32> -> tensor<4xi8>
  %1 = qnn.clamp %0 {min = 0, max = 127} : tensor<4xi8>
  %2 = qnn.requantize_add %a, %b {lhs_scale = 0.5, rhs_scale = 0.5} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  %3 = qnn.clamp %2 {min = 0, max = 6} : tensor<4xi8>
  return %1, %3 : tensor<4xi8>, tensor<4xi8>
}

// -----

// A rescale with other users keeps its bounds; the clamp stays.
// CHECK-LABEL: func.func @shared_rescale
// CHECK: %[[R:.*]] = qnn.rescale %{{.*}} {multiplier = array<i32: 3>, shift = array<i32: 5>}
// CHECK: %[[C:.*]] = qnn.clamp %[[R]] {max = 127 : i64, min = 0 : i64}
// CHECK: return %[[C]], %[[R]]
func.func @shared_rescale(%x: tensor<4xi32>) -> (tensor<4xi8>, tensor<4xi8>) {
  %0 = qnn.rescale %x {multiplier = array<i32: 3>, shift = array<i32: 5>} : tensor<4xi32> -> tensor<4xi8>
  %1 = qnn.clamp %0 {min = 0, max = 127} : tensor<4xi8>
  return %1, %0 : tensor<4xi8>, tensor<4xi8>
}

// -----

// CHECK-LABEL: func.func @clamps
// Two clamps merge: clamp(clamp(x, -5, 100), 0, 50) = clamp(x, 0, 50).
// CHECK-DAG: %[[A:.*]] = qnn.clamp %{{.*}} {max = 50 : i64, min = 0 : i64} : tensor<4xi8>
// A clamp to the whole type range is the identity.
// A clamp of a constant folds: clamp([-8, 0, 3, 7], -4, 4) = [-4, 0, 3, 4].
// CHECK-DAG: %[[K:.*]] = qnn.constant dense<[-4, 0, 3, 4]> : tensor<4xi4>
// CHECK: return %[[A]], %arg1, %[[K]]
func.func @clamps(%x: tensor<4xi8>, %y: tensor<4xui4>) -> (tensor<4xi8>, tensor<4xui4>, tensor<4xi4>) {
  %0 = qnn.clamp %x {min = -5, max = 100} : tensor<4xi8>
  %1 = qnn.clamp %0 {min = 0, max = 50} : tensor<4xi8>
  %2 = qnn.clamp %y {min = 0, max = 15} : tensor<4xui4>
  %c = qnn.constant dense<[-8, 0, 3, 7]> : tensor<4xi4>
  %3 = qnn.clamp %c {min = -4, max = 4} : tensor<4xi4>
  return %1, %2, %3 : tensor<4xi8>, tensor<4xui4>, tensor<4xi4>
}

// -----

// A unit-scale rescale (multiplier = 2^shift) after a rescale only shifts
// the zero point and clamps: delta = output_zp - input_zp = 10 - 5 = 5,
// the first rescale's zero point 5 becomes 5 + 5 = 10, its bounds
// [0 + 5, 100 + 5] clamped into [-128, 90] become [5, 90].
// CHECK-LABEL: func.func @merge_unit_rescale
// CHECK-NEXT: %[[R:.*]] = qnn.rescale %{{.*}} {clamp_max = 90 : i64, clamp_min = 5 : i64, input_zp = 3 : i64, multiplier = array<i32: 1234, 4321>, output_zp = 10 : i64, rounding = #qnn.rounding<half_even>, shift = array<i32: 20, 21>} : tensor<1x2xi32> -> tensor<1x2xi8>
// CHECK-NEXT: return %[[R]]
func.func @merge_unit_rescale(%x: tensor<1x2xi32>) -> tensor<1x2xi8> {
  %0 = qnn.rescale %x {multiplier = array<i32: 1234, 4321>, shift = array<i32: 20, 21>, input_zp = 3, output_zp = 5, clamp_min = 0, clamp_max = 100, rounding = #qnn.rounding<half_even>} : tensor<1x2xi32> -> tensor<1x2xi8>
  %1 = qnn.rescale %0 {multiplier = array<i32: 4>, shift = array<i32: 2>, input_zp = 5, output_zp = 10, clamp_max = 90} : tensor<1x2xi8> -> tensor<1x2xi8>
  return %1 : tensor<1x2xi8>
}

// -----

// Changing signedness: i8 with zero point -128 to ui8 with zero point 0.
// delta = 128; zero point -128 + 128 = 0 (the default, not printed); bounds
// [-128, 127] + 128 = [0, 255].
// CHECK-LABEL: func.func @merge_to_unsigned
// CHECK-NEXT: qnn.rescale %{{.*}} {clamp_max = 255 : i64, clamp_min = 0 : i64, multiplier = array<i32: 77>, shift = array<i32: 9>} : tensor<4xi32> -> tensor<4xui8>
func.func @merge_to_unsigned(%x: tensor<4xi32>) -> tensor<4xui8> {
  %0 = qnn.rescale %x {multiplier = array<i32: 77>, shift = array<i32: 9>, output_zp = -128} : tensor<4xi32> -> tensor<4xi8>
  %1 = qnn.rescale %0 {multiplier = array<i32: 1>, shift = array<i32: 0>, input_zp = -128} : tensor<4xi8> -> tensor<4xui8>
  return %1 : tensor<4xui8>
}

// -----

// A second rescale with a scale other than 1 would round twice: no merge.
// Nor when the merged zero point would leave the result type.
// CHECK-LABEL: func.func @no_merge
// CHECK-COUNT-4: qnn.rescale
func.func @no_merge(%x: tensor<4xi32>) -> (tensor<4xi8>, tensor<4xi8>) {
  %0 = qnn.rescale %x {multiplier = array<i32: 77>, shift = array<i32: 9>} : tensor<4xi32> -> tensor<4xi8>
  %1 = qnn.rescale %0 {multiplier = array<i32: 3>, shift = array<i32: 1>} : tensor<4xi8> -> tensor<4xi8>
  %2 = qnn.rescale %x {multiplier = array<i32: 77>, shift = array<i32: 9>, output_zp = 100} : tensor<4xi32> -> tensor<4xi8>
  %3 = qnn.rescale %2 {multiplier = array<i32: 1>, shift = array<i32: 0>, input_zp = -100} : tensor<4xi8> -> tensor<4xi8>
  return %1, %3 : tensor<4xi8>, tensor<4xi8>
}

// -----

// Identities fold away: a unit rescale without zero-point change, clamp or
// type change; a reshape to its own type; a pad of nothing; a concat of one
// input. Reshapes chain into one, a reshape of a constant is a constant,
// and the constants left without users are erased.
// CHECK-LABEL: func.func @identities
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xi8>)
// CHECK-NEXT: %[[K:.*]] = qnn.constant dense<{{\[\[}}1, 2], [3, 4]]> : tensor<2x2xi8>
// CHECK-NEXT: %[[R:.*]] = qnn.reshape %[[X]] : tensor<2x3xi8> -> tensor<6xi8>
// CHECK-NEXT: return %[[X]], %[[R]], %[[K]]
func.func @identities(%x: tensor<2x3xi8>) -> (tensor<2x3xi8>, tensor<6xi8>, tensor<2x2xi8>) {
  %unused = qnn.constant dense<7> : tensor<16xi8>
  %0 = qnn.rescale %x {multiplier = array<i32: 8>, shift = array<i32: 3>, input_zp = 2, output_zp = 2} : tensor<2x3xi8> -> tensor<2x3xi8>
  %1 = qnn.reshape %0 : tensor<2x3xi8> -> tensor<2x3xi8>
  %2 = qnn.pad %1 {low = array<i64: 0, 0>, high = array<i64: 0, 0>} : tensor<2x3xi8> -> tensor<2x3xi8>
  %3 = qnn.concat %2 {axis = 0} : (tensor<2x3xi8>) -> tensor<2x3xi8>
  %4 = qnn.reshape %3 : tensor<2x3xi8> -> tensor<3x2xi8>
  %5 = qnn.reshape %4 : tensor<3x2xi8> -> tensor<6xi8>
  %c = qnn.constant dense<[1, 2, 3, 4]> : tensor<4xi8>
  %6 = qnn.reshape %c : tensor<4xi8> -> tensor<2x2xi8>
  return %3, %5, %6 : tensor<2x3xi8>, tensor<6xi8>, tensor<2x2xi8>
}
