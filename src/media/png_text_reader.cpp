#include "media/png_text_reader.h"

#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>

#include "media/utf8_text.h"

namespace photomap::media {
namespace {

constexpr std::string_view kSignature("\x89PNG\r\n\x1a\n", 8);
constexpr uint32_t kMaxPngChunkLength = 0x7FFFFFFFu;  // PNG spec: lengths are < 2^31

// Where the walker reads bytes from: a file (seeking past image data) or a memory buffer.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads exactly `n` bytes at `offset` into `out`; false when fewer are available.
  virtual bool ReadAt(uint64_t offset, size_t n, std::string& out) = 0;
  virtual uint64_t size() const = 0;
};

class MemorySource : public ByteSource {
 public:
  explicit MemorySource(std::string_view data) : data_(data) {}
  bool ReadAt(uint64_t offset, size_t n, std::string& out) override {
    if (offset > data_.size() || n > data_.size() - offset) return false;
    out.assign(data_.substr(offset, n));
    return true;
  }
  uint64_t size() const override { return data_.size(); }

 private:
  std::string_view data_;
};

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

class FileSource : public ByteSource {
 public:
  FileSource(std::FILE* f, uint64_t size) : file_(f), size_(size) {}
  bool ReadAt(uint64_t offset, size_t n, std::string& out) override {
    if (offset > size_ || n > size_ - offset) return false;
    if (fseeko(file_.get(), static_cast<off_t>(offset), SEEK_SET) != 0) return false;
    out.resize(n);
    return n == 0 || std::fread(out.data(), 1, n, file_.get()) == n;
  }
  uint64_t size() const override { return size_; }

 private:
  std::unique_ptr<std::FILE, FileCloser> file_;
  uint64_t size_;
};

uint32_t ReadBe32(const std::string& s, size_t at) {
  const auto b = [&](size_t k) { return static_cast<uint32_t>(static_cast<uint8_t>(s[at + k])); };
  return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

// Inflates a zlib stream, refusing to produce more than `cap` bytes.
std::optional<std::string> InflateCapped(std::string_view in, size_t cap, std::string* error) {
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) {
    *error = "zlib init failed";
    return std::nullopt;
  }
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buffer[16384];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buffer);
    zs.avail_out = sizeof(buffer);
    rc = inflate(&zs, Z_NO_FLUSH);
    const size_t produced = sizeof(buffer) - zs.avail_out;
    if (rc != Z_OK && rc != Z_STREAM_END) {
      *error = rc == Z_BUF_ERROR ? "compressed text is truncated" : "compressed text is corrupt";
      inflateEnd(&zs);
      return std::nullopt;
    }
    if (out.size() + produced > cap) {
      *error = "inflated text exceeds " + std::to_string(cap) + " bytes";
      inflateEnd(&zs);
      return std::nullopt;
    }
    out.append(buffer, produced);
  }
  inflateEnd(&zs);
  return out;
}

// Splits "<field>\0<rest>" at the first NUL; false when there is none.
bool SplitAtNul(std::string_view data, std::string_view& field, std::string_view& rest) {
  const size_t nul = data.find('\0');
  if (nul == std::string_view::npos) return false;
  field = data.substr(0, nul);
  rest = data.substr(nul + 1);
  return true;
}

// Decodes the body of a text chunk. Returns nullopt with `error` set when it is malformed.
std::optional<PngTextChunk> DecodeTextChunk(const std::string& type, std::string_view body,
                                            const PngTextLimits& limits, std::string* error) {
  PngTextChunk chunk;
  std::string_view keyword, rest;
  if (!SplitAtNul(body, keyword, rest) || keyword.empty() || keyword.size() > 79) {
    *error = "keyword missing or longer than 79 bytes";
    return std::nullopt;
  }
  chunk.keyword = Latin1ToUtf8(keyword);
  if (type == "tEXt") {
    chunk.kind = PngTextKind::kText;
    chunk.text = Latin1ToUtf8(rest);
    return chunk;
  }
  if (type == "zTXt") {
    chunk.kind = PngTextKind::kZText;
    if (rest.empty() || rest[0] != 0) {
      *error = "unknown compression method";
      return std::nullopt;
    }
    auto text = InflateCapped(rest.substr(1), limits.max_inflated_bytes, error);
    if (!text) return std::nullopt;
    chunk.text = Latin1ToUtf8(*text);
    return chunk;
  }
  // iTXt: compression flag, method, language\0, translated keyword\0, text.
  chunk.kind = PngTextKind::kIText;
  if (rest.size() < 2) {
    *error = "iTXt header truncated";
    return std::nullopt;
  }
  const bool compressed = rest[0] != 0;
  if (compressed && rest[1] != 0) {
    *error = "unknown compression method";
    return std::nullopt;
  }
  std::string_view language, translated, text;
  if (!SplitAtNul(rest.substr(2), language, rest) || !SplitAtNul(rest, translated, text)) {
    *error = "iTXt language or translated keyword not terminated";
    return std::nullopt;
  }
  chunk.language = SanitizeUtf8(language);
  chunk.translated_keyword = SanitizeUtf8(translated);
  if (compressed) {
    auto inflated = InflateCapped(text, limits.max_inflated_bytes, error);
    if (!inflated) return std::nullopt;
    chunk.text = SanitizeUtf8(*inflated);
  } else {
    chunk.text = SanitizeUtf8(text);
  }
  return chunk;
}

