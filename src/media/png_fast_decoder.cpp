#include "media/png_fast_decoder.h"

#include <libdeflate.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include "media/png_unfilter.h"

namespace photomap::media {
namespace {

constexpr uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
constexpr uint32_t kMaxChunkLength = 0x7FFFFFFF;  // PNG's 31-bit limit
// Deflate emits at most 258 bytes per 2 bits (a length and a distance code of 1 bit each), so a
// stream of n bytes inflates to under 1032 n bytes; more than that can only be a false header.
constexpr uint64_t kMaxInflateRatio = 1032;
constexpr int kMaxShrink = 65535;  // keeps ExactDivider exact

uint32_t ReadBe32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

std::string Str(uint64_t v) { return std::to_string(v); }

struct Chunk {
  uint32_t length = 0;
  char type[5] = {};
  const uint8_t* data = nullptr;  // type bytes, then `length` data bytes
  bool crc_ok = false;
  bool critical() const { return (type[0] & 0x20) == 0; }
  bool Is(const char* t) const { return std::memcmp(type, t, 4) == 0; }
};

// Reads the chunk at `pos`. Errors: Corrupt when it is cut short or malformed.
Result<Chunk> ReadChunk(std::span<const uint8_t> file, size_t pos) {
  if (file.size() - pos < 8) return Corrupt("PNG: truncated at byte " + Str(pos));
  Chunk c;
  c.length = ReadBe32(&file[pos]);
  std::memcpy(c.type, &file[pos + 4], 4);
  for (int i = 0; i < 4; ++i) {
    const char ch = c.type[i];
    if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z'))) {
      return Corrupt("PNG: invalid chunk type at byte " + Str(pos));
    }
  }
  if (c.length > kMaxChunkLength) {
    return Corrupt("PNG: " + std::string(c.type) + " chunk length " + Str(c.length) +
                   " is over the 2^31-1 limit");
  }
  if (file.size() - pos - 8 < uint64_t{c.length} + 4) {
    return Corrupt("PNG: truncated in the " + std::string(c.type) + " chunk at byte " + Str(pos));
  }
  c.data = &file[pos + 4];
  const uint32_t stored_crc = ReadBe32(c.data + 4 + c.length);
  c.crc_ok = libdeflate_crc32(0, c.data, size_t{c.length} + 4) == stored_crc;
  return c;
}

Error CrcError(const Chunk& c) {
  return Corrupt("PNG: " + std::string(c.type) + " chunk has a bad CRC (damaged file)");
}

int BandsOf(uint8_t colour_type) {
  switch (colour_type) {
    case 0:
      return 1;
    case 2:
      return 3;
    case 4:
      return 2;
    case 6:
      return 4;
    default:
      return 0;
  }
}

// Checks the signature and IHDR. On success `*pos` is just past IHDR.
Result<PngFastInfo> ParseIhdr(std::span<const uint8_t> file, int64_t max_pixels, size_t* pos) {
  if (file.size() < 8 || std::memcmp(file.data(), kSignature, 8) != 0) {
    return Corrupt("not a PNG file (bad signature)");
  }
  Result<Chunk> ihdr = ReadChunk(file, 8);
  if (!ihdr.ok()) return ihdr.error();
  if (!ihdr->Is("IHDR") || ihdr->length != 13) return Corrupt("PNG: first chunk is not IHDR");
  if (!ihdr->crc_ok) return CrcError(*ihdr);
  const uint8_t* d = ihdr->data + 4;
  const uint32_t width = ReadBe32(d), height = ReadBe32(d + 4);
  const uint8_t depth = d[8], colour = d[9], compression = d[10], filter = d[11], interlace = d[12];
  const bool depth_ok =
      (colour == 0 && (depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16)) ||
      (colour == 3 && (depth == 1 || depth == 2 || depth == 4 || depth == 8)) ||
      ((colour == 2 || colour == 4 || colour == 6) && (depth == 8 || depth == 16));
  if (width == 0 || height == 0 || width > kMaxChunkLength || height > kMaxChunkLength ||
      !depth_ok || compression != 0 || filter != 0 || interlace > 1) {
    return Corrupt("PNG: invalid IHDR (" + Str(width) + "x" + Str(height) + ", bit depth " +
                   Str(depth) + ", colour type " + Str(colour) + ")");
  }
  if (int64_t{width} * int64_t{height} > max_pixels) {
    return TooLarge("PNG: " + Str(width) + "x" + Str(height) + " pixels exceeds the limit of " +
                    Str(static_cast<uint64_t>(max_pixels)) + " (decompression bomb?)");
  }
  if (colour == 3) return Unsupported("PNG: palette images take the libvips path");
  if (depth != 8) return Unsupported("PNG: bit depth " + Str(depth) + " takes the libvips path");
  if (interlace != 0) return Unsupported("PNG: interlaced images take the libvips path");
  *pos = 8 + 12 + 13;
  return PngFastInfo{width, height, BandsOf(colour)};
}

// The chunks before the image data: layout-changing ones are Unsupported, critical ones must be
// known and intact. Ancillary CRCs are not checked: libpng skips such chunks with a warning.
// On success `*pos` is at the first IDAT.
Status CheckChunksBeforeIdat(std::span<const uint8_t> file, size_t* pos) {
  while (true) {
    Result<Chunk> c = ReadChunk(file, *pos);
    if (!c.ok()) return c.error();
    if (c->Is("IDAT")) return Status::Ok();
    if (c->Is("tRNS")) return Unsupported("PNG: tRNS transparency takes the libvips path");
    if (c->Is("acTL") || c->Is("fcTL") || c->Is("fdAT")) {
      return Unsupported("PNG: animated PNG takes the libvips path");
    }
    if (c->Is("IEND")) return Corrupt("PNG: no image data (IEND before IDAT)");
    if (c->critical()) {
      if (!c->Is("PLTE")) {
        return Corrupt("PNG: unexpected critical chunk " + std::string(c->type) + " before IDAT");
      }
      if (!c->crc_ok) return CrcError(*c);
    }
    *pos += 12 + size_t{c->length};
  }
}

// The zlib stream: the payloads of the first run of consecutive IDAT chunks. libpng reads no
// further than the chunk where the stream ends, so damage after it (a bad CRC, truncation) is
// remembered, not reported, unless the stream needs the data.
struct IdatRun {
  std::vector<std::span<const uint8_t>> parts;
  uint64_t total_bytes = 0;
  std::optional<Error> stopped_by;  // why the run ended before a non-IDAT chunk
};

IdatRun CollectIdat(std::span<const uint8_t> file, size_t pos) {
  IdatRun run;
  while (true) {
    Result<Chunk> c = ReadChunk(file, pos);
    if (!c.ok()) {
      run.stopped_by = c.error();
      return run;
    }
    if (!c->Is("IDAT")) return run;
    if (!c->crc_ok) {
      run.stopped_by = CrcError(*c);
      return run;
    }
    run.parts.emplace_back(c->data + 4, c->length);
    run.total_bytes += c->length;
    pos += 12 + size_t{c->length};
  }
}

struct DecompressorDeleter {
  void operator()(libdeflate_decompressor* d) const { libdeflate_free_decompressor(d); }
};

// Inflates the run into `out` (exactly `out_size` bytes), checking the zlib header and that the
// Adler-32 trailer is present. The trailer's value is not checked: libpng only warns about it.
Status Inflate(const IdatRun& run, uint8_t* out, size_t out_size) {
  std::vector<uint8_t> joined;
  std::span<const uint8_t> z = run.parts.empty() ? std::span<const uint8_t>() : run.parts[0];
  if (run.parts.size() > 1) {
    joined.reserve(run.total_bytes);
    for (auto part : run.parts) joined.insert(joined.end(), part.begin(), part.end());
    z = joined;
  }
  auto fail = [&](const std::string& why) -> Error {
    return run.stopped_by ? *run.stopped_by : Corrupt("PNG: image data " + why);
  };
  if (z.size() < 2) return fail("is missing or truncated");
  const uint8_t cmf = z[0], flg = z[1];
  if ((cmf & 0x0F) != 8 || (cmf >> 4) > 7 || ((cmf << 8) | flg) % 31 != 0) {
    return fail("has a bad zlib header");
  }
  if (flg & 0x20) return fail("needs a preset zlib dictionary");
  std::unique_ptr<libdeflate_decompressor, DecompressorDeleter> d(libdeflate_alloc_decompressor());
  if (!d) return Internal("PNG: cannot allocate a decompressor");
  size_t used = 0;
  switch (libdeflate_deflate_decompress_ex(d.get(), z.data() + 2, z.size() - 2, out, out_size,
                                           &used, nullptr)) {
    case LIBDEFLATE_SUCCESS:
      if (z.size() - 2 - used < 4) return fail("is truncated (no zlib checksum)");
      return Status::Ok();
    case LIBDEFLATE_SHORT_OUTPUT:
      return fail("is shorter than the image (truncated)");
    case LIBDEFLATE_INSUFFICIENT_SPACE:
      return Unsupported("PNG: more image data than the size needs; libvips ignores the excess");
    default:
      return fail("is damaged (bad deflate data)");
  }
}

// n / d for n < 2^24 and 1 <= d <= 65535 by a multiply and shift. With m = ceil(2^40 / d) the
// error m * d - 2^40 < d, so floor(n * m / 2^40) is exact while n * d < 2^40.
class ExactDivider {
 public:
  explicit ExactDivider(uint32_t d) : m_(((uint64_t{1} << 40) + d - 1) / d) {}
  uint32_t operator()(uint32_t n) const { return static_cast<uint32_t>((n * m_) >> 40); }

