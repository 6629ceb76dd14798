// The InvokeAI panel of the slide drawer (backend-spec §8.4 "HTML"): the generation record of an
// InvokeAI PNG — prompts, model, seed, LoRAs, reference images, control layers, raster images —
// as table.invoke-metadata, plus the InvokeAI button group when an InvokeAI URL is configured.
// Works on every schema generation media::ParseInvokeMetadata reads (2.x, 3.x, 5.x); every value
// from the file is HTML-escaped. Pure; thread-safe; never throws.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace photomap::http {

struct InvokePanel {
  std::string html;
  // Reference image names, then control-layer image names, then raster image names (§8.4).
  std::vector<std::string> reference_images;
};

// Returns true when `metadata` has app_version, generation_mode or canvas_v2_metadata (§8.2 case
// 3): the dict is an InvokeAI record rather than EXIF.
bool LooksLikeInvokeMetadata(const nlohmann::ordered_json& metadata);

// Returns the panel for `metadata` (PhotoMapAI's keys only; strip photomap_* first).
// `mtime` (epoch seconds) fills the Date row in local time; nullopt leaves it out. A flat dict of
// scalars, or one that does not parse as InvokeAI, is shown as a key/value table of its scalars
// ("<i>Unknown invoke metadata format.</i>" when it has none). With `show_buttons`, a parsed
// record gets Send/Append/Remix/Recall buttons and an unparsed one Send/Append.
InvokePanel InvokePanelHtml(const nlohmann::ordered_json& metadata, std::optional<double> mtime,
                            bool show_buttons);

// Returns the InvokeAI button table (table.invoke-recall-controls): "Send Image" and "Append
// Image" (data-recall-mode use_ref / append_ref), plus "Remix" and "Recall" with `with_recall`.
std::string InvokeButtonsHtml(bool with_recall);

}  // namespace photomap::http
