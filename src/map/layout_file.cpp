#include "map/layout_file.h"

#include <cmath>
#include <cstring>

#include "util/atomic_file.h"

namespace photomap::map {

namespace {

constexpr char kMagic[8] = {'P', 'M', 'A', 'P', 'L', 'A', 'Y', 'T'};
// Bounds that keep a corrupt header from asking for absurd allocations.
constexpr uint64_t kMaxRows = uint64_t{1} << 32;
constexpr uint32_t kMaxSpecBytes = 4096;

template <typename T>
void Put(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

template <typename T>
void PutArray(std::string& out, const std::vector<T>& values) {
  if (!values.empty()) {
    out.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
  }
}

class Reader {
 public:
  explicit Reader(const std::string& bytes) : bytes_(bytes) {}

  template <typename T>
  bool Get(T* value) {
    if (bytes_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(value, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  template <typename T>
  bool GetArray(size_t count, std::vector<T>* values) {
    if ((bytes_.size() - pos_) / sizeof(T) < count) return false;
    values->resize(count);
    if (count > 0) std::memcpy(values->data(), bytes_.data() + pos_, count * sizeof(T));
    pos_ += count * sizeof(T);
    return true;
  }
  bool GetString(size_t count, std::string* value) {
    if (bytes_.size() - pos_ < count) return false;
    value->assign(bytes_, pos_, count);
    pos_ += count;
    return true;
  }
  bool AtEnd() const { return pos_ == bytes_.size(); }

 private:
  const std::string& bytes_;
  size_t pos_ = 0;
};

Error Truncated(const std::string& what) {
  return Corrupt("map layout file: truncated " + what + "; it will be recomputed");
}

}  // namespace

std::string LayoutPathForIndex(const std::string& album_index_path) {
  std::string base = album_index_path;
  const std::string npz = ".npz";
  if (base.size() >= npz.size() && base.compare(base.size() - npz.size(), npz.size(), npz) == 0) {
    base.resize(base.size() - npz.size());
  }
  return base + ".photomap.umap";
}

uint32_t EmbeddingChecksum(const float* embedding, size_t dim) {
  uint32_t hash = 2166136261u;
  const auto* bytes = reinterpret_cast<const unsigned char*>(embedding);
  for (size_t i = 0; i < dim * sizeof(float); ++i) {
    hash ^= bytes[i];
    hash *= 16777619u;
  }
  return hash;
}

std::string EncodeLayout(const StoredLayout& layout) {
  std::string out;
  out.reserve(64 + layout.encoder_spec.size() + layout.size() * 20);
  out.append(kMagic, sizeof(kMagic));
  Put(out, kLayoutFileVersion);
  Put(out, static_cast<uint32_t>(layout.encoder_spec.size()));
  out += layout.encoder_spec;
  Put(out, layout.seed);
  Put(out, layout.fit_rows);
  Put(out, layout.drift_rows);
  Put(out, static_cast<uint64_t>(layout.size()));
  PutArray(out, layout.row_ids);
  PutArray(out, layout.checksums);
  PutArray(out, layout.xy);
  return out;
}

Result<StoredLayout> DecodeLayout(const std::string& bytes) {
  Reader in(bytes);
  std::string magic;
  if (!in.GetString(sizeof(kMagic), &magic) || magic != std::string(kMagic, sizeof(kMagic))) {
    return Corrupt("map layout file: not a photomap layout file (bad magic)");
  }
  uint32_t version = 0, spec_bytes = 0;
  if (!in.Get(&version)) return Truncated("header");
  if (version != kLayoutFileVersion) {
    return Corrupt("map layout file: version " + std::to_string(version) + " is not supported");
  }
  if (!in.Get(&spec_bytes)) return Truncated("header");
  if (spec_bytes > kMaxSpecBytes) return Corrupt("map layout file: encoder name too long");
  StoredLayout layout;
  uint64_t rows = 0;
  if (!in.GetString(spec_bytes, &layout.encoder_spec) || !in.Get(&layout.seed) ||
      !in.Get(&layout.fit_rows) || !in.Get(&layout.drift_rows) || !in.Get(&rows)) {
    return Truncated("header");
  }
  if (rows > kMaxRows) return Corrupt("map layout file: row count out of range");
  if (!in.GetArray(rows, &layout.row_ids) || !in.GetArray(rows, &layout.checksums) ||
      !in.GetArray(rows * 2, &layout.xy)) {
    return Truncated("rows");
  }
  if (!in.AtEnd()) return Corrupt("map layout file: trailing bytes after the last row");
  for (float v : layout.xy) {
    if (!std::isfinite(v)) return Corrupt("map layout file: non-finite coordinate");
  }
  return layout;
}

Result<std::optional<StoredLayout>> ReadLayoutFile(const std::string& path) {
  auto bytes = ReadFileToString(path);
  if (!bytes.ok()) {
    if (bytes.error().kind == ErrorKind::kNotFound) return std::optional<StoredLayout>{};
    return bytes.error();
  }
  auto layout = DecodeLayout(*bytes);
  if (!layout.ok()) return Corrupt(path + ": " + layout.error().message);
  return std::optional<StoredLayout>(std::move(layout).value());
}

Status WriteLayoutFile(const std::string& path, const StoredLayout& layout) {
  AtomicWriteOptions options;
  options.new_file_mode = 0644;
  return AtomicWriteFile(path, EncodeLayout(layout), options);
}

}  // namespace photomap::map
