#include "map/cluster_labels.h"

#include <cblas.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <set>

#include "map/landmarks.h"

namespace photomap::map {

namespace {

std::string_view Strip(std::string_view s) {
  const char* ws = " \t\r\n\f\v";
  const size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

Status CheckVocab(const MatrixView& vocab, const std::vector<std::string>& phrases, size_t dim,
                  int top_k) {
  if (top_k < 1) return InvalidInput("cluster labels: top_k must be >= 1");
  if (vocab.rows != phrases.size()) {
    return InvalidInput("cluster labels: vocabulary has " + std::to_string(vocab.rows) +
                        " embeddings for " + std::to_string(phrases.size()) +
                        " phrases; rebuild the vocabulary cache");
  }
  if (vocab.rows > 0 && vocab.cols != dim) {
    return InvalidInput("cluster labels: vocabulary embeddings have " + std::to_string(vocab.cols) +
                        " columns, image embeddings " + std::to_string(dim) +
                        "; rebuild the vocabulary cache for this encoder");
  }
  return Status::Ok();
}

// Top phrases of one score row: descending score, ties by phrase index.
PhraseMatch TopPhrases(const float* scores, const std::vector<std::string>& phrases, int top_k) {
  const size_t k = std::min<size_t>(static_cast<size_t>(top_k), phrases.size());
  std::vector<size_t> order(phrases.size());
  std::iota(order.begin(), order.end(), 0);
  std::partial_sort(order.begin(), order.begin() + k, order.end(), [scores](size_t a, size_t b) {
    return scores[a] > scores[b] || (scores[a] == scores[b] && a < b);
  });
  PhraseMatch m;
  m.label = phrases[order[0]];
  m.score = scores[order[0]];
  for (size_t i = 1; i < k; ++i) m.alternates.push_back(phrases[order[i]]);
  return m;
}

}  // namespace

void AppendVocabulary(std::string_view text, std::vector<std::string>& phrases) {
  std::set<std::string> seen(phrases.begin(), phrases.end());
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string line(Strip(text.substr(pos, end - pos)));
    pos = end + 1;
    if (line.empty() || line[0] == '#') continue;
    std::transform(line.begin(), line.end(), line.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (seen.insert(line).second) phrases.push_back(line);
  }
}

std::vector<std::string> ExpandTemplates(const std::string& phrase) {
  std::vector<std::string> out;
  for (std::string_view t : kVocabTemplates) {
    std::string s(t);
    s.replace(s.find("{}"), 2, phrase);
    out.push_back(std::move(s));
  }
  return out;
}

std::string VocabFingerprint(const std::vector<std::string>& phrases) {
  const std::set<std::string> unique(phrases.begin(), phrases.end());
  std::string joined;
  for (const std::string& p : unique) joined += p + "\n";
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(joined.data()), joined.size(), digest);
  std::string hex;
  char buf[3];
  for (unsigned char b : digest) {
    std::snprintf(buf, sizeof(buf), "%02x", b);
    hex += buf;
  }
  return hex;
}

Result<std::vector<float>> PhraseEmbeddings(const MatrixView& t, int n_templates) {
  if (n_templates < 1 || t.rows % static_cast<size_t>(n_templates) != 0) {
    return InvalidInput("phrase embeddings: " + std::to_string(t.rows) +
                        " template rows is not a multiple of " + std::to_string(n_templates));
  }
  const size_t p_count = t.rows / static_cast<size_t>(n_templates);
  std::vector<float> out(p_count * t.cols);
  std::vector<double> mean(t.cols);
  for (size_t p = 0; p < p_count; ++p) {
    std::fill(mean.begin(), mean.end(), 0.0);
    for (int j = 0; j < n_templates; ++j) {
      const float* r = t.row(p * n_templates + j);
      for (size_t d = 0; d < t.cols; ++d) mean[d] += r[d];
    }
    double ss = 0;
    for (double& v : mean) {
      v /= n_templates;
      ss += v * v;
    }
    const double inv = ss > 0 ? 1.0 / std::sqrt(ss) : 1.0;
    for (size_t d = 0; d < t.cols; ++d) out[p * t.cols + d] = static_cast<float>(mean[d] * inv);
  }
  return out;
}

Result<std::vector<ClusterLabel>> LabelClusters(const MatrixView& x,
                                                const std::vector<int32_t>& labels,
                                                const MatrixView& vocab,
                                                const std::vector<std::string>& phrases,
                                                int top_k) {
  PHOTOMAP_RETURN_IF_ERROR(CheckVocab(vocab, phrases, x.cols, top_k));
  Result<std::vector<ClusterCentroid>> centroids = ClusterCentroids(x, labels);
  if (!centroids.ok()) return centroids.error();
  std::vector<ClusterLabel> out;
  if (centroids->empty() || phrases.empty()) return out;
  const size_t c = centroids->size(), v = phrases.size(), d = x.cols;
  std::vector<float> means(c * d), scores(c * v);
  for (size_t i = 0; i < c; ++i)
    std::copy_n((*centroids)[i].unit_mean.data(), d, means.data() + i * d);
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(c), static_cast<int>(v),
              static_cast<int>(d), 1.0f, means.data(), static_cast<int>(d), vocab.data,
              static_cast<int>(d), 0.0f, scores.data(), static_cast<int>(v));
  for (size_t i = 0; i < c; ++i) {
    out.push_back(ClusterLabel{(*centroids)[i].cluster_id,
                               TopPhrases(scores.data() + i * v, phrases, top_k),
                               (*centroids)[i].medoid_row});
  }
  return out;
}

Result<PhraseMatch> LabelEmbedding(const float* embedding, size_t dim, const MatrixView& vocab,
                                   const std::vector<std::string>& phrases, int top_k) {
  PHOTOMAP_RETURN_IF_ERROR(CheckVocab(vocab, phrases, dim, top_k));
  if (phrases.empty()) return PhraseMatch{};
  const std::vector<float> unit = NormalizedRows(MatrixView{embedding, 1, dim});
  std::vector<float> scores(phrases.size());
  cblas_sgemv(CblasRowMajor, CblasNoTrans, static_cast<int>(vocab.rows), static_cast<int>(dim),
              1.0f, vocab.data, static_cast<int>(dim), unit.data(), 1, 0.0f, scores.data(), 1);
  return TopPhrases(scores.data(), phrases, top_k);
}

}  // namespace photomap::map
