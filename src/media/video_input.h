// Opening a video file with libav under a deadline, and the facts every video operation needs:
// the real video stream (cover art excluded) and its display rotation. Shared by video_probe and
// video_frame. Each OpenedVideo belongs to one thread at a time.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "media/av_handles.h"
#include "util/status.h"

namespace photomap::media {

struct OpenedVideo {
  // Heap-allocated so its address, which libav keeps, survives moves of OpenedVideo.
  std::unique_ptr<av::Interrupt> interrupt;
  av::FormatContextPtr format;
  int video_stream = -1;  // index of the first video stream that is not an attached picture
};

// Opens `path`, reads stream info and picks the video stream. `interrupt` bounds the time.
// Errors: NotFound (no file); Corrupt (libav cannot parse it, with libav's own reason such as
// "moov atom not found", or the deadline passed); Unsupported (not a regular file, a still image,
// or no video stream: audio only, cover art); Cancelled (the interrupt's cancel flag).
Result<OpenedVideo> OpenVideo(const std::filesystem::path& path, const av::Interrupt& interrupt);

// Returns the clockwise rotation in degrees (0, 90, 180 or 270) that displays the stream upright,
// from its display matrix, as ffmpeg's autorotate applies it. 0 when there is no matrix.
int DisplayRotationClockwise(const AVStream* stream);

}  // namespace photomap::media
