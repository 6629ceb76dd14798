// Safetensors reader: the real fixture reads back; every kind of damage made from its bytes
// (truncation, bad header length, bad JSON, offsets out of range, unknown / unloadable dtypes,
// overlaps, shape mismatches) is a clear error naming the file and tensor, never a crash.
#include "model/safetensors.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

namespace photomap::model {
namespace {

const std::string kModel =
    std::string(PHOTOMAP_SHARED_DIR) + "/fixtures/clip/clip_quickgelu/model.safetensors";

std::vector<uint8_t> ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

uint64_t HeaderLen(const std::vector<uint8_t>& b) {
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = n << 8 | b[i];
  return n;
}

// length prefix + header text + data.
std::vector<uint8_t> Assemble(const std::string& header, const std::vector<uint8_t>& data) {
  std::string all(8, '\0');
  for (int i = 0; i < 8; ++i) all[i] = static_cast<char>(header.size() >> (8 * i));
  all += header;
  all.append(data.begin(), data.end());
  return std::vector<uint8_t>(all.begin(), all.end());
}

// Rebuilds the file with `edit` applied to its header JSON; the data region is kept as is.
std::vector<uint8_t> EditHeader(const std::vector<uint8_t>& b,
                                const std::function<void(nlohmann::json&)>& edit) {
  const uint64_t n = HeaderLen(b);
  auto j = nlohmann::json::parse(b.begin() + 8, b.begin() + 8 + static_cast<std::ptrdiff_t>(n));
  edit(j);
  return Assemble(j.dump(),
                  std::vector<uint8_t>(b.begin() + 8 + static_cast<std::ptrdiff_t>(n), b.end()));
}

void SetHeaderLen(std::vector<uint8_t>& b, uint64_t n) {
  for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(n >> (8 * i));
}

// Expects FromBytes to fail with `kind` and a message containing every string in `needles`.
void ExpectError(std::vector<uint8_t> bytes, ErrorKind kind,
                 const std::vector<std::string>& needles) {
  auto f = SafetensorsFile::FromBytes(std::move(bytes), "damaged.safetensors");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().kind, kind) << f.error().message;
  EXPECT_NE(f.error().message.find("damaged.safetensors"), std::string::npos) << f.error().message;
  for (const auto& n : needles) {
    EXPECT_NE(f.error().message.find(n), std::string::npos)
        << "'" << n << "' not in: " << f.error().message;
  }
}

const char* kTensor = "vision_model.embeddings.patch_embedding.weight";

TEST(SafetensorsTest, ReadsTheFixture) {
  auto f = SafetensorsFile::Open(kModel);
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_EQ(f->metadata().at("format"), "pt");
  const TensorInfo* info = f->Find(kTensor);
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->dtype, Dtype::kF32);
  EXPECT_EQ(info->shape, (std::vector<int64_t>{64, 3, 8, 8}));
  auto t = f->Load(kTensor, {64, 3, 8, 8});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->size(), 64u * 3 * 8 * 8);
  // logit_scale is a 0-d tensor; [] and [1] are accepted for scalars.
  auto s0 = f->Load("logit_scale", {});
  auto s1 = f->Load("logit_scale", {1});
  ASSERT_TRUE(s0.ok() && s1.ok());
  EXPECT_FLOAT_EQ(s0->data[0], s1->data[0]);
  auto names = f->Names();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_GT(names.size(), 50u);
}

TEST(SafetensorsTest, MissingTensorAndShapeMismatchNameTheTensor) {
  auto f = SafetensorsFile::Open(kModel);
  ASSERT_TRUE(f.ok());
  auto missing = f->Load("vision_model.nope.weight");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);
  EXPECT_NE(missing.error().message.find("vision_model.nope.weight"), std::string::npos);
  EXPECT_NE(missing.error().message.find("model.safetensors"), std::string::npos);
  auto shape = f->Load(kTensor, {64, 3, 16, 16});
  ASSERT_FALSE(shape.ok());
  EXPECT_EQ(shape.error().kind, ErrorKind::kCorrupt);
  EXPECT_NE(shape.error().message.find(kTensor), std::string::npos);
  EXPECT_NE(shape.error().message.find("[64, 3, 8, 8]"), std::string::npos);
  EXPECT_NE(shape.error().message.find("[64, 3, 16, 16]"), std::string::npos);
}

