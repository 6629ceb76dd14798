#include "media/video_probe.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>

#include "media/av_handles.h"
#include "media/video_input.h"

namespace photomap::media {
namespace {

std::optional<double> RationalValue(AVRational r) {
  if (r.num <= 0 || r.den <= 0) return std::nullopt;
  return av_q2d(r);
}

}  // namespace

bool IsWebPlayableVideo(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".mp4" || ext == ".m4v" || ext == ".mov" || ext == ".webm";
}

Result<VideoInfo> ProbeVideo(const std::filesystem::path& path, const VideoProbeOptions& options) {
  av::Interrupt interrupt;
  interrupt.deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options.timeout_ms);
  interrupt.cancel = options.cancel;
  Result<OpenedVideo> opened = OpenVideo(path, interrupt);
  if (!opened.ok()) return std::move(opened).error();
  const AVFormatContext* fmt = opened->format.get();
  const AVStream* st = fmt->streams[opened->video_stream];
  const AVCodecParameters* par = st->codecpar;

  VideoInfo info;
  if (fmt->duration > 0 && fmt->duration != AV_NOPTS_VALUE) {
    info.duration_s = static_cast<double>(fmt->duration) / AV_TIME_BASE;
  } else if (st->duration > 0 && st->duration != AV_NOPTS_VALUE) {
    info.duration_s = static_cast<double>(st->duration) * av_q2d(st->time_base);
  }
  info.fps = RationalValue(st->avg_frame_rate);
  if (!info.fps) info.fps = RationalValue(st->r_frame_rate);
  info.coded_width = par->width;
  info.coded_height = par->height;
  info.rotation_cw = DisplayRotationClockwise(st);
  // Sample aspect ratio (anamorphic video) widens the displayed frame, as ffmpeg's scale=iw*sar.
  int display_w = par->width;
  const AVRational sar = av_guess_sample_aspect_ratio(const_cast<AVFormatContext*>(fmt),
                                                      const_cast<AVStream*>(st), nullptr);
  if (sar.num > 0 && sar.den > 0 && sar.num != sar.den) {
    display_w = static_cast<int>(std::lround(par->width * av_q2d(sar)));
  }
  const bool swap = info.rotation_cw == 90 || info.rotation_cw == 270;
  info.width = swap ? par->height : display_w;
  info.height = swap ? display_w : par->height;
  info.codec = avcodec_get_name(par->codec_id);
  info.container = fmt->iformat != nullptr ? fmt->iformat->name : "";
  for (unsigned i = 0; i < fmt->nb_streams; ++i) {
    if (fmt->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_AUDIO) info.has_audio = true;
  }
  info.playable = IsWebPlayableVideo(path);
  return info;
}

nlohmann::json VideoInfoToJson(const VideoInfo& info) {
  nlohmann::json out = nlohmann::json::object();
  if (info.duration_s && std::isfinite(*info.duration_s)) out["duration"] = *info.duration_s;
  if (info.fps && std::isfinite(*info.fps)) out["fps"] = *info.fps;
  if (info.width > 0 && info.height > 0) {
    out["width"] = info.width;
    out["height"] = info.height;
  }
  if (!info.codec.empty()) out["codec"] = info.codec;
  if (!info.container.empty()) out["container"] = info.container;
  out["playable"] = info.playable;
  out["rotation"] = info.rotation_cw;
  out["has_audio"] = info.has_audio;
  if (info.coded_width > 0 && info.coded_height > 0) {
    out["coded_width"] = info.coded_width;
    out["coded_height"] = info.coded_height;
  }
  return out;
}

}  // namespace photomap::media
