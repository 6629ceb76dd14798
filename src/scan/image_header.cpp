#include "scan/image_header.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace photomap::scan {
namespace {

constexpr int kMaxJpegSegments = 4096;
constexpr int kMaxBoxes = 4096;
constexpr uint32_t kMaxTiffEntries = 4096;

// Random-access reads over a file or a buffer; every read is bounds-checked.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual bool ReadAt(uint64_t offset, size_t n, uint8_t* out) const = 0;
  virtual uint64_t Size() const = 0;
};

class SpanSource final : public ByteSource {
 public:
  explicit SpanSource(std::span<const uint8_t> b) : b_(b) {}
  bool ReadAt(uint64_t offset, size_t n, uint8_t* out) const override {
    if (offset > b_.size() || n > b_.size() - offset) return false;
    std::memcpy(out, b_.data() + offset, n);
    return true;
  }
  uint64_t Size() const override { return b_.size(); }

 private:
  std::span<const uint8_t> b_;
};

class FileSource final : public ByteSource {
 public:
  FileSource(int fd, uint64_t size) : fd_(fd), size_(size) {}
  bool ReadAt(uint64_t offset, size_t n, uint8_t* out) const override {
    if (offset > size_ || n > size_ - offset) return false;
    size_t done = 0;
    while (done < n) {
      ssize_t r = pread(fd_, out + done, n - done, static_cast<off_t>(offset + done));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return false;
      done += static_cast<size_t>(r);
    }
    return true;
  }
  uint64_t Size() const override { return size_; }

 private:
  int fd_;
  uint64_t size_;
};

uint32_t Be16(const uint8_t* p) { return (uint32_t{p[0]} << 8) | p[1]; }
uint32_t Be32(const uint8_t* p) { return (Be16(p) << 16) | Be16(p + 2); }
uint32_t Le16(const uint8_t* p) { return (uint32_t{p[1]} << 8) | p[0]; }
uint32_t Le24(const uint8_t* p) { return (uint32_t{p[2]} << 16) | Le16(p); }
uint32_t Le32(const uint8_t* p) { return (Le16(p + 2) << 16) | Le16(p); }

Error Truncated(ImageFormat f) {
  return Corrupt(std::string(ImageFormatName(f)) + " header is truncated or malformed");
}

Result<ImageHeader> Make(ImageFormat f, int64_t w, int64_t h) {
  if (w <= 0 || h <= 0) return Corrupt(std::string(ImageFormatName(f)) + " header gives no size");
  return ImageHeader{f, w, h};
}

