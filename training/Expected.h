//===- Expected.h - A value or the one-line reason there is none ----------===//
//
// The training module reports user errors (a missing file, a bad flag, a
// scale that has no integer form) as values; only the CLI turns them into an
// exit status. C++17 has no std::expected, so this is the smallest stand-in.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_TRAINING_EXPECTED_H
#define QNN_TRAINING_EXPECTED_H

#include <optional>
#include <string>
#include <utility>

namespace qnn::train {

template <typename T> class Expected {
public:
  Expected(T value) : value_(std::move(value)) {}
  static Expected failure(std::string message) {
    Expected e;
    e.error_ = std::move(message);
    return e;
  }
  explicit operator bool() const { return value_.has_value(); }
  T &operator*() { return *value_; }
  const T &operator*() const { return *value_; }
  T *operator->() { return &*value_; }
  const T *operator->() const { return &*value_; }
  const std::string &error() const { return error_; }

private:
  Expected() = default;
  std::optional<T> value_;
  std::string error_;
};

} // namespace qnn::train

#endif // QNN_TRAINING_EXPECTED_H