PngTextResult Walk(ByteSource& src, const PngTextLimits& limits) {
  PngTextResult result;
  uint64_t offset = kSignature.size();
  size_t total_text = 0;
  bool seen_idat = false;
  std::string header, data;
  for (size_t visited = 0;; ++visited) {
    if (visited >= limits.max_chunks) {
      result.warnings.push_back("more than " + std::to_string(limits.max_chunks) +
                                " chunks; stopped reading");
      return result;
    }
    if (!src.ReadAt(offset, 8, header)) {
      result.warnings.push_back("file ends before IEND at byte " + std::to_string(offset));
      return result;
    }
    const uint32_t length = ReadBe32(header, 0);
    const std::string type = header.substr(4, 4);
    if (length > kMaxPngChunkLength) {
      result.warnings.push_back("chunk length " + std::to_string(length) + " at byte " +
                                std::to_string(offset) + " is invalid; stopped reading");
      return result;
    }
    const uint64_t data_offset = offset + 8;
    const uint64_t next = data_offset + length + 4;
    if (next > src.size()) {
      result.warnings.push_back("chunk " + SanitizeUtf8(type) + " at byte " +
                                std::to_string(offset) + " runs past the end of the file");
      return result;
    }
    if (type == "IEND") {
      result.complete = true;
      return result;
    }
    if (type == "IDAT") seen_idat = true;
    if (type == "tEXt" || type == "zTXt" || type == "iTXt") {
      if (length > limits.max_chunk_bytes) {
        result.warnings.push_back(type + " chunk of " + std::to_string(length) +
                                  " bytes skipped (limit " +
                                  std::to_string(limits.max_chunk_bytes) + ")");
      } else if (!src.ReadAt(offset + 4, length + 8, data)) {
        result.warnings.push_back("cannot read " + type + " chunk at byte " +
                                  std::to_string(offset));
        return result;
      } else {
        const uint32_t stored_crc = ReadBe32(data, 4 + length);
        const uint32_t crc = static_cast<uint32_t>(
            crc32(0, reinterpret_cast<const Bytef*>(data.data()), 4 + length));
        std::string error;
        if (crc != stored_crc) {
          result.warnings.push_back(type + " chunk at byte " + std::to_string(offset) +
                                    " has a bad CRC; skipped");
        } else if (auto chunk = DecodeTextChunk(type, std::string_view(data).substr(4, length),
                                                limits, &error)) {
          total_text += chunk->text.size();
          if (total_text > limits.max_total_text_bytes) {
            result.warnings.push_back("text chunks exceed " +
                                      std::to_string(limits.max_total_text_bytes) +
                                      " bytes in total; stopped reading");
            return result;
          }
          chunk->file_offset = offset;
          chunk->after_image_data = seen_idat;
          result.chunks.push_back(std::move(*chunk));
        } else {
          result.warnings.push_back(type + " chunk at byte " + std::to_string(offset) + ": " +
                                    error + "; skipped");
        }
      }
    }
    offset = next;
  }
}

}  // namespace

bool HasPngSignature(std::string_view head) {
  return head.size() >= kSignature.size() && head.substr(0, kSignature.size()) == kSignature;
}

Result<PngTextResult> ReadPngText(const std::filesystem::path& path, const PngTextLimits& limits) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    const int err = errno;
    if (err == ENOENT) return NotFound(path.string() + ": no such file");
    return ErrnoError(path.string() + ": cannot open", err);
  }
  std::error_code ec;
  const uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) return ErrnoError(path.string() + ": cannot stat", ec.value());
  FileSource src(file.release(), size);
  std::string head;
  if (!src.ReadAt(0, kSignature.size(), head) || !HasPngSignature(head)) {
    return Unsupported(path.string() + ": not a PNG (no PNG signature)");
  }
  return Walk(src, limits);
}

Result<PngTextResult> ReadPngTextFromMemory(std::string_view data, const PngTextLimits& limits) {
  if (!HasPngSignature(data)) return Unsupported("<memory>: not a PNG (no PNG signature)");
  MemorySource src(data);
  return Walk(src, limits);
}

}  // namespace photomap::media