bool IsSofMarker(uint8_t m) {
  return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

Result<ImageHeader> ParseJpeg(const ByteSource& s) {
  uint64_t off = 2;
  uint8_t b[9];
  for (int i = 0; i < kMaxJpegSegments; ++i) {
    if (!s.ReadAt(off, 2, b)) return Truncated(ImageFormat::kJpeg);
    if (b[0] != 0xFF) return Truncated(ImageFormat::kJpeg);
    uint8_t marker = b[1];
    if (marker == 0xFF) {  // fill byte
      off += 1;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {  // no length
      off += 2;
      continue;
    }
    if (marker == 0xD9 || marker == 0xDA) break;  // EOI or scan data before any SOF
    if (!s.ReadAt(off + 2, 2, b)) return Truncated(ImageFormat::kJpeg);
    uint32_t len = Be16(b);
    if (len < 2) return Truncated(ImageFormat::kJpeg);
    if (IsSofMarker(marker)) {
      if (!s.ReadAt(off + 4, 5, b)) return Truncated(ImageFormat::kJpeg);
      return Make(ImageFormat::kJpeg, Be16(b + 3), Be16(b + 1));
    }
    off += 2 + len;
  }
  return Truncated(ImageFormat::kJpeg);
}

Result<ImageHeader> ParsePng(const ByteSource& s) {
  uint8_t b[24];
  if (!s.ReadAt(0, 24, b) || std::memcmp(b + 12, "IHDR", 4) != 0) {
    return Truncated(ImageFormat::kPng);
  }
  return Make(ImageFormat::kPng, Be32(b + 16), Be32(b + 20));
}

Result<ImageHeader> ParseGif(const ByteSource& s) {
  uint8_t b[10];
  if (!s.ReadAt(0, 10, b)) return Truncated(ImageFormat::kGif);
  return Make(ImageFormat::kGif, Le16(b + 6), Le16(b + 8));
}

Result<ImageHeader> ParseWebp(const ByteSource& s) {
  uint8_t b[30];
  if (!s.ReadAt(0, 30, b)) return Truncated(ImageFormat::kWebp);
  if (std::memcmp(b + 12, "VP8X", 4) == 0) {
    return Make(ImageFormat::kWebp, 1 + int64_t{Le24(b + 24)}, 1 + int64_t{Le24(b + 27)});
  }
  if (std::memcmp(b + 12, "VP8L", 4) == 0) {
    uint32_t bits = Le32(b + 21);
    return Make(ImageFormat::kWebp, 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF));
  }
  if (std::memcmp(b + 12, "VP8 ", 4) == 0) {
    return Make(ImageFormat::kWebp, Le16(b + 26) & 0x3FFF, Le16(b + 28) & 0x3FFF);
  }
  return Truncated(ImageFormat::kWebp);
}

Result<ImageHeader> ParseBmp(const ByteSource& s) {
  uint8_t b[26];
  if (!s.ReadAt(0, 18, b)) return Truncated(ImageFormat::kBmp);
  if (Le32(b + 14) == 12) {
    if (!s.ReadAt(0, 22, b)) return Truncated(ImageFormat::kBmp);
    return Make(ImageFormat::kBmp, Le16(b + 18), Le16(b + 20));
  }
  if (!s.ReadAt(0, 26, b)) return Truncated(ImageFormat::kBmp);
  int64_t h = static_cast<int32_t>(Le32(b + 22));
  return Make(ImageFormat::kBmp, static_cast<int32_t>(Le32(b + 18)), h < 0 ? -h : h);
}

Result<ImageHeader> ParseTiff(const ByteSource& s) {
  uint8_t b[12];
  if (!s.ReadAt(0, 8, b)) return Truncated(ImageFormat::kTiff);
  bool le = b[0] == 'I';
  auto u16 = [&](const uint8_t* p) { return le ? Le16(p) : Be16(p); };
  auto u32 = [&](const uint8_t* p) { return le ? Le32(p) : Be32(p); };
  uint64_t ifd = u32(b + 4);
  if (!s.ReadAt(ifd, 2, b)) return Truncated(ImageFormat::kTiff);
  uint32_t count = std::min<uint32_t>(u16(b), kMaxTiffEntries);
  int64_t w = 0, h = 0;
  for (uint32_t i = 0; i < count; ++i) {
    if (!s.ReadAt(ifd + 2 + 12 * uint64_t{i}, 12, b)) return Truncated(ImageFormat::kTiff);
    uint32_t tag = u16(b), type = u16(b + 2);
    uint32_t value = type == 3 ? u16(b + 8) : u32(b + 8);  // SHORT or LONG
    if (tag == 256) w = value;
    if (tag == 257) h = value;
  }
  return Make(ImageFormat::kTiff, w, h);
}

// ISO-BMFF (HEIF/AVIF): the ispe property associated with the primary item ("pitm"), else the
// largest ispe seen.
struct BmffState {
  uint32_t primary = 0;
  std::vector<std::pair<int64_t, int64_t>> ispe;    // ipco properties, 1-based order
  std::vector<uint32_t> ispe_index;                 // property index of each ispe entry
  std::vector<std::pair<uint32_t, uint32_t>> ipma;  // (item id, property index)
  int boxes = 0;
};

bool WalkBoxes(const ByteSource& s, uint64_t begin, uint64_t end, int depth, BmffState* st);

bool VisitBox(const ByteSource& s, const char* type, uint64_t body, uint64_t end, int depth,
              BmffState* st) {
  uint8_t b[16];
  std::string t(type, 4);
  if (t == "meta") return WalkBoxes(s, body + 4, end, depth + 1, st);  // FullBox
  if (t == "iprp") return WalkBoxes(s, body, end, depth + 1, st);
  if (t == "ipco") {
    uint64_t off = body;
    uint32_t index = 0;
    while (off + 8 <= end && st->boxes++ < kMaxBoxes) {
      if (!s.ReadAt(off, 8, b)) return false;
      uint64_t size = Be32(b);
      if (size < 8 || off + size > end) return false;
      ++index;
      if (std::memcmp(b + 4, "ispe", 4) == 0 && size >= 20 && s.ReadAt(off + 12, 8, b)) {
        st->ispe.emplace_back(Be32(b), Be32(b + 4));
        st->ispe_index.push_back(index);
      }
      off += size;
    }
    return true;
  }
  if (t == "pitm") {
    if (!s.ReadAt(body, 8, b)) return false;
    st->primary = b[0] == 0 ? Be16(b + 4) : Be32(b + 4);
    return true;
  }
  if (t == "ipma") {
    if (!s.ReadAt(body, 8, b)) return false;
    int version = b[0];
    bool wide = (b[3] & 1) != 0;
    uint32_t entries = std::min<uint32_t>(Be32(b + 4), kMaxBoxes);
    uint64_t off = body + 8;
    for (uint32_t i = 0; i < entries; ++i) {
      uint32_t item;
      if (!s.ReadAt(off, version < 1 ? 3 : 5, b)) return false;
      item = version < 1 ? Be16(b) : Be32(b);
      uint32_t n = b[version < 1 ? 2 : 4];
      off += version < 1 ? 3 : 5;
      for (uint32_t j = 0; j < n; ++j) {
        if (!s.ReadAt(off, wide ? 2 : 1, b)) return false;
        uint32_t prop = wide ? (Be16(b) & 0x7FFF) : (b[0] & 0x7F);
        off += wide ? 2 : 1;
        st->ipma.emplace_back(item, prop);
      }
    }
    return true;
  }
  return true;
}

bool WalkBoxes(const ByteSource& s, uint64_t begin, uint64_t end, int depth, BmffState* st) {
  if (depth > 4) return false;
  uint64_t off = begin;
  uint8_t b[16];
  while (off + 8 <= end && st->boxes++ < kMaxBoxes) {
    if (!s.ReadAt(off, 8, b)) return false;
    uint64_t size = Be32(b);
    uint64_t header = 8;
    char type[4];
    std::memcpy(type, b + 4, 4);
    if (size == 1) {
      if (!s.ReadAt(off + 8, 8, b)) return false;
      size = (uint64_t{Be32(b)} << 32) | Be32(b + 4);
      header = 16;
    } else if (size == 0) {
      size = end - off;
    }
    if (size < header || size > end - off) return false;
    if (depth == 0 && std::memcmp(type, "mdat", 4) == 0 && !st->ispe.empty()) return true;
    if (!VisitBox(s, type, off + header, off + size, depth, st)) return false;
    off += size;
  }
  return true;
}

Result<ImageHeader> ParseBmff(const ByteSource& s, ImageFormat f) {
  BmffState st;
  WalkBoxes(s, 0, s.Size(), 0, &st);  // partial structure is fine if ispe was seen
  if (st.ispe.empty()) return Truncated(f);
  for (const auto& [item, prop] : st.ipma) {
    if (item != st.primary) continue;
    for (size_t i = 0; i < st.ispe_index.size(); ++i) {
      if (st.ispe_index[i] == prop) return Make(f, st.ispe[i].first, st.ispe[i].second);
    }
  }
  auto largest = std::max_element(st.ispe.begin(), st.ispe.end(), [](auto a, auto b) {
    return a.first * a.second < b.first * b.second;
  });
  return Make(f, largest->first, largest->second);
}

Result<ImageHeader> Parse(const ByteSource& s) {
  uint8_t head[kSniffBytes] = {};
  size_t n = static_cast<size_t>(std::min<uint64_t>(s.Size(), kSniffBytes));
  if (!s.ReadAt(0, n, head)) return IoError("cannot read the image header");
  ImageFormat f = SniffImageFormat(std::span<const uint8_t>(head, n));
  switch (f) {
    case ImageFormat::kJpeg:
      return ParseJpeg(s);
    case ImageFormat::kPng:
      return ParsePng(s);
    case ImageFormat::kGif:
      return ParseGif(s);
    case ImageFormat::kWebp:
      return ParseWebp(s);
    case ImageFormat::kBmp:
      return ParseBmp(s);
    case ImageFormat::kTiff:
      return ParseTiff(s);
    case ImageFormat::kHeif:
    case ImageFormat::kAvif:
      return ParseBmff(s, f);
    case ImageFormat::kRawOther:
      return Unsupported("RAW container headers are not parsed; decode the file instead");
    case ImageFormat::kUnknown:
      break;
  }
  return Unsupported("not a recognised image format");
}

bool BrandIs(const uint8_t* p, const char* brand) { return std::memcmp(p, brand, 4) == 0; }

ImageFormat SniffBmff(std::span<const uint8_t> h) {
  if (h.size() < 12) return ImageFormat::kUnknown;
  uint64_t box = Be32(h.data());
  uint64_t end = std::min<uint64_t>(box, h.size());
  bool heif = false, avif = false;
  for (uint64_t off = 8; off + 4 <= end; off += 4) {
    if (off == 12) continue;  // minor version
    const uint8_t* b = h.data() + off;
    if (BrandIs(b, "crx ")) return ImageFormat::kRawOther;
    if (BrandIs(b, "avif") || BrandIs(b, "avis")) avif = true;
    if (BrandIs(b, "heic") || BrandIs(b, "heix") || BrandIs(b, "hevc") || BrandIs(b, "hevx") ||
        BrandIs(b, "heim") || BrandIs(b, "heis") || BrandIs(b, "mif1") || BrandIs(b, "msf1")) {
      heif = true;
    }
    if (off == 8 && avif) return ImageFormat::kAvif;  // major brand decides
    if (off == 8 && heif) return ImageFormat::kHeif;
  }
  if (avif) return ImageFormat::kAvif;
  return heif ? ImageFormat::kHeif : ImageFormat::kUnknown;
}

}  // namespace

