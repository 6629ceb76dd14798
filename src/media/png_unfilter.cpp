#include "media/png_unfilter.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <type_traits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace photomap::media {
namespace {

// The spec's predictor, ties going to a, then b.
inline uint8_t PaethPredictor(int a, int b, int c) {
  const int pa = std::abs(b - c);          // |p - a| with p = a + b - c
  const int pb = std::abs(a - c);          // |p - b|
  const int pc = std::abs(a + b - 2 * c);  // |p - c|
  if (pa <= pb && pa <= pc) return static_cast<uint8_t>(a);
  return static_cast<uint8_t>(pb <= pc ? b : c);
}

// The reference: byte by byte, as the spec writes it. Also the fast path for None and Up, which
// the compiler vectorises, and for 1 or 2 bytes per pixel.
void UnfilterScalar(PngFilter filter, size_t bpp, const uint8_t* in, const uint8_t* prev,
                    uint8_t* out, size_t n) {
  const size_t lead = std::min(bpp, n);  // bytes whose left neighbour is outside the row
  switch (filter) {
    case PngFilter::kNone:
      std::memcpy(out, in, n);
      return;
    case PngFilter::kSub:
      std::memcpy(out, in, lead);
      for (size_t i = lead; i < n; ++i) out[i] = static_cast<uint8_t>(in[i] + out[i - bpp]);
      return;
    case PngFilter::kUp:
      for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint8_t>(in[i] + prev[i]);
      return;
    case PngFilter::kAverage:
      for (size_t i = 0; i < lead; ++i) out[i] = static_cast<uint8_t>(in[i] + (prev[i] >> 1));
      for (size_t i = lead; i < n; ++i) {
        out[i] = static_cast<uint8_t>(in[i] + ((out[i - bpp] + prev[i]) >> 1));
      }
      return;
    case PngFilter::kPaeth:
      for (size_t i = 0; i < lead; ++i) out[i] = static_cast<uint8_t>(in[i] + prev[i]);
      for (size_t i = lead; i < n; ++i) {
        out[i] = static_cast<uint8_t>(in[i] + PaethPredictor(out[i - bpp], prev[i], prev[i - bpp]));
      }
      return;
  }
}

#if defined(__SSE2__)
// One pixel per step in the low lanes of an SSE2 register; the left neighbour `a` stays in a
// register, so the serial dependency is a few instructions long. With 3 bytes per pixel every
// pixel but the last is loaded and stored as 4 bytes: the extra byte belongs to the next pixel,
// whose own store overwrites it, so nothing outside the row is touched.
template <int kBytes>
using Width = std::integral_constant<int, kBytes>;

template <int kBytes>
__m128i Load(const uint8_t* p, Width<kBytes>) {
  int32_t v = 0;
  std::memcpy(&v, p, kBytes);
  return _mm_cvtsi32_si128(v);
}

template <int kBytes>
void Store(uint8_t* p, __m128i v, Width<kBytes>) {
  const int32_t x = _mm_cvtsi128_si32(v);
  std::memcpy(p, &x, kBytes);
}

// The bytes moved for a pixel that is not the row's last: 4 with 3 bytes per pixel (one movd), else
// exactly the pixel.
template <int kBpp>
constexpr int kWide = kBpp == 3 ? 4 : kBpp;

// Calls step(byte_offset, width) for each pixel, width being Width<kWide> or, last, Width<kBpp>.
template <int kBpp, typename Step>
void ForEachPixel(size_t pixels, Step&& step) {
  for (size_t i = 0; i + 1 < pixels; ++i) step(i * kBpp, Width<kWide<kBpp>>{});
  if (pixels > 0) step((pixels - 1) * kBpp, Width<kBpp>{});
}

template <int kBpp>
void SubSse2(const uint8_t* in, uint8_t* out, size_t pixels) {
  __m128i a = _mm_setzero_si128();
  ForEachPixel<kBpp>(pixels, [&](size_t at, auto w) {
    a = _mm_add_epi8(a, Load(in + at, w));
    Store(out + at, a, w);
  });
}

template <int kBpp>
void AverageSse2(const uint8_t* in, const uint8_t* prev, uint8_t* out, size_t pixels) {
  const __m128i one = _mm_set1_epi8(1);
  __m128i a = _mm_setzero_si128();
  ForEachPixel<kBpp>(pixels, [&](size_t at, auto w) {
    const __m128i b = Load(prev + at, w);
    // floor((a + b) / 2): pavgb rounds up, so take back the carry of odd sums.
    const __m128i avg = _mm_sub_epi8(_mm_avg_epu8(a, b), _mm_and_si128(_mm_xor_si128(a, b), one));
    a = _mm_add_epi8(avg, Load(in + at, w));
    Store(out + at, a, w);
  });
}

inline __m128i Abs16(__m128i v) { return _mm_max_epi16(v, _mm_sub_epi16(_mm_setzero_si128(), v)); }

inline __m128i Select(__m128i mask, __m128i yes, __m128i no) {
  return _mm_or_si128(_mm_and_si128(mask, yes), _mm_andnot_si128(mask, no));
}

// The Paeth predictor of 16-bit lanes (PNG spec 9.4): whichever of a (left), b (up), c (up-left)
// is nearest to a + b - c, ties in that order.
inline __m128i PaethNearest(__m128i a, __m128i b, __m128i c) {
  const __m128i b_minus_c = _mm_sub_epi16(b, c);
  const __m128i a_minus_c = _mm_sub_epi16(a, c);
  const __m128i pa = Abs16(b_minus_c);
  const __m128i pb = Abs16(a_minus_c);
  const __m128i pc = Abs16(_mm_add_epi16(b_minus_c, a_minus_c));
  const __m128i smallest = _mm_min_epi16(pc, _mm_min_epi16(pa, pb));
  return Select(_mm_cmpeq_epi16(smallest, pa), a, Select(_mm_cmpeq_epi16(smallest, pb), b, c));
}

// In 16-bit lanes, since p = a + b - c needs 10 bits signed.
template <int kBpp>
void PaethSse2(const uint8_t* in, const uint8_t* prev, uint8_t* out, size_t pixels) {
  const __m128i zero = _mm_setzero_si128();
  const __m128i low_byte = _mm_set1_epi16(0xFF);
  __m128i a = zero, c = zero;
  ForEachPixel<kBpp>(pixels, [&](size_t at, auto w) {
    const __m128i b = _mm_unpacklo_epi8(Load(prev + at, w), zero);
    const __m128i x = _mm_unpacklo_epi8(Load(in + at, w), zero);
    a = _mm_and_si128(_mm_add_epi16(PaethNearest(a, b, c), x), low_byte);
    Store(out + at, _mm_packus_epi16(a, a), w);
    c = b;
  });
}

// Two rows that both use Paeth, interleaved to overlap their serial chains: step i computes the
// upper row's pixel i in the low 64 bits and the lower row's pixel i - 1 in the high 64 bits,
// whose `b` is the upper row's pixel i - 1, the low half of the previous step's result. Each step
// is as long as one pixel of PaethSse2 but yields two. kUpper / kLower are the bytes each half
// loads and stores in a step: kWide, kBpp for a row's last pixel, or 0 for none.
template <int kBpp>
class PaethPairSse2 {
 public:
  PaethPairSse2(const uint8_t* in0, const uint8_t* in1, const uint8_t* prev, uint8_t* out0,
                uint8_t* out1)
      : in0_(in0), in1_(in1), prev_(prev), out0_(out0), out1_(out1) {}

