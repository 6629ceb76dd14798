#include "media/jpeg_eighth_decoder.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <string>

#include "media/jpeg_eighth_output.h"
#include "media/jpeg_huffman.h"

namespace photomap::media {
namespace {

struct HuffmanSlot {
  uint8_t counts[17] = {};
  std::vector<uint8_t> symbols;
  bool defined = false;
  std::optional<JpegHuffmanTable> table;  // built on first use by a scan
};

enum class ScanKind { kSequential, kDcFirst, kDcRefine };

struct ScanComponent {
  JpegPlane* plane = nullptr;
  const JpegHuffmanTable* dc = nullptr;
  const JpegHuffmanTable* ac = nullptr;
  int32_t predictor = 0;
};

uint32_t U16(const uint8_t* p) { return static_cast<uint32_t>(p[0]) << 8 | p[1]; }

// Copies a scan's entropy-coded data from `start` into `clean` without byte stuffing, starting
// a new segment at every restart marker; returns where the marker that ends the scan begins (or
// the file size when none does). Segment i is [starts[i], starts[i + 1] or clean.size()).
size_t CopyEntropyData(std::span<const uint8_t> f, size_t start, std::vector<uint8_t>& clean,
                       std::vector<size_t>& starts) {
  clean.clear();
  clean.reserve(f.size() - start + kJpegCleanPadding);  // at most the rest of the file, once
  starts.assign(1, 0);
  const uint8_t* p = f.data() + start;
  const uint8_t* end = f.data() + f.size();
  while (p < end) {
    const uint8_t* ff = static_cast<const uint8_t*>(std::memchr(p, 0xFF, end - p));
    const uint8_t* stop = ff ? ff : end;
    clean.insert(clean.end(), p, stop);
    if (!ff) return f.size();
    const uint8_t* q = ff + 1;
    while (q < end && *q == 0xFF) ++q;  // fill bytes
    if (q == end) return f.size();
    if (*q == 0x00) {
      clean.push_back(0xFF);
    } else if (*q >= 0xD0 && *q <= 0xD7) {
      starts.push_back(clean.size());
    } else {
      return static_cast<size_t>(ff - f.data());
    }
    p = q + 1;
  }
  return f.size();
}

// Where the marker that ends the scan at `start` begins (restart markers do not end it).
size_t FindScanEnd(std::span<const uint8_t> f, size_t start) {
  const uint8_t* p = f.data() + start;
  const uint8_t* end = f.data() + f.size();
  while (p < end) {
    const uint8_t* ff = static_cast<const uint8_t*>(std::memchr(p, 0xFF, end - p));
    if (!ff) break;
    const uint8_t* q = ff + 1;
    while (q < end && *q == 0xFF) ++q;
    if (q == end) break;
    if (*q != 0x00 && (*q < 0xD0 || *q > 0xD7)) return static_cast<size_t>(ff - f.data());
    p = q + 1;
  }
  return f.size();
}

// Hostile files can drive the DC predictor past int32 (a long run of maximal differences);
// libjpeg wraps there too, and signed overflow must not be undefined behaviour.
int32_t WrappingAdd(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}
int32_t WrappingMultiply(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) * static_cast<uint32_t>(b));
}

template <ScanKind kKind>
void DecodeBlock(ScanComponent& c, JpegBitReader& r, int al, int64_t bx, int64_t by) {
  JpegPlane& p = *c.plane;
  int32_t* coefficient = p.dc.data() + by * p.blocks_w + bx;
  if constexpr (kKind == ScanKind::kDcRefine) {
    r.Refill();
    if (r.buffer >> 63) *coefficient |= 1 << al;
    r.Consume(1);
  } else {
    c.predictor = WrappingAdd(c.predictor, c.dc->DecodeDcDifference(r));
    if constexpr (kKind == ScanKind::kSequential) {
      *coefficient = c.predictor;
      if (p.two_by_two) {
        int32_t natural[64] = {};
        natural[0] = WrappingMultiply(c.predictor, p.quant[0]);
        c.ac->DecodeAcCoefficients(r, p.quant.data(), natural);
        const size_t stride = static_cast<size_t>(2 * p.blocks_w);
        InverseDct2x2(natural, p.quads.data() + 2 * by * 2 * p.blocks_w + 2 * bx, stride);
      } else {
        c.ac->SkipAcCoefficients(r);
      }
    } else {
      *coefficient = WrappingMultiply(c.predictor, 1 << al);
    }
  }
}

