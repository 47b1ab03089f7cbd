//===- Distributed.h - Data-parallel training on LibTorch's c10d ----------===//
//
// The ranks of a World meet through a c10d TCPStore (rank 0 serves it at
// MASTER_ADDR:MASTER_PORT) or a FileStore, and talk through a Gloo process
// group. Gradients are averaged as DistributedDataParallel averages them:
// in buckets (a small first one, then up to 25 MB), all buckets all-reduced
// at once. Unlike DDP's c10d::Reducer the all-reduce starts after backward
// instead of overlapping it: Debian's libtorch-dev ships c10d/reducer.hpp
// without the torch/csrc/distributed/autograd headers it includes, so the
// Reducer cannot be compiled against. A World of one rank creates no process
// group and every operation below is the identity.
//
// Failures (a rank that died, a rendezvous or a collective that did not
// complete within World::timeoutSeconds) are thrown as std::runtime_error
// naming this rank and the operation; runTraining makes them a value.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_TRAINING_DISTRIBUTED_H
#define QNN_TRAINING_DISTRIBUTED_H

#include "World.h"

#include <torch/types.h>

#include <memory>
#include <vector>

namespace qnn::train {

class Replicas {
public:
  /// Rendezvous with the other ranks; blocks until all arrive or the
  /// world's timeout passes.
  explicit Replicas(const World &world);
  ~Replicas();

  const World &world() const { return world_; }
  bool alone() const { return world_.size == 1; }

  /// Sums tensor over the ranks, in place.
  void sumInPlace(const torch::Tensor &tensor);
  /// The sum over the ranks as an autograd operation: the gradient of each
  /// rank's input is the sum of the ranks' output gradients. Synchronized
  /// batch norm computes its statistics with it.
  torch::Tensor sum(const torch::Tensor &tensor);
  /// Overwrites every tensor with rank 0's values.
  void broadcastFromRoot(const std::vector<torch::Tensor> &tensors);
  /// True when every rank passed the same values.
  bool agree(const std::vector<int64_t> &values);

private:
  friend class GradientAverager;
  struct Group; // the c10d store and process group (Distributed.cpp)

  World world_;
  std::unique_ptr<Group> group_;
};

/// Gradient averaging for one set of parameters (those a step trains).
class GradientAverager {
public:
  GradientAverager(Replicas &replicas,
                   const std::vector<torch::Tensor> &params);
  ~GradientAverager();
  /// loss.backward(), after which every parameter's gradient is the mean of
  /// the ranks' gradients.
  void backward(const torch::Tensor &loss);

private:
  struct Engine; // the process group and the buckets
  std::unique_ptr<Engine> engine_;
  World world_;
};

} // namespace qnn::train

#endif // QNN_TRAINING_DISTRIBUTED_H
