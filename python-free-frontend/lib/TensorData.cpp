//===- TensorData.cpp - Decoding ONNX tensors with bounds checks ----------===//

#include "TensorData.h"

#include "onnx/onnx_pb.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cstring>

using namespace mlir;
using namespace mlir::qnn::frontend;
using TP = ::onnx::TensorProto;

std::optional<ElementTypeInfo>
mlir::qnn::frontend::elementTypeInfo(int32_t dataType) {
  using K = ElementTypeInfo::Kind;
  switch (dataType) {
  case TP::FLOAT:
    return ElementTypeInfo{K::Real, 32, true, "FLOAT"};
  case TP::DOUBLE:
    return ElementTypeInfo{K::Real, 64, true, "DOUBLE"};
  case TP::FLOAT16:
    return ElementTypeInfo{K::Real, 16, true, "FLOAT16"};
  case TP::BFLOAT16:
    return ElementTypeInfo{K::Real, 16, true, "BFLOAT16"};
  case TP::INT8:
    return ElementTypeInfo{K::Integer, 8, true, "INT8"};
  case TP::UINT8:
    return ElementTypeInfo{K::Integer, 8, false, "UINT8"};
  case TP::INT16:
    return ElementTypeInfo{K::Integer, 16, true, "INT16"};
  case TP::UINT16:
    return ElementTypeInfo{K::Integer, 16, false, "UINT16"};
  case TP::INT32:
    return ElementTypeInfo{K::Integer, 32, true, "INT32"};
  case TP::UINT32:
    return ElementTypeInfo{K::Integer, 32, false, "UINT32"};
  case TP::INT64:
    return ElementTypeInfo{K::Integer, 64, true, "INT64"};
  case TP::UINT64:
    return ElementTypeInfo{K::Integer, 64, false, "UINT64"};
  default:
    return std::nullopt;
  }
}

std::string mlir::qnn::frontend::elementTypeName(int32_t dataType) {
  if (std::optional<ElementTypeInfo> info = elementTypeInfo(dataType))
    return info->name;
  if (TP::DataType_IsValid(dataType))
    return TP::DataType_Name(static_cast<TP::DataType>(dataType));
  return "type " + std::to_string(dataType);
}

Type mlir::qnn::frontend::toMLIRElementType(MLIRContext *context,
                                            int32_t dataType) {
  std::optional<ElementTypeInfo> info = elementTypeInfo(dataType);
  if (!info)
    return nullptr;
  if (info->kind == ElementTypeInfo::Kind::Real)
    return dataType == TP::FLOAT ? Float32Type::get(context) : nullptr;
  return IntegerType::get(context, info->bits,
                          info->isSigned ? IntegerType::Signless
                                         : IntegerType::Unsigned);
}

int32_t mlir::qnn::frontend::toONNXElementType(IntegerType type) {
  bool isSigned = !type.isUnsigned();
  switch (type.getWidth()) {
  case 8:
    return isSigned ? TP::INT8 : TP::UINT8;
  case 16:
    return isSigned ? TP::INT16 : TP::UINT16;
  case 32:
    return isSigned ? TP::INT32 : TP::UINT32;
  case 64:
    return isSigned ? TP::INT64 : TP::UINT64;
  default:
    return TP::UNDEFINED;
  }
}

std::shared_ptr<TensorData>
TensorData::integers(llvm::ArrayRef<int64_t> shape) {
  auto data = std::make_shared<TensorData>();
  data->dataType = TP::INT64;
  data->shape.assign(shape.begin(), shape.end());
  return data;
}

bool TensorData::isInteger() const {
  std::optional<ElementTypeInfo> info = elementTypeInfo(dataType);
  return info && info->kind == ElementTypeInfo::Kind::Integer;
}

int64_t TensorData::numElements() const {
  return isInteger() ? int64_t(ints.size()) : int64_t(reals.size());
}

std::optional<int64_t>
mlir::qnn::frontend::checkedElementCount(llvm::ArrayRef<int64_t> shape) {
  constexpr int64_t kLimit = int64_t(1) << 62;
  int64_t count = 1;
  for (int64_t d : shape) {
    if (d < 0)
      return std::nullopt;
    if (d != 0 && count > kLimit / d)
      return std::nullopt;
    count *= d;
  }
  return count;
}

namespace {

llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(message.str());
}

/// The integer range of an ONNX integer type, as int64_t.
std::pair<int64_t, int64_t> integerBounds(const ElementTypeInfo &info) {
  if (info.bits >= 64)
    return {info.isSigned ? INT64_MIN : 0, INT64_MAX};
  if (info.isSigned)
    return {-(int64_t(1) << (info.bits - 1)),
            (int64_t(1) << (info.bits - 1)) - 1};
  return {0, (int64_t(1) << info.bits) - 1};
}

