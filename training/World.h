//===- World.h - Who trains together: ranks, rendezvous, timeouts ---------===//
//
// LibTorch-free, so the CLI compiles fast. Distributed.h turns a World into
// c10d process groups; a World of size 1 trains alone without any.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_TRAINING_WORLD_H
#define QNN_TRAINING_WORLD_H

#include "Expected.h"

#include <string>

namespace qnn::train {

struct World {
  int rank = 0, size = 1;
  /// TCPStore rendezvous (torchrun's MASTER_ADDR / MASTER_PORT); rank 0
  /// serves the store.
  std::string masterAddr = "127.0.0.1";
  int masterPort = 29500;
  /// FileStore rendezvous instead, when set: a path every rank can reach
  /// (a shared filesystem across machines); it must not exist beforehand.
  std::string storeFile;
  /// Bound on the rendezvous and on every collective: a dead or hung rank
  /// becomes an error on the others after at most this long.
  int timeoutSeconds = 60;

  bool isRoot() const { return rank == 0; }
};

/// Fills world from the torchrun variables RANK, WORLD_SIZE, MASTER_ADDR and
/// MASTER_PORT where they are set; fails naming a malformed variable or a
/// rank outside [0, WORLD_SIZE).
Expected<bool> readWorldEnvironment(World &world);

} // namespace qnn::train

#endif // QNN_TRAINING_WORLD_H