 private:
  uint64_t m_;
};

// vips_shrink(shrink, shrink) over rows fed top to bottom: vertical box sums in uint32, then
// rounded, then the horizontal box of those, rounded again, as libvips' shrinkv then shrinkh.
class BoxShrinker {
 public:
  BoxShrinker(const PngFastInfo& in, int shrink, PngPixels* out)
      : in_(in), s_(shrink), div_(static_cast<uint32_t>(shrink)), out_(out) {
    const size_t row = static_cast<size_t>(in.width) * in.bands;
    sums_.assign(row, 0);
    const int64_t cols = std::max(in.width, out->width * shrink);  // right edge repeats
    column_avg_.assign(static_cast<size_t>(cols) * in.bands, 0);
  }
  BoxShrinker(const BoxShrinker&) = delete;
  BoxShrinker& operator=(const BoxShrinker&) = delete;

  void AddRow(int64_t y, const uint8_t* row) {
    if (y >= out_->height * s_) return;  // rows that vips' rounding of the height drops
    const int64_t in_block = y % s_ + 1;
    const bool bottom = y == in_.height - 1;
    const uint32_t weight = bottom ? static_cast<uint32_t>(s_ - in_block + 1) : 1;
    if (weight == 1) {
      for (size_t i = 0; i < sums_.size(); ++i) sums_[i] += row[i];
    } else {  // the bottom row stands in for the missing rows of the last block
      for (size_t i = 0; i < sums_.size(); ++i) sums_[i] += weight * row[i];
    }
    if (in_block == s_ || bottom) EmitRow(y / s_);
  }