double halfToDouble(uint16_t bits, bool bfloat) {
  llvm::APFloat value(bfloat ? llvm::APFloat::BFloat()
                             : llvm::APFloat::IEEEhalf(),
                      llvm::APInt(16, bits));
  bool losesInfo = false;
  value.convert(llvm::APFloat::IEEEdouble(),
                llvm::APFloat::rmNearestTiesToEven, &losesInfo);
  return value.convertToDouble();
}

/// Decodes `count` little-endian elements of `bytes`, whose size the caller
/// has checked.
void decodeRaw(llvm::StringRef bytes, int32_t dataType,
               const ElementTypeInfo &info, int64_t count, TensorData &out) {
  const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
  unsigned width = info.bits / 8;
  auto loadLE = [&](int64_t i) {
    uint64_t v = 0;
    for (unsigned b = 0; b < width; ++b)
      v |= uint64_t(p[i * width + b]) << (8 * b);
    return v;
  };
  if (info.kind == ElementTypeInfo::Kind::Real) {
    out.reals.resize(count);
    for (int64_t i = 0; i < count; ++i) {
      uint64_t v = loadLE(i);
      if (dataType == TP::FLOAT) {
        float f;
        uint32_t u = uint32_t(v);
        std::memcpy(&f, &u, sizeof f);
        out.reals[i] = f;
      } else if (dataType == TP::DOUBLE) {
        std::memcpy(&out.reals[i], &v, sizeof(double));
      } else {
        out.reals[i] = halfToDouble(uint16_t(v), dataType == TP::BFLOAT16);
      }
    }
    return;
  }
  out.ints.resize(count);
  for (int64_t i = 0; i < count; ++i) {
    uint64_t v = loadLE(i);
    if (info.isSigned && info.bits < 64 && (v >> (info.bits - 1)) & 1)
      v |= ~uint64_t(0) << info.bits; // sign-extend
    out.ints[i] = static_cast<int64_t>(v);
  }
}

/// Decodes the typed repeated field that holds `dataType`'s elements.
llvm::Error decodeTyped(const TP &proto, const ElementTypeInfo &info,
                        int64_t count, TensorData &out) {
  auto checkCount = [&](int64_t present) -> llvm::Error {
    if (present == count)
      return llvm::Error::success();
    return error(llvm::formatv("has {0} elements but its shape needs {1}",
                               present, count));
  };
  int32_t dataType = proto.data_type();
  if (dataType == TP::FLOAT) {
    if (llvm::Error e = checkCount(proto.float_data_size()))
      return e;
    out.reals.assign(proto.float_data().begin(), proto.float_data().end());
    return llvm::Error::success();
  }
  if (dataType == TP::DOUBLE) {
    if (llvm::Error e = checkCount(proto.double_data_size()))
      return e;
    out.reals.assign(proto.double_data().begin(), proto.double_data().end());
    return llvm::Error::success();
  }
  if (dataType == TP::FLOAT16 || dataType == TP::BFLOAT16) {
    if (llvm::Error e = checkCount(proto.int32_data_size()))
      return e;
    for (int32_t bits : proto.int32_data())
      out.reals.push_back(
          halfToDouble(uint16_t(bits), dataType == TP::BFLOAT16));
    return llvm::Error::success();
  }
  // Integer types: INT64 in int64_data, UINT32/UINT64 in uint64_data, the
  // narrower ones in int32_data; every value must fit the declared type.
  std::pair<int64_t, int64_t> bounds = integerBounds(info);
  auto take = [&](int64_t v) -> llvm::Error {
    if (v < bounds.first || v > bounds.second)
      return error(llvm::formatv("holds {0}, outside the range of {1}", v,
                                 info.name));
    out.ints.push_back(v);
    return llvm::Error::success();
  };
  if (dataType == TP::INT64) {
    if (llvm::Error e = checkCount(proto.int64_data_size()))
      return e;
    out.ints.assign(proto.int64_data().begin(), proto.int64_data().end());
    return llvm::Error::success();
  }
  if (dataType == TP::UINT32 || dataType == TP::UINT64) {
    if (llvm::Error e = checkCount(proto.uint64_data_size()))
      return e;
    for (uint64_t v : proto.uint64_data()) {
      if (v > uint64_t(INT64_MAX))
        return error(llvm::formatv("holds {0}, beyond what the importer "
                                   "represents (2^63 - 1)",
                                   v));
      if (llvm::Error e = take(int64_t(v)))
        return e;
    }
    return llvm::Error::success();
  }
  if (llvm::Error e = checkCount(proto.int32_data_size()))
    return e;
  for (int32_t v : proto.int32_data())
    if (llvm::Error e = take(v))
      return e;
  return llvm::Error::success();
}