TEST(SafetensorsTest, MissingFileAndDirectory) {
  auto f = SafetensorsFile::Open("/nonexistent/model.safetensors");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().kind, ErrorKind::kNotFound);
  auto d = SafetensorsFile::Open(PHOTOMAP_SHARED_DIR);
  ASSERT_FALSE(d.ok());
}

TEST(SafetensorsTest, Truncation) {
  const auto b = ReadBytes(kModel);
  ASSERT_GT(b.size(), 1000u);
  const uint64_t n = HeaderLen(b);
  for (size_t len : {size_t{0}, size_t{4}, size_t{7}}) {
    ExpectError(std::vector<uint8_t>(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(len)),
                ErrorKind::kCorrupt, {"too short"});
  }
  // Inside the header.
  ExpectError(std::vector<uint8_t>(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(8 + n / 2)),
              ErrorKind::kCorrupt, {"runs past the end"});
  // Inside the data: the last tensors' offsets now point past the end.
  ExpectError(std::vector<uint8_t>(b.begin(), b.end() - 100), ErrorKind::kCorrupt,
              {"end past the data region", "truncated"});
}

TEST(SafetensorsTest, TruncatedFileOnDiskThroughMmap) {
  const auto b = ReadBytes(kModel);
  std::string path = ::testing::TempDir() + "/truncated_model.safetensors";
  {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size() / 2));
  }
  auto f = SafetensorsFile::Open(path);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().kind, ErrorKind::kCorrupt);
  EXPECT_NE(f.error().message.find(path), std::string::npos);
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);  // empty file
  }
  auto e = SafetensorsFile::Open(path);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().kind, ErrorKind::kCorrupt);
  std::remove(path.c_str());
}

TEST(SafetensorsTest, BadHeaderLength) {
  auto b = ReadBytes(kModel);
  auto huge = b;
  SetHeaderLen(huge, uint64_t{1} << 62);
  ExpectError(huge, ErrorKind::kCorrupt, {"exceeds"});
  auto past = b;
  SetHeaderLen(past, b.size());
  ExpectError(past, ErrorKind::kCorrupt, {"runs past the end"});
  auto tiny = b;
  SetHeaderLen(tiny, 1);
  ExpectError(tiny, ErrorKind::kCorrupt, {"not a JSON object"});
  auto shorter = b;  // header cut short: JSON is incomplete
  SetHeaderLen(shorter, HeaderLen(b) - 10);
  ExpectError(shorter, ErrorKind::kCorrupt, {"not valid JSON"});
}

TEST(SafetensorsTest, BadJson) {
  auto b = ReadBytes(kModel);
  auto garbled = b;
  size_t last = 8 + HeaderLen(b) - 1;
  while (garbled[last] != '}') --last;
  garbled[last] = ']';  // the closing brace of the header object
  ExpectError(garbled, ErrorKind::kCorrupt, {"not valid JSON"});
  auto ctrl = b;
  ctrl[8 + 3] = 0x01;  // a control character inside the first key
  ExpectError(ctrl, ErrorKind::kCorrupt, {"not valid JSON"});
  std::string not_object = "[1, 2, 3]";
  ExpectError(Assemble(not_object, {}), ErrorKind::kCorrupt, {"not a JSON object"});
}

