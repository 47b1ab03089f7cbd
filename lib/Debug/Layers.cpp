//===- Layers.cpp - The layers of a qnn function and their names ----------===//

#include "qnn/Debug/Layers.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace mlir::qnn;

namespace {

/// Names become file names: anything outside [A-Za-z0-9_.-] (such as the
/// '/' of ONNX node names like "/conv1/Conv") turns into '_'.
std::string sanitize(StringRef name) {
  std::string s = name.str();
  for (char &c : s)
    if (!llvm::isAlnum(c) && c != '_' && c != '.' && c != '-')
      c = '_';
  return s;
}

/// The first NameLoc in `loc`, pre-order: an op fused from several keeps
/// their locations in a FusedLoc, the first one being its own.
std::string baseName(Location loc, StringRef fallback) {
  NameLoc named = loc->findInstanceOf<NameLoc>();
  if (!named || named.getName().getValue().empty())
    return fallback.str();
  return sanitize(named.getName().getValue());
}

} // namespace

std::vector<Layer> mlir::qnn::listLayers(func::FuncOp func) {
  std::vector<Layer> layers;
  Block &body = func.getBody().front();
  for (BlockArgument arg : body.getArguments())
    layers.push_back({arg, baseName(arg.getLoc(),
                                    "arg" + std::to_string(arg.getArgNumber())),
                      "argument"});
  for (Operation &op : body) {
    if (op.hasTrait<OpTrait::ConstantLike>())
      continue;
    for (Value result : op.getResults())
      layers.push_back({result, baseName(op.getLoc(), op.getName().stripDialect()),
                        op.getName().getStringRef().str()});
  }

  // A base name shared by several layers numbers them in order: the k-th
  // becomes <base>_<k>. Should that spelling be some other layer's own
  // name, the suffix repeats until the name is free.
  llvm::StringMap<unsigned> uses;
  for (const Layer &layer : layers)
    ++uses[layer.name];
  llvm::StringSet<> taken;
  for (const Layer &layer : layers)
    if (uses[layer.name] == 1)
      taken.insert(layer.name);
  llvm::StringMap<unsigned> seen;
  for (Layer &layer : layers) {
    if (uses[layer.name] == 1)
      continue;
    std::string suffix = "_" + std::to_string(seen[layer.name]++);
    std::string name = layer.name + suffix;
    while (!taken.insert(name).second)
      name += suffix;
    layer.name = name;
  }
  return layers;
}
