//===- LayerDump.cpp - Per-layer dump directories -------------------------===//

#include "qnn/Reference/LayerDump.h"

#include "qnn/Reference/Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace mlir::qnn::reference;

namespace {

constexpr llvm::StringLiteral kIndexName = "layers.txt";
constexpr llvm::StringLiteral kIndexHeader =
    "# qnn-mlir layer dump (docs/tools.md): order name op type; the values "
    "of each layer in <order>_<name>.npy\n";

std::string joinPath(llvm::StringRef dir, llvm::StringRef file) {
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, file);
  return path.str().str();
}

bool isValidName(llvm::StringRef name) {
  return !name.empty() && llvm::all_of(name, [](char c) {
    return llvm::isAlnum(c) || c == '_' || c == '.' || c == '-';
  });
}

} // namespace

std::string DumpedLayer::fileName() const {
  std::string digits = std::to_string(order);
  if (digits.size() < 3)
    digits.insert(0, 3 - digits.size(), '0');
  return digits + "_" + name + ".npy";
}

llvm::Expected<LayerDumpWriter>
LayerDumpWriter::create(llvm::StringRef dir) {
  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    return llvm::createStringError(dir + ": " + ec.message());
  std::string path = joinPath(dir, kIndexName);
  std::error_code ec;
  auto index = std::make_unique<llvm::raw_fd_ostream>(path, ec,
                                                      llvm::sys::fs::OF_Text);
  if (ec)
    return llvm::createStringError(path + ": " + ec.message());
  *index << kIndexHeader;
  return LayerDumpWriter(dir.str(), std::move(index));
}

llvm::Error LayerDumpWriter::write(llvm::StringRef name, llvm::StringRef op,
                                   const Tensor &values) {
  std::string type;
  llvm::raw_string_ostream(type) << values.type;
  DumpedLayer layer{next++, name.str(), op.str(), type};
  if (llvm::Error e =
          writeTensorFile(joinPath(dir, layer.fileName()), values))
    return e;
  *index << layer.order << ' ' << layer.name << ' ' << layer.op << ' '
         << layer.type << '\n';
  index->flush();
  if (index->has_error())
    return llvm::createStringError(joinPath(dir, kIndexName) + ": " +
                                   index->error().message());
  return llvm::Error::success();
}

llvm::Expected<std::vector<DumpedLayer>>
mlir::qnn::reference::readLayerIndex(llvm::StringRef dir) {
  std::string path = joinPath(dir, kIndexName);
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return llvm::createStringError(path + ": " + buffer.getError().message() +
                                   " (not a layer dump?)");
  std::vector<DumpedLayer> layers;
  llvm::StringSet<> names;
  llvm::SmallVector<llvm::StringRef> lines;
  (*buffer)->getBuffer().split(lines, '\n');
  for (size_t lineIndex = 0; lineIndex < lines.size(); ++lineIndex) {
    llvm::StringRef line = lines[lineIndex].trim();
    if (line.empty() || line.starts_with("#"))
      continue;
    auto error = [&](const llvm::Twine &message) {
      return llvm::createStringError(
          llvm::formatv("{0}:{1}: ", path, lineIndex + 1).str() +
          message.str());
    };
    llvm::SmallVector<llvm::StringRef> fields;
    line.split(fields, ' ', -1, /*KeepEmpty=*/false);
    if (fields.size() != 4)
      return error("expected 'order name op type', got '" + line + "'");
    DumpedLayer layer{0, fields[1].str(), fields[2].str(), fields[3].str()};
    if (fields[0].getAsInteger(10, layer.order) ||
        layer.order != int64_t(layers.size()))
      return error("order '" + fields[0] + "' is not " +
                   llvm::Twine(layers.size()) + " (layers are numbered 0, 1, "
                   "2, ... in execution order)");
    if (!isValidName(layer.name))
      return error("layer name '" + layer.name +
                   "' has characters outside [A-Za-z0-9_.-]");
    if (!names.insert(layer.name).second)
      return error("layer name '" + layer.name + "' appears twice");
    layers.push_back(std::move(layer));
  }
  return layers;
}
