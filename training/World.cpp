//===- World.cpp - torchrun's environment variables -----------------------===//

#include "World.h"

#include <cstdlib>

namespace qnn::train {

namespace {

/// The variable's integer value in [min, max]; unset leaves out unchanged.
Expected<bool> readInteger(const char *name, int &out, long min, long max) {
  const char *text = std::getenv(name);
  if (!text)
    return true;
  char *end = nullptr;
  long value = std::strtol(text, &end, 10);
  if (*text == '\0' || *end != '\0' || value < min || value > max)
    return Expected<bool>::failure(
        std::string(name) + "='" + text + "' is not an integer in [" +
        std::to_string(min) + ", " + std::to_string(max) + "]");
  out = int(value);
  return true;
}

} // namespace

Expected<bool> readWorldEnvironment(World &world) {
  for (auto read : {readInteger("WORLD_SIZE", world.size, 1, 1 << 20),
                    readInteger("RANK", world.rank, 0, 1 << 20),
                    readInteger("MASTER_PORT", world.masterPort, 1, 65535)})
    if (!read)
      return read;
  if (world.rank >= world.size)
    return Expected<bool>::failure(
        "RANK=" + std::to_string(world.rank) +
        " is not below WORLD_SIZE=" + std::to_string(world.size));
  if (const char *addr = std::getenv("MASTER_ADDR"))
    world.masterAddr = addr;
  return true;
}

} // namespace qnn::train
