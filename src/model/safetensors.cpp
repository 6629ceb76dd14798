#include "model/safetensors.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <unordered_map>

namespace photomap::model {

namespace {

struct DtypeEntry {
  Dtype dtype;
  const char* name;
  size_t size;
};

constexpr DtypeEntry kDtypes[] = {
    {Dtype::kBool, "BOOL", 1},      {Dtype::kU8, "U8", 1},          {Dtype::kI8, "I8", 1},
    {Dtype::kF8E5M2, "F8_E5M2", 1}, {Dtype::kF8E4M3, "F8_E4M3", 1}, {Dtype::kI16, "I16", 2},
    {Dtype::kU16, "U16", 2},        {Dtype::kF16, "F16", 2},        {Dtype::kBF16, "BF16", 2},
    {Dtype::kI32, "I32", 4},        {Dtype::kU32, "U32", 4},        {Dtype::kF32, "F32", 4},
    {Dtype::kF64, "F64", 8},        {Dtype::kI64, "I64", 8},        {Dtype::kU64, "U64", 8},
};

// Reads a JSON value as a non-negative integer that fits in uint64.
std::optional<uint64_t> AsUnsigned(const nlohmann::json& v) {
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer()) {
    int64_t i = v.get<int64_t>();
    if (i >= 0) return static_cast<uint64_t>(i);
  }
  return std::nullopt;
}

}  // namespace

const char* DtypeName(Dtype dtype) {
  for (const auto& e : kDtypes) {
    if (e.dtype == dtype) return e.name;
  }
  return "?";
}

size_t DtypeSize(Dtype dtype) {
  for (const auto& e : kDtypes) {
    if (e.dtype == dtype) return e.size;
  }
  return 0;
}

std::optional<Dtype> ParseDtype(const std::string& name) {
  for (const auto& e : kDtypes) {
    if (name == e.name) return e.dtype;
  }
  return std::nullopt;
}

