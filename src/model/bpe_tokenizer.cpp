#include "model/bpe_tokenizer.h"

#include <re2/re2.h>

#include <climits>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "model/html_unescape.h"
#include "model/text_normalize.h"

namespace photomap::model {
namespace {

constexpr char kSot[] = "<|startoftext|>";
constexpr char kEot[] = "<|endoftext|>";
constexpr char kWordEnd[] = "</w>";
// simple_tokenizer reads merges[1 : 49152 - 256 - 2 + 1]: the version line is skipped and at
// most this many merges are used.
constexpr size_t kMaxMerges = 49152 - 256 - 2;

// CLIP's pre-split pattern. The reference compiles it with re.IGNORECASE; after lower() that only
// matters for case-folding oddities such as "'ſ", so keep it. \s only ever sees ' ' here because
// the text was whitespace-collapsed first.
constexpr char kPattern[] =
    R"((?i)(<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+))";

std::string CodepointUtf8(char32_t cp) { return EncodeUtf8(std::u32string_view(&cp, 1)); }

// GPT-2/CLIP bytes_to_unicode(): printable bytes map to themselves, the rest to U+0100 + n.
void BuildByteMap(std::string (&map)[256]) {
  int n = 0;
  for (int b = 0; b < 256; ++b) {
    bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
    map[b] = CodepointUtf8(printable ? static_cast<char32_t>(b) : static_cast<char32_t>(256 + n));
    if (!printable) ++n;
  }
}

Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(path.string() + ": cannot open; check the model directory");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return IoError(path.string() + ": read failed");
  return ss.str();
}

Result<std::unordered_map<std::string, int32_t>> VocabFromJson(const nlohmann::json& j,
                                                               const std::string& where) {
  if (!j.is_object()) return Corrupt(where + ": vocabulary is not a JSON object");
  std::unordered_map<std::string, int32_t> vocab;
  vocab.reserve(j.size());
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!it.value().is_number_integer() || it.value().get<int64_t>() < 0 ||
        it.value().get<int64_t>() > INT32_MAX) {
      return Corrupt(where + ": token '" + it.key() + "' has no valid integer id");
    }
    vocab.emplace(it.key(), it.value().get<int32_t>());
  }
  return vocab;
}

}  // namespace

BpeTokenizer::~BpeTokenizer() = default;

Result<std::unique_ptr<BpeTokenizer>> BpeTokenizer::Create(
    std::unordered_map<std::string, int32_t> vocab, std::vector<std::string> merges,
    const BpeOptions& options) {
  if (options.context_length < 2) {
    return InvalidInput("BPE tokenizer: context_length must be at least 2, got " +
                        std::to_string(options.context_length));
  }
  std::unique_ptr<BpeTokenizer> t(new BpeTokenizer());
  t->options_ = options;
  auto sot = vocab.find(kSot);
  auto eot = vocab.find(kEot);
  if (sot == vocab.end() || eot == vocab.end()) {
    return Corrupt("BPE vocabulary lacks <|startoftext|> or <|endoftext|>; not a CLIP vocabulary");
  }
  t->sot_id_ = sot->second;
  t->eot_id_ = eot->second;
  if (merges.size() > kMaxMerges) merges.resize(kMaxMerges);
  t->merge_ranks_.reserve(merges.size());
  for (size_t i = 0; i < merges.size(); ++i) {
    size_t sp = merges[i].find(' ');
    if (sp == std::string::npos || sp == 0 || sp + 1 == merges[i].size()) {
      return Corrupt("BPE merges: line " + std::to_string(i + 2) + " is not 'first second': '" +
                     merges[i] + "'");
    }
    // A later duplicate wins, as with Python's dict(zip(merges, range(...))).
    t->merge_ranks_[merges[i]] = static_cast<int>(i);
  }
  t->vocab_ = std::move(vocab);
  BuildByteMap(t->byte_to_unicode_);
  t->pattern_ = std::make_unique<re2::RE2>(kPattern);
  if (!t->pattern_->ok()) return Internal("BPE pre-split regex: " + t->pattern_->error());
  return t;
}