class JpegEighthParser {
 public:
  JpegEighthParser(std::span<const uint8_t> file, int64_t max_pixels)
      : f_(file), max_pixels_(max_pixels) {}

  Result<EighthScaleJpeg> Run();

 private:
  Result<size_t> NextMarker(size_t pos, uint8_t& marker) const;
  std::optional<Error> ReadFrame(const uint8_t* p, size_t len, bool progressive);
  std::optional<Error> ReadHuffmanTables(const uint8_t* p, size_t len);
  std::optional<Error> ReadQuantTables(const uint8_t* p, size_t len);
  // Reads a scan header and its entropy data; `pos` moves to the marker after the scan.
  std::optional<Error> ReadScan(const uint8_t* p, size_t len, size_t& pos);
  Result<const JpegHuffmanTable*> Table(HuffmanSlot& slot);
  template <ScanKind kKind>
  std::optional<Error> DecodeScanData(std::vector<ScanComponent>& comps, int al);

  std::span<const uint8_t> f_;
  int64_t max_pixels_;
  JpegFrame frame_;
  bool have_frame_ = false;
  HuffmanSlot dc_[4], ac_[4];
  std::array<uint16_t, 64> quant_[4] = {};
  bool quant_defined_[4] = {};
  uint32_t restart_interval_ = 0;
  bool jfif_ = false;
  int adobe_transform_ = -1;
  std::vector<uint8_t> clean_;
  std::vector<size_t> segment_starts_;
};

Result<size_t> JpegEighthParser::NextMarker(size_t pos, uint8_t& marker) const {
  // libjpeg skips stray bytes before a marker with a warning; so does this.
  while (pos < f_.size() && f_[pos] != 0xFF) ++pos;
  while (pos < f_.size() && f_[pos] == 0xFF) ++pos;
  if (pos >= f_.size()) return Corrupt("JPEG data ends before its end-of-image marker");
  marker = f_[pos];
  return pos + 1;
}

std::optional<Error> JpegEighthParser::ReadFrame(const uint8_t* p, size_t len, bool progressive) {
  if (have_frame_) return Corrupt("JPEG has two frame headers");
  if (len < 6) return Corrupt("JPEG frame header is too short");
  if (p[0] != 8) return Unsupported("JPEG with " + std::to_string(p[0]) + "-bit samples");
  frame_.height = U16(p + 1);
  frame_.width = U16(p + 3);
  const int n = p[5];
  if (frame_.height == 0) return Unsupported("JPEG whose height is given by a DNL marker");
  if (frame_.width == 0) return Corrupt("JPEG frame of width 0");
  if (frame_.width * frame_.height > max_pixels_) {
    return TooLarge("JPEG of " + std::to_string(frame_.width) + "x" +
                    std::to_string(frame_.height) + " pixels exceeds the limit");
  }
  if (n != 1 && n != 3) return Unsupported("JPEG with " + std::to_string(n) + " components");
  if (len < 6 + 3 * static_cast<size_t>(n)) return Corrupt("JPEG frame header is too short");
  frame_.progressive = progressive;
  frame_.components.resize(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    JpegPlane& c = frame_.components[static_cast<size_t>(i)];
    const uint8_t* q = p + 6 + 3 * i;
    c.id = q[0];
    c.h = q[1] >> 4;
    c.v = q[1] & 15;
    c.quant_slot = q[2];
    if (c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 || c.quant_slot > 3) {
      return Corrupt("JPEG component has invalid sampling factors or table");
    }
    frame_.hmax = std::max(frame_.hmax, c.h);
    frame_.vmax = std::max(frame_.vmax, c.v);
  }
  for (JpegPlane& c : frame_.components) {
    if (frame_.hmax % c.h || frame_.vmax % c.v || frame_.hmax / c.h > 2 || frame_.vmax / c.v > 2) {
      return Unsupported("JPEG chroma sampling other than 4:4:4, 4:2:2, 4:4:0 or 4:2:0");
    }
  }
  frame_.mcus_w = (frame_.width + 8 * frame_.hmax - 1) / (8 * frame_.hmax);
  frame_.mcus_h = (frame_.height + 8 * frame_.vmax - 1) / (8 * frame_.vmax);
  for (JpegPlane& c : frame_.components) {
    const int64_t samples_w = (frame_.width * c.h + frame_.hmax - 1) / frame_.hmax;
    const int64_t samples_h = (frame_.height * c.v + frame_.vmax - 1) / frame_.vmax;
    c.real_w = (samples_w + 7) / 8;
    c.real_h = (samples_h + 7) / 8;
    c.blocks_w = frame_.mcus_w * c.h;
    c.blocks_h = frame_.mcus_h * c.v;
    c.dc.assign(static_cast<size_t>(c.blocks_w * c.blocks_h), 0);
    c.two_by_two = !progressive && frame_.hmax == 2 * c.h && frame_.vmax == 2 * c.v;
    if (c.two_by_two) c.quads.assign(static_cast<size_t>(4 * c.blocks_w * c.blocks_h), 0);
  }
  have_frame_ = true;
  return std::nullopt;
}

