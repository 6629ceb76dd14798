// NumPy .npy files (format versions 1-3) holding a little-endian float32 or float64 array in C
// order, 1-D or 2-D: what `photomap layout` reads and writes and the benchmarks exchange with
// Python. Float64 input is converted to float32. Every header field is validated against the
// file, so a malformed file is an error naming the problem, never a crash or a huge allocation.
#pragma once

#include <string>
#include <vector>

#include "util/status.h"

namespace photomap {

struct NpyMatrix {
  size_t rows = 0;
  size_t cols = 0;          // 1 for a 1-D array
  std::vector<float> data;  // rows x cols, row-major
};

// Parses .npy bytes. Errors: Corrupt (not .npy, bad header, size mismatch), Unsupported (other
// dtypes, Fortran order, more than 2 dimensions).
Result<NpyMatrix> ParseNpy(const std::string& bytes);

// Reads `path`. Errors: NotFound, Io, and ParseNpy's, prefixed with the path.
Result<NpyMatrix> ReadNpyFile(const std::string& path);

// Returns the .npy v1 bytes of a rows x cols float32 array.
std::string EncodeNpyF32(const std::vector<float>& data, size_t rows, size_t cols);

// Writes a rows x cols float32 array to `path` atomically. Errors: Io.
Status WriteNpyFile(const std::string& path, const std::vector<float>& data, size_t rows,
                    size_t cols);

}  // namespace photomap