Result<std::unique_ptr<BpeTokenizer>> BpeTokenizer::FromVocabAndMerges(
    const std::filesystem::path& vocab_json, const std::filesystem::path& merges_txt,
    const BpeOptions& options) {
  auto vocab_text = ReadFile(vocab_json);
  if (!vocab_text.ok()) return vocab_text.error();
  nlohmann::json j = nlohmann::json::parse(*vocab_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Corrupt(vocab_json.string() + ": not valid JSON; re-download it");
  auto vocab = VocabFromJson(j, vocab_json.string());
  if (!vocab.ok()) return vocab.error();

  auto merges_text = ReadFile(merges_txt);
  if (!merges_text.ok()) return merges_text.error();
  std::vector<std::string> merges;
  std::istringstream lines(*merges_text);
  std::string line;
  bool first = true;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (first && line.rfind("#version", 0) == 0) {
      first = false;
      continue;
    }
    first = false;
    if (line.empty()) continue;
    merges.push_back(line);
  }
  auto t = Create(std::move(*vocab), std::move(merges), options);
  if (!t.ok()) return t.error().WithContext(merges_txt.string());
  return t;
}

Result<std::unique_ptr<BpeTokenizer>> BpeTokenizer::FromTokenizerJson(
    const std::filesystem::path& tokenizer_json, const BpeOptions& options) {
  auto text = ReadFile(tokenizer_json);
  if (!text.ok()) return text.error();
  const std::string where = tokenizer_json.string();
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_discarded()) return Corrupt(where + ": not valid JSON; re-download it");
  if (!j.contains("model") || !j["model"].is_object() || j["model"].value("type", "") != "BPE") {
    return Unsupported(where + ": model.type is not \"BPE\"");
  }
  const nlohmann::json& model = j["model"];
  if (!model.contains("vocab")) return Corrupt(where + ": model.vocab missing");
  auto vocab = VocabFromJson(model["vocab"], where);
  if (!vocab.ok()) return vocab.error();
  std::vector<std::string> merges;
  if (model.contains("merges") && model["merges"].is_array()) {
    for (const auto& m : model["merges"]) {
      if (m.is_string()) {
        merges.push_back(m.get<std::string>());
      } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
        merges.push_back(m[0].get<std::string>() + " " + m[1].get<std::string>());
      } else {
        return Corrupt(where + ": model.merges has an entry that is neither \"a b\" nor [a, b]");
      }
    }
  }
  // Special tokens live in added_tokens in some exports; fold them into the vocabulary.
  if (j.contains("added_tokens") && j["added_tokens"].is_array()) {
    for (const auto& a : j["added_tokens"]) {
      if (a.contains("content") && a["content"].is_string() && a.contains("id") &&
          a["id"].is_number_integer()) {
        vocab->emplace(a["content"].get<std::string>(), a["id"].get<int32_t>());
      }
    }
  }
  auto t = Create(std::move(*vocab), std::move(merges), options);
  if (!t.ok()) return t.error().WithContext(where);
  return t;
}

Result<std::string> BpeTokenizer::CleanText(std::string_view text) {
  // basic_clean: ftfy.fix_text (NFC here), html.unescape twice, strip; then whitespace_clean
  // (which strips too) and lower().
  auto nfc = NormalizeNfc(text);
  if (!nfc.ok()) return nfc.error();
  std::string unescaped = HtmlUnescape(HtmlUnescape(*nfc));
  return PythonLower(CollapseWhitespace(unescaped));
}