ImageFormat SniffImageFormat(std::span<const uint8_t> h) {
  auto starts = [&](const char* magic, size_t n, size_t at = 0) {
    return h.size() >= at + n && std::memcmp(h.data() + at, magic, n) == 0;
  };
  if (starts("\xFF\xD8\xFF", 3)) return ImageFormat::kJpeg;
  if (starts("\x89PNG\r\n\x1A\n", 8)) return ImageFormat::kPng;
  if (starts("GIF87a", 6) || starts("GIF89a", 6)) return ImageFormat::kGif;
  if (starts("RIFF", 4) && starts("WEBP", 4, 8)) return ImageFormat::kWebp;
  if (starts("BM", 2) && h.size() >= 18) return ImageFormat::kBmp;
  if (starts("FUJIFILMCCD-RAW", 15)) return ImageFormat::kRawOther;
  if (starts("IIRO", 4) || starts("IIRS", 4) || starts("MMOR", 4) || starts("IIU\0", 4)) {
    return ImageFormat::kRawOther;  // Olympus ORF, Panasonic RW2
  }
  if (starts("II*\0", 4) || starts("MM\0*", 4)) return ImageFormat::kTiff;
  if (starts("ftyp", 4, 4)) return SniffBmff(h);
  return ImageFormat::kUnknown;
}

