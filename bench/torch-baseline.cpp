//===- torch-baseline.cpp - LibTorch FP32 time of a bench model ----------===//
//
// Builds the model of a make-model.sh layer list in LibTorch, FP32, random
// weights, one thread, and prints the median latency of one image.
// Usage: torch-baseline "C H W" "LAYERS" REPEAT
//
//===----------------------------------------------------------------------===//

#include "Layers.h"

#include <torch/torch.h>

#include <cstdio>
#include <functional>
#include <memory>

using namespace qnn::bench;

int main(int argc, char **argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: torch-baseline \"C H W\" \"LAYERS\" REPEAT\n");
    return 2;
  }
  torch::set_num_threads(1);
  torch::NoGradGuard noGrad;
  int64_t c, h, w;
  if (std::sscanf(argv[1], "%ld %ld %ld", &c, &h, &w) != 3) {
    std::fprintf(stderr, "torch-baseline: bad input shape '%s'\n", argv[1]);
    return 2;
  }
  std::vector<Layer> layers = parseLayers(argv[2]);
  // Parameters are created once, outside the timed forward.
  std::vector<std::function<torch::Tensor(torch::Tensor)>> steps;
  int64_t channels = c;
  auto conv = [&](int64_t out, int64_t k, int64_t s, int64_t p) {
    torch::Tensor weight = torch::randn({out, channels, k, k}) * 0.1;
    torch::Tensor bias = torch::randn({out}) * 0.1;
    channels = out;
    return [=](torch::Tensor x) {
      return torch::relu(torch::conv2d(x, weight, bias, s, p));
    };
  };
  for (const Layer &l : layers) {
    if (l.kind == "conv") {
      steps.push_back(conv(l.a, l.b, l.c, l.d));
    } else if (l.kind == "pool") {
      int64_t k = l.a, s = l.b;
      steps.push_back([=](torch::Tensor x) { return torch::max_pool2d(x, k, s); });
    } else if (l.kind == "block") {
      int64_t in = channels;
      auto first = conv(l.a, 3, l.b, 1);
      auto second = conv(l.a, 3, 1, 1);
      std::function<torch::Tensor(torch::Tensor)> skip =
          [](torch::Tensor x) { return x; };
      if (l.b != 1 || in != l.a) {
        channels = in;
        skip = conv(l.a, 1, l.b, 0);
      }
      steps.push_back([=](torch::Tensor x) {
        return torch::relu(second(first(x)) + skip(x));
      });
    } else if (l.kind == "gap") {
      steps.push_back([](torch::Tensor x) {
        return torch::adaptive_avg_pool2d(x, {1, 1});
      });
    } else if (l.kind == "fc") {
      int64_t out = l.a;
      auto weight = std::make_shared<torch::Tensor>();
      auto bias = torch::randn({out}) * 0.1;
      steps.push_back([=](torch::Tensor x) {
        x = x.flatten(1);
        if (!weight->defined())
          *weight = torch::randn({out, x.size(1)}) * 0.1;
        return torch::linear(x, *weight, bias);
      });
    } else {
      std::fprintf(stderr, "torch-baseline: unknown layer '%s'\n",
                   l.kind.c_str());
      return 2;
    }
  }
  torch::Tensor image = torch::rand({1, c, h, w});
  auto forward = [&] {
    torch::Tensor x = image;
    for (auto &step : steps)
      x = step(x);
    return x;
  };
  forward(); // creates the lazily sized classifier weights
  int repeat = std::atoi(argv[3]);
  std::printf("median %.0f ns\n", medianNs(repeat, forward));
  return 0;
}
