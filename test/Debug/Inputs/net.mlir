// The network of the layer dump tests: two conv layers with 4-bit
// activations, a pool and a classifier, every op named by a NameLoc as an
// importer names them. The rescale "conv2.requant" (multiplier 1, shift 3)
// meets ties (remainder 4 of 8) often, so that a change of its rounding
// rule shows on any input.
func.func @main(%image: tensor<1x2x8x8xui8> loc("image")) -> tensor<1x3xi32> {
  %w1 = qnn.constant dense<[[[[1, -1, 0], [2, 0, -2], [0, 1, -1]], [[0, 0, 1], [1, 0, 0], [-1, 0, 0]]], [[[2, 1, 0], [0, -1, 0], [1, 0, -2]], [[1, 1, 1], [0, 0, 0], [-1, -1, -1]]], [[[0, 0, 0], [0, 3, 0], [0, 0, 0]], [[1, 0, -1], [1, 0, -1], [1, 0, -1]]]]> : tensor<3x2x3x3xi4> loc("conv1.weight")
  %c1 = qnn.conv2d %image, %w1 {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x2x8x8xui8>, tensor<3x2x3x3xi4>) -> tensor<1x3x8x8xi32> loc("conv1")
  %r1 = qnn.rescale %c1 {multiplier = array<i32: 1>, shift = array<i32: 6>, clamp_min = 0} : tensor<1x3x8x8xi32> -> tensor<1x3x8x8xui4> loc("conv1.requant")
  %w2 = qnn.constant dense<[[[[1, 0, 1], [0, 1, 0], [1, 0, 1]], [[0, 1, 0], [1, 0, 1], [0, 1, 0]], [[1, 1, 0], [0, 0, 0], [0, 1, 1]]], [[[0, 0, 1], [0, 1, 0], [1, 0, 0]], [[1, 0, 0], [0, 1, 0], [0, 0, 1]], [[0, 1, 0], [0, 1, 0], [0, 1, 0]]]]> : tensor<2x3x3x3xi4> loc("conv2.weight")
  %b2 = qnn.constant dense<[3, -2]> : tensor<2xi32> loc("conv2.bias")
  %c2 = qnn.conv2d %r1, %w2, %b2 {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8xui4>, tensor<2x3x3x3xi4>, tensor<2xi32>) -> tensor<1x2x8x8xi32> loc("conv2")
  %r2 = qnn.rescale %c2 {multiplier = array<i32: 1>, shift = array<i32: 3>, clamp_min = 0, rounding = #qnn.rounding<half_up>} : tensor<1x2x8x8xi32> -> tensor<1x2x8x8xui4> loc("conv2.requant")
  %p = qnn.max_pool2d %r2 {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x2x8x8xui4> -> tensor<1x2x4x4xui4> loc("pool")
  %f = qnn.reshape %p : tensor<1x2x4x4xui4> -> tensor<1x32xui4> loc("flatten")
  %w3 = qnn.constant dense<[[1, -1, 2], [0, 1, -2], [3, 0, 1], [-1, 2, 0], [1, 1, 1], [2, -3, 0], [0, 0, 4], [-2, 1, 1], [1, -1, 2], [0, 1, -2], [3, 0, 1], [-1, 2, 0], [1, 1, 1], [2, -3, 0], [0, 0, 4], [-2, 1, 1], [1, -1, 2], [0, 1, -2], [3, 0, 1], [-1, 2, 0], [1, 1, 1], [2, -3, 0], [0, 0, 4], [-2, 1, 1], [1, -1, 2], [0, 1, -2], [3, 0, 1], [-1, 2, 0], [1, 1, 1], [2, -3, 0], [0, 0, 4], [-2, 1, 1]]> : tensor<32x3xi4> loc("fc.weight")
  %logits = qnn.matmul %f, %w3 : (tensor<1x32xui4>, tensor<32x3xi4>) -> tensor<1x3xi32> loc("fc")
  return %logits : tensor<1x3xi32>
}
