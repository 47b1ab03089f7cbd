//===- LayerDump.cpp - Per-layer dump directories, the training side -----===//

#include "LayerDump.h"

#include "qnn/Support/IntegerRules.h"

#include <filesystem>
#include <optional>

namespace qnn::train {
namespace {

/// The same header comment the compiler's writer starts layers.txt with.
const char *kIndexHeader =
    "# qnn-mlir layer dump (docs/tools.md): order name op type; the values "
    "of each layer in <order>_<name>.npy\n";

/// An integer element type i<N> or ui<N>.
struct Element {
  bool isSigned;
  unsigned bits;

  /// The narrowest standard container, in bytes (docs/tools.md).
  unsigned containerBytes() const {
    return bits <= 8 ? 1 : bits <= 16 ? 2 : bits <= 32 ? 4 : 8;
  }
  /// NumPy's dtype: '|u1', '<i4', ...
  std::string descr() const {
    unsigned bytes = containerBytes();
    return std::string(bytes == 1 ? "|" : "<") + (isSigned ? "i" : "u") +
           std::to_string(bytes);
  }
};

std::optional<Element> parseElement(const std::string &text) {
  bool isSigned = text.rfind("ui", 0) != 0;
  std::string digits = text.substr(isSigned ? 1 : 2);
  if ((isSigned && text.rfind("i", 0) != 0) || digits.empty() ||
      digits.find_first_not_of("0123456789") != std::string::npos ||
      digits.size() > 2)
    return std::nullopt;
  unsigned bits = unsigned(std::stoi(digits));
  if (bits < 1 || bits > (isSigned ? 64u : 63u))
    return std::nullopt;
  return Element{isSigned, bits};
}

/// NumPy's spelling of a shape: (), (3,), (1, 16, 28, 28).
std::string shapeTuple(const std::vector<int64_t> &shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i)
    s += std::to_string(shape[i]) + (i + 1 < shape.size() ? ", " : "");
  return s + (shape.size() == 1 ? ",)" : ")");
}

/// A .npy file, version 1.0: magic, version, header length, the header
/// dict padded with spaces and a newline to a multiple of 64 bytes, data.
std::string npyBytes(const Element &element, const std::vector<int64_t> &shape,
                     const std::vector<int64_t> &values) {
  std::string dict = "{'descr': '" + element.descr() +
                     "', 'fortran_order': False, 'shape': " +
                     shapeTuple(shape) + ", }";
  size_t total = 10 + dict.size() + 1;
  dict.append((64 - total % 64) % 64, ' ');
  dict += '\n';
  std::string bytes = "\x93NUMPY";
  bytes += {char(1), char(0), char(dict.size() & 0xff), char(dict.size() >> 8)};
  bytes += dict;
  unsigned width = element.containerBytes();
  for (int64_t v : values)
    for (unsigned b = 0; b < width; ++b)
      bytes.push_back(char((uint64_t(v) >> (8 * b)) & 0xff));
  return bytes;
}

} // namespace

std::string tensorType(const std::vector<int64_t> &shape,
                       const std::string &element) {
  std::string s = "tensor<";
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s + element + ">";
}

Expected<LayerDumpWriter> LayerDumpWriter::create(const std::string &dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return Expected<LayerDumpWriter>::failure(dir + ": " + ec.message());
  std::string path = dir + "/layers.txt";
  std::ofstream index(path, std::ios::trunc);
  index << kIndexHeader;
  if (!index)
    return Expected<LayerDumpWriter>::failure(path + ": cannot write");
  return LayerDumpWriter(dir, std::move(index));
}

Expected<bool> LayerDumpWriter::write(const std::string &name,
                                      const std::string &op,
                                      const std::string &element,
                                      const std::vector<int64_t> &shape,
                                      const std::vector<int64_t> &values) {
  auto fail = [&](const std::string &why) {
    return Expected<bool>::failure("layer '" + name + "': " + why);
  };
  std::optional<Element> parsed = parseElement(element);
  if (!parsed)
    return fail("'" + element + "' is not an integer element type");
  int64_t count = 1;
  for (int64_t d : shape)
    count *= d;
  if (count != int64_t(values.size()))
    return fail(std::to_string(values.size()) + " values for shape " +
                tensorType(shape, element));
  rules::IntRange range = rules::intRange(parsed->bits, parsed->isSigned);
  for (int64_t v : values)
    if (!range.contains(v))
      return fail("value " + std::to_string(v) + " does not fit " + element);

  std::string order = std::to_string(next);
  order.insert(0, order.size() < 3 ? 3 - order.size() : 0, '0');
  std::string path = dir + "/" + order + "_" + name + ".npy";
  std::string bytes = npyBytes(*parsed, shape, values);
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(bytes.data(), std::streamsize(bytes.size()));
  if (!file)
    return Expected<bool>::failure(path + ": cannot write");
  index << next++ << ' ' << name << ' ' << op << ' '
        << tensorType(shape, element) << '\n';
  index.flush();
  if (!index)
    return Expected<bool>::failure(dir + "/layers.txt: cannot write");
  return true;
}

} // namespace qnn::train