/// A relative path inside the model's directory: no root, no "..".
bool isContainedRelativePath(llvm::StringRef path) {
  if (path.empty() || llvm::sys::path::is_absolute(path) ||
      llvm::sys::path::has_root_name(path))
    return false;
  for (llvm::StringRef component : llvm::make_range(
           llvm::sys::path::begin(path), llvm::sys::path::end(path)))
    if (component == "..")
      return false;
  return true;
}

/// Reads the external data of `proto` (location, offset, length keys).
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readExternalData(const TP &proto, llvm::StringRef dir) {
  std::string location;
  std::optional<uint64_t> offset, length;
  for (const ::onnx::StringStringEntryProto &entry : proto.external_data()) {
    if (entry.key() == "location") {
      location = entry.value();
      continue;
    }
    if (entry.key() != "offset" && entry.key() != "length")
      continue; // "checksum" and unknown keys do not change the data
    uint64_t v;
    if (llvm::StringRef(entry.value()).getAsInteger(10, v))
      return error("has a non-numeric external data " + entry.key() + " '" +
                   entry.value() + "'");
    (entry.key() == "offset" ? offset : length) = v;
  }
  if (location.empty())
    return error("has external data without a location");
  if (!isContainedRelativePath(location))
    return error("has external data location '" + location +
                 "' outside the model's directory");
  if (dir.empty())
    return error("has external data ('" + location +
                 "') but the model was not read from a file");
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, location);
  uint64_t fileSize = 0;
  if (llvm::sys::fs::file_size(path, fileSize))
    return error("has external data in '" + location +
                 "', which cannot be read");
  uint64_t begin = offset.value_or(0);
  if (begin > fileSize)
    return error(llvm::formatv("has external data at offset {0}, beyond the "
                               "{1} bytes of '{2}'",
                               begin, fileSize, location));
  uint64_t size = length.value_or(fileSize - begin);
  if (size > fileSize - begin)
    return error(llvm::formatv("has external data [{0}, {0}+{1}) beyond the "
                               "{2} bytes of '{3}'",
                               begin, size, fileSize, location));
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFileSlice(path, size, begin);
  if (!buffer)
    return error("has external data in '" + location +
                 "', which cannot be read: " + buffer.getError().message());
  return std::move(*buffer);
}

} // namespace

llvm::Expected<TensorData>
mlir::qnn::frontend::decodeTensor(const TP &proto,
                                  llvm::StringRef externalDataDir) {
  int32_t dataType = proto.data_type();
  std::optional<ElementTypeInfo> info = elementTypeInfo(dataType);
  if (!info)
    return error("has element type " + elementTypeName(dataType) +
                 ", which the importer does not read");
  if (proto.has_segment())
    return error("is segmented, which the importer does not read");
  TensorData out;
  out.dataType = dataType;
  out.shape.assign(proto.dims().begin(), proto.dims().end());
  std::optional<int64_t> count = checkedElementCount(out.shape);
  if (!count)
    return error("has an invalid shape (a negative or too large dimension)");

  std::unique_ptr<llvm::MemoryBuffer> external;
  llvm::StringRef raw;
  bool hasRaw = proto.has_raw_data();
  if (proto.data_location() == TP::EXTERNAL) {
    llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> buffer =
        readExternalData(proto, externalDataDir);
    if (!buffer)
      return buffer.takeError();
    external = std::move(*buffer);
    raw = external->getBuffer();
    hasRaw = true;
  } else if (hasRaw) {
    raw = proto.raw_data();
  }
  if (!hasRaw) {
    if (llvm::Error e = decodeTyped(proto, *info, *count, out))
      return std::move(e);
    return out;
  }
  uint64_t width = info->bits / 8;
  if (raw.size() % width != 0 || raw.size() / width != uint64_t(*count))
    return error(llvm::formatv("has {0} bytes of data but its shape needs "
                               "{1} elements of {2} bytes",
                               raw.size(), *count, width));
  decodeRaw(raw, dataType, *info, *count, out);
  if (dataType == TP::UINT64)
    for (int64_t v : out.ints)
      if (v < 0)
        return error("holds a UINT64 value beyond what the importer "
                     "represents (2^63 - 1)");
  return out;
}
