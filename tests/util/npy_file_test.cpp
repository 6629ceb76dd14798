// .npy reading and writing: round trip, versions 1 and 2, float64 conversion, 1-D arrays, and
// clear errors (never crashes) for malformed headers, unsupported dtypes and short data.
#include "util/npy_file.h"

#include <gtest/gtest.h>

#include <cstring>

namespace photomap {
namespace {

std::string Npy(const std::string& dict, const std::string& payload, int version = 1) {
  std::string header = dict;
  const size_t prefix = version == 1 ? 10 : 12;
  while ((prefix + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string out("\x93NUMPY", 6);
  out += static_cast<char>(version);
  out += '\0';
  const size_t n = header.size();
  out += static_cast<char>(n & 0xff);
  out += static_cast<char>((n >> 8) & 0xff);
  if (version != 1) out += std::string(2, '\0');
  return out + header + payload;
}

std::string Floats(std::initializer_list<float> v) {
  return std::string(reinterpret_cast<const char*>(v.begin()), v.size() * sizeof(float));
}

TEST(NpyFileTest, RoundTripsFloat32) {
  const std::vector<float> data = {1, 2, 3, 4, 5, 6};
  auto back = ParseNpy(EncodeNpyF32(data, 3, 2));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->rows, 3u);
  EXPECT_EQ(back->cols, 2u);
  EXPECT_EQ(back->data, data);
  const std::string encoded = EncodeNpyF32(data, 3, 2);
  EXPECT_EQ((encoded.size() - data.size() * 4) % 64, 0u) << "header padded to 64 bytes";
}

TEST(NpyFileTest, ReadsVersion2Float64AndOneDimension) {
  const double d[2] = {0.5, -1.25};
  auto f64 = ParseNpy(Npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }",
                          std::string(reinterpret_cast<const char*>(d), 16), 2));
  ASSERT_TRUE(f64.ok()) << f64.error().message;
  EXPECT_EQ(f64->rows, 2u);
  EXPECT_EQ(f64->cols, 1u);
  EXPECT_EQ(f64->data, (std::vector<float>{0.5f, -1.25f}));
  auto empty = ParseNpy(Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 512), }", ""));
  ASSERT_TRUE(empty.ok()) << empty.error().message;
  EXPECT_EQ(empty->rows, 0u);
  EXPECT_EQ(empty->cols, 512u);
}

TEST(NpyFileTest, RejectsMalformedInput) {
  const struct {
    std::string bytes;
    ErrorKind kind;
  } cases[] = {
      {"", ErrorKind::kCorrupt},
      {"hello world, not numpy", ErrorKind::kCorrupt},
      {Npy("{'descr': '<i4', 'fortran_order': False, 'shape': (1, 1), }", Floats({1})),
       ErrorKind::kUnsupported},
      {Npy("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1), }", Floats({1})),
       ErrorKind::kUnsupported},
      {Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2, 2), }", Floats({1})),
       ErrorKind::kUnsupported},
      {Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }", Floats({1, 2})),
       ErrorKind::kCorrupt},
      {Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }", Floats({1, 2})),
       ErrorKind::kCorrupt},
      {Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999, 1), }", ""),
       ErrorKind::kCorrupt},
      {Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", ""),
       ErrorKind::kCorrupt},
      {Npy("{'descr': '<f4', 'fortran_order': False}", ""), ErrorKind::kCorrupt},
      {Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (a, b), }", ""), ErrorKind::kCorrupt},
  };
  for (const auto& c : cases) {
    auto parsed = ParseNpy(c.bytes);
    ASSERT_FALSE(parsed.ok()) << c.bytes.substr(0, 80);
    EXPECT_EQ(parsed.error().kind, c.kind) << parsed.error().message;
  }
  std::string truncated = EncodeNpyF32({1, 2, 3, 4}, 2, 2);
  truncated.resize(20);
  EXPECT_FALSE(ParseNpy(truncated).ok());
  EXPECT_EQ(ReadNpyFile("/nonexistent/x.npy").error().kind, ErrorKind::kNotFound);
}

}  // namespace
}  // namespace photomap
