//===- Npy.cpp - Tensor files: NumPy .npy and raw little-endian -----------===//
//
// .npy version 1.0: the magic "\x93NUMPY", two version bytes, a uint16
// little-endian header length, and an ASCII Python dict literal giving
// 'descr', 'fortran_order' and 'shape', padded so that the data starts at a
// multiple of 64 bytes.
//
//===----------------------------------------------------------------------===//

#include "qnn/Reference/Npy.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Reference/Interpreter.h"
#include "qnn/Support/IntegerRules.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mlir;
using namespace mlir::qnn::reference;

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;

/// An element container: NumPy's type code and size in bytes.
struct Container {
  char kind; // 'i' signed, 'u' unsigned, 'f' float
  unsigned bytes;

  std::string descr() const {
    return llvm::formatv("{0}{1}{2}", bytes == 1 ? '|' : '<', kind, bytes);
  }
};

/// The narrowest standard container of an element type.
Container containerOf(Type elementType) {
  if (isa<FloatType>(elementType))
    return {'f', 4};
  auto intType = cast<IntegerType>(elementType);
  return {intType.isUnsigned() ? 'u' : 'i', mlir::qnn::containerBits(intType) / 8};
}

std::optional<Container> parseDescr(llvm::StringRef descr) {
  if (descr.size() < 3 || (descr[0] != '<' && descr[0] != '|'))
    return std::nullopt;
  unsigned bytes = 0;
  if (descr.drop_front(2).getAsInteger(10, bytes))
    return std::nullopt;
  Container c{descr[1], bytes};
  bool isInt = (c.kind == 'i' || c.kind == 'u') &&
               (bytes == 1 || bytes == 2 || bytes == 4 || bytes == 8);
  bool isF32 = c.kind == 'f' && bytes == 4;
  if (!isInt && !isF32)
    return std::nullopt;
  return c;
}

/// Little-endian load of one element of container `c`. Unsigned 64-bit
/// values above INT64_MAX come back negative; the range check rejects them.
int64_t loadInt(const char *p, Container c) {
  uint64_t raw = 0;
  std::memcpy(&raw, p, c.bytes); // the host is little-endian (x86-64/AArch64)
  if (c.kind == 'u' || c.bytes == 8)
    return static_cast<int64_t>(raw);
  unsigned bits = c.bytes * 8;
  return ::qnn::rules::wrapToBits(static_cast<int64_t>(raw), bits, true);
}

llvm::Error fileError(llvm::StringRef path, const llvm::Twine &message) {
  return llvm::createStringError(path.str() + ": " + message.str());
}

/// Decodes `data` (elements in container `c`) into a tensor of `type`.
llvm::Expected<Tensor> decode(llvm::StringRef path, llvm::StringRef data,
                              Container c, RankedTensorType type) {
  int64_t count = type.getNumElements();
  if (int64_t(data.size()) != count * int64_t(c.bytes))
    return fileError(path, llvm::formatv("holds {0} bytes of data, expected "
                                         "{1} ({2} elements of {3} bytes)",
                                         data.size(), count * c.bytes, count,
                                         c.bytes));
  Tensor t = Tensor::zeros(type);
  bool wantFloat = t.isFloat();
  if (wantFloat != (c.kind == 'f'))
    return fileError(path, "holds " + c.descr() + " elements, expected " +
                               containerOf(type.getElementType()).descr());
  for (int64_t i = 0; i < count; ++i) {
    const char *p = data.data() + i * c.bytes;
    if (wantFloat)
      std::memcpy(&t.floats[i], p, 4);
    else
      t.ints[i] = loadInt(p, c);
  }
  if (llvm::Error e = checkTensorMatches(t, type, path))
    return std::move(e);
  return t;
}

struct NpyHeader {
  Container container;
  SmallVector<int64_t> shape;
  size_t dataOffset;
};

/// Value of `'key': ` in the header dict, up to the next top-level comma.
std::optional<llvm::StringRef> dictValue(llvm::StringRef dict,
                                         llvm::StringRef key) {
  size_t at = dict.find(("'" + key + "'").str());
  if (at == llvm::StringRef::npos)
    return std::nullopt;
  llvm::StringRef rest = dict.drop_front(at + key.size() + 2).ltrim();
  if (!rest.consume_front(":"))
    return std::nullopt;
  rest = rest.ltrim();
  size_t end = rest.starts_with("(") ? rest.find(')') + 1 : rest.find(',');
  return rest.take_front(end).trim();
}

