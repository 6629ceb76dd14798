#include "index/file_decoder.h"

#include <algorithm>
#include <cmath>

#include "media/capture_time.h"
#include "media/decoder.h"
#include "media/metadata_extractor.h"
#include "media/video_frame.h"
#include "scan/image_header.h"

namespace photomap::index {
namespace {

int MinShortSide(const model::PreprocessConfig& p) {
  if (p.resize_mode == model::PreprocessConfig::ResizeMode::kShortestEdge) return p.shortest_edge;
  return std::max(p.resize_width, p.resize_height);
}

// The displayed size: the header's stored size, turned when the oriented decode is turned. The
// decode may be shrunk (its sides rounded), so "turned" means its aspect is closer to the turned
// stored size than to the stored size; a tie (a nearly square picture) is not turned.
void SetDisplayedSize(const std::string& path, const RgbImage& decoded, ImageRecord* r) {
  r->width = decoded.width;
  r->height = decoded.height;
  auto header = scan::ReadImageHeader(path);
  if (!header.ok() || header->width <= 0 || header->height <= 0) return;
  const double dw = decoded.width, dh = decoded.height;
  const double sw = static_cast<double>(header->width), sh = static_cast<double>(header->height);
  const bool turned = std::fabs(dw * sw - dh * sh) < std::fabs(dw * sh - dh * sw);
  r->width = static_cast<int>(turned ? header->height : header->width);
  r->height = static_cast<int>(turned ? header->width : header->height);
}

}  // namespace

Result<DecodedFile> DecodeForIndex(const scan::ScanEntry& entry,
                                   const model::PreprocessConfig& preprocess,
                                   const std::string& encoder_spec,
                                   const std::atomic<bool>* cancel) {
  DecodedFile out;
  ImageRecord& r = out.record;
  r.path = entry.path;
  r.size_bytes = static_cast<int64_t>(entry.size_bytes);
  r.mtime = entry.mtime;
  r.encoder_spec = encoder_spec;
  RgbImage pixels;
  if (entry.kind == scan::MediaKind::kVideo) {
    media::VideoFrameOptions options;
    options.cancel = cancel;
    auto frame = media::ExtractVideoFrame(entry.path, options);
    if (!frame.ok()) return frame.error();
    r.media_type = "video";
    r.width = frame->display_width;
    r.height = frame->display_height;
    r.sort_time = entry.mtime;  // videos always sort by file mtime (backend-spec §4.5)
    r.metadata_json = "{}";
    pixels = std::move(frame->image);
  } else {
    auto decoded = media::DecodeForModel(entry.path, MinShortSide(preprocess));
    if (!decoded.ok()) return decoded.error();
    r.media_type = "image";
    SetDisplayedSize(entry.path, *decoded, &r);
    auto metadata = media::ExtractMetadata(entry.path);
    nlohmann::json dict = metadata.ok() ? *metadata : nlohmann::json::object();
    auto when = media::ResolveCaptureTime(dict, entry.path);
    r.sort_time = when.ok() ? when->epoch_seconds : entry.mtime;
    r.metadata_json = dict.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    pixels = std::move(decoded).value();
  }
  auto tensor = model::Preprocess(pixels, preprocess);
  if (!tensor.ok()) return tensor.error().WithContext(entry.path);
  out.pixels = std::move(tensor).value();
  return out;
}

}  // namespace photomap::index
