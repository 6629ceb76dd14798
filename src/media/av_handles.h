// RAII owners for the FFmpeg (libav* 5.1) objects photomap uses, and the interrupt state that lets
// a deadline or a cancel flag stop a blocking libav call. No bare free calls in logic code.
// Owners are move-only; each object belongs to one thread at a time.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libswscale/swscale.h>
}

#include <atomic>
#include <chrono>
#include <memory>

namespace photomap::media::av {

struct FormatContextCloser {
  void operator()(AVFormatContext* ctx) const { avformat_close_input(&ctx); }
};
struct CodecContextFreer {
  void operator()(AVCodecContext* ctx) const { avcodec_free_context(&ctx); }
};
struct FrameFreer {
  void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};
struct PacketFreer {
  void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
struct SwsContextFreer {
  void operator()(SwsContext* ctx) const { sws_freeContext(ctx); }
};

using FormatContextPtr = std::unique_ptr<AVFormatContext, FormatContextCloser>;
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextFreer>;
using FramePtr = std::unique_ptr<AVFrame, FrameFreer>;
using PacketPtr = std::unique_ptr<AVPacket, PacketFreer>;
using SwsContextPtr = std::unique_ptr<SwsContext, SwsContextFreer>;

// Stops libav I/O once the deadline passes or *cancel becomes true. Must outlive the
// AVFormatContext it is installed in (InstallInterrupt keeps a pointer to it).
struct Interrupt {
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  const std::atomic<bool>* cancel = nullptr;

  bool TimedOut() const { return std::chrono::steady_clock::now() >= deadline; }
  bool Cancelled() const { return cancel != nullptr && cancel->load(std::memory_order_relaxed); }
  bool ShouldStop() const { return Cancelled() || TimedOut(); }

  // The AVIOInterruptCB callback: non-zero aborts the blocking call.
  static int Callback(void* opaque) {
    return static_cast<const Interrupt*>(opaque)->ShouldStop() ? 1 : 0;
  }
};

}  // namespace photomap::media::av