TEST(SafetensorsTest, OffsetsOutOfRange) {
  const auto b = ReadBytes(kModel);
  ExpectError(EditHeader(b, [](auto& j) { j[kTensor]["data_offsets"][1] = 1ull << 40; }),
              ErrorKind::kCorrupt, {kTensor, "end past the data region"});
  ExpectError(EditHeader(b, [](auto& j) { j[kTensor]["data_offsets"][0] = -4; }),
              ErrorKind::kCorrupt, {kTensor, "begin <= end"});
  ExpectError(EditHeader(b,
                         [](auto& j) {
                           auto& o = j[kTensor]["data_offsets"];
                           std::swap(o[0], o[1]);
                         }),
              ErrorKind::kCorrupt, {kTensor});
  ExpectError(EditHeader(b, [](auto& j) { j[kTensor]["data_offsets"] = {0}; }), ErrorKind::kCorrupt,
              {kTensor, "data_offsets"});
  // Moving one tensor onto another's bytes (same size) makes them overlap.
  ExpectError(EditHeader(b,
                         [](auto& j) {
                           j["vision_model.pre_layrnorm.bias"]["data_offsets"] =
                               j["vision_model.pre_layrnorm.weight"]["data_offsets"];
                         }),
              ErrorKind::kCorrupt, {"overlap"});
}

TEST(SafetensorsTest, DtypeAndShapeErrors) {
  const auto b = ReadBytes(kModel);
  ExpectError(EditHeader(b, [](auto& j) { j[kTensor]["dtype"] = "F33"; }), ErrorKind::kUnsupported,
              {kTensor, "unknown dtype 'F33'"});
  ExpectError(EditHeader(b, [](auto& j) { j[kTensor]["dtype"] = 7; }), ErrorKind::kCorrupt,
              {kTensor, "dtype"});
  // Byte size no longer matches the shape.
  ExpectError(EditHeader(b,
                         [](auto& j) {
                           j[kTensor]["shape"] = {64, 3, 8, 9};
                         }),
              ErrorKind::kCorrupt, {kTensor, "expected"});
  ExpectError(EditHeader(b,
                         [](auto& j) {
                           j[kTensor]["shape"] = {64, -3, 8, 8};
                         }),
              ErrorKind::kCorrupt, {kTensor, "non-negative"});
  ExpectError(EditHeader(b,
                         [](auto& j) {
                           j[kTensor]["shape"] = {64, 3.5, 8, 8};
                         }),
              ErrorKind::kCorrupt, {kTensor});
  ExpectError(EditHeader(b,
                         [](auto& j) {
                           j[kTensor]["shape"] = {1ll << 62, 1ll << 62, 8, 8};
                         }),
              ErrorKind::kCorrupt, {kTensor, "overflow"});
  ExpectError(EditHeader(b, [](auto& j) { j[kTensor] = "F32"; }), ErrorKind::kCorrupt,
              {kTensor, "not an object"});
  ExpectError(EditHeader(b,
                         [](auto& j) {
                           j["__metadata__"] = {{"format", 3}};
                         }),
              ErrorKind::kCorrupt, {"__metadata__"});
  // A known dtype of the right size opens, but cannot be loaded as float.
  auto i32 = SafetensorsFile::FromBytes(EditHeader(b, [](auto& j) { j[kTensor]["dtype"] = "I32"; }),
                                        "int.safetensors");
  ASSERT_TRUE(i32.ok()) << i32.error().message;
  auto t = i32->Load(kTensor);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().kind, ErrorKind::kUnsupported);
  EXPECT_NE(t.error().message.find(kTensor), std::string::npos);
  EXPECT_NE(t.error().message.find("I32"), std::string::npos);
}

TEST(SafetensorsTest, HalfAndBf16ConversionsAreExact) {
  for (uint32_t h = 0; h < 65536; ++h) {
    float f = HalfToFloat(static_cast<uint16_t>(h));
    if (std::isnan(f)) continue;
    ASSERT_EQ(FloatToHalf(f), h) << "half " << h;
    float g = Bf16ToFloat(static_cast<uint16_t>(h));
    if (std::isnan(g)) continue;
    ASSERT_EQ(FloatToBf16(g), h) << "bf16 " << h;
  }
  EXPECT_EQ(HalfToFloat(0x3c00), 1.0f);
  EXPECT_EQ(HalfToFloat(0x0001), std::ldexp(1.0f, -24));  // smallest subnormal
  EXPECT_EQ(HalfToFloat(0xfbff), -65504.0f);
  EXPECT_TRUE(std::isinf(HalfToFloat(0x7c00)));
  EXPECT_EQ(FloatToHalf(1e6f), 0x7c00);
  EXPECT_EQ(FloatToHalf(1.0f + std::ldexp(1.0f, -11)), 0x3c00);  // tie rounds to even
  EXPECT_EQ(Bf16ToFloat(0x3f80), 1.0f);
  EXPECT_EQ(FloatToBf16(1.0f + std::ldexp(1.0f, -8)), 0x3f80);  // tie rounds to even
}

