// Safetensors reader: memory-maps a .safetensors file, validates its header completely before
// any tensor is touched, and converts F32 / F16 / BF16 tensors to float32 on load.
//
// File layout: 8-byte little-endian header length N, N bytes of JSON
// {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}},
// then the data region (offsets are relative to its start).
//
// Open() checks: the file is at least 8 bytes; N is within the file and under 100 MB; the header
// is a JSON object; every entry has a known dtype, a shape of non-negative dims whose byte size
// equals end - begin (no overflow), offsets inside the data region; no two tensors overlap. Any
// failure is an Error (kCorrupt or kUnsupported) whose message names the file and the tensor.
// Loading a tensor whose dtype is not F32/F16/BF16, a missing name or a shape other than the one
// the caller expects are errors too. Never aborts on bad input.
//
// Thread-safety: a SafetensorsFile is immutable after Open(); Load* may be called concurrently.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/tensor.h"
#include "util/status.h"

namespace photomap::model {

enum class Dtype {
  kBool,
  kU8,
  kI8,
  kF8E5M2,
  kF8E4M3,
  kI16,
  kU16,
  kF16,
  kBF16,
  kI32,
  kU32,
  kF32,
  kF64,
  kI64,
  kU64
};

// "F32", "BF16", ... as written in safetensors headers.
const char* DtypeName(Dtype dtype);
size_t DtypeSize(Dtype dtype);
std::optional<Dtype> ParseDtype(const std::string& name);

struct TensorInfo {
  std::string name;
  Dtype dtype = Dtype::kF32;
  std::vector<int64_t> shape;
  uint64_t begin = 0;  // byte offsets into the data region
  uint64_t end = 0;
};

// Converts IEEE half / bfloat16 bit patterns to float (exact; handles subnormals, inf, NaN).
float HalfToFloat(uint16_t bits);
float Bf16ToFloat(uint16_t bits);
// float -> half / bfloat16 with round-to-nearest-even (overflow to inf, NaN kept).
uint16_t FloatToHalf(float f);
uint16_t FloatToBf16(float f);

struct NamedTensor {
  std::string name;
  const Tensor* tensor = nullptr;
  Dtype dtype = Dtype::kF32;  // F32, F16 or BF16 on disk
};

// Serialises tensors in the given order (header padded with spaces to a multiple of 8 bytes, as
// the reference writer does). Used by tests, benchmarks and model tools.
Result<std::vector<uint8_t>> SerializeSafetensors(
    const std::vector<NamedTensor>& tensors,
    const std::map<std::string, std::string>& metadata = {});
// Writes SerializeSafetensors() output to `path` (via a temporary file and rename).
Status WriteSafetensors(const std::filesystem::path& path, const std::vector<NamedTensor>& tensors,
                        const std::map<std::string, std::string>& metadata = {});

class SafetensorsFile {
 public:
  static constexpr uint64_t kMaxHeaderBytes = 100ull << 20;  // what the reference library allows
  static constexpr size_t kMaxRank = 8;

  // Maps and validates `path`.
  static Result<SafetensorsFile> Open(const std::filesystem::path& path);
  // Validates an in-memory copy (tests, or bytes that did not come from a file). `label` is
  // used in error messages in place of the path.
  static Result<SafetensorsFile> FromBytes(std::vector<uint8_t> bytes, const std::string& label);

  SafetensorsFile(SafetensorsFile&&) noexcept;
  SafetensorsFile& operator=(SafetensorsFile&&) noexcept;
  ~SafetensorsFile();

  const std::string& label() const;  // the path, for messages
  const TensorInfo* Find(const std::string& name) const;
  bool Contains(const std::string& name) const { return Find(name) != nullptr; }
  std::vector<std::string> Names() const;  // sorted
  const std::map<std::string, std::string>& metadata() const;

  // Loads `name` as float32. Errors: kNotFound (no such tensor), kUnsupported (dtype not
  // F32/F16/BF16), kCorrupt (shape differs from `expected_shape`, when given).
  Result<Tensor> Load(const std::string& name) const;
  Result<Tensor> Load(const std::string& name, const std::vector<int64_t>& expected_shape) const;

 private:
  struct Impl;
  explicit SafetensorsFile(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace photomap::model
