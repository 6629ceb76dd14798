#include "media/video_input.h"

extern "C" {
#include <libavutil/display.h>
}

#include <cmath>
#include <system_error>

#include "media/av_log.h"

namespace photomap::media {
namespace {

// Bounds on how much of a file libav may read to identify its streams.
constexpr int64_t kProbeSizeBytes = 8 << 20;
constexpr int64_t kAnalyzeDurationUs = 5'000'000;

Error OpenFailure(const std::filesystem::path& path, const char* what, int rc,
                  const AvLogCapture& log, const av::Interrupt& interrupt) {
  if (interrupt.Cancelled()) return Cancelled(path.string() + ": video read cancelled");
  if (interrupt.TimedOut()) {
    return Corrupt(path.string() + ": " + what + ": timed out (file stalls or is pathological)");
  }
  std::string reason = log.Joined();
  const std::string av_text = AvErrorText(rc);
  reason = reason.empty() ? av_text : reason + " (" + av_text + ")";
  return Corrupt(path.string() + ": " + what + ": " + reason);
}

}  // namespace

Result<OpenedVideo> OpenVideo(const std::filesystem::path& path, const av::Interrupt& interrupt) {
  EnsureAvLogInstalled();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    if (!std::filesystem::exists(path, ec)) return NotFound(path.string() + ": no such file");
    return Unsupported(path.string() + ": not a regular file");
  }
  OpenedVideo video;
  video.interrupt = std::make_unique<av::Interrupt>(interrupt);
  AVFormatContext* raw = avformat_alloc_context();
  if (raw == nullptr) return Internal("avformat_alloc_context failed (out of memory)");
  raw->interrupt_callback.callback = &av::Interrupt::Callback;
  raw->interrupt_callback.opaque = video.interrupt.get();
  raw->probesize = kProbeSizeBytes;
  raw->max_analyze_duration = kAnalyzeDurationUs;
  AvLogCapture log;
  // On failure avformat_open_input frees `raw` itself.
  int rc = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
  if (rc < 0) return OpenFailure(path, "cannot open video", rc, log, *video.interrupt);
  video.format.reset(raw);
  // libav opens still images as one-frame "videos" (image2, *_pipe, gif); photomap does not.
  const std::string demuxer = raw->iformat != nullptr ? raw->iformat->name : "";
  if (demuxer == "image2" || demuxer == "gif" || demuxer == "apng" ||
      (demuxer.size() > 5 && demuxer.compare(demuxer.size() - 5, 5, "_pipe") == 0)) {
    return Unsupported(path.string() + ": a still image (" + demuxer + "), not a video");
  }
  rc = avformat_find_stream_info(raw, nullptr);
  if (rc < 0) return OpenFailure(path, "cannot read stream info", rc, log, *video.interrupt);
  for (unsigned i = 0; i < raw->nb_streams; ++i) {
    const AVStream* st = raw->streams[i];
    if (st->codecpar->codec_type != AVMEDIA_TYPE_VIDEO) continue;
    if (st->disposition & AV_DISPOSITION_ATTACHED_PIC) continue;  // cover art is not a video
    video.video_stream = static_cast<int>(i);
    break;
  }
  if (video.video_stream < 0) {
    return Unsupported(path.string() + ": no video stream (audio only, cover art or not a video)");
  }
  return video;
}

int DisplayRotationClockwise(const AVStream* stream) {
  const uint8_t* matrix = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, nullptr);
  if (matrix == nullptr) return 0;
  // av_display_rotation_get gives the counter-clockwise angle the matrix applies; ffmpeg's
  // autorotate undoes it, so the display rotation clockwise is its negation.
  const double ccw = av_display_rotation_get(reinterpret_cast<const int32_t*>(matrix));
  if (std::isnan(ccw)) return 0;
  int cw = static_cast<int>(std::lround(-ccw)) % 360;
  if (cw < 0) cw += 360;
  return ((cw + 45) / 90 % 4) * 90;  // snap to a quarter turn
}

}  // namespace photomap::media
