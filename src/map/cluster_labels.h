// Cluster labels ("auto-tagging", spec §6.4): the vocabulary text format, phrase embeddings from
// prompt templates, and the best phrases for each cluster's mean embedding or for one image.
//
// Encoding the template strings is the caller's job (model/); this file is numerics and text only.
// Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "map/matrix_view.h"
#include "util/status.h"

namespace photomap::map {

// The 7 prompt templates each phrase is encoded with; "{}" stands for the phrase.
inline constexpr std::array<std::string_view, 7> kVocabTemplates = {"a photo of a {}",
                                                                    "a photo of the {}",
                                                                    "a picture of {}",
                                                                    "an image of {}",
                                                                    "a drawing of {}",
                                                                    "a painting of {}",
                                                                    "{}"};

// Appends the phrases of a vocabulary file's text to `phrases`: each line stripped, blank lines and
// '#' lines dropped, ASCII lower-cased, and lines already present skipped (first occurrence wins,
// so append the bundled file before the user's cluster_vocab_extra.txt).
void AppendVocabulary(std::string_view text, std::vector<std::string>& phrases);

// Returns the template strings for `phrase`, in kVocabTemplates order.
std::vector<std::string> ExpandTemplates(const std::string& phrase);

// Returns sha256 hex of the sorted unique phrases, each followed by "\n" (the label cache key).
std::string VocabFingerprint(const std::vector<std::string>& phrases);

// Averages each phrase's `n_templates` consecutive rows of `template_embeddings` and L2-normalises
// the mean (a zero norm is treated as 1). Returns P x D, P = rows / n_templates.
// Errors: InvalidInput when rows is not a multiple of n_templates or n_templates < 1.
Result<std::vector<float>> PhraseEmbeddings(const MatrixView& template_embeddings, int n_templates);

struct PhraseMatch {
  std::string label;
  std::vector<std::string> alternates;  // the next top_k - 1 phrases, best first
  float score = 0;                      // cosine of the label with the query
};

struct ClusterLabel {
  int32_t cluster_id = 0;
  PhraseMatch match;
  int64_t medoid_row = -1;
};

// Labels every DBSCAN cluster of `labels` (noise skipped) by the phrases nearest to the cluster's
// normalised mean embedding. Empty when there are no clusters or no phrases.
// Errors: InvalidInput when top_k < 1, labels.size() != embeddings.rows, the vocabulary's rows
// differ from phrases.size(), or the column counts differ.
Result<std::vector<ClusterLabel>> LabelClusters(const MatrixView& embeddings,
                                                const std::vector<int32_t>& labels,
                                                const MatrixView& vocab,
                                                const std::vector<std::string>& phrases, int top_k);

// Labels one embedding (normalised first). Empty label when there are no phrases.
// Errors: as LabelClusters.
Result<PhraseMatch> LabelEmbedding(const float* embedding, size_t dim, const MatrixView& vocab,
                                   const std::vector<std::string>& phrases, int top_k);

}  // namespace photomap::map
