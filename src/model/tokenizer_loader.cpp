// LoadTokenizer: picks the tokenizer implementation from the files in a model directory and
// reads its lengths and special tokens from tokenizer_config.json / config.json.
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "model/bpe_tokenizer.h"
#include "model/sentencepiece_tokenizer.h"
#include "model/tokenizer.h"

namespace photomap::model {
namespace {

namespace fs = std::filesystem;

// Parses `path` as JSON; a missing file gives a null json, a malformed one an error.
Result<nlohmann::json> ReadOptionalJson(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return nlohmann::json();
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Corrupt(path.string() + ": not a valid JSON object; re-download it");
  }
  return j;
}

// tokenizer_config.json model_max_length (ignoring transformers' "unbounded" 1e30 sentinel),
// else config.json text_config.max_position_embeddings, else `fallback`.
int ContextLength(const nlohmann::json& tok_cfg, const nlohmann::json& cfg, int fallback) {
  if (tok_cfg.is_object() && tok_cfg.contains("model_max_length") &&
      tok_cfg["model_max_length"].is_number()) {
    double v = tok_cfg["model_max_length"].get<double>();
    if (v >= 1 && v <= 1 << 20) return static_cast<int>(v);
  }
  if (cfg.is_object() && cfg.contains("text_config") && cfg["text_config"].is_object()) {
    const auto& tc = cfg["text_config"];
    if (tc.contains("max_position_embeddings") && tc["max_position_embeddings"].is_number_integer())
      return tc["max_position_embeddings"].get<int>();
  }
  return fallback;
}

// A special token in tokenizer_config.json is either "text" or {"content": "text", ...}.
std::string TokenText(const nlohmann::json& tok_cfg, const char* key, std::string fallback) {
  if (!tok_cfg.is_object() || !tok_cfg.contains(key)) return fallback;
  const auto& v = tok_cfg[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_object() && v.contains("content") && v["content"].is_string())
    return v["content"].get<std::string>();
  return fallback;
}

bool Flag(const nlohmann::json& tok_cfg, const char* key, bool fallback) {
  if (tok_cfg.is_object() && tok_cfg.contains(key) && tok_cfg[key].is_boolean())
    return tok_cfg[key].get<bool>();
  return fallback;
}

Result<std::unique_ptr<Tokenizer>> LoadSentencePiece(const fs::path& model_file,
                                                     const nlohmann::json& tok_cfg,
                                                     const nlohmann::json& cfg) {
  SentencePieceOptions o;
  std::string cls = tok_cfg.is_object() ? tok_cfg.value("tokenizer_class", "") : "";
  // SiglipTokenizer canonicalises and appends </s>; Gemma-style tokenizers (SigLIP 2) do
  // neither by default and say what they add in add_bos_token / add_eos_token.
  bool siglip_style = cls.empty() || cls.rfind("Siglip", 0) == 0 || cls.rfind("T5", 0) == 0;
  o.context_length = ContextLength(tok_cfg, cfg, 64);
  o.lower_case = Flag(tok_cfg, "do_lower_case", siglip_style);
  o.siglip_rules = siglip_style;
  o.add_bos = Flag(tok_cfg, "add_bos_token", !siglip_style);
  o.add_eos = Flag(tok_cfg, "add_eos_token", siglip_style);
  o.eos_token = TokenText(tok_cfg, "eos_token", siglip_style ? "</s>" : "<eos>");
  o.pad_token = TokenText(tok_cfg, "pad_token", siglip_style ? "</s>" : "<pad>");
  o.bos_token = TokenText(tok_cfg, "bos_token", "<bos>");
  o.unk_token = TokenText(tok_cfg, "unk_token", "<unk>");
  auto t = SentencePieceTokenizer::Load(model_file, o);
  if (!t.ok()) return t.error();
  return std::unique_ptr<Tokenizer>(std::move(*t));
}

bool IsBpeTokenizerJson(const fs::path& path) {
  auto j = ReadOptionalJson(path);
  return j.ok() && j->is_object() && j->contains("model") && (*j)["model"].is_object() &&
         (*j)["model"].value("type", "") == "BPE";
}

}  // namespace

Result<std::unique_ptr<Tokenizer>> LoadTokenizer(const fs::path& model_dir) {
  auto tok_cfg = ReadOptionalJson(model_dir / "tokenizer_config.json");
  if (!tok_cfg.ok()) return tok_cfg.error();
  auto cfg = ReadOptionalJson(model_dir / "config.json");
  if (!cfg.ok()) return cfg.error();
  std::error_code ec;
  auto has = [&](const char* name) { return fs::is_regular_file(model_dir / name, ec); };

  for (const char* sp_name : {"spiece.model", "tokenizer.model"}) {
    if (has(sp_name)) return LoadSentencePiece(model_dir / sp_name, *tok_cfg, *cfg);
  }
  BpeOptions bpe;
  bpe.context_length = ContextLength(*tok_cfg, *cfg, 77);
  if (has("vocab.json") && has("merges.txt")) {
    auto t =
        BpeTokenizer::FromVocabAndMerges(model_dir / "vocab.json", model_dir / "merges.txt", bpe);
    if (!t.ok()) return t.error();
    return std::unique_ptr<Tokenizer>(std::move(*t));
  }
  if (has("tokenizer.json") && IsBpeTokenizerJson(model_dir / "tokenizer.json")) {
    auto t = BpeTokenizer::FromTokenizerJson(model_dir / "tokenizer.json", bpe);
    if (!t.ok()) return t.error();
    return std::unique_ptr<Tokenizer>(std::move(*t));
  }
  return NotFound(model_dir.string() +
                  ": no tokenizer files; expected vocab.json + merges.txt (CLIP), tokenizer.json, "
                  "or spiece.model / tokenizer.model (SigLIP)");
}

}  // namespace photomap::model
