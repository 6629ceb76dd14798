#include "map/vocabulary_store.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "map/cluster_labels.h"
#include "util/atomic_file.h"

namespace photomap::map {

namespace {

constexpr size_t kPhrasesPerChunk = 32;
constexpr int kTemplates = static_cast<int>(kVocabTemplates.size());

std::string SanitizedSpec(const std::string& spec) {
  std::string out;
  for (char c : spec) {
    if (c == '/' || c == ':') {
      out += "__";
    } else {
      out += c;
    }
  }
  return out;
}

// Drops the padding columns every row of the batch has (CLIP only: its causal mask means a
// token never sees the positions after it, so the end-of-text state is unchanged).
void TrimToLongest(model::TokenBatch& batch) {
  int longest = 1;
  for (int b = 0; b < batch.batch; ++b) {
    int used = 0;
    for (int t = 0; t < batch.length; ++t) used += batch.attention_mask[b * batch.length + t] != 0;
    longest = std::max(longest, used);
  }
  if (longest >= batch.length) return;
  std::vector<int32_t> ids, mask;
  ids.reserve(static_cast<size_t>(batch.batch) * longest);
  mask.reserve(ids.capacity());
  for (int b = 0; b < batch.batch; ++b) {
    auto row = batch.ids.begin() + static_cast<ptrdiff_t>(b) * batch.length;
    auto mrow = batch.attention_mask.begin() + static_cast<ptrdiff_t>(b) * batch.length;
    ids.insert(ids.end(), row, row + longest);
    mask.insert(mask.end(), mrow, mrow + longest);
  }
  batch.ids = std::move(ids);
  batch.attention_mask = std::move(mask);
  batch.length = longest;
}

Result<std::shared_ptr<const PhraseTable>> ReadCache(const std::string& path,
                                                     const std::string& spec,
                                                     const std::string& fingerprint) {
  auto bytes = ReadFileToString(path);
  if (!bytes.ok()) return bytes.error();
  const size_t newline = bytes->find('\n');
  if (newline == std::string::npos) return Corrupt(path + ": no header line");
  auto header = nlohmann::json::parse(bytes->substr(0, newline), nullptr, false);
  if (!header.is_object() || header.value("encoder_spec", "") != spec ||
      header.value("n_templates", 0) != kTemplates ||
      header.value("fingerprint", "") != fingerprint || !header["phrases"].is_array() ||
      !header["dim"].is_number_unsigned()) {
    return NotFound(path + ": stale vocabulary cache");
  }
  auto table = std::make_shared<PhraseTable>();
  table->encoder_spec = spec;
  table->fingerprint = fingerprint;
  table->dim = header["dim"].get<size_t>();
  for (const auto& p : header["phrases"]) {
    if (!p.is_string()) return Corrupt(path + ": phrase is not a string");
    table->phrases.push_back(p.get<std::string>());
  }
  const size_t floats = table->phrases.size() * table->dim;
  if (bytes->size() - newline - 1 != floats * sizeof(float)) {
    return Corrupt(path + ": embedding block has the wrong size");
  }
  table->embeddings.resize(floats);
  if (floats > 0) std::memcpy(table->embeddings.data(), bytes->data() + newline + 1, floats * 4);
  return std::shared_ptr<const PhraseTable>(std::move(table));
}

Status WriteCache(const std::string& path, const PhraseTable& table) {
  nlohmann::json header = {{"encoder_spec", table.encoder_spec},
                           {"n_templates", kTemplates},
                           {"fingerprint", table.fingerprint},
                           {"dim", table.dim},
                           {"phrases", table.phrases}};
  std::string bytes = header.dump() + "\n";
  bytes.append(reinterpret_cast<const char*>(table.embeddings.data()),
               table.embeddings.size() * sizeof(float));
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  AtomicWriteOptions options;
  options.new_file_mode = 0644;
  options.durable = false;
  return AtomicWriteFile(path, bytes, options);
}

}  // namespace

Result<std::vector<float>> EncodeTextRows(const index::LoadedEncoder& encoder,
                                          const std::vector<std::string>& texts,
                                          const ProgressFn& progress) {
  if (encoder.tokenizer == nullptr) {
    return Unsupported("encoder '" + encoder.spec + "' cannot read text");
  }
  const size_t chunk = kPhrasesPerChunk * kTemplates;
  std::vector<float> rows;
  for (size_t start = 0; start < texts.size(); start += chunk) {
    if (progress && !progress(static_cast<double>(start) / static_cast<double>(texts.size()))) {
      return Cancelled("vocabulary encoding cancelled");
    }
    std::vector<std::string> part(
        texts.begin() + static_cast<ptrdiff_t>(start),
        texts.begin() + static_cast<ptrdiff_t>(std::min(texts.size(), start + chunk)));
    auto tokens = encoder.tokenizer->EncodeBatch(part);
    if (!tokens.ok()) return tokens.error();
    if (encoder.family != model::EncoderFamily::kSiglip) TrimToLongest(*tokens);
    auto embedded = encoder.encoder->EncodeTexts(tokens->ids, tokens->batch, tokens->length,
                                                 tokens->attention_mask);
    if (!embedded.ok()) return embedded.error();
    rows.insert(rows.end(), embedded->data.begin(), embedded->data.end());
  }
  return rows;
}

VocabularyStore::VocabularyStore(std::vector<std::string> vocab_files, std::string cache_dir)
    : vocab_files_(std::move(vocab_files)), cache_dir_(std::move(cache_dir)) {}

Result<std::vector<std::string>> VocabularyStore::Phrases() const {
  std::vector<std::string> phrases;
  for (const auto& file : vocab_files_) {
    auto text = ReadFileToString(file);
    if (!text.ok()) {
      if (text.error().kind == ErrorKind::kNotFound) continue;
      return text.error();
    }
    AppendVocabulary(*text, phrases);
  }
  return phrases;
}

std::string VocabularyStore::CachePath(const std::string& spec) const {
  return cache_dir_ + "/" + SanitizedSpec(spec) + ".bin";
}

Result<VocabularyStore::Vocabulary> VocabularyStore::CurrentVocabulary() {
  std::string stamp;
  for (const auto& file : vocab_files_) {
    struct stat st {};
    if (::stat(file.c_str(), &st) == 0) {
      stamp += std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
               std::to_string(st.st_mtim.tv_nsec);
    }
    stamp += "|";
  }
  std::lock_guard lock(vocabulary_mu_);
  if (vocabulary_.phrases && vocabulary_.stamp == stamp) return vocabulary_;
  auto phrases = Phrases();
  if (!phrases.ok()) return phrases.error();
  vocabulary_.stamp = stamp;
  vocabulary_.fingerprint = VocabFingerprint(*phrases);
  vocabulary_.phrases =
      std::make_shared<const std::vector<std::string>>(std::move(phrases).value());
  return vocabulary_;
}

Result<std::shared_ptr<const PhraseTable>> VocabularyStore::EmbeddingsFor(
    const index::LoadedEncoder& encoder, const ProgressFn& progress) {
  if (encoder.tokenizer == nullptr) {
    return Unsupported("encoder '" + encoder.spec + "' cannot read text");
  }
  auto vocabulary = CurrentVocabulary();
  if (!vocabulary.ok()) return vocabulary.error();
  const std::string& fingerprint = vocabulary->fingerprint;
  std::lock_guard lock(mu_);
  auto& cached = tables_[encoder.spec];
  if (cached && cached->fingerprint == fingerprint) return cached;
  if (!cache_dir_.empty()) {
    auto from_disk = ReadCache(CachePath(encoder.spec), encoder.spec, fingerprint);
    if (from_disk.ok()) {
      cached = *from_disk;
      return cached;
    }
    if (from_disk.error().kind == ErrorKind::kCorrupt) {
      spdlog::warn("vocabulary cache: {}; re-encoding", from_disk.error().message);
    }
  }
  auto table = Encode(encoder, *vocabulary->phrases, fingerprint, progress);
  if (!table.ok()) return table.error();
  if (!cache_dir_.empty()) {
    Status written = WriteCache(CachePath(encoder.spec), **table);
    if (!written.ok()) spdlog::warn("vocabulary cache: {}", written.error().message);
  }
  cached = *table;
  return cached;
}

Result<std::shared_ptr<const PhraseTable>> VocabularyStore::Encode(
    const index::LoadedEncoder& encoder, std::vector<std::string> phrases,
    const std::string& fingerprint, const ProgressFn& progress) const {
  std::vector<std::string> texts;
  texts.reserve(phrases.size() * kTemplates);
  for (const auto& phrase : phrases) {
    for (auto& text : ExpandTemplates(phrase)) texts.push_back(std::move(text));
  }
  const size_t dim = static_cast<size_t>(encoder.encoder->embedding_dim());
  auto rows = EncodeTextRows(encoder, texts, progress);
  if (!rows.ok()) return rows.error();
  auto embeddings = PhraseEmbeddings(ViewOf(*rows, texts.size(), dim), kTemplates);
  if (!embeddings.ok()) return embeddings.error();
  auto table = std::make_shared<PhraseTable>();
  table->encoder_spec = encoder.spec;
  table->fingerprint = fingerprint;
  table->phrases = std::move(phrases);
  table->embeddings = std::move(embeddings).value();
  table->dim = dim;
  return std::shared_ptr<const PhraseTable>(std::move(table));
}

}  // namespace photomap::map
