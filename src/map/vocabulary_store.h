// VocabularyStore: the cluster-label vocabulary (the bundled phrase list plus the user's
// cluster_vocab_extra.txt, backend-spec §6.4) and its phrase embeddings per encoder, encoded with
// the 7 prompt templates on first use and cached on disk, valid while the encoder spec and the
// phrase set are unchanged.
//
// Cache file: <cache_dir>/<spec with "/" and ":" replaced by "__">.bin — one JSON header line
// {"encoder_spec","n_templates","fingerprint","dim","phrases":[…]} then P x dim float32.
// Written atomically. Thread-safe; encodes of one spec are serialised.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "index/encoder_provider.h"
#include "map/umap_layout.h"
#include "util/status.h"

namespace photomap::map {

struct PhraseTable {
  std::string encoder_spec;
  std::string fingerprint;           // VocabFingerprint(phrases)
  std::vector<std::string> phrases;  // P phrases, in the order of the rows below
  std::vector<float> embeddings;     // P x dim, unit rows
  size_t dim = 0;
};

class VocabularyStore {
 public:
  // `vocab_files`: read in order (bundled first); a missing file is skipped. `cache_dir`: where
  // phrase embeddings are kept ("" = memory only).
  VocabularyStore(std::vector<std::string> vocab_files, std::string cache_dir);
  VocabularyStore(const VocabularyStore&) = delete;
  VocabularyStore& operator=(const VocabularyStore&) = delete;

  // The phrases of the vocabulary files as they are now. Errors: Io for an unreadable file.
  Result<std::vector<std::string>> Phrases() const;

  // The phrase embeddings for `encoder`: from memory, from the disk cache, or encoded now.
  // Errors: Unsupported when the encoder has no text tower; encoder errors; Cancelled when
  // `progress` returns false.
  Result<std::shared_ptr<const PhraseTable>> EmbeddingsFor(const index::LoadedEncoder& encoder,
                                                           const ProgressFn& progress = {});

 private:
  Result<std::shared_ptr<const PhraseTable>> Encode(const index::LoadedEncoder& encoder,
                                                    std::vector<std::string> phrases,
                                                    const std::string& fingerprint,
                                                    const ProgressFn& progress) const;
  std::string CachePath(const std::string& spec) const;
  // Phrases() and their VocabFingerprint, re-read only when a vocabulary file's size or mtime
  // changed (map requests ask on every call; the files rarely change).
  struct Vocabulary {
    std::string stamp;
    std::shared_ptr<const std::vector<std::string>> phrases;
    std::string fingerprint;
  };
  Result<Vocabulary> CurrentVocabulary();

  const std::vector<std::string> vocab_files_;
  const std::string cache_dir_;
  std::mutex vocabulary_mu_;  // guards vocabulary_
  Vocabulary vocabulary_;
  std::mutex mu_;  // guards tables_ and serialises encodes
  std::map<std::string, std::shared_ptr<const PhraseTable>> tables_;
};

// Phrase-embedding rows for `texts` (each a template expansion): tokenised, CLIP rows trimmed to
// the longest text of each chunk (the causal mask makes the padding irrelevant), encoded in
// chunks of 224. Errors: as the tokenizer and encoder; Cancelled.
Result<std::vector<float>> EncodeTextRows(const index::LoadedEncoder& encoder,
                                          const std::vector<std::string>& texts,
                                          const ProgressFn& progress = {});

}  // namespace photomap::map
