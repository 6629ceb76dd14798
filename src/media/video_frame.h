// One still frame of a video as upright sRGB pixels (backend-spec §9.2): the frame at 1 s, or the
// first frame when the video is shorter; anamorphic pixels squared, display rotation applied like
// ffmpeg's autorotate, long side capped at 2048 px. Decoded with libav and converted with swscale,
// under a deadline and an optional cancel flag. Thread-safe; calls are independent.
#pragma once

#include <atomic>
#include <filesystem>

#include "util/image.h"
#include "util/status.h"

namespace photomap::media {

struct VideoFrameOptions {
  // Where to take the frame, seconds from the start; shorter videos give their first frame.
  double seek_seconds = 1.0;
  // Long side of the returned image at most this many pixels (PhotoMapAI: 2048); 0 = no cap.
  int max_long_side_px = 2048;
  // Wall-clock budget for the whole extraction, including the fallback attempt.
  int timeout_ms = 20000;
  // Decoder threads per call. 1 is best when many videos are processed in parallel.
  int decoder_threads = 1;
  // When set and true, extraction stops with Cancelled at its next check.
  const std::atomic<bool>* cancel = nullptr;
};

struct VideoFrame {
  RgbImage image;                 // upright, long side <= max_long_side_px
  int display_width = 0;          // size after rotation and SAR correction, before the downscale
  int display_height = 0;         //   (PhotoMapAI's VideoInfo width/height)
  double timestamp_s = 0;         // presentation time of the frame, from the stream start
  bool from_first_frame = false;  // true when the seek found no frame and the first one was used
};

// Extracts the still frame of the video at `path`.
// Errors: NotFound (no file); Corrupt (unparseable, truncated, undecodable or timed out, with
// libav's reason); Unsupported (no video stream, or no decoder for its codec); Cancelled.
Result<VideoFrame> ExtractVideoFrame(const std::filesystem::path& path,
                                     const VideoFrameOptions& options = {});

// Returns `image` rotated clockwise by `degrees_cw` (0, 90, 180 or 270; others return a copy).
RgbImage RotateClockwise(const RgbImage& image, int degrees_cw);

}  // namespace photomap::media
