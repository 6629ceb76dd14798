// Minimal reader for the NumPy .npy fixtures (format 1.0/2.0, little-endian, C order) used by
// the model/text tests: float32 and int64 arrays only.
#pragma once

#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace photomap::model::testing {

struct NpyArray {
  std::vector<int64_t> shape;
  std::vector<float> f32;
  std::vector<int64_t> i64;
  std::string error;  // empty on success
};

inline NpyArray ReadNpy(const std::string& path) {
  NpyArray a;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    a.error = path + ": cannot open";
    return a;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string data = ss.str();
  if (data.size() < 10 || data.compare(0, 6, "\x93NUMPY") != 0) {
    a.error = path + ": not an npy file";
    return a;
  }
  size_t header_len = 0, header_start = 0;
  if (data[6] == 1) {
    header_len = static_cast<uint8_t>(data[8]) | (static_cast<uint8_t>(data[9]) << 8);
    header_start = 10;
  } else {
    header_len = static_cast<uint8_t>(data[8]) | (static_cast<uint8_t>(data[9]) << 8) |
                 (static_cast<uint8_t>(data[10]) << 16) | (static_cast<size_t>(data[11]) << 24);
    header_start = 12;
  }
  std::string header = data.substr(header_start, header_len);
  bool f4 = header.find("'<f4'") != std::string::npos;
  bool i8 = header.find("'<i8'") != std::string::npos;
  if ((!f4 && !i8) || header.find("'fortran_order': False") == std::string::npos) {
    a.error = path + ": unsupported dtype/order: " + header;
    return a;
  }
  size_t lp = header.find('('), rp = header.find(')');
  std::string dims = header.substr(lp + 1, rp - lp - 1);
  size_t count = 1;
  std::stringstream ds(dims);
  std::string item;
  while (std::getline(ds, item, ',')) {
    if (item.find_first_of("0123456789") == std::string::npos) continue;
    a.shape.push_back(std::stoll(item));
    count *= static_cast<size_t>(a.shape.back());
  }
  const char* body = data.data() + header_start + header_len;
  size_t elem = f4 ? 4 : 8;
  if (data.size() - header_start - header_len < count * elem) {
    a.error = path + ": truncated";
    return a;
  }
  if (f4) {
    a.f32.resize(count);
    std::memcpy(a.f32.data(), body, count * 4);
  } else {
    a.i64.resize(count);
    std::memcpy(a.i64.data(), body, count * 8);
  }
  return a;
}

}  // namespace photomap::model::testing
