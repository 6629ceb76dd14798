#include "model/sentencepiece_tokenizer.h"

#include <sentencepiece_processor.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

#include "model/text_normalize.h"

namespace photomap::model {
namespace {

// Python's string.punctuation.
bool IsAsciiPunctuation(char c) {
  return c != '\0' && std::strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) != nullptr;
}

}  // namespace

SentencePieceTokenizer::SentencePieceTokenizer()
    : sp_(std::make_unique<sentencepiece::SentencePieceProcessor>()) {}
SentencePieceTokenizer::~SentencePieceTokenizer() = default;

Result<std::unique_ptr<SentencePieceTokenizer>> SentencePieceTokenizer::Load(
    const std::filesystem::path& model_file, const SentencePieceOptions& options) {
  const std::string where = model_file.string();
  if (options.context_length < 1) {
    return InvalidInput(where + ": context_length must be positive, got " +
                        std::to_string(options.context_length));
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(model_file, ec)) {
    return NotFound(where + ": SentencePiece model not found; pull the model again");
  }
  std::unique_ptr<SentencePieceTokenizer> t(new SentencePieceTokenizer());
  t->options_ = options;
  std::ifstream in(model_file, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::string proto = bytes.str();
  if (options.siglip_rules) {
    // SiglipTokenizer merges NormalizerSpec{add_dummy_prefix: false} into the model. Protobuf
    // merges a repeated embedded message, so appending field 3 (normalizer_spec) holding field 3
    // (add_dummy_prefix) = 0 does the same.
    proto.append("\x1A\x02\x18\x00", 4);
  }
  auto status = t->sp_->LoadFromSerializedProto(proto);
  if (!status.ok()) {
    return Corrupt(where + ": not a SentencePiece model (" + status.ToString() +
                   "); re-download it");
  }
  auto id_of = [&](const std::string& piece, int32_t* out) -> Status {
    int id = t->sp_->PieceToId(piece);
    if (id == t->sp_->unk_id() && piece != t->sp_->IdToPiece(t->sp_->unk_id())) {
      return Corrupt(where + ": special token '" + piece + "' is not in the vocabulary");
    }
    *out = id;
    return Status::Ok();
  };
  PHOTOMAP_RETURN_IF_ERROR(id_of(options.eos_token, &t->eos_id_));
  PHOTOMAP_RETURN_IF_ERROR(id_of(options.pad_token, &t->pad_id_));
  if (options.add_bos) PHOTOMAP_RETURN_IF_ERROR(id_of(options.bos_token, &t->bos_id_));
  if (options.siglip_rules) {
    std::vector<int> unk_pieces;
    t->sp_->Encode(options.unk_token, &unk_pieces).IgnoreError();
    t->unk_prefix_pieces_ = unk_pieces.size();
  }
  return t;
}

std::string SentencePieceTokenizer::CleanText(const std::string& text) const {
  if (!options_.siglip_rules) return options_.lower_case ? PythonLower(text) : text;
  // SiglipTokenizer.tokenize: "\u2581" + text.replace("\u2581", " "); the base class lower-cases;
  // _tokenize canonicalises (drop string.punctuation, re.sub(r"\s+", " "), strip).
  static const std::string kUnderline = "\xE2\x96\x81";
  std::string s = kUnderline;
  for (size_t i = 0; i < text.size();) {
    if (text.compare(i, kUnderline.size(), kUnderline) == 0) {
      s += ' ';
      i += kUnderline.size();
    } else {
      s += text[i++];
    }
  }
  if (options_.lower_case) s = PythonLower(s);
  s.erase(std::remove_if(s.begin(), s.end(), IsAsciiPunctuation), s.end());
  return CollapseWhitespace(s);
}

Result<std::vector<int32_t>> SentencePieceTokenizer::Encode(const std::string& text) const {
  // Validates UTF-8 once (NFC itself is left to the model's own normalizer).
  auto valid = NormalizeNfc(text);
  if (!valid.ok()) return valid.error();
  const std::string cleaned = CleanText(text);
  std::vector<int> pieces;
  auto status =
      sp_->Encode(options_.siglip_rules ? options_.unk_token + cleaned : cleaned, &pieces);
  if (!status.ok()) return Internal("SentencePiece encode failed: " + status.ToString());
  // SiglipTokenizer encodes "<unk>" + text and drops the <unk> pieces, so the text's leading
  // "\u2581" survives without a dummy prefix.
  size_t skip =
      options_.siglip_rules && pieces.size() >= unk_prefix_pieces_ ? unk_prefix_pieces_ : 0;
  return std::vector<int32_t>(pieces.begin() + skip, pieces.end());
}

Result<TokenBatch> SentencePieceTokenizer::EncodeBatch(
    const std::vector<std::string>& texts) const {
  const size_t n = static_cast<size_t>(options_.context_length);
  TokenBatch batch;
  batch.batch = static_cast<int>(texts.size());
  batch.length = options_.context_length;
  batch.ids.assign(texts.size() * n, pad_id_);
  batch.attention_mask.assign(texts.size() * n, 0);
  batch.eos_positions.assign(texts.size(), 0);
  for (size_t b = 0; b < texts.size(); ++b) {
    auto ids = Encode(texts[b]);
    if (!ids.ok()) return ids.error().WithContext("text " + std::to_string(b));
    std::vector<int32_t> row;
    if (options_.add_bos) row.push_back(bos_id_);
    size_t room = n - row.size() - (options_.add_eos ? 1 : 0);
    if (n < row.size() + (options_.add_eos ? 1 : 0)) room = 0;
    row.insert(row.end(), ids->begin(), ids->begin() + std::min(room, ids->size()));
    if (options_.add_eos) row.push_back(eos_id_);
    row.resize(std::min(row.size(), n));
    std::copy(row.begin(), row.end(), batch.ids.begin() + b * n);
    std::fill_n(batch.attention_mask.begin() + b * n, row.size(), 1);
    batch.eos_positions[b] = static_cast<int32_t>(row.empty() ? 0 : row.size() - 1);
  }
  return batch;
}

}  // namespace photomap::model