  void Run(size_t pixels) {
    if (pixels == 1) {
      Step<kBpp, 0>(0);
    } else {
      constexpr int kW = kWide<kBpp>;
      Step<kW, 0>(0);
      for (size_t i = 1; i + 1 < pixels; ++i) Step<kW, kW>(i);
      Step<kBpp, kW>(pixels - 1);
    }
    Step<0, kBpp>(pixels);
  }

 private:
  template <int kUpper, int kLower>
  void Step(size_t i) {
    const __m128i zero = _mm_setzero_si128();
    __m128i top = zero, x0 = zero, x1 = zero;
    if constexpr (kUpper > 0) {
      top = _mm_unpacklo_epi8(Load(prev_ + i * kBpp, Width<kUpper>{}), zero);
      x0 = _mm_unpacklo_epi8(Load(in0_ + i * kBpp, Width<kUpper>{}), zero);
    }
    if constexpr (kLower > 0) {
      x1 = _mm_unpacklo_epi8(Load(in1_ + (i - 1) * kBpp, Width<kLower>{}), zero);
    }
    const __m128i b = _mm_unpacklo_epi64(top, a_);
    const __m128i x = _mm_unpacklo_epi64(x0, x1);
    a_ = _mm_and_si128(_mm_add_epi16(PaethNearest(a_, b, c_), x), _mm_set1_epi16(0xFF));
    c_ = b;
    const __m128i packed = _mm_packus_epi16(a_, a_);  // bytes 0-3 upper row, 4-7 lower row
    if constexpr (kUpper > 0) Store(out0_ + i * kBpp, packed, Width<kUpper>{});
    if constexpr (kLower > 0) {
      Store(out1_ + (i - 1) * kBpp, _mm_srli_si128(packed, 4), Width<kLower>{});
    }
  }

