//===- Distributed.cpp - Data-parallel training on LibTorch's c10d --------===//

#include "Distributed.h"

#include <torch/autograd.h>
#include <torch/csrc/distributed/c10d/FileStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <chrono>
#include <cstdlib>
#include <stdexcept>

namespace qnn::train {

namespace {

/// The first line of an exception's message (c10::Error without its C++
/// backtrace).
std::string firstLine(const std::exception &e) {
  const auto *c10Error = dynamic_cast<const c10::Error *>(&e);
  std::string what = c10Error ? c10Error->what_without_backtrace() : e.what();
  return what.substr(0, what.find('\n'));
}

std::runtime_error failure(const World &world, const std::string &what,
                           const std::exception &cause) {
  return std::runtime_error("rank " + std::to_string(world.rank) + " of " +
                            std::to_string(world.size) + ": " + what +
                            " failed (a rank died or did "
                            "not answer within " +
                            std::to_string(world.timeoutSeconds) +
                            " s): " + firstLine(cause));
}

c10::intrusive_ptr<c10d::Store>
connectStore(const World &world, std::chrono::milliseconds timeout) {
  if (!world.storeFile.empty()) {
    auto store =
        c10::make_intrusive<c10d::FileStore>(world.storeFile, world.size);
    store->setTimeout(timeout);
    return store;
  }
  c10d::TCPStoreOptions options;
  options.port = uint16_t(world.masterPort);
  options.isServer = world.isRoot();
  options.numWorkers = size_t(world.size);
  options.waitWorkers = true;
  options.timeout = timeout;
  return c10::make_intrusive<c10d::TCPStore>(world.masterAddr, options);
}

/// Gloo's network device, chosen as torch.distributed chooses it: the
/// interface GLOO_SOCKET_IFNAME names, else the address this host's name
/// resolves to.
std::shared_ptr<gloo::transport::Device> glooDevice() {
  if (const char *interface = std::getenv("GLOO_SOCKET_IFNAME"))
    return c10d::ProcessGroupGloo::createDeviceForInterface(interface);
  return c10d::ProcessGroupGloo::createDefaultDevice();
}

} // namespace

struct Replicas::Group {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroup> processGroup;

