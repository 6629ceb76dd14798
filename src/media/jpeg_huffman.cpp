#include "media/jpeg_huffman.h"

namespace photomap::media {
namespace {

constexpr uint32_t kLookupSize = 1u << kJpegLookupBits;
constexpr uint32_t kLookupMask = kLookupSize - 1;

// T.81 F.2.2.1 EXTEND: the magnitude category `size` and its bits to a signed value.
int32_t Extend(uint32_t bits, int size) {
  if (size == 0) return 0;
  const int32_t v = static_cast<int32_t>(bits);
  return v < (1 << (size - 1)) ? v - (1 << size) + 1 : v;
}

}  // namespace

Result<JpegHuffmanTable> JpegHuffmanTable::Build(const uint8_t (&counts)[17],
                                                 std::span<const uint8_t> symbols) {
  size_t total = 0;
  for (int len = 1; len <= 16; ++len) total += counts[len];
  if (total > 256 || total != symbols.size()) {
    return Corrupt("Huffman table: " + std::to_string(symbols.size()) + " symbols for " +
                   std::to_string(total) + " codes");
  }
  JpegHuffmanTable t;
  t.symbols_.assign(symbols.begin(), symbols.end());
  t.symbol_lut_.assign(kLookupSize, 0);
  int32_t code = 0;
  int32_t index = 0;
  for (int len = 1; len <= 16; ++len) {
    t.symbol_offset_[len] = index - code;
    if (code + counts[len] > (1 << len)) {
      return Corrupt("Huffman table: code lengths overflow the code space");
    }
    for (int i = 0; i < counts[len]; ++i, ++code, ++index) {
      if (len <= kJpegLookupBits) {  // every look-up index that starts with this code
        const uint32_t first = static_cast<uint32_t>(code) << (kJpegLookupBits - len);
        const uint32_t n = 1u << (kJpegLookupBits - len);
        const uint16_t entry = static_cast<uint16_t>((len << 8) | symbols[index]);
        for (uint32_t j = 0; j < n; ++j) t.symbol_lut_[first + j] = entry;
      }
    }
    t.maxcode_[len] = counts[len] ? code - 1 : -1;
    code <<= 1;
  }
  t.maxcode_[17] = INT32_MAX;  // never reached: decoding stops at 16 bits
  t.BuildLookups();
  return t;
}

void JpegHuffmanTable::BuildLookups() {
  dc_lut_.assign(kLookupSize, 0);
  ac_skip_lut_.assign(kLookupSize, 0);
  for (uint32_t v = 0; v < kLookupSize; ++v) {
    // DC: size symbol and magnitude bits together (sizes up to 11 fit the 12-bit value field).
    if (const uint16_t se = symbol_lut_[v]) {
      const int len = se >> 8, size = se & 0xFF;
      if (size <= 11 && len + size <= kJpegLookupBits) {
        const uint32_t bits = (v >> (kJpegLookupBits - len - size)) & ((1u << size) - 1);
        dc_lut_[v] = static_cast<int16_t>(Extend(bits, size) * 16 + len + size);
      }
    }
    // AC: as many whole run/size units as the window holds, up to an end of block.
    int used = 0, advance = 0;
    bool end_of_block = false;
    while (used < kJpegLookupBits) {
      const uint16_t se = symbol_lut_[(v << used) & kLookupMask];
      const int len = se >> 8, rs = se & 0xFF;
      const int run = rs >> 4, size = rs & 15;
      if (se == 0 || used + len + size > kJpegLookupBits) break;
      used += len + size;
      if (size != 0) {
        advance += run + 1;
      } else if (run == 15) {
        advance += 16;
      } else {
        end_of_block = true;
        break;
      }
      if (advance >= 64) break;
    }
    if (used > 0) {
      ac_skip_lut_[v] =
          static_cast<uint16_t>(used | (end_of_block ? kEndOfBlock : 0) | advance << 5);
    }
  }
}

void JpegHuffmanTable::DecodeAcCoefficients(JpegBitReader& r, const uint16_t* quant,
                                            int32_t* natural) const {
  // Zigzag position -> row-major index (T.81 Figure A.6).
  static constexpr uint8_t kNaturalOrder[64] = {
      0,  1,  8,  16, 9,  2,  3,  10, 17, 24, 32, 25, 18, 11, 4,  5,  12, 19, 26, 33, 40, 48,
      41, 34, 27, 20, 13, 6,  7,  14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23,
      30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};
  uint32_t k = 1;
  while (k < 64) {
    const int rs = DecodeSymbol(r);
    if (rs < 0) return;
    const uint32_t run = static_cast<uint32_t>(rs) >> 4, size = static_cast<uint32_t>(rs) & 15;
    if (size == 0) {
      if (run != 15) return;  // end of block
      k += 16;
      continue;
    }
    k += run;
    const uint32_t bits = static_cast<uint32_t>(r.buffer >> (64 - size));
    r.Consume(size);
    if (k < 64) {  // |value| < 2^15 and quant < 2^16: the product can pass int32, so wrap
      const uint32_t value = static_cast<uint32_t>(Extend(bits, static_cast<int>(size)));
      natural[kNaturalOrder[k]] = static_cast<int32_t>(value * quant[k]);
    }
    ++k;
  }
}

int JpegHuffmanTable::SymbolSlow(uint64_t window, uint32_t* used) const {
  if (const uint16_t e = symbol_lut_[window >> (64 - kJpegLookupBits)]) {
    *used = e >> 8;
    return e & 0xFF;
  }
  for (int len = kJpegLookupBits + 1; len <= 16; ++len) {
    const int32_t code = static_cast<int32_t>(window >> (64 - len));
    if (code <= maxcode_[len]) {
      const int32_t index = code + symbol_offset_[len];
      if (index < 0 || index >= static_cast<int32_t>(symbols_.size())) break;
      *used = static_cast<uint32_t>(len);
      return symbols_[static_cast<size_t>(index)];
    }
  }
  *used = 0;
  return -1;
}

int32_t JpegHuffmanTable::DcDifferenceSlow(uint64_t window, uint32_t* used) const {
  uint32_t len = 0;
  const int size = SymbolSlow(window, &len);
  if (size < 0 || size > 15) {
    *used = 0;
    return 0;
  }
  *used = len + static_cast<uint32_t>(size);
  if (size == 0) return 0;
  const uint32_t bits = static_cast<uint32_t>((window << len) >> (64 - size));
  return Extend(bits, size);
}

}  // namespace photomap::media
