// Facts about a video file (backend-spec §9.2 VideoInfo) read with libav, without decoding a frame:
// duration, frame rate, size as displayed, rotation, codec, container, audio presence. Bounded in
// time by a deadline and an optional cancel flag. Thread-safe; calls are independent.
#pragma once

#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <optional>
#include <string>

#include "util/status.h"

namespace photomap::media {

struct VideoProbeOptions {
  // Wall-clock budget for opening and probing; a stalled or pathological file fails after it.
  int timeout_ms = 10000;
  // When set and true, the probe stops with Cancelled at its next I/O check.
  const std::atomic<bool>* cancel = nullptr;
};

struct VideoInfo {
  std::optional<double> duration_s;  // container duration, else the video stream's
  std::optional<double> fps;         // average frame rate, else the stream's real base rate
  int coded_width = 0;               // as stored in the stream
  int coded_height = 0;
  int width = 0;  // as displayed: sample aspect ratio and rotation applied
  int height = 0;
  int rotation_cw = 0;    // clockwise degrees (0/90/180/270) that make it upright
  std::string codec;      // libav codec name, e.g. "h264", "vp9"
  std::string container;  // libav demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
  bool has_audio = false;
  bool playable = false;  // suffix is one browsers play (.mp4 .m4v .mov .webm)
};

// Probes the video at `path`.
// Errors: NotFound (no file); Corrupt (unparseable or truncated, with libav's reason such as
// "moov atom not found", or timed out); Unsupported (no video stream); Cancelled.
Result<VideoInfo> ProbeVideo(const std::filesystem::path& path,
                             const VideoProbeOptions& options = {});

// Returns true when the suffix of `path` (case-insensitive) is one browsers play natively.
bool IsWebPlayableVideo(const std::filesystem::path& path);

// Returns the PhotoMapAI VideoInfo dict {duration, fps, width, height, codec, container, playable}
// (absent facts omitted) plus photomap's extra keys rotation, has_audio, coded_width and
// coded_height. Stored under "photomap_video" in a video's metadata.
nlohmann::json VideoInfoToJson(const VideoInfo& info);

}  // namespace photomap::media