 private:
  void EmitRow(int64_t out_y) {
    const uint32_t half = static_cast<uint32_t>(s_ / 2);
    for (size_t i = 0; i < sums_.size(); ++i) {
      column_avg_[i] = static_cast<uint8_t>(div_(sums_[i] + half));
      sums_[i] = 0;
    }
    const size_t bands = static_cast<size_t>(in_.bands);
    for (size_t i = sums_.size(); i < column_avg_.size(); ++i) {
      column_avg_[i] = column_avg_[i - bands];
    }
    uint8_t* q = out_->pixels.data() + static_cast<size_t>(out_y * out_->width) * bands;
    const uint8_t* p = column_avg_.data();
    const size_t step = static_cast<size_t>(s_) * bands;
    for (int64_t x = 0; x < out_->width; ++x, p += step) {
      for (size_t b = 0; b < bands; ++b) {
        uint32_t sum = 0;
        for (size_t k = b; k < step; k += bands) sum += p[k];
        *q++ = static_cast<uint8_t>(div_(sum + half));
      }
    }
  }

  PngFastInfo in_;
  int64_t s_;
  ExactDivider div_;
  PngPixels* out_;
  std::vector<uint32_t> sums_;
  std::vector<uint8_t> column_avg_;
};

// Unfilters every row of the inflated data (so a bad filter byte anywhere is caught, as libpng
// does) and passes each to the shrinker, or writes it straight to the output when not shrinking.
// Two Paeth rows in a row go through the faster pair kernel.
class RowUnfilterer {
 public:
  RowUnfilterer(const uint8_t* data, const PngFastInfo& in, int shrink, PngPixels* out)
      : data_(data), in_(in), row_bytes_(static_cast<size_t>(in.width) * in.bands), out_(out) {
    zero_row_.assign(row_bytes_, 0);
    if (shrink > 1) {
      rows_.resize(3 * row_bytes_);  // the previous row and a pair, by y % 3
      shrinker_.emplace(in, shrink, out);
    }
  }
  RowUnfilterer(const RowUnfilterer&) = delete;
  RowUnfilterer& operator=(const RowUnfilterer&) = delete;