std::vector<std::string> BpeTokenizer::MergeWord(const std::string& mapped) const {
  // Split into code points (each a symbol), the last one carrying "</w>".
  std::vector<std::string> word;
  for (size_t i = 0; i < mapped.size();) {
    size_t len = 1;
    while (i + len < mapped.size() && (static_cast<unsigned char>(mapped[i + len]) & 0xC0) == 0x80)
      ++len;
    word.push_back(mapped.substr(i, len));
    i += len;
  }
  if (word.empty()) return word;
  word.back() += kWordEnd;
  std::string key;
  while (word.size() > 1) {
    int best_rank = INT_MAX;
    size_t best = 0;
    for (size_t i = 0; i + 1 < word.size(); ++i) {
      key.assign(word[i]).append(" ").append(word[i + 1]);
      auto it = merge_ranks_.find(key);
      if (it != merge_ranks_.end() && it->second < best_rank) {
        best_rank = it->second;
        best = i;
      }
    }
    if (best_rank == INT_MAX) break;
    const std::string first = word[best];
    const std::string second = word[best + 1];
    // Merge every non-overlapping occurrence, left to right, as the reference does.
    std::vector<std::string> merged;
    merged.reserve(word.size());
    for (size_t i = 0; i < word.size();) {
      if (i + 1 < word.size() && word[i] == first && word[i + 1] == second) {
        merged.push_back(first + second);
        i += 2;
      } else {
        merged.push_back(std::move(word[i]));
        i += 1;
      }
    }
    word = std::move(merged);
  }
  return word;
}

Status BpeTokenizer::AppendWordIds(std::string_view piece, std::vector<int32_t>& ids) const {
  std::string mapped;
  for (unsigned char b : piece) mapped += byte_to_unicode_[b];
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    auto it = cache_.find(mapped);
    if (it != cache_.end()) {
      ids.insert(ids.end(), it->second.begin(), it->second.end());
      return Status::Ok();
    }
  }
  std::vector<int32_t> word_ids;
  if (mapped == kSot || mapped == kEot) {
    word_ids.push_back(mapped == kSot ? sot_id_ : eot_id_);
  } else {
    for (const std::string& token : MergeWord(mapped)) {
      auto it = vocab_.find(token);
      if (it == vocab_.end()) {
        return Corrupt("BPE vocabulary lacks token '" + token +
                       "' produced by its own merges; the tokenizer files do not belong together");
      }
      word_ids.push_back(it->second);
    }
  }
  ids.insert(ids.end(), word_ids.begin(), word_ids.end());
  std::lock_guard<std::mutex> lock(cache_mu_);
  if (cache_.size() >= options_.word_cache_entries) cache_.clear();
  cache_.emplace(std::move(mapped), std::move(word_ids));
  return Status::Ok();
}

Result<std::vector<int32_t>> BpeTokenizer::Encode(std::string_view text) const {
  auto cleaned = CleanText(text);
  if (!cleaned.ok()) return cleaned.error();
  std::vector<int32_t> ids;
  re2::StringPiece input(*cleaned);
  re2::StringPiece piece;
  while (re2::RE2::FindAndConsume(&input, *pattern_, &piece)) {
    PHOTOMAP_RETURN_IF_ERROR(AppendWordIds(std::string_view(piece.data(), piece.size()), ids));
  }
  return ids;
}

Result<TokenBatch> BpeTokenizer::EncodeBatch(const std::vector<std::string>& texts) const {
  const int n = options_.context_length;
  TokenBatch batch;
  batch.batch = static_cast<int>(texts.size());
  batch.length = n;
  batch.ids.assign(texts.size() * static_cast<size_t>(n), options_.pad_id);
  batch.attention_mask.assign(texts.size() * static_cast<size_t>(n), 0);
  batch.eos_positions.assign(texts.size(), 0);
  for (size_t b = 0; b < texts.size(); ++b) {
    auto ids = Encode(texts[b]);
    if (!ids.ok()) return ids.error().WithContext("text " + std::to_string(b));
    // clip.tokenize(truncate=True): [sot] + ids + [eot], cut to n with eot forced last.
    size_t kept = std::min(ids->size(), static_cast<size_t>(n - 2));
    int32_t* row = batch.ids.data() + b * static_cast<size_t>(n);
    int32_t* mask = batch.attention_mask.data() + b * static_cast<size_t>(n);
    row[0] = sot_id_;
    for (size_t i = 0; i < kept; ++i) row[i + 1] = (*ids)[i];
    row[kept + 1] = eot_id_;
    for (size_t i = 0; i <= kept + 1; ++i) mask[i] = 1;
    batch.eos_positions[b] = static_cast<int32_t>(kept + 1);
  }
  return batch;
}

}  // namespace photomap::model