  const uint8_t* in0_;
  const uint8_t* in1_;
  const uint8_t* prev_;
  uint8_t* out0_;
  uint8_t* out1_;
  __m128i a_ = _mm_setzero_si128();  // left neighbours, 16-bit lanes: upper row low, lower high
  __m128i c_ = _mm_setzero_si128();  // upper-left neighbours, likewise
};

template <int kBpp>
bool UnfilterSse2(PngFilter filter, const uint8_t* in, const uint8_t* prev, uint8_t* out,
                  size_t n) {
  const size_t pixels = n / kBpp;
  switch (filter) {
    case PngFilter::kSub:
      SubSse2<kBpp>(in, out, pixels);
      return true;
    case PngFilter::kAverage:
      AverageSse2<kBpp>(in, prev, out, pixels);
      return true;
    case PngFilter::kPaeth:
      PaethSse2<kBpp>(in, prev, out, pixels);
      return true;
    default:
      return false;  // None and Up: the scalar loops vectorise already
  }
}
#endif  // __SSE2__

}  // namespace

void UnfilterPngRow(PngFilter filter, int bpp, const uint8_t* filtered, const uint8_t* prev,
                    uint8_t* out, size_t row_bytes, UnfilterKernel kernel) {
#if defined(__SSE2__)
  if (kernel == UnfilterKernel::kBest) {
    switch (bpp) {
      case 1:
        if (UnfilterSse2<1>(filter, filtered, prev, out, row_bytes)) return;
        break;
      case 2:
        if (UnfilterSse2<2>(filter, filtered, prev, out, row_bytes)) return;
        break;
      case 3:
        if (UnfilterSse2<3>(filter, filtered, prev, out, row_bytes)) return;
        break;
      case 4:
        if (UnfilterSse2<4>(filter, filtered, prev, out, row_bytes)) return;
        break;
    }
  }
#else
  (void)kernel;
#endif
  UnfilterScalar(filter, static_cast<size_t>(bpp), filtered, prev, out, row_bytes);
}

void UnfilterPngPaethRowPair(int bpp, const uint8_t* filtered0, const uint8_t* filtered1,
                             const uint8_t* prev, uint8_t* out0, uint8_t* out1, size_t row_bytes,
                             UnfilterKernel kernel) {
#if defined(__SSE2__)
  if (kernel == UnfilterKernel::kBest && row_bytes > 0) {
    const size_t pixels = row_bytes / static_cast<size_t>(bpp);
    switch (bpp) {
      case 1:
        return PaethPairSse2<1>(filtered0, filtered1, prev, out0, out1).Run(pixels);
      case 2:
        return PaethPairSse2<2>(filtered0, filtered1, prev, out0, out1).Run(pixels);
      case 3:
        return PaethPairSse2<3>(filtered0, filtered1, prev, out0, out1).Run(pixels);
      case 4:
        return PaethPairSse2<4>(filtered0, filtered1, prev, out0, out1).Run(pixels);
    }
  }
#endif
  UnfilterPngRow(PngFilter::kPaeth, bpp, filtered0, prev, out0, row_bytes, kernel);
  UnfilterPngRow(PngFilter::kPaeth, bpp, filtered1, out0, out1, row_bytes, kernel);
}

}  // namespace photomap::media