  Status Run() {
    const uint8_t* prev = zero_row_.data();
    for (int64_t y = 0; y < in_.height;) {
      Result<PngFilter> filter = FilterOf(y);
      if (!filter.ok()) return filter.error();
      if (*filter == PngFilter::kPaeth && y + 1 < in_.height &&
          Line(y + 1)[0] == static_cast<uint8_t>(PngFilter::kPaeth)) {
        UnfilterPngPaethRowPair(in_.bands, Line(y) + 1, Line(y + 1) + 1, prev, Row(y), Row(y + 1),
                                row_bytes_);
        Done(y);
        Done(y + 1);
        prev = Row(y + 1);
        y += 2;
      } else {
        UnfilterPngRow(*filter, in_.bands, Line(y) + 1, prev, Row(y), row_bytes_);
        Done(y);
        prev = Row(y);
        y += 1;
      }
    }
    return Status::Ok();
  }

 private:
  const uint8_t* Line(int64_t y) const { return data_ + static_cast<size_t>(y) * (row_bytes_ + 1); }

  uint8_t* Row(int64_t y) {
    if (shrinker_) return rows_.data() + static_cast<size_t>(y % 3) * row_bytes_;
    return out_->pixels.data() + static_cast<size_t>(y) * row_bytes_;
  }

  Result<PngFilter> FilterOf(int64_t y) const {
    const uint8_t f = Line(y)[0];
    if (f >= kPngFilterCount) {
      return Corrupt("PNG: row " + Str(static_cast<uint64_t>(y)) + " has filter type " + Str(f) +
                     ", expected 0 to 4 (damaged file)");
    }
    return static_cast<PngFilter>(f);
  }

  void Done(int64_t y) {
    if (shrinker_) shrinker_->AddRow(y, Row(y));
  }

  const uint8_t* data_;
  PngFastInfo in_;
  size_t row_bytes_;
  PngPixels* out_;
  std::vector<uint8_t> zero_row_, rows_;
  std::optional<BoxShrinker> shrinker_;
};

}  // namespace

Result<PngFastInfo> ReadPngFastInfo(std::span<const uint8_t> file, int64_t max_pixels) {
  size_t pos = 0;
  Result<PngFastInfo> info = ParseIhdr(file, max_pixels, &pos);
  if (!info.ok()) return info;
  PHOTOMAP_RETURN_IF_ERROR(CheckChunksBeforeIdat(file, &pos));
  return info;
}

Result<PngPixels> DecodePngFast(std::span<const uint8_t> file, int shrink, int64_t max_pixels) {
  if (shrink < 1 || shrink > kMaxShrink) {
    return InvalidInput("PNG decode: shrink " + std::to_string(shrink) + " is outside 1 to " +
                        Str(kMaxShrink));
  }
  size_t pos = 0;
  Result<PngFastInfo> info = ParseIhdr(file, max_pixels, &pos);
  if (!info.ok()) return info.error();
  PHOTOMAP_RETURN_IF_ERROR(CheckChunksBeforeIdat(file, &pos));

  PngPixels out;
  out.bands = info->bands;
  out.stored_width = info->width;
  out.stored_height = info->height;
  // vips rounds w / shrink to nearest, halves up: floor((2w + s) / 2s).
  out.width = (2 * info->width + shrink) / (2 * int64_t{shrink});
  out.height = (2 * info->height + shrink) / (2 * int64_t{shrink});
  if (out.width == 0 || out.height == 0) {
    return InvalidInput("PNG decode: shrink " + std::to_string(shrink) + " leaves no pixels of " +
                        Str(info->width) + "x" + Str(info->height));
  }

  const IdatRun run = CollectIdat(file, pos);
  const uint64_t inflated_size =
      static_cast<uint64_t>(info->height) * (1 + static_cast<uint64_t>(info->width) * info->bands);
  if (inflated_size > kMaxInflateRatio * run.total_bytes + 1024) {
    if (run.stopped_by) return *run.stopped_by;
    return Corrupt("PNG: " + Str(run.total_bytes) + " bytes of image data cannot hold " +
                   Str(info->width) + "x" + Str(info->height) + " pixels (truncated?)");
  }
  auto inflated = std::make_unique_for_overwrite<uint8_t[]>(inflated_size);
  PHOTOMAP_RETURN_IF_ERROR(Inflate(run, inflated.get(), inflated_size));

  out.pixels.resize(static_cast<size_t>(out.width * out.height) * out.bands);
  PHOTOMAP_RETURN_IF_ERROR(RowUnfilterer(inflated.get(), *info, shrink, &out).Run());
  return out;
}

}  // namespace photomap::media