std::optional<Error> JpegEighthParser::ReadHuffmanTables(const uint8_t* p, size_t len) {
  size_t i = 0;
  while (i < len) {
    if (len - i < 17) return Corrupt("JPEG Huffman table is truncated");
    const int klass = p[i] >> 4, slot = p[i] & 15;
    if (klass > 1 || slot > 3) return Corrupt("JPEG Huffman table has an invalid class or slot");
    HuffmanSlot& s = klass == 0 ? dc_[slot] : ac_[slot];
    size_t total = 0;
    for (int l = 1; l <= 16; ++l) total += s.counts[l] = p[i + static_cast<size_t>(l)];
    i += 17;
    if (total > 256 || len - i < total) return Corrupt("JPEG Huffman table is truncated");
    s.symbols.assign(p + i, p + i + total);
    s.defined = true;
    s.table.reset();
    i += total;
  }
  return std::nullopt;
}

std::optional<Error> JpegEighthParser::ReadQuantTables(const uint8_t* p, size_t len) {
  size_t i = 0;
  while (i < len) {
    const int precision = p[i] >> 4, slot = p[i] & 15;
    if (precision > 1 || slot > 3) return Corrupt("JPEG quantisation table is invalid");
    const size_t size = 1 + 64 * (precision + 1);
    if (len - i < size) return Corrupt("JPEG quantisation table is truncated");
    for (size_t k = 0; k < 64; ++k) {
      quant_[slot][k] = static_cast<uint16_t>(precision ? U16(p + i + 1 + 2 * k) : p[i + 1 + k]);
    }
    quant_defined_[slot] = true;
    i += size;
  }
  return std::nullopt;
}

Result<const JpegHuffmanTable*> JpegEighthParser::Table(HuffmanSlot& slot) {
  if (!slot.defined) return Corrupt("JPEG scan uses an undefined Huffman table");
  if (!slot.table) {
    Result<JpegHuffmanTable> t = JpegHuffmanTable::Build(slot.counts, slot.symbols);
    if (!t.ok()) return t.error();
    slot.table = std::move(*t);
  }
  return &*slot.table;
}

