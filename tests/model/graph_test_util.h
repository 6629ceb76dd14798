// Helpers for the photomap_model golden tests: a .npy reader (format 1.0/2.0, little-endian,
// C order; float32, int64 and int32) and tensor comparison with readable failure messages.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace photomap::model::golden {

struct Npy {
  std::vector<int64_t> shape;
  std::vector<float> f32;    // for '<f4'
  std::vector<int64_t> i64;  // for '<i8' / '<i4' (widened)
  std::string error;         // empty on success
  size_t count() const {
    size_t n = 1;
    for (auto d : shape) n *= static_cast<size_t>(d);
    return n;
  }
};

inline Npy LoadNpy(const std::string& path) {
  Npy a;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    a.error = path + ": cannot open";
    return a;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string data = ss.str();
  if (data.size() < 10 || data.compare(0, 6, "\x93NUMPY") != 0) {
    a.error = path + ": not an npy file";
    return a;
  }
  size_t hlen, hstart;
  if (data[6] == 1) {
    hlen = static_cast<uint8_t>(data[8]) | static_cast<size_t>(static_cast<uint8_t>(data[9])) << 8;
    hstart = 10;
  } else {
    if (data.size() < 12) {
      a.error = path + ": truncated";
      return a;
    }
    hlen = 0;
    for (int i = 3; i >= 0; --i) hlen = hlen << 8 | static_cast<uint8_t>(data[8 + i]);
    hstart = 12;
  }
  if (hstart + hlen > data.size()) {
    a.error = path + ": truncated header";
    return a;
  }
  const std::string header = data.substr(hstart, hlen);
  std::string descr;
  for (const char* d : {"'<f4'", "'<i8'", "'<i4'"}) {
    if (header.find(d) != std::string::npos) descr = d;
  }
  if (descr.empty() || header.find("'fortran_order': False") == std::string::npos) {
    a.error = path + ": unsupported dtype/order: " + header;
    return a;
  }
  size_t lp = header.find('('), rp = header.find(')');
  std::stringstream ds(header.substr(lp + 1, rp - lp - 1));
  std::string item;
  while (std::getline(ds, item, ',')) {
    if (item.find_first_of("0123456789") == std::string::npos) continue;
    a.shape.push_back(std::stoll(item));
  }
  const size_t n = a.count();
  const size_t elem = descr == "'<i8'" ? 8 : 4;
  const char* body = data.data() + hstart + hlen;
  if (data.size() - hstart - hlen < n * elem) {
    a.error = path + ": truncated data";
    return a;
  }
  if (descr == "'<f4'") {
    a.f32.resize(n);
    std::memcpy(a.f32.data(), body, n * 4);
  } else if (descr == "'<i8'") {
    a.i64.resize(n);
    std::memcpy(a.i64.data(), body, n * 8);
  } else {
    std::vector<int32_t> tmp(n);
    std::memcpy(tmp.data(), body, n * 4);
    a.i64.assign(tmp.begin(), tmp.end());
  }
  return a;
}

inline std::vector<int32_t> ToInt32(const std::vector<int64_t>& v) {
  return std::vector<int32_t>(v.begin(), v.end());
}

inline double Cosine(const float* a, const float* b, size_t n) {
  double ab = 0, aa = 0, bb = 0;
  for (size_t i = 0; i < n; ++i) {
    ab += static_cast<double>(a[i]) * b[i];
    aa += static_cast<double>(a[i]) * a[i];
    bb += static_cast<double>(b[i]) * b[i];
  }
  return ab / std::sqrt(aa * bb + 1e-300);
}

// Checks shape, max |a - b| <= tol and (when rows > 0) per-row cosine >= min_cos.
inline ::testing::AssertionResult Close(const std::string& what, const std::vector<float>& got,
                                        const std::vector<int64_t>& got_shape, const Npy& want,
                                        double tol = 1e-4, double min_cos = 0.99999) {
  if (!want.error.empty()) return ::testing::AssertionFailure() << what << ": " << want.error;
  if (got_shape != want.shape || got.size() != want.f32.size()) {
    std::string gs, ws;
    for (auto d : got_shape) gs += std::to_string(d) + " ";
    for (auto d : want.shape) ws += std::to_string(d) + " ";
    return ::testing::AssertionFailure()
           << what << ": shape [" << gs << "] vs reference [" << ws << "]";
  }
  double max_diff = 0;
  size_t where = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    double d = std::fabs(static_cast<double>(got[i]) - want.f32[i]);
    if (!(d <= max_diff)) {
      max_diff = d;
      where = i;
    }
  }
  const size_t row = want.shape.empty() ? got.size() : static_cast<size_t>(want.shape.back());
  double worst_cos = 1.0;
  for (size_t r = 0; r + row <= got.size() && row > 1; r += row) {
    worst_cos = std::min(worst_cos, Cosine(got.data() + r, want.f32.data() + r, row));
  }
  if (!(max_diff <= tol) || !(worst_cos >= min_cos)) {
    return ::testing::AssertionFailure() << what << ": max |diff| " << max_diff << " at flat index "
                                         << where << " (got " << got[where] << ", reference "
                                         << want.f32[where] << "), worst row cosine " << worst_cos;
  }
  if (std::getenv("PHOTOMAP_GOLDEN_VERBOSE") != nullptr) {
    std::fprintf(stderr, "  %-40s max|diff| %.3g  worst cosine %.9f\n", what.c_str(), max_diff,
                 worst_cos);
  }
  return ::testing::AssertionSuccess()
         << what << ": max |diff| " << max_diff << ", cosine " << worst_cos;
}

}  // namespace photomap::model::golden
