//===- dnnl-baseline.cpp - oneDNN int8 time of each convolution ----------===//
//
// For every convolution of a make-model.sh layer list: oneDNN's u8 x s8 ->
// u8 convolution (s32 bias, per-channel output scales, ReLU post-op: the
// same work as our fused kernel), NHWC in and out (the layout of its int8
// JIT kernels; with NCHW it falls back to its reference code),
// one thread (oneDNN's CPU runtime follows OMP_NUM_THREADS=1 set by
// bench/kernels.sh). Prints one line per convolution: index, C H W, output
// channels, kernel, stride, padding, MACs, the median nanoseconds of REPEAT
// executions of the primitive (reorders excluded: weights are prepacked
// once, as ours are at compile time), and oneDNN's implementation name.
// Usage: dnnl-baseline "C H W" "LAYERS" REPEAT
//
//===----------------------------------------------------------------------===//

#include "Layers.h"

#include <dnnl.hpp>

#include <cstdio>
#include <cstdlib>

using namespace qnn::bench;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

int main(int argc, char **argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: dnnl-baseline \"C H W\" \"LAYERS\" REPEAT\n");
    return 2;
  }
  int64_t c, h, w;
  if (std::sscanf(argv[1], "%ld %ld %ld", &c, &h, &w) != 3) {
    std::fprintf(stderr, "dnnl-baseline: bad input shape '%s'\n", argv[1]);
    return 2;
  }
  int repeat = std::atoi(argv[3]);
  dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  dnnl::stream stream(engine);
  std::vector<ConvShape> convs = convolutions(parseLayers(argv[2]), c, h, w);
  for (size_t i = 0; i < convs.size(); ++i) {
    const ConvShape &s = convs[i];
    dnnl::memory::dims src = {1, s.in, s.height, s.width};
    dnnl::memory::dims wei = {s.out, s.in, s.kernel, s.kernel};
    dnnl::memory::dims dst = {1, s.out, s.outHeight(), s.outWidth()};
    dnnl::memory::dims strides = {s.stride, s.stride}, pad = {s.pad, s.pad};
    auto srcMd = dnnl::memory::desc(src, dt::u8, tag::nhwc);
    auto dstMd = dnnl::memory::desc(dst, dt::u8, tag::nhwc);
    auto weiAny = dnnl::memory::desc(wei, dt::s8, tag::any);
    auto biasMd = dnnl::memory::desc({s.out}, dt::s32, tag::x);
    dnnl::primitive_attr attr;
    attr.set_output_scales(2, std::vector<float>(s.out, 1.0f / 4096));
    dnnl::post_ops ops;
    ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0.0f, 0.0f);
    attr.set_post_ops(ops);
    auto desc = dnnl::convolution_forward::desc(
        dnnl::prop_kind::forward_inference,
        dnnl::algorithm::convolution_direct, srcMd, weiAny, biasMd, dstMd,
        strides, pad, pad);
    auto pd = dnnl::convolution_forward::primitive_desc(desc, attr, engine);
    dnnl::memory srcMem(srcMd, engine), dstMem(dstMd, engine),
        biasMem(biasMd, engine), weiMem(pd.weights_desc(), engine);
    for (size_t b = 0; b < srcMd.get_size(); ++b)
      static_cast<uint8_t *>(srcMem.get_data_handle())[b] = uint8_t(b * 7);
    for (size_t b = 0; b < pd.weights_desc().get_size(); ++b)
      static_cast<int8_t *>(weiMem.get_data_handle())[b] = int8_t(b * 13);
    dnnl::convolution_forward conv(pd);
    std::unordered_map<int, dnnl::memory> args = {
        {DNNL_ARG_SRC, srcMem}, {DNNL_ARG_WEIGHTS, weiMem},
        {DNNL_ARG_BIAS, biasMem}, {DNNL_ARG_DST, dstMem}};
    conv.execute(stream, args);
    stream.wait();
    double ns = repeat == 0 ? 0 : medianNs(repeat, [&] {
      conv.execute(stream, args);
      stream.wait();
    });
    std::printf("%zu %ld %ld %ld %ld %ld %ld %ld %ld %.0f %s\n", i, s.in,
                s.height, s.width, s.out, s.kernel, s.stride, s.pad, s.macs(),
                ns, pd.impl_info_str());
  }
  return 0;
}