llvm::Expected<NpyHeader> parseNpyHeader(llvm::StringRef path,
                                         llvm::StringRef file) {
  if (file.size() < 10 || !file.starts_with(llvm::StringRef(kMagic, kMagicSize)))
    return fileError(path, "not a .npy file (bad magic)");
  uint8_t major = file[6];
  if (major != 1)
    return fileError(path, llvm::formatv(".npy version {0} is not supported "
                                         "(only 1.0)",
                                         unsigned(major)));
  size_t headerLen = uint8_t(file[8]) | (size_t(uint8_t(file[9])) << 8);
  if (file.size() < 10 + headerLen)
    return fileError(path, "truncated .npy header");
  llvm::StringRef dict = file.substr(10, headerLen);
  auto descr = dictValue(dict, "descr");
  auto fortran = dictValue(dict, "fortran_order");
  auto shape = dictValue(dict, "shape");
  if (!descr || !fortran || !shape)
    return fileError(path, "malformed .npy header");
  std::optional<Container> container = parseDescr(descr->trim("'\""));
  if (!container)
    return fileError(path, "unsupported dtype " + *descr);
  if (*fortran != "False")
    return fileError(path, "Fortran-order arrays are not supported");
  NpyHeader header{*container, {}, 10 + headerLen};
  SmallVector<llvm::StringRef> dims;
  shape->trim("()").split(dims, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef d : dims) {
    int64_t size = 0;
    if (d.trim().getAsInteger(10, size) || size < 0)
      return fileError(path, "malformed shape " + *shape);
    header.shape.push_back(size);
  }
  return header;
}

std::string shapeString(llvm::ArrayRef<int64_t> shape) {
  std::string s = "(";
  for (int64_t d : shape)
    s += std::to_string(d) + (shape.size() == 1 ? ",)" : ", ");
  if (shape.size() != 1) {
    if (!shape.empty())
      s.resize(s.size() - 2);
    s += ")";
  }
  return s;
}

} // namespace

llvm::Expected<Tensor> mlir::qnn::reference::readTensorFile(llvm::StringRef path,
                                                      RankedTensorType type) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!buffer)
    return fileError(path, buffer.getError().message());
  llvm::StringRef file = (*buffer)->getBuffer();
  if (llvm::sys::path::extension(path) != ".npy")
    return decode(path, file, containerOf(type.getElementType()), type);
  llvm::Expected<NpyHeader> header = parseNpyHeader(path, file);
  if (!header)
    return header.takeError();
  if (llvm::ArrayRef<int64_t>(header->shape) != type.getShape())
    return fileError(path, "has shape " + shapeString(header->shape) +
                               ", expected " + shapeString(type.getShape()));
  return decode(path, file.drop_front(header->dataOffset), header->container,
                type);
}

llvm::Error mlir::qnn::reference::writeTensorFile(llvm::StringRef path,
                                            const Tensor &t) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return fileError(path, ec.message());
  Container c = containerOf(t.elementType());
  if (llvm::sys::path::extension(path) == ".npy") {
    std::string dict = "{'descr': '" + c.descr() +
                       "', 'fortran_order': False, 'shape': " +
                       shapeString(t.shape()) + ", }";
    size_t total = 10 + dict.size() + 1;
    dict.append((64 - total % 64) % 64, ' ');
    dict += '\n';
    os.write(kMagic, kMagicSize);
    os << char(1) << char(0) << char(dict.size() & 0xff)
       << char(dict.size() >> 8) << dict;
  }
  for (int64_t i = 0; i < t.numElements(); ++i) {
    if (t.isFloat()) {
      os.write(reinterpret_cast<const char *>(&t.floats[i]), 4);
      continue;
    }
    uint64_t raw = static_cast<uint64_t>(t.ints[i]);
    os.write(reinterpret_cast<const char *>(&raw), c.bytes);
  }
  if (os.has_error())
    return fileError(path, os.error().message());
  return llvm::Error::success();
}
