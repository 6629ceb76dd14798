// Minimal .npy reading and writing for the map benchmarks: little-endian float32 ('<f4'),
// C order, 1-D or 2-D. Errors are returned, never thrown.
#pragma once

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "util/status.h"

namespace photomap::bench {

struct NpyMatrix {
  size_t rows = 0, cols = 0;
  std::vector<float> data;
};

inline Result<NpyMatrix> ReadNpyF32(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError(path + ": cannot open");
  char magic[8];
  in.read(magic, 8);
  if (!in || std::memcmp(magic, "\x93NUMPY", 6) != 0) return Corrupt(path + ": not a .npy file");
  size_t header_len = 0;
  if (magic[6] == 1) {
    unsigned char b[2];
    in.read(reinterpret_cast<char*>(b), 2);
    header_len = b[0] | (b[1] << 8);
  } else {
    unsigned char b[4];
    in.read(reinterpret_cast<char*>(b), 4);
    header_len = b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<size_t>(b[3]) << 24);
  }
  std::string header(header_len, '\0');
  in.read(header.data(), static_cast<std::streamsize>(header_len));
  if (header.find("'<f4'") == std::string::npos ||
      header.find("'fortran_order': False") == std::string::npos) {
    return Unsupported(path + ": only C-order float32 arrays are supported (" + header + ")");
  }
  const size_t open = header.find('(', header.find("'shape'"));
  const size_t close = header.find(')', open);
  std::string shape = header.substr(open + 1, close - open - 1);
  NpyMatrix m;
  unsigned long a = 0, b = 1;
  const int got = std::sscanf(shape.c_str(), "%lu, %lu", &a, &b);
  if (got < 1) return Corrupt(path + ": bad shape " + shape);
  m.rows = a;
  m.cols = got == 2 ? b : 1;
  m.data.resize(m.rows * m.cols);
  in.read(reinterpret_cast<char*>(m.data.data()), static_cast<std::streamsize>(m.data.size() * 4));
  if (!in) return Corrupt(path + ": truncated data");
  return m;
}

inline Status WriteNpyF32(const std::string& path, const std::vector<float>& data, size_t rows,
                          size_t cols) {
  std::ostringstream h;
  h << "{'descr': '<f4', 'fortran_order': False, 'shape': (" << rows << ", " << cols << "), }";
  std::string header = h.str();
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::ofstream out(path, std::ios::binary);
  if (!out) return IoError(path + ": cannot create");
  out.write("\x93NUMPY\x01\x00", 8);
  const unsigned char len[2] = {static_cast<unsigned char>(header.size() & 0xff),
                                static_cast<unsigned char>(header.size() >> 8)};
  out.write(reinterpret_cast<const char*>(len), 2);
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  out.write(reinterpret_cast<const char*>(data.data()),
            static_cast<std::streamsize>(data.size() * 4));
  if (!out) return IoError(path + ": write failed");
  return Status::Ok();
}

}  // namespace photomap::bench