const char* ImageFormatName(ImageFormat format) {
  switch (format) {
    case ImageFormat::kJpeg:
      return "jpeg";
    case ImageFormat::kPng:
      return "png";
    case ImageFormat::kGif:
      return "gif";
    case ImageFormat::kWebp:
      return "webp";
    case ImageFormat::kBmp:
      return "bmp";
    case ImageFormat::kTiff:
      return "tiff";
    case ImageFormat::kHeif:
      return "heif";
    case ImageFormat::kAvif:
      return "avif";
    case ImageFormat::kRawOther:
      return "raw";
    case ImageFormat::kUnknown:
      break;
  }
  return "unknown";
}

Result<ImageHeader> ReadImageHeader(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    Error e = ErrnoError(path, err);
    if (err == ENOENT) e.kind = ErrorKind::kNotFound;
    return e;
  }
  off_t size = lseek(fd, 0, SEEK_END);
  Result<ImageHeader> r = size < 0 ? Result<ImageHeader>(ErrnoError(path, errno))
                                   : Parse(FileSource(fd, static_cast<uint64_t>(size)));
  close(fd);
  if (!r.ok()) return r.error().WithContext(path);
  return r;
}

Result<ImageHeader> ParseImageHeader(std::span<const uint8_t> bytes) {
  return Parse(SpanSource(bytes));
}

}  // namespace photomap::scan
