// JpegFrame and RenderEighthScale: the decoded state of an eighth-scale JPEG decode (one DC
// coefficient per block and component) and its conversion to pixels. Internal to
// jpeg_eighth_decoder; plain values.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "media/jpeg_eighth_decoder.h"

namespace photomap::media {

struct JpegPlane {
  int id = 0;
  int h = 1, v = 1;    // sampling factors
  int quant_slot = 0;  // DQT slot named by the frame header
  bool quant_latched = false;
  std::array<uint16_t, 64> quant{};  // that table (zigzag order), latched by the first scan
  // libjpeg decodes 4:2:0 chroma at 1/8 with a 2x2 inverse DCT (its scaled size is 2), which
  // needs AC coefficients: sequential scans do that into `quads`, 2x2 levels per block.
  bool two_by_two = false;
  std::vector<uint8_t> quads;  // (2 * blocks_w) x (2 * blocks_h) when two_by_two
  int64_t blocks_w = 0;        // the coded block grid (whole MCUs)
  int64_t blocks_h = 0;
  int64_t real_w = 0;  // blocks that hold image samples
  int64_t real_h = 0;
  std::vector<int32_t> dc;  // quantised DC coefficients, blocks_w * blocks_h
  bool coded = false;       // some scan gave its DC coefficients
};

struct JpegFrame {
  int64_t width = 0, height = 0;
  bool progressive = false;
  int hmax = 1, vmax = 1;
  int64_t mcus_w = 0, mcus_h = 0;
  std::vector<JpegPlane> components;  // 1 (grey) or 3 (YCbCr)
};

// libjpeg's reduced 2x2 inverse DCT of one dequantised block (row-major 8x8): the mean of each
// 4x4 quadrant of the full inverse DCT, level-shifted and clamped. Writes out[0], out[1] and
// out[stride], out[stride + 1].
void InverseDct2x2(const int32_t* natural, uint8_t* out, size_t stride);

// One pixel per luma block: the DC level of every component (libjpeg's 1/8 inverse DCT),
// subsampled planes triangle-interpolated up to the luma grid, YCbCr converted to RGB.
EighthScaleJpeg RenderEighthScale(const JpegFrame& frame);

}  // namespace photomap::media
