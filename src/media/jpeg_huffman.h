// JpegHuffmanTable and JpegBitReader: the entropy-decoding half of the eighth-scale JPEG decoder
// (jpeg_eighth_decoder.h).
//
// A table is built from one DHT definition (ITU T.81 Annex C canonical codes) and validated.
// The reader walks a clean entropy segment (byte stuffing and restart markers removed) that is
// followed by kJpegCleanPadding zero bytes, so no read needs a bounds check; the caller compares
// the position with the segment's end after every MCU. A block's DC difference is decoded with
// one look-up when code and magnitude bits fit in kJpegLookupBits; its AC coefficients are
// skipped, several run/size units per look-up, since DC output never needs their values.
// Tables are immutable after Build; readers are plain values kept in registers by the decode
// loop (nothing takes their address). Thread-compatible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "util/status.h"

namespace photomap::media {

// Zero bytes after every clean entropy buffer: more than one MCU of the longest possible codes
// (10 blocks x 64 units x 31 bits), so a reader that runs off corrupt data stays in bounds until
// the per-MCU end check catches it.
inline constexpr size_t kJpegCleanPadding = 4096;
inline constexpr int kJpegLookupBits = 12;

// A big-endian bit reader with a 64-bit buffer, refilled without branches: after Refill() at
// least 56 bits are valid at the top of `buffer`.
struct JpegBitReader {
  const uint8_t* base = nullptr;  // start of the clean data
  const uint8_t* next = nullptr;  // first byte not yet (wholly) in the buffer
  uint64_t buffer = 0;            // valid bits at the top, zeros below
  uint32_t count = 0;             // number of valid bits
  bool corrupt = false;           // set when a code is not in the table

  void Start(const uint8_t* data, size_t byte_offset) {
    base = data;
    next = data + byte_offset;
    buffer = 0;
    count = 0;
  }
  void Refill() {
    uint64_t v;
    std::memcpy(&v, next, sizeof v);
    buffer |= __builtin_bswap64(v) >> count;
    next += (63 - count) >> 3;
    count |= 56;
  }
  // Requires: at most `count` bits, and n < 64.
  void Consume(uint32_t n) {
    buffer <<= n;
    count -= n;
  }
  uint64_t BitPosition() const { return static_cast<uint64_t>(next - base) * 8 - count; }
};

class JpegHuffmanTable {
 public:
  // Builds the table of one DHT definition: counts[i] codes of length i for i = 1..16
  // (counts[0] unused) and their symbols in code order.
  // Errors: Corrupt when the symbol count does not match the counts, exceeds 256, or the lengths
  // overflow the code space (T.81 C.2).
  static Result<JpegHuffmanTable> Build(const uint8_t (&counts)[17],
                                        std::span<const uint8_t> symbols);

  // Decodes a DC difference: the size symbol and its magnitude bits, sign-extended (T.81 F.2.2.1).
  int32_t DecodeDcDifference(JpegBitReader& r) const {
    r.Refill();
    const int16_t e = dc_lut_[r.buffer >> (64 - kJpegLookupBits)];
    uint32_t used;
    int32_t value;
    if (e & 15) {
      used = static_cast<uint32_t>(e & 15);
      value = e >> 4;
    } else {
      value = DcDifferenceSlow(r.buffer, &used);
      if (used == 0) r.corrupt = true;
    }
    r.Consume(used);
    return value;
  }

  // Decodes one symbol; -1 (and r.corrupt) for a code the table does not define.
  int DecodeSymbol(JpegBitReader& r) const {
    r.Refill();
    if (const uint16_t e = symbol_lut_[r.buffer >> (64 - kJpegLookupBits)]) {
      r.Consume(e >> 8);
      return e & 0xFF;
    }
    uint32_t used;
    const int symbol = SymbolSlow(r.buffer, &used);
    if (symbol < 0) r.corrupt = true;
    r.Consume(used);
    return symbol;
  }

  // Decodes the AC coefficients 1..63 of one block in a sequential scan, dequantised by
  // `quant` (zigzag order), into `natural` (row-major 8x8; positions not coded are left as they
  // are). Runs past coefficient 63 end the block, as in SkipAcCoefficients.
  void DecodeAcCoefficients(JpegBitReader& r, const uint16_t* quant, int32_t* natural) const;

  // Skips the AC coefficients 1..63 of one block in a sequential scan: run/size units up to an
  // end-of-block code or past coefficient 63, as libjpeg reads them.
  void SkipAcCoefficients(JpegBitReader& r) const {
    uint32_t k = 1;
    for (;;) {
      r.Refill();
      const uint16_t e = ac_skip_lut_[r.buffer >> (64 - kJpegLookupBits)];
      const uint32_t next_k = k + (e >> 5 & 127);
      if ((e & 15) != 0 && next_k < 64) {  // whole units that stay inside the block
        r.Consume(e & 15);
        k = next_k;
        if (e & kEndOfBlock) return;
        continue;
      }
      uint32_t used;
      const int rs = SymbolSlow(r.buffer, &used);
      if (rs < 0) {
        r.corrupt = true;
        return;
      }
      const uint32_t run = static_cast<uint32_t>(rs) >> 4, size = static_cast<uint32_t>(rs) & 15;
      r.Consume(used + size);
      if (size != 0) {
        k += run + 1;
      } else if (run == 15) {
        k += 16;
      } else {
        return;  // end of block
      }
      if (k >= 64) return;
    }
  }

 private:
  static constexpr uint16_t kEndOfBlock = 1u << 4;

  // Decodes the symbol at the top of `window`: returns it and sets *used to its code length, or
  // returns -1 for a code the table does not define.
  int SymbolSlow(uint64_t window, uint32_t* used) const;
  // The DC difference at the top of `window`; *used = 0 for an invalid code.
  int32_t DcDifferenceSlow(uint64_t window, uint32_t* used) const;
  void BuildLookups();

  // Canonical decoding for codes longer than the look-up: maxcode_[len] is the largest code of
  // that length (-1: none), symbol_offset_[len] maps a code to its index in symbols_.
  int32_t maxcode_[18] = {};
  int32_t symbol_offset_[18] = {};
  std::vector<uint8_t> symbols_;
  // Indexed by the next kJpegLookupBits bits:
  std::vector<uint16_t> symbol_lut_;  // (code length << 8) | symbol; 0: longer code
  std::vector<int16_t> dc_lut_;       // (difference << 4) | bits used; low 4 bits 0: slow path
  // bits used (low 4) | kEndOfBlock | coefficients advanced << 5; bits 0: slow path
  std::vector<uint16_t> ac_skip_lut_;
};

}  // namespace photomap::media