float HalfToFloat(uint16_t h) {
  uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1fu;
  uint32_t mant = h & 0x3ffu;
  uint32_t bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {  // subnormal: renormalise
      int e = -1;
      do {
        ++e;
        mant <<= 1;
      } while ((mant & 0x400u) == 0);
      bits = sign | static_cast<uint32_t>(127 - 15 - e) << 23 | (mant & 0x3ffu) << 13;
    }
  } else if (exp == 0x1f) {
    bits = sign | 0x7f800000u | mant << 13;  // inf / NaN (payload kept)
  } else {
    bits = sign | (exp + 127 - 15) << 23 | mant << 13;
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

float Bf16ToFloat(uint16_t b) {
  uint32_t bits = static_cast<uint32_t>(b) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

uint16_t FloatToBf16(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  if ((bits & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((bits >> 16) | 0x40);  // NaN
  const uint32_t lsb = (bits >> 16) & 1u;
  bits += 0x7fffu + lsb;
  return static_cast<uint16_t>(bits >> 16);
}

uint16_t FloatToHalf(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  const uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000u);
  const uint32_t abs = bits & 0x7fffffffu;
  if (abs > 0x7f800000u) return sign | 0x7e00u;   // NaN
  if (abs >= 0x477ff000u) return sign | 0x7c00u;  // rounds to >= 65520: inf
  if (abs < 0x38800000u) {                        // half subnormal or zero
    if (abs < 0x33000000u) return sign;           // < 2^-25: rounds to 0
    const uint32_t exp = abs >> 23;
    const uint32_t mant = (abs & 0x7fffffu) | 0x800000u;
    const uint32_t shift = 126 - exp;  // value / 2^-24 = mant >> shift; 14 <= shift <= 24
    uint32_t half_mant = mant >> shift;
    const uint32_t rem = mant & ((1u << shift) - 1);
    const uint32_t halfway = 1u << (shift - 1);
    if (rem > halfway || (rem == halfway && (half_mant & 1u))) ++half_mant;
    return static_cast<uint16_t>(sign | half_mant);
  }
  uint32_t v = abs - (112u << 23);  // rebias exponent 127 -> 15
  const uint32_t lsb = (v >> 13) & 1u;
  v += 0xfffu + lsb;
  return static_cast<uint16_t>(sign | (v >> 13));
}

struct SafetensorsFile::Impl {
  std::string label;
  // Either a mapping or an owned buffer.
  void* map = nullptr;
  size_t map_size = 0;
  std::vector<uint8_t> owned;
  const uint8_t* data = nullptr;  // start of the data region
  uint64_t data_size = 0;
  std::unordered_map<std::string, TensorInfo> tensors;
  std::map<std::string, std::string> metadata;

  ~Impl() {
    if (map != nullptr) munmap(map, map_size);
  }

  Error Bad(const std::string& what) const { return Corrupt(label + ": " + what); }

  // Parses and validates the header of `bytes` (size `size`).
  Status Parse(const uint8_t* bytes, uint64_t size) {
    if (size < 8) {
      return Bad("file is " + std::to_string(size) +
                 " bytes, too short for a safetensors header (truncated download?)");
    }
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = n << 8 | bytes[i];
    if (n > kMaxHeaderBytes) {
      return Bad("header length " + std::to_string(n) + " exceeds the " +
                 std::to_string(kMaxHeaderBytes) + "-byte limit (not a safetensors file?)");
    }
    if (n > size - 8) {
      return Bad("header length " + std::to_string(n) + " runs past the end of the " +
                 std::to_string(size) + "-byte file (truncated?)");
    }
    if (n < 2 || bytes[8] != '{') {
      return Bad("header is not a JSON object (not a safetensors file?)");
    }
    const char* text = reinterpret_cast<const char*>(bytes + 8);
    nlohmann::json header =
        nlohmann::json::parse(text, text + n, nullptr, /*allow_exceptions=*/false);
    if (header.is_discarded() || !header.is_object()) {
      return Bad("header is not valid JSON");
    }
    data = bytes + 8 + n;
    data_size = size - 8 - n;

    std::vector<const TensorInfo*> order;
    for (auto it = header.begin(); it != header.end(); ++it) {
      const std::string& name = it.key();
      const nlohmann::json& v = it.value();
      if (name == "__metadata__") {
        if (!v.is_object()) return Bad("__metadata__ is not an object");
        for (auto m = v.begin(); m != v.end(); ++m) {
          if (!m.value().is_string()) return Bad("__metadata__." + m.key() + " is not a string");
          metadata[m.key()] = m.value().get<std::string>();
        }
        continue;
      }
      std::string where = "tensor '" + name + "'";
      if (!v.is_object()) return Bad(where + ": entry is not an object");
      auto dt = v.find("dtype");
      auto sh = v.find("shape");
      auto off = v.find("data_offsets");
      if (dt == v.end() || !dt->is_string()) return Bad(where + ": missing or non-string dtype");
      if (sh == v.end() || !sh->is_array()) return Bad(where + ": missing or non-array shape");
      if (off == v.end() || !off->is_array() || off->size() != 2) {
        return Bad(where + ": data_offsets must be [begin, end]");
      }
      TensorInfo info;
      info.name = name;
      auto dtype = ParseDtype(dt->get<std::string>());
      if (!dtype) {
        return Unsupported(label + ": " + where + ": unknown dtype '" + dt->get<std::string>() +
                           "'");
      }
      info.dtype = *dtype;
      if (sh->size() > kMaxRank) {
        return Bad(where + ": rank " + std::to_string(sh->size()) + " exceeds " +
                   std::to_string(kMaxRank));
      }
      uint64_t bytes_needed = DtypeSize(info.dtype);
      for (const auto& d : *sh) {
        auto dim = AsUnsigned(d);
        if (!dim || *dim > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
          return Bad(where + ": shape entries must be non-negative integers");
        }
        if (*dim != 0 && bytes_needed > std::numeric_limits<uint64_t>::max() / *dim) {
          return Bad(where + ": shape " + sh->dump() + " overflows");
        }
        bytes_needed *= *dim;
        info.shape.push_back(static_cast<int64_t>(*dim));
      }
      auto b = AsUnsigned((*off)[0]);
      auto e = AsUnsigned((*off)[1]);
      if (!b || !e || *b > *e) {
        return Bad(where + ": data_offsets " + off->dump() + " are not 0 <= begin <= end");
      }
      if (*e > data_size) {
        return Bad(where + ": data_offsets " + off->dump() + " end past the data region (" +
                   std::to_string(data_size) + " bytes; truncated file?)");
      }
      if (*e - *b != bytes_needed) {
        return Bad(where + ": " + std::to_string(*e - *b) + " bytes for dtype " +
                   DtypeName(info.dtype) + " shape " + ShapeString(info.shape) + ", expected " +
                   std::to_string(bytes_needed));
      }
      info.begin = *b;
      info.end = *e;
      auto [slot, inserted] = tensors.emplace(name, std::move(info));
      if (!inserted) return Bad(where + ": listed twice");
      order.push_back(&slot->second);
    }
    std::sort(order.begin(), order.end(), [](const TensorInfo* x, const TensorInfo* y) {
      return x->begin != y->begin ? x->begin < y->begin : x->end < y->end;
    });
    for (size_t i = 1; i < order.size(); ++i) {
      const TensorInfo* prev = order[i - 1];
      const TensorInfo* cur = order[i];
      if (cur->begin < prev->end && cur->end > cur->begin) {
        return Bad("tensors '" + prev->name + "' and '" + cur->name + "' overlap");
      }
    }
    return Status::Ok();
  }
};

SafetensorsFile::SafetensorsFile(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SafetensorsFile::SafetensorsFile(SafetensorsFile&&) noexcept = default;
SafetensorsFile& SafetensorsFile::operator=(SafetensorsFile&&) noexcept = default;
SafetensorsFile::~SafetensorsFile() = default;

Result<SafetensorsFile> SafetensorsFile::Open(const std::filesystem::path& path) {
  auto impl = std::make_unique<Impl>();
  impl->label = path.string();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) return NotFound(impl->label + ": no such file");
    return ErrnoError("open " + impl->label, err);
  }
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return ErrnoError("stat " + impl->label, err);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return InvalidInput(impl->label + ": not a regular file");
  }
  uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size < 8) {
    ::close(fd);
    PHOTOMAP_RETURN_IF_ERROR(impl->Parse(nullptr, size));
  }
  void* m = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  int err = errno;
  ::close(fd);
  if (m == MAP_FAILED) return ErrnoError("mmap " + impl->label, err);
  impl->map = m;
  impl->map_size = size;
  PHOTOMAP_RETURN_IF_ERROR(impl->Parse(static_cast<const uint8_t*>(m), size));
  return SafetensorsFile(std::move(impl));
}

