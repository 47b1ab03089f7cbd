//===- ExportedStudent.cpp - Helpers shared by the exporters --------------===//

#include "ExportedStudent.h"

#include <filesystem>
#include <fstream>

namespace qnn::train {

Expected<bool> writeFileAtomically(const std::string &path,
                                   const std::string &bytes) {
  std::string temporary = path + ".tmp";
  {
    std::ofstream os(temporary, std::ios::binary);
    os.write(bytes.data(), std::streamsize(bytes.size()));
    if (!os)
      return Expected<bool>::failure(temporary + ": cannot write");
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec)
    return Expected<bool>::failure(path + ": " + ec.message());
  return true;
}

std::vector<int64_t> transposed(const std::vector<int64_t> &matrix,
                                int64_t rows, int64_t cols) {
  std::vector<int64_t> t(matrix.size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      t[c * rows + r] = matrix[r * cols + c];
  return t;
}

} // namespace qnn::train
