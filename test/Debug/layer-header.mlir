// The header of a debug object (--qnn-expose-layers) lists every layer for
// dump-layers.c; the release header, of the module as it is, does not.
// RUN: qnn-opt --qnn-expose-layers %s | qnn-translate --emit-header --model-name=net | FileCheck %s
// RUN: qnn-translate --emit-header --model-name=net %s | FileCheck %s --check-prefix=RELEASE

// CHECK:      int32_t net_run(const uint8_t *input0, int32_t *output0, int8_t *output1, int8_t *output2, void *scratch);
// CHECK:      #define NET_NUM_INPUTS 1
// CHECK-NEXT: #define NET_NUM_LAYERS 4
// CHECK-NEXT: #define NET_LAYER_MAX_RANK 2
// CHECK:      #define NET_LAYERS_BYTES 256
// CHECK:      } net_layer_t;
// CHECK:      static const net_layer_t net_layers[NET_NUM_LAYERS] = {
// CHECK-NEXT:   {"image", "argument", "tensor<2x3xui8>", 0, 1, 2, {2, 3}, 6},
// CHECK-NEXT:   {"fc", "qnn.matmul", "tensor<2x2xi32>", 1, 4, 2, {2, 2}, 16},
// CHECK-NEXT:   {"fc.requant", "qnn.rescale", "tensor<2x2xi4>", 1, 1, 2, {2, 2}, 4},
// CHECK-NEXT:   {"flatten", "qnn.reshape", "tensor<4xi4>", 1, 1, 1, {4}, 4},
// CHECK-NEXT: };
// CHECK:      static inline int32_t net_run_layers(void *const buffers[NET_NUM_LAYERS], void *scratch) {
// CHECK-NEXT:   return net_run((const uint8_t *)buffers[0],
// CHECK-NEXT:       (int32_t *)buffers[1],
// CHECK-NEXT:       (int8_t *)buffers[2],
// CHECK-NEXT:       (int8_t *)buffers[3],
// CHECK-NEXT:       scratch);

// RELEASE:     int32_t net_run(const uint8_t *input0, int8_t *output0, void *scratch);
// RELEASE-NOT: LAYER
// RELEASE-NOT: layer

func.func @main(%image: tensor<2x3xui8> loc("image")) -> tensor<4xi4> {
  %w = qnn.constant dense<[[1, -1], [2, 0], [0, 3]]> : tensor<3x2xi4>
  %m = qnn.matmul %image, %w : (tensor<2x3xui8>, tensor<3x2xi4>) -> tensor<2x2xi32> loc("fc")
  %r = qnn.rescale %m {multiplier = array<i32: 1>, shift = array<i32: 6>} : tensor<2x2xi32> -> tensor<2x2xi4> loc("fc.requant")
  %f = qnn.reshape %r : tensor<2x2xi4> -> tensor<4xi4> loc("flatten")
  return %f : tensor<4xi4>
}