Result<SafetensorsFile> SafetensorsFile::FromBytes(std::vector<uint8_t> bytes,
                                                   const std::string& label) {
  auto impl = std::make_unique<Impl>();
  impl->label = label;
  impl->owned = std::move(bytes);
  PHOTOMAP_RETURN_IF_ERROR(impl->Parse(impl->owned.data(), impl->owned.size()));
  return SafetensorsFile(std::move(impl));
}

const std::string& SafetensorsFile::label() const { return impl_->label; }

const TensorInfo* SafetensorsFile::Find(const std::string& name) const {
  auto it = impl_->tensors.find(name);
  return it == impl_->tensors.end() ? nullptr : &it->second;
}

std::vector<std::string> SafetensorsFile::Names() const {
  std::vector<std::string> names;
  names.reserve(impl_->tensors.size());
  for (const auto& [k, v] : impl_->tensors) names.push_back(k);
  std::sort(names.begin(), names.end());
  return names;
}

const std::map<std::string, std::string>& SafetensorsFile::metadata() const {
  return impl_->metadata;
}

Result<Tensor> SafetensorsFile::Load(const std::string& name) const {
  const TensorInfo* info = Find(name);
  if (info == nullptr) return NotFound(impl_->label + ": tensor '" + name + "' not found");
  Tensor t;
  t.shape = info->shape;
  size_t n = Tensor::NumElements(info->shape);
  const uint8_t* src = impl_->data + info->begin;
  switch (info->dtype) {
    case Dtype::kF32:
      t.data.resize(n);
      if (n) std::memcpy(t.data.data(), src, n * 4);
      break;
    case Dtype::kF16:
    case Dtype::kBF16: {
      t.data.resize(n);
      bool half = info->dtype == Dtype::kF16;
      for (size_t i = 0; i < n; ++i) {
        uint16_t bits = static_cast<uint16_t>(src[2 * i] | src[2 * i + 1] << 8);
        t.data[i] = half ? HalfToFloat(bits) : Bf16ToFloat(bits);
      }
      break;
    }
    default:
      return Unsupported(impl_->label + ": tensor '" + name + "' has dtype " +
                         DtypeName(info->dtype) + "; only F32, F16 and BF16 can be loaded");
  }
  return t;
}