TEST(SafetensorsTest, RoundTripF32F16Bf16) {
  Tensor t({2, 3});
  t.data = {0.0f, -1.5f, 3.14159f, 1e-3f, 65000.0f, -2.0e-6f};
  Tensor s(std::vector<int64_t>{});
  s.data = {2.5f};
  auto bytes = SerializeSafetensors({{"a.f32", &t, Dtype::kF32},
                                     {"a.f16", &t, Dtype::kF16},
                                     {"a.bf16", &t, Dtype::kBF16},
                                     {"scalar", &s, Dtype::kF32}},
                                    {{"format", "pt"}});
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(HeaderLen(*bytes) % 8, 0u);
  auto f = SafetensorsFile::FromBytes(std::move(bytes).value(), "roundtrip");
  ASSERT_TRUE(f.ok()) << f.error().message;
  auto f32 = f->Load("a.f32", {2, 3});
  auto f16 = f->Load("a.f16", {2, 3});
  auto bf16 = f->Load("a.bf16", {2, 3});
  ASSERT_TRUE(f32.ok() && f16.ok() && bf16.ok());
  EXPECT_EQ(f->Find("a.f16")->dtype, Dtype::kF16);
  for (size_t i = 0; i < t.size(); ++i) {
    EXPECT_EQ(f32->data[i], t.data[i]);
    EXPECT_EQ(f16->data[i], HalfToFloat(FloatToHalf(t.data[i])));
    EXPECT_NEAR(f16->data[i], t.data[i], std::fabs(t.data[i]) * 1e-3 + 1e-7);
    EXPECT_EQ(bf16->data[i], Bf16ToFloat(FloatToBf16(t.data[i])));
    EXPECT_NEAR(bf16->data[i], t.data[i], std::fabs(t.data[i]) * 8e-3);
  }
  EXPECT_EQ(f->Load("scalar")->data[0], 2.5f);
  EXPECT_EQ(f->metadata().at("format"), "pt");
}

// Random damage to the header and random truncations: every outcome is ok or an Error, and
// every tensor of a file that opens can be loaded or refused cleanly (ASan checks the reads).
TEST(SafetensorsTest, RandomDamageNeverCrashes) {
  const auto b = ReadBytes(kModel);
  const uint64_t n = HeaderLen(b);
  std::mt19937 rng(1234);
  int opened = 0;
  for (int iter = 0; iter < 1500; ++iter) {
    auto d = b;
    int mode = iter % 3;
    if (mode == 0) {
      d.resize(std::uniform_int_distribution<size_t>(0, b.size())(rng));
    } else if (mode == 1) {
      for (int k = 0; k < 3; ++k) {
        size_t pos = std::uniform_int_distribution<size_t>(0, 8 + n - 1)(rng);
        d[pos] = static_cast<uint8_t>(rng());
      }
    } else {
      size_t pos = std::uniform_int_distribution<size_t>(8, 8 + n - 1)(rng);
      const char digits[] = "0123456789";
      if (std::isdigit(d[pos])) d[pos] = static_cast<uint8_t>(digits[rng() % 10]);
    }
    auto f = SafetensorsFile::FromBytes(std::move(d), "fuzz");
    if (!f.ok()) {
      EXPECT_FALSE(f.error().message.empty());
      continue;
    }
    ++opened;
    for (const auto& name : f->Names()) {
      auto t = f->Load(name);
      if (t.ok()) {
        EXPECT_EQ(t->size(), Tensor::NumElements(f->Find(name)->shape));
      }
    }
  }
  EXPECT_GT(opened, 0);
}

}  // namespace
}  // namespace photomap::model
