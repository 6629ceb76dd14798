#include "media/metadata_extractor.h"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdio>
#include <memory>
#include <optional>
#include <system_error>

#include "media/exif_reader.h"
#include "media/invokeai_metadata.h"

namespace photomap::media {
namespace {

using nlohmann::json;

Result<std::string> ReadHead(const std::filesystem::path& path, size_t n) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) {
    const int err = errno;
    if (err == ENOENT) return NotFound(path.string() + ": no such file");
    return ErrnoError(path.string() + ": cannot open", err);
  }
  std::string head(n, '\0');
  head.resize(std::fread(head.data(), 1, n, f.get()));
  if (std::ferror(f.get())) return ErrnoError(path.string() + ": cannot read", errno);
  return head;
}

json GpsToJson(const GpsFix& gps) {
  json out = json::object();
  if (gps.latitude_deg) out["latitude"] = *gps.latitude_deg;
  if (gps.longitude_deg) out["longitude"] = *gps.longitude_deg;
  if (gps.altitude_m) out["altitude_m"] = *gps.altitude_m;
  if (!gps.latitude_ref.empty()) out["latitude_ref"] = gps.latitude_ref;
  if (!gps.longitude_ref.empty()) out["longitude_ref"] = gps.longitude_ref;
  if (gps.altitude_ref >= 0) out["altitude_ref"] = gps.altitude_ref;
  if (!gps.time_utc.empty()) out["time_utc"] = gps.time_utc;
  if (!gps.date_utc.empty()) out["date_utc"] = gps.date_utc;
  return out;
}

json XmpToJson(const XmpSummary& xmp) {
  json out = json::object();
  if (!xmp.title.empty()) out["title"] = xmp.title;
  if (!xmp.description.empty()) out["description"] = xmp.description;
  if (xmp.rating) out["rating"] = *xmp.rating;
  if (!xmp.keywords.empty()) out["keywords"] = xmp.keywords;
  if (!xmp.creators.empty()) out["creators"] = xmp.creators;
  return out;
}

std::optional<DreamCommand> FindDream(const std::vector<PngTextChunk>& chunks) {
  for (auto it = chunks.rbegin(); it != chunks.rend(); ++it) {
    if (it->keyword != "Dream") continue;
    Result<DreamCommand> dream = ParseDreamCommand(it->text);
    if (dream.ok()) return std::move(dream).value();
    return std::nullopt;
  }
  return std::nullopt;
}

// Strategies 1-3 of §8.1: InvokeAI JSON from PNG text. Returns true when one matched.
bool TryInvokeAi(const std::filesystem::path& path, const MetadataOptions& options,
                 ExtractedMetadata& out, std::optional<DreamCommand>& dream) {
  Result<PngTextResult> png = ReadPngText(path, options.png_limits);
  if (!png.ok()) {
    out.warnings.push_back(png.error().message);
    return false;
  }
  for (const std::string& w : png->warnings) out.warnings.push_back("PNG: " + w);
  dream = FindDream(png->chunks);
  std::optional<InvokeJson> found = FindInvokeJson(png->chunks, &out.warnings);
  if (!found) return false;
  out.source = found->key;
  out.dict = std::move(found->json);
  if (!options.include_photomap_keys) return true;
  Result<InvokeMetadata> parsed = ParseInvokeMetadata(out.dict);
  if (parsed.ok()) {
    json normalised = InvokeMetadataToJson(*parsed);
    normalised["source_key"] = out.source;
    if (dream) normalised["dream"] = DreamCommandToJson(*dream);
    out.dict["photomap_invokeai"] = std::move(normalised);
  } else {
    out.warnings.push_back(parsed.error().message);
  }
  return true;
}

// Strategy 4 of §8.1: EXIF (+ GPS), plus XMP and the exact rationals.
void TryExif(const std::filesystem::path& path, const MetadataOptions& options,
             ExtractedMetadata& out) {
  Result<ExifRecord> exif = ReadExif(path);
  if (!exif.ok()) {
    if (exif.error().kind != ErrorKind::kUnsupported) out.warnings.push_back(exif.error().message);
    return;
  }
  for (std::string& w : exif->warnings) out.warnings.push_back("EXIF: " + std::move(w));
  if (!exif->tags.empty()) {
    out.source = "exif";
    out.dict.update(exif->tags);
  }
  if (!options.include_photomap_keys) return;
  if (!exif->rationals.empty()) out.dict["photomap_rationals"] = std::move(exif->rationals);
  if (json gps = GpsToJson(exif->gps); !gps.empty()) out.dict["photomap_gps"] = std::move(gps);
  if (json xmp = XmpToJson(exif->xmp); !xmp.empty()) out.dict["photomap_xmp"] = std::move(xmp);
}

}  // namespace

Result<ExtractedMetadata> ExtractMetadataDetailed(const std::filesystem::path& path,
                                                  const MetadataOptions& options) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return NotFound(path.string() + ": no such file");
  if (std::filesystem::is_directory(path, ec)) {
    return InvalidInput(path.string() + ": is a directory, not an image");
  }
  Result<std::string> head = ReadHead(path, 8);
  if (!head.ok()) return std::move(head).error();
  ExtractedMetadata out;
  std::optional<DreamCommand> dream;
  const bool invoke = HasPngSignature(*head) && TryInvokeAi(path, options, out, dream);
  if (!invoke) {
    TryExif(path, options, out);
    if (dream && options.include_photomap_keys) {
      // InvokeAI 2.x wrote the Dream string even where sd-metadata is missing or broken.
      out.dict["photomap_invokeai"] = {
          {"version", 2}, {"source_key", "Dream"}, {"dream", DreamCommandToJson(*dream)}};
    }
  }
  if (!out.warnings.empty()) {
    spdlog::warn("{}: metadata partly unreadable: {}", path.string(),
                 fmt::join(out.warnings, "; "));
  }
  return out;
}

Result<json> ExtractMetadata(const std::filesystem::path& path, const MetadataOptions& options) {
  Result<ExtractedMetadata> detailed = ExtractMetadataDetailed(path, options);
  if (!detailed.ok()) return std::move(detailed).error();
  return std::move(detailed->dict);
}

json WithoutPhotomapKeys(const json& dict) {
  if (!dict.is_object()) return dict;
  json out = json::object();
  for (auto it = dict.begin(); it != dict.end(); ++it) {
    if (it.key().rfind("photomap_", 0) != 0) out[it.key()] = it.value();
  }
  return out;
}

}  // namespace photomap::media