Result<Tensor> SafetensorsFile::Load(const std::string& name,
                                     const std::vector<int64_t>& expected_shape) const {
  const TensorInfo* info = Find(name);
  if (info != nullptr && info->shape != expected_shape) {
    // Scalars saved as [1] and [] are the same thing.
    bool scalar_ok = Tensor::NumElements(info->shape) == 1 &&
                     Tensor::NumElements(expected_shape) == 1 && info->shape.size() <= 1 &&
                     expected_shape.size() <= 1;
    if (!scalar_ok) {
      return Corrupt(impl_->label + ": tensor '" + name + "' has shape " +
                     ShapeString(info->shape) + ", the config implies " +
                     ShapeString(expected_shape));
    }
  }
  auto t = Load(name);
  if (t.ok()) t->shape = expected_shape;
  return t;
}

Result<std::vector<uint8_t>> SerializeSafetensors(
    const std::vector<NamedTensor>& tensors, const std::map<std::string, std::string>& metadata) {
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  uint64_t offset = 0;
  for (const auto& nt : tensors) {
    if (nt.tensor == nullptr) return InvalidInput("tensor '" + nt.name + "' is null");
    if (nt.dtype != Dtype::kF32 && nt.dtype != Dtype::kF16 && nt.dtype != Dtype::kBF16) {
      return Unsupported("tensor '" + nt.name + "': can only write F32, F16 or BF16");
    }
    if (Tensor::NumElements(nt.tensor->shape) != nt.tensor->data.size()) {
      return InvalidInput("tensor '" + nt.name + "': shape does not match its data");
    }
    const uint64_t bytes = nt.tensor->data.size() * DtypeSize(nt.dtype);
    header[nt.name] = {{"dtype", DtypeName(nt.dtype)},
                       {"shape", nt.tensor->shape},
                       {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string text = header.dump();
  while (text.size() % 8 != 0) text.push_back(' ');
  std::vector<uint8_t> out(8 + text.size() + offset);
  const uint64_t n = text.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(n >> (8 * i));
  std::memcpy(out.data() + 8, text.data(), text.size());
  uint8_t* dst = out.data() + 8 + text.size();
  for (const auto& nt : tensors) {
    const auto& d = nt.tensor->data;
    if (nt.dtype == Dtype::kF32) {
      if (!d.empty()) std::memcpy(dst, d.data(), d.size() * 4);
      dst += d.size() * 4;
    } else {
      for (float f : d) {
        const uint16_t h = nt.dtype == Dtype::kF16 ? FloatToHalf(f) : FloatToBf16(f);
        *dst++ = static_cast<uint8_t>(h & 0xff);
        *dst++ = static_cast<uint8_t>(h >> 8);
      }
    }
  }
  return out;
}

Status WriteSafetensors(const std::filesystem::path& path, const std::vector<NamedTensor>& tensors,
                        const std::map<std::string, std::string>& metadata) {
  auto bytes = SerializeSafetensors(tensors, metadata);
  if (!bytes.ok()) return bytes.error();
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return IoError(tmp.string() + ": cannot be created");
    out.write(reinterpret_cast<const char*>(bytes->data()),
              static_cast<std::streamsize>(bytes->size()));
    out.flush();
    if (!out) return IoError(tmp.string() + ": write failed");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return IoError("rename " + tmp.string() + " -> " + path.string() + ": " + ec.message());
  return Status::Ok();
}

}  // namespace photomap::model