template <ScanKind kKind>
std::optional<Error> JpegEighthParser::DecodeScanData(std::vector<ScanComponent>& comps, int al) {
  clean_.resize(clean_.size() + kJpegCleanPadding, 0);
  const size_t data_bytes = clean_.size() - kJpegCleanPadding;
  JpegBitReader reader;
  reader.Start(clean_.data(), 0);
  size_t segment = 0;
  auto segment_end_bits = [&] {
    size_t end = segment + 1 < segment_starts_.size() ? segment_starts_[segment + 1] : data_bytes;
    return static_cast<uint64_t>(end) * 8;
  };
  if (restart_interval_ == 0 && segment_starts_.size() > 1) {
    return Corrupt("JPEG has restart markers but no restart interval");
  }
  uint64_t end_bits = segment_end_bits();
  uint32_t in_interval = 0;
  const bool interleaved = comps.size() > 1;
  const int64_t rows = interleaved ? frame_.mcus_h : comps[0].plane->real_h;
  const int64_t cols = interleaved ? frame_.mcus_w : comps[0].plane->real_w;
  for (int64_t my = 0; my < rows; ++my) {
    for (int64_t mx = 0; mx < cols; ++mx) {
      if (restart_interval_ != 0 && in_interval == restart_interval_) {
        if (++segment >= segment_starts_.size()) return Corrupt("JPEG restart marker missing");
        reader.Start(clean_.data(), segment_starts_[segment]);
        end_bits = segment_end_bits();
        for (ScanComponent& c : comps) c.predictor = 0;
        in_interval = 0;
      }
      if (interleaved) {
        for (ScanComponent& c : comps) {
          const JpegPlane& pl = *c.plane;
          for (int v = 0; v < pl.v; ++v) {
            for (int h = 0; h < pl.h; ++h) {
              DecodeBlock<kKind>(c, reader, al, mx * pl.h + h, my * pl.v + v);
            }
          }
        }
      } else {
        ScanComponent& c = comps[0];
        DecodeBlock<kKind>(c, reader, al, mx, my);
      }
      if (reader.BitPosition() > end_bits || reader.corrupt) {
        return Corrupt("JPEG entropy-coded data is damaged or truncated");
      }
      ++in_interval;
    }
  }
  return std::nullopt;
}

std::optional<Error> JpegEighthParser::ReadScan(const uint8_t* p, size_t len, size_t& pos) {
  if (!have_frame_) return Corrupt("JPEG scan before the frame header");
  const size_t n = len > 0 ? p[0] : 0;
  if (n < 1 || n > frame_.components.size() || len < 4 + 2 * n) {
    return Corrupt("JPEG scan header is invalid");
  }
  const int ss = p[1 + 2 * n], se = p[2 + 2 * n], ah = p[3 + 2 * n] >> 4, al = p[3 + 2 * n] & 15;
  if (frame_.progressive && ss > 0) {  // an AC scan: nothing in it is needed
    pos = FindScanEnd(f_, pos);
    return std::nullopt;
  }
  ScanKind kind = ScanKind::kSequential;
  if (frame_.progressive) {
    if (se != 0 || al > 13) return Corrupt("JPEG progressive DC scan is invalid");
    kind = ah == 0 ? ScanKind::kDcFirst : ScanKind::kDcRefine;
  } else if (ss != 0 || se != 63 || ah != 0 || al != 0) {
    return Unsupported("JPEG sequential scan with spectral selection");
  }
  std::vector<ScanComponent> comps(n);
  int blocks_per_mcu = 0;
  for (size_t i = 0; i < n; ++i) {
    const int id = p[1 + 2 * i], td = p[2 + 2 * i] >> 4, ta = p[2 + 2 * i] & 15;
    auto it = std::find_if(frame_.components.begin(), frame_.components.end(),
                           [&](const JpegPlane& c) { return c.id == id; });
    if (it == frame_.components.end() || td > 3 || ta > 3) {
      return Corrupt("JPEG scan names an unknown component or table");
    }
    for (size_t j = 0; j < i; ++j) {
      if (comps[j].plane == &*it) return Corrupt("JPEG scan names a component twice");
    }
    comps[i].plane = &*it;
    blocks_per_mcu += it->h * it->v;
    if (!it->quant_latched) {  // libjpeg latches a component's table when its first scan starts
      if (!quant_defined_[it->quant_slot]) {
        return Corrupt("JPEG component has no quantisation table");
      }
      it->quant = quant_[it->quant_slot];
      it->quant_latched = true;
    }
    if (kind != ScanKind::kDcRefine) {
      Result<const JpegHuffmanTable*> dc = Table(dc_[td]);
      if (!dc.ok()) return dc.error();
      comps[i].dc = *dc;
    }
    if (kind == ScanKind::kSequential) {
      Result<const JpegHuffmanTable*> ac = Table(ac_[ta]);
      if (!ac.ok()) return ac.error();
      comps[i].ac = *ac;
    }
    if (kind != ScanKind::kDcRefine) it->coded = true;
  }
  if (n > 1 && blocks_per_mcu > 10) return Corrupt("JPEG scan has more than 10 blocks per MCU");
  pos = CopyEntropyData(f_, pos, clean_, segment_starts_);
  switch (kind) {
    case ScanKind::kSequential:
      return DecodeScanData<ScanKind::kSequential>(comps, al);
    case ScanKind::kDcFirst:
      return DecodeScanData<ScanKind::kDcFirst>(comps, al);
    case ScanKind::kDcRefine:
      return DecodeScanData<ScanKind::kDcRefine>(comps, al);
  }
  return std::nullopt;
}

