#include "media/video_frame.h"

extern "C" {
#include <libavutil/pixdesc.h>
}

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>

#include "media/av_handles.h"
#include "media/av_log.h"
#include "media/video_input.h"

namespace photomap::media {
namespace {

constexpr int kMaxPacketsPerAttempt = 20000;  // a sane seek decodes at most a GOP or two

struct Decoder {
  av::CodecContextPtr ctx;
  int stream = -1;
};

Result<Decoder> OpenDecoder(const OpenedVideo& video, const std::filesystem::path& path,
                            int threads) {
  const AVStream* st = video.format->streams[video.video_stream];
  const AVCodec* codec = avcodec_find_decoder(st->codecpar->codec_id);
  if (codec == nullptr) {
    return Unsupported(path.string() + ": no decoder for codec " +
                       avcodec_get_name(st->codecpar->codec_id));
  }
  Decoder dec{av::CodecContextPtr(avcodec_alloc_context3(codec)), video.video_stream};
  if (!dec.ctx) return Internal("avcodec_alloc_context3 failed (out of memory)");
  if (avcodec_parameters_to_context(dec.ctx.get(), st->codecpar) < 0) {
    return Corrupt(path.string() + ": invalid codec parameters");
  }
  dec.ctx->thread_count = std::max(1, threads);
  dec.ctx->pkt_timebase = st->time_base;
  AvLogCapture log;
  if (const int rc = avcodec_open2(dec.ctx.get(), codec, nullptr); rc < 0) {
    return Corrupt(path.string() + ": cannot open decoder: " + AvErrorText(rc));
  }
  return dec;
}

Error StopError(const std::filesystem::path& path, const av::Interrupt& interrupt) {
  if (interrupt.Cancelled()) return Cancelled(path.string() + ": frame extraction cancelled");
  return Corrupt(path.string() + ": frame extraction timed out");
}

// Decodes until a frame with timestamp >= target (in stream time base) appears. Returns the frame,
// nullptr at end of stream, or an error.
Result<av::FramePtr> DecodeUntil(OpenedVideo& video, Decoder& dec, int64_t target,
                                 const std::filesystem::path& path) {
  av::PacketPtr packet(av_packet_alloc());
  av::FramePtr frame(av_frame_alloc());
  if (!packet || !frame) return Internal("av_packet_alloc/av_frame_alloc failed");
  AvLogCapture log;
  bool draining = false;
  for (int packets = 0; packets < kMaxPacketsPerAttempt; ++packets) {
    if (video.interrupt->ShouldStop()) return StopError(path, *video.interrupt);
    if (!draining) {
      const int rc = av_read_frame(video.format.get(), packet.get());
      if (rc == AVERROR_EOF || rc == AVERROR(EIO)) {
        draining = true;
        avcodec_send_packet(dec.ctx.get(), nullptr);
      } else if (rc < 0) {
        if (video.interrupt->ShouldStop()) return StopError(path, *video.interrupt);
        return Corrupt(path.string() + ": read error: " + AvErrorText(rc));
      } else {
        const bool ours = packet->stream_index == dec.stream;
        // Frames shown before the target are only decoded to rebuild references: frames nothing
        // refers to can be skipped outright (half or more of a typical GOP).
        dec.ctx->skip_frame = (packet->pts != AV_NOPTS_VALUE && packet->pts < target)
                                  ? AVDISCARD_NONREF
                                  : AVDISCARD_DEFAULT;
        const int sent = ours ? avcodec_send_packet(dec.ctx.get(), packet.get()) : 0;
        av_packet_unref(packet.get());
        if (sent < 0 && sent != AVERROR(EAGAIN) && sent != AVERROR_INVALIDDATA) {
          return Corrupt(path.string() + ": decode error: " + AvErrorText(sent));
        }
        if (!ours) continue;
      }
    }
    while (true) {
      const int rc = avcodec_receive_frame(dec.ctx.get(), frame.get());
      if (rc == AVERROR(EAGAIN)) break;
      if (rc == AVERROR_EOF) return av::FramePtr();
      if (rc < 0) {
        return Corrupt(path.string() + ": decode error: " + AvErrorText(rc) +
                       (log.messages().empty() ? "" : " (" + log.Joined() + ")"));
      }
      const int64_t ts = frame->best_effort_timestamp;
      if (ts == AV_NOPTS_VALUE || ts >= target) return frame;
      av_frame_unref(frame.get());
    }
  }
  return Corrupt(path.string() + ": no frame after " + std::to_string(kMaxPacketsPerAttempt) +
                 " packets");
}

int SwsColorspace(const AVFrame* frame) {
  const int cs = frame->colorspace;
  return (cs >= 1 && cs <= 10 && cs != AVCOL_SPC_UNSPECIFIED) ? cs : SWS_CS_DEFAULT;
}

bool IsFullRange(const AVFrame* frame) {
  if (frame->color_range == AVCOL_RANGE_JPEG) return true;
  const auto f = static_cast<AVPixelFormat>(frame->format);
  return f == AV_PIX_FMT_YUVJ420P || f == AV_PIX_FMT_YUVJ422P || f == AV_PIX_FMT_YUVJ444P ||
         f == AV_PIX_FMT_YUVJ440P;
}

// Converts `frame` to RGB at the displayed aspect, scaled so the long side fits `max_long`.
Result<RgbImage> ToRgb(const AVFrame* frame, AVRational sar, int max_long, int* display_w,
                       int* display_h) {
  const int w = frame->width, h = frame->height;
  if (w <= 0 || h <= 0) return Corrupt("decoded frame has no size");
  int sw = w;
  if (sar.num > 0 && sar.den > 0 && sar.num != sar.den) {
    sw = std::max(1, static_cast<int>(std::lround(w * av_q2d(sar))));
  }
  *display_w = sw;
  *display_h = h;
  double scale = 1.0;
  if (max_long > 0 && std::max(sw, h) > max_long)
    scale = static_cast<double>(max_long) / std::max(sw, h);
  const int tw = std::max(1, static_cast<int>(std::lround(sw * scale)));
  const int th = std::max(1, static_cast<int>(std::lround(h * scale)));
  av::SwsContextPtr sws(sws_getContext(
      w, h, static_cast<AVPixelFormat>(frame->format), tw, th, AV_PIX_FMT_RGB24,
      SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, nullptr, nullptr, nullptr));
  if (!sws) {
    const char* name = av_get_pix_fmt_name(static_cast<AVPixelFormat>(frame->format));
    return Unsupported(std::string("cannot convert pixel format ") + (name ? name : "?"));
  }
  const int* coeffs = sws_getCoefficients(SwsColorspace(frame));
  sws_setColorspaceDetails(sws.get(), coeffs, IsFullRange(frame) ? 1 : 0,
                           sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16);
  RgbImage image;
  image.width = tw;
  image.height = th;
  image.pixels.resize(static_cast<size_t>(tw) * th * 3);
  uint8_t* dst[4] = {image.pixels.data(), nullptr, nullptr, nullptr};
  int dst_stride[4] = {tw * 3, 0, 0, 0};
  if (sws_scale(sws.get(), frame->data, frame->linesize, 0, h, dst, dst_stride) != th) {
    return Corrupt("pixel conversion failed");
  }
  return image;
}

// One attempt: open, optionally seek, decode the first frame at or after the target.
Result<av::FramePtr> Attempt(const std::filesystem::path& path, const VideoFrameOptions& options,
                             const av::Interrupt& interrupt, double seek_seconds,
                             OpenedVideo& video, AVRational* sar, int* rotation, double* ts_s) {
  Result<OpenedVideo> opened = OpenVideo(path, interrupt);
  if (!opened.ok()) return std::move(opened).error();
  video = std::move(opened).value();
  Result<Decoder> dec = OpenDecoder(video, path, options.decoder_threads);
  if (!dec.ok()) return std::move(dec).error();
  AVStream* st = video.format->streams[video.video_stream];
  const int64_t start = st->start_time != AV_NOPTS_VALUE ? st->start_time : 0;
  int64_t target = start;
  if (seek_seconds > 0) {
    target = start + av_rescale_q(static_cast<int64_t>(seek_seconds * AV_TIME_BASE), AV_TIME_BASE_Q,
                                  st->time_base);
    // A failed seek leaves the reader at the start; decoding forward still reaches the target.
    if (av_seek_frame(video.format.get(), video.video_stream, target, AVSEEK_FLAG_BACKWARD) >= 0) {
      avcodec_flush_buffers(dec->ctx.get());
    }
  }
  Result<av::FramePtr> frame = DecodeUntil(video, *dec, target, path);
  if (frame.ok() && *frame) {
    *sar = (*frame)->sample_aspect_ratio.num > 0 ? (*frame)->sample_aspect_ratio
                                                 : st->codecpar->sample_aspect_ratio;
    *rotation = DisplayRotationClockwise(st);
    const int64_t ts = (*frame)->best_effort_timestamp;
    *ts_s = ts == AV_NOPTS_VALUE ? 0.0 : (ts - start) * av_q2d(st->time_base);
  }
  return frame;
}

}  // namespace

RgbImage RotateClockwise(const RgbImage& image, int degrees_cw) {
  if (degrees_cw != 90 && degrees_cw != 180 && degrees_cw != 270) return image;
  const int w = image.width, h = image.height;
  RgbImage out;
  out.width = degrees_cw == 180 ? w : h;
  out.height = degrees_cw == 180 ? h : w;
  out.pixels.resize(image.pixels.size());
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      int nx, ny;
      if (degrees_cw == 90) {
        nx = h - 1 - y;
        ny = x;
      } else if (degrees_cw == 180) {
        nx = w - 1 - x;
        ny = h - 1 - y;
      } else {
        nx = y;
        ny = w - 1 - x;
      }
      std::memcpy(&out.pixels[(static_cast<size_t>(ny) * out.width + nx) * 3],
                  &image.pixels[(static_cast<size_t>(y) * w + x) * 3], 3);
    }
  }
  return out;
}

