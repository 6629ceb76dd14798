#include "http/invoke_panel.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <exception>

#include "http/html_text.h"
#include "media/invokeai_metadata.h"

namespace photomap::http {
namespace {

using nlohmann::ordered_json;

constexpr const char* kCopyIcon = "<span class=\"copy-icon\" title=\"Copy\">&#x29C9;</span>";

std::string Button(const char* mode, const char* title, const char* icon, const char* label) {
  return std::string("<button type=\"button\" class=\"invoke-recall-btn\" data-recall-mode=\"") +
         mode + "\" title=\"" + title +
         "\"><span class=\"invoke-recall-icon\" aria-hidden=\"true\">" + icon +
         "</span><span class=\"invoke-recall-label\">" + label +
         "</span><span class=\"invoke-recall-status\" aria-live=\"polite\"></span></button>";
}

std::string ScalarTable(const ordered_json& metadata) {
  std::string rows;
  for (auto it = metadata.begin(); it != metadata.end(); ++it) {
    if (!IsScalar(it.value())) continue;
    rows += "<tr><th>" + HtmlEscape(ClipText(it.key())) + "</th><td>" + EscapedValue(it.value()) +
            "</td></tr>";
  }
  return rows.empty() ? "" : "<table class='invoke-metadata'>" + rows + "</table>";
}

std::string LocalTime(std::optional<double> mtime) {
  if (!mtime || !std::isfinite(*mtime) || *mtime <= 0 || *mtime > 253402300799.0) return "";
  const std::time_t t = static_cast<std::time_t>(*mtime);
  std::tm tm{};
  if (localtime_r(&t, &tm) == nullptr) return "";
  char buf[32];
  const size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return std::string(buf, n);
}

// A JSON weight (number, Flux Redux influence string or null) as shown; "" when absent.
std::string WeightText(const nlohmann::json& weight) { return PyStr(ordered_json(weight)); }

// The tuple tables drop all-empty rows and the columns that are empty in every row (§8.4).
std::string TupleTable(const std::vector<std::vector<std::string>>& tuples) {
  std::vector<const std::vector<std::string>*> rows;
  size_t columns = 0;
  for (const auto& t : tuples) {
    bool any = false;
    for (const auto& cell : t) any = any || !cell.empty();
    if (!any) continue;
    rows.push_back(&t);
    columns = std::max(columns, t.size());
  }
  if (rows.empty()) return "";
  std::vector<bool> keep(columns, false);
  for (const auto* r : rows) {
    for (size_t c = 0; c < r->size(); ++c) keep[c] = keep[c] || !(*r)[c].empty();
  }
  std::string html = "<table class='invoke-tuples'>";
  for (const auto* r : rows) {
    html += "<tr>";
    for (size_t c = 0; c < columns; ++c) {
      if (!keep[c]) continue;
      html += "<td>" + HtmlEscape(ClipText(c < r->size() ? (*r)[c] : "")) + "</td>";
    }
    html += "</tr>";
  }
  return html + "</table>";
}

std::vector<std::vector<std::string>> AdapterTuples(
    const std::vector<media::InvokeImageAdapter>& adapters) {
  std::vector<std::vector<std::string>> out;
  for (const auto& a : adapters) out.push_back({a.model_name, a.image_name, WeightText(a.weight)});
  return out;
}

std::string ParsedTable(const media::InvokeMetadata& m, std::optional<double> mtime) {
  std::string rows;
  if (const std::string date = LocalTime(mtime); !date.empty()) {
    rows += "<tr><th>Date</th><td>" + date + "</td></tr>";
  }
  rows += "<tr><th>Positive Prompt</th><td class=\"copyme\">" +
          HtmlEscape(ClipText(m.positive_prompt)) + (m.positive_prompt.empty() ? "" : kCopyIcon) +
          "</td></tr>";
  if (!m.negative_prompt.empty()) {
    rows += "<tr><th>Negative Prompt</th><td class=\"copyme\">" +
            HtmlEscape(ClipText(m.negative_prompt)) + kCopyIcon + "</td></tr>";
  }
  if (!m.model_name.empty()) {
    rows += "<tr><th>Model</th><td>" + HtmlEscape(ClipText(m.model_name)) + "</td></tr>";
  }
  if (m.seed) {
    rows += "<tr><th>Seed</th><td class=\"copyme\">" + std::to_string(*m.seed) + kCopyIcon +
            "</td></tr>";
  }
  std::vector<std::vector<std::string>> loras;
  for (const auto& l : m.loras) loras.push_back({l.model_name, l.weight ? PyFloat(*l.weight) : ""});
  if (const std::string t = TupleTable(loras); !t.empty()) {
    rows += "<tr><th>Loras</th><td>" + t + "</td></tr>";
  }
  if (!m.raster_images.empty()) {
    std::string names;
    for (const auto& name : m.raster_images) {
      names += (names.empty() ? "" : ", ") + HtmlEscape(ClipText(name));
    }
    rows += "<tr><th>Raster Images</th><td>" + names + "</td></tr>";
  }
  if (const std::string t = TupleTable(AdapterTuples(m.reference_images)); !t.empty()) {
    rows += "<tr><th>Reference Images</th><td>" + t + "</td></tr>";
  }
  if (const std::string t = TupleTable(AdapterTuples(m.control_layers)); !t.empty()) {
    rows += "<tr><th>Control Layers</th><td>" + t + "</td></tr>";
  }
  return "<table class='invoke-metadata'>" + rows + "</table>";
}

std::vector<std::string> ReferenceNames(const media::InvokeMetadata& m) {
  std::vector<std::string> names;
  for (const auto& r : m.reference_images) {
    if (!r.image_name.empty()) names.push_back(ClipText(r.image_name));
  }
  for (const auto& c : m.control_layers) {
    if (!c.image_name.empty()) names.push_back(ClipText(c.image_name));
  }
  for (const auto& name : m.raster_images) names.push_back(ClipText(name));
  return names;
}

}  // namespace

bool LooksLikeInvokeMetadata(const ordered_json& metadata) {
  return metadata.is_object() &&
         (metadata.contains("app_version") || metadata.contains("generation_mode") ||
          metadata.contains("canvas_v2_metadata"));
}

std::string InvokeButtonsHtml(bool with_recall) {
  std::string buttons =
      Button("use_ref", "Upload this image to InvokeAI and use it as a reference image",
             "&#x1F5BC;", "Send Image") +
      Button("append_ref", "Upload this image to InvokeAI and add it to the reference images",
             "&#x2795;", "Append Image");
  if (with_recall) {
    buttons +=
        Button("remix", "Remix (recall parameters without the seed) to InvokeAI", "&#x27F3;",
               "Remix") +
        Button("recall", "Recall parameters (including seed) to InvokeAI", "&#x2731;", "Recall");
  }
  return "<table class=\"invoke-recall-controls\" data-invoke-recall=\"1\"><tr>"
         "<th class=\"invoke-recall-heading\">InvokeAI</th><td>" +
         buttons + "</td></tr></table>";
}

InvokePanel InvokePanelHtml(const ordered_json& metadata, std::optional<double> mtime,
                            bool show_buttons) {
  InvokePanel panel;
  if (!metadata.is_object() || metadata.empty()) {
    panel.html = "<i>No invoke metadata available.</i>";
    return panel;
  }
  bool all_scalar = true;
  for (const auto& v : metadata) all_scalar = all_scalar && IsScalar(v);
  std::optional<media::InvokeMetadata> parsed;
  if (!all_scalar) {
    try {
      Result<media::InvokeMetadata> r = media::ParseInvokeMetadata(nlohmann::json(metadata));
      if (r.ok()) parsed = std::move(r).value();
    } catch (const std::exception&) {
      // A library exception on a hostile record: shown like a record that does not parse.
    }
  }
  if (!parsed) {
    const std::string table = ScalarTable(metadata);
    panel.html = table.empty() ? "<i>Unknown invoke metadata format.</i>" : table;
    if (show_buttons) panel.html += InvokeButtonsHtml(/*with_recall=*/false);
    return panel;
  }
  panel.html = ParsedTable(*parsed, mtime);
  if (show_buttons) panel.html += InvokeButtonsHtml(/*with_recall=*/true);
  panel.reference_images = ReferenceNames(*parsed);
  return panel;
}

}  // namespace photomap::http