  /// Runs one collective to completion (Gloo bounds it by the timeout).
  void run(const World &world, const char *what,
           const std::function<c10::intrusive_ptr<c10d::Work>()> &start) {
    try {
      start()->wait();
    } catch (const std::exception &e) {
      throw failure(world, what, e);
    }
  }
};

Replicas::Replicas(const World &world) : world_(world) {
  if (alone())
    return;
  std::chrono::milliseconds timeout(int64_t(world.timeoutSeconds) * 1000);
  group_ = std::make_unique<Group>();
  try {
    group_->store = connectStore(world, timeout);
    auto options = c10d::ProcessGroupGloo::Options::create(timeout);
    options->devices.push_back(glooDevice());
    group_->processGroup = c10::make_intrusive<c10d::ProcessGroupGloo>(
        group_->store, world.rank, world.size, options);
  } catch (const std::exception &e) {
    throw failure(world,
                  "rendezvous at " + (world.storeFile.empty()
                                          ? world.masterAddr + ":" +
                                                std::to_string(world.masterPort)
                                          : world.storeFile),
                  e);
  }
}

Replicas::~Replicas() = default;

void Replicas::sumInPlace(const torch::Tensor &tensor) {
  if (alone())
    return;
  std::vector<torch::Tensor> tensors = {tensor};
  group_->run(world_, "all-reduce",
              [&] { return group_->processGroup->allreduce(tensors); });
}

namespace {

/// y = sum over ranks of x; dx = sum over ranks of dy. Each rank's loss
/// depends on every rank's x through y, so the ranks' output gradients sum.
struct SumOverRanks : torch::autograd::Function<SumOverRanks> {
  static torch::Tensor forward(torch::autograd::AutogradContext *context,
                               const torch::Tensor &x, Replicas *replicas) {
    context->saved_data["replicas"] = reinterpret_cast<int64_t>(replicas);
    torch::Tensor y = x.clone();
    replicas->sumInPlace(y);
    return y;
  }
  static torch::autograd::variable_list
  backward(torch::autograd::AutogradContext *context,
           torch::autograd::variable_list gradients) {
    auto *replicas =
        reinterpret_cast<Replicas *>(context->saved_data["replicas"].toInt());
    torch::Tensor dx = gradients[0].clone();
    replicas->sumInPlace(dx);
    return {dx, torch::Tensor()};
  }
};

} // namespace

torch::Tensor Replicas::sum(const torch::Tensor &tensor) {
  if (alone())
    return tensor;
  return SumOverRanks::apply(tensor, this);
}

void Replicas::broadcastFromRoot(const std::vector<torch::Tensor> &tensors) {
  if (alone() || tensors.empty())
    return;
  torch::NoGradGuard noGrad;
  // One flat message instead of one per tensor.
  std::vector<torch::Tensor> flat;
  for (const torch::Tensor &t : tensors)
    flat.push_back(t.detach().to(torch::kDouble).reshape({-1}));
  std::vector<torch::Tensor> message = {torch::cat(flat)};
  group_->run(world_, "broadcast",
              [&] { return group_->processGroup->broadcast(message); });
  int64_t offset = 0;
  for (const torch::Tensor &t : tensors) {
    t.copy_(message[0].narrow(0, offset, t.numel()).view(t.sizes()));
    offset += t.numel();
  }
}

bool Replicas::agree(const std::vector<int64_t> &values) {
  if (alone())
    return true;
  torch::Tensor local = torch::tensor(values, torch::kLong);
  std::vector<torch::Tensor> lowest = {local.clone()},
                             highest = {local.clone()};
  c10d::AllreduceOptions min, max;
  min.reduceOp = c10d::ReduceOp::MIN;
  max.reduceOp = c10d::ReduceOp::MAX;
  group_->run(world_, "all-reduce",
              [&] { return group_->processGroup->allreduce(lowest, min); });
  group_->run(world_, "all-reduce",
              [&] { return group_->processGroup->allreduce(highest, max); });
  return torch::equal(lowest[0], highest[0]);
}

//===----------------------------------------------------------------------===//
// Gradient averaging in buckets
//===----------------------------------------------------------------------===//

namespace {

/// DistributedDataParallel's bucket sizes: a small first bucket (the last
/// layers' gradients), then up to 25 MB each.
const int64_t kFirstBucketBytes = 1 << 20, kBucketBytes = 25 << 20;

/// The parameters in buckets, last parameter first (backward's order).
std::vector<std::vector<torch::Tensor>>
assignBuckets(const std::vector<torch::Tensor> &params) {
  std::vector<std::vector<torch::Tensor>> buckets(1);
  int64_t bytes = 0;
  for (auto p = params.rbegin(); p != params.rend(); ++p) {
    int64_t cap = buckets.size() == 1 ? kFirstBucketBytes : kBucketBytes;
    int64_t size = p->numel() * int64_t(p->element_size());
    if (!buckets.back().empty() && bytes + size > cap) {
      buckets.emplace_back();
      bytes = 0;
    }
    buckets.back().push_back(*p);
    bytes += size;
  }
  return buckets;
}

} // namespace

struct GradientAverager::Engine {
  Replicas::Group &group;
  std::vector<std::vector<torch::Tensor>> buckets;
};

GradientAverager::GradientAverager(Replicas &replicas,
                                   const std::vector<torch::Tensor> &params)
    : world_(replicas.world()) {
  if (replicas.alone() || params.empty())
    return;
  std::vector<int64_t> shapes;
  for (const torch::Tensor &p : params)
    shapes.push_back(p.numel());
  if (!replicas.agree(shapes))
    throw std::runtime_error("rank " + std::to_string(world_.rank) +
                             ": the ranks train different parameters");
  engine_.reset(new Engine{*replicas.group_, assignBuckets(params)});
}

GradientAverager::~GradientAverager() = default;

void GradientAverager::backward(const torch::Tensor &loss) {
  loss.backward();
  if (!engine_)
    return;
  torch::NoGradGuard noGrad;
  // All buckets in flight at once; Gloo's worker threads run them.
  std::vector<std::vector<torch::Tensor>> flats;
  std::vector<c10::intrusive_ptr<c10d::Work>> works;
  try {
    for (const auto &bucket : engine_->buckets) {
      std::vector<torch::Tensor> grads;
      for (const torch::Tensor &p : bucket)
        grads.push_back(p.grad().defined()
                            ? p.grad().reshape({-1})
                            : torch::zeros({p.numel()}, p.options()));
      flats.push_back({torch::cat(grads)});
      works.push_back(engine_->group.processGroup->allreduce(flats.back()));
    }
    for (auto &work : works)
      work->wait();
  } catch (const std::exception &e) {
    throw failure(world_, "gradient all-reduce", e);
  }
  for (size_t b = 0; b < flats.size(); ++b) {
    torch::Tensor mean = flats[b][0].div_(world_.size);
    int64_t offset = 0;
    for (const torch::Tensor &p : engine_->buckets[b]) {
      torch::Tensor slice = mean.narrow(0, offset, p.numel()).view(p.sizes());
      if (p.grad().defined())
        p.mutable_grad().copy_(slice);
      else
        p.mutable_grad() = slice.clone();
      offset += p.numel();
    }
  }
}

} // namespace qnn::train