Result<VideoFrame> ExtractVideoFrame(const std::filesystem::path& path,
                                     const VideoFrameOptions& options) {
  av::Interrupt interrupt;
  interrupt.deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options.timeout_ms);
  interrupt.cancel = options.cancel;
  OpenedVideo video;
  AVRational sar{0, 1};
  int rotation = 0;
  VideoFrame out;
  Result<av::FramePtr> frame = Attempt(path, options, interrupt, options.seek_seconds, video, &sar,
                                       &rotation, &out.timestamp_s);
  if (frame.ok() && !*frame && options.seek_seconds > 0) {
    // Shorter than the seek (or the seek overshot): take the first frame, as PhotoMapAI's second
    // ffmpeg attempt does.
    out.from_first_frame = true;
    frame = Attempt(path, options, interrupt, 0.0, video, &sar, &rotation, &out.timestamp_s);
  }
  if (!frame.ok()) return std::move(frame).error();
  if (!*frame) return Corrupt(path.string() + ": video has no decodable frame");
  int dw = 0, dh = 0;
  Result<RgbImage> rgb = ToRgb(frame->get(), sar, options.max_long_side_px, &dw, &dh);
  if (!rgb.ok()) return rgb.error().WithContext(path.string());
  out.image = RotateClockwise(*rgb, rotation);
  const bool swap = rotation == 90 || rotation == 270;
  out.display_width = swap ? dh : dw;
  out.display_height = swap ? dw : dh;
  return out;
}

}  // namespace photomap::media
