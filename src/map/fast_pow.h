// FastPow: x^p for the UMAP gradient, from polynomial log2 and exp2 (relative error ~1e-5).
//
// powf dominates the SGD's inner loop and sits on its serial dependency chain; these pure float
// polynomials are about 5x cheaper and give the same bits on every run (no library dispatch).
// Inputs outside the SGD's range (x <= 0, inf, NaN) are not supported.
#pragma once

#include <bit>
#include <cstdint>

namespace photomap::map {

// log2(x) for finite x > 0 (denormals are treated as the smallest normal).
inline float FastLog2(float x) {
  const uint32_t bits = std::bit_cast<uint32_t>(x < 1.17549435e-38f ? 1.17549435e-38f : x);
  const float e = static_cast<float>(static_cast<int32_t>(bits >> 23) - 127);
  const float f = std::bit_cast<float>((bits & 0x007fffffu) | 0x3f800000u) - 1.0f;  // [0, 1)
  // Chebyshev fit of log2(1 + f) on [0, 1), degree 6 (max error 5e-6).
  float p = -0.024825984f;
  p = p * f + 0.11790686f;
  p = p * f - 0.27235583f;
  p = p * f + 0.45385821f;
  p = p * f - 0.71698757f;
  p = p * f + 1.44239559f;
  p = p * f + 5.0603280e-06f;
  return e + p;
}

// 2^y, saturating to 0 below 2^-126 and to 2^127 above.
inline float FastExp2(float y) {
  if (y < -126.0f) return 0.0f;
  if (y > 127.0f) y = 127.0f;
  const float fl = static_cast<float>(static_cast<int32_t>(y) -
                                      (y < static_cast<float>(static_cast<int32_t>(y))));
  const float f = y - fl;  // [0, 1)
  // Chebyshev fit of 2^f on [0, 1), degree 5 (max relative error 2.3e-7).
  float p = 0.0018943794f;
  p = p * f + 0.0089405825f;
  p = p * f + 0.055876557f;
  p = p * f + 0.24013169f;
  p = p * f + 0.69315678f;
  p = p * f + 0.99999977f;
  const uint32_t scale = static_cast<uint32_t>(static_cast<int32_t>(fl) + 127) << 23;
  return p * std::bit_cast<float>(scale);
}

// x^p for finite x > 0.
inline float FastPow(float x, float p) { return FastExp2(p * FastLog2(x)); }

}  // namespace photomap::map