Result<EighthScaleJpeg> JpegEighthParser::Run() {
  if (f_.size() < 4 || f_[0] != 0xFF || f_[1] != 0xD8) return Corrupt("not a JPEG file");
  size_t pos = 2;
  for (;;) {
    uint8_t m = 0;
    Result<size_t> next = NextMarker(pos, m);
    if (!next.ok()) return next.error();
    pos = *next;
    if (m == 0xD9) break;                                 // EOI
    if ((m >= 0xD0 && m <= 0xD7) || m == 0x01) continue;  // no length
    if (m == 0xD8) return Corrupt("JPEG has a second start-of-image marker");
    if (f_.size() - pos < 2) return Corrupt("JPEG marker segment is truncated");
    const size_t len = U16(f_.data() + pos);
    if (len < 2 || f_.size() - pos < len) return Corrupt("JPEG marker segment is truncated");
    const uint8_t* body = f_.data() + pos + 2;
    const size_t body_len = len - 2;
    pos += len;
    std::optional<Error> err;
    switch (m) {
      case 0xC0:
      case 0xC1:
        err = ReadFrame(body, body_len, false);
        break;
      case 0xC2:
        err = ReadFrame(body, body_len, true);
        break;
      case 0xC3:
      case 0xC5:
      case 0xC6:
      case 0xC7:
      case 0xC9:
      case 0xCA:
      case 0xCB:
      case 0xCD:
      case 0xCE:
      case 0xCF:
        return Unsupported("JPEG coding process (lossless, hierarchical or arithmetic)");
      case 0xC4:
        err = ReadHuffmanTables(body, body_len);
        break;
      case 0xDB:
        err = ReadQuantTables(body, body_len);
        break;
      case 0xDD:
        if (body_len < 2) return Corrupt("JPEG restart interval segment is truncated");
        restart_interval_ = U16(body);
        break;
      case 0xDA:
        err = ReadScan(body, body_len, pos);
        break;
      case 0xE0:
        if (body_len >= 5 && std::memcmp(body, "JFIF\0", 5) == 0) jfif_ = true;
        break;
      case 0xEE:
        if (body_len >= 12 && std::memcmp(body, "Adobe", 5) == 0) adobe_transform_ = body[11];
        break;
      default:
        break;  // APPn, COM, ...: not needed
    }
    if (err) return *err;
  }
  if (!have_frame_) return Corrupt("JPEG has no frame header");
  if (frame_.components.size() == 3) {
    const auto& c = frame_.components;
    const bool rgb_ids = c[0].id == 'R' && c[1].id == 'G' && c[2].id == 'B';
    if (adobe_transform_ == 0 || (!jfif_ && adobe_transform_ < 0 && rgb_ids)) {
      return Unsupported("JPEG stored as RGB, not YCbCr");
    }
  }
  for (const JpegPlane& c : frame_.components) {
    if (!c.coded) return Corrupt("JPEG component has no coded data");
  }
  return RenderEighthScale(frame_);
}

}  // namespace

Result<EighthScaleJpeg> DecodeJpegEighth(std::span<const uint8_t> file, int64_t max_pixels) {
  return JpegEighthParser(file, max_pixels).Run();
}

}  // namespace photomap::media
