//===- Layers.h - The layer lists of bench/make-model.sh, parsed ---------===//
//
// The baselines of bench/kernels.sh (torch-baseline.cpp, dnnl-baseline.cpp)
// build the same models as bench/make-model.sh from the same layer list, so
// that every implementation computes the same convolutions.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_BENCH_LAYERS_H
#define QNN_BENCH_LAYERS_H

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

namespace qnn::bench {

struct Layer {
  std::string kind; // conv, pool, block, gap, fc
  int64_t a = 0, b = 0, c = 0, d = 0;
};

/// "conv 16 3 1 1; pool 2 2; ..." -> layers.
inline std::vector<Layer> parseLayers(const std::string &text) {
  std::vector<Layer> layers;
  std::stringstream all(text);
  std::string item;
  while (std::getline(all, item, ';')) {
    std::stringstream fields(item);
    Layer l;
    if (fields >> l.kind) {
      fields >> l.a >> l.b >> l.c >> l.d;
      layers.push_back(l);
    }
  }
  return layers;
}

/// Shape of one 2-D convolution of a model (batch 1).
struct ConvShape {
  int64_t in, height, width, out, kernel, stride, pad;
  int64_t outHeight() const { return (height + 2 * pad - kernel) / stride + 1; }
  int64_t outWidth() const { return (width + 2 * pad - kernel) / stride + 1; }
  int64_t macs() const {
    return out * outHeight() * outWidth() * in * kernel * kernel;
  }
};

/// Every convolution of the model, in the order make-model.sh emits them
/// (a block: conv, conv, then its projection).
inline std::vector<ConvShape> convolutions(const std::vector<Layer> &layers,
                                           int64_t c, int64_t h, int64_t w) {
  std::vector<ConvShape> convs;
  auto conv = [&](int64_t out, int64_t k, int64_t s, int64_t p) {
    ConvShape shape{c, h, w, out, k, s, p};
    convs.push_back(shape);
    c = out;
    h = shape.outHeight();
    w = shape.outWidth();
  };
  for (const Layer &l : layers) {
    if (l.kind == "conv") {
      conv(l.a, l.b, l.c, l.d);
    } else if (l.kind == "pool") {
      h = (h - l.a) / l.b + 1;
      w = (w - l.a) / l.b + 1;
    } else if (l.kind == "block") {
      int64_t c0 = c, h0 = h, w0 = w;
      conv(l.a, 3, l.b, 1);
      conv(l.a, 3, 1, 1);
      if (l.b != 1 || c0 != l.a) {
        int64_t c1 = c, h1 = h, w1 = w;
        c = c0, h = h0, w = w0;
        conv(l.a, 1, l.b, 0);
        c = c1, h = h1, w = w1;
      }
    } else if (l.kind == "gap") {
      h = w = 1;
    }
  }
  return convs;
}

/// Median wall time of `repeat` calls of f, in nanoseconds.
template <typename F> double medianNs(int repeat, F &&f) {
  std::vector<double> times;
  for (int i = 0; i < repeat; ++i) {
    auto start = std::chrono::steady_clock::now();
    f();
    times.push_back(std::chrono::duration<double, std::nano>(
                        std::chrono::steady_clock::now() - start)
                        .count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

} // namespace qnn::bench

#endif // QNN_BENCH_LAYERS_H
