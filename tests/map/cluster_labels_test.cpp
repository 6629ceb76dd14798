#include "map/cluster_labels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "map/landmarks.h"

namespace photomap::map {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The bundled vocabulary has 1675 unique phrases after processing (spec §6.4).
TEST(ClusterLabelsTest, BundledVocabularyHas1675Phrases) {
  std::vector<std::string> phrases;
  AppendVocabulary(ReadFile(std::string(PHOTOMAP_SHARED_DIR) + "/data/cluster_vocab.txt"), phrases);
  EXPECT_EQ(phrases.size(), 1675u);
  EXPECT_EQ(phrases[0], "airfield");
  for (const std::string& p : phrases) {
    EXPECT_FALSE(p.empty());
    EXPECT_NE(p[0], '#');
    EXPECT_EQ(p, std::string(p.c_str()));
  }
}

TEST(ClusterLabelsTest, VocabularyProcessing) {
  std::vector<std::string> phrases = {"beach"};
  AppendVocabulary("# comment\n  Beach  \n\nSunset\r\nsunset\n\tMountain Lake\t\n#x\n", phrases);
  EXPECT_EQ(phrases, (std::vector<std::string>{"beach", "sunset", "mountain lake"}));
  EXPECT_EQ(ExpandTemplates("dog"),
            (std::vector<std::string>{"a photo of a dog", "a photo of the dog", "a picture of dog",
                                      "an image of dog", "a drawing of dog", "a painting of dog",
                                      "dog"}));
  // sha256("a\nb\n"): sorted unique phrases, each followed by a newline.
  EXPECT_EQ(VocabFingerprint({"b", "a", "b"}),
            "911169ddaaf146aff539f58c26c489af3b892dff0fe283c1c264c65ae5aa59a2");
}

TEST(ClusterLabelsTest, PhraseEmbeddingsAverageTemplatesAndNormalise) {
  // Two phrases x 2 templates in 2-D.
  const std::vector<float> t = {1, 0, 0, 1, 3, 0, 3, 0};
  auto p = PhraseEmbeddings({t.data(), 4, 2}, 2);
  ASSERT_TRUE(p.ok());
  EXPECT_NEAR((*p)[0], std::sqrt(0.5), 1e-6);
  EXPECT_NEAR((*p)[1], std::sqrt(0.5), 1e-6);
  EXPECT_FLOAT_EQ((*p)[2], 1.0f);
  EXPECT_FLOAT_EQ((*p)[3], 0.0f);
  EXPECT_EQ(PhraseEmbeddings({t.data(), 4, 2}, 3).error().kind, ErrorKind::kInvalidInput);
}

// Three clusters along three axes of a 4-D space, a vocabulary of axis phrases: each cluster gets
// its axis's phrase, the runner-up as alternate, the cosine as score, and the member nearest to
// the mean as medoid; noise is skipped.
TEST(ClusterLabelsTest, LabelsMedoidsAndLandmarks) {
  const std::vector<float> x = {
      0.995037f, 0.0995037f, 0,         0,  // row 0: cluster 0 (unit rows, as stored embeddings)
      1.0f,      0.0f,       0,         0,  // row 1: cluster 0
      0,         1,          0,         0,  // row 2: cluster 2
      0,         0,          1,         0,  // row 3: cluster 1
      0,         0,          0.980581f, 0.196116f,  // row 4: cluster 1
      0,         0,          0,         1,          // row 5: noise
      0.998752f, 0.0499376f, 0,         0           // row 6: cluster 0
  };
  const std::vector<int32_t> labels = {0, 0, 2, 1, 1, -1, 0};
  const std::vector<std::string> phrases = {"north", "east", "up", "w"};
  const std::vector<float> vocab = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
  auto out = LabelClusters({x.data(), 7, 4}, labels, {vocab.data(), 4, 4}, phrases, 2);
  ASSERT_TRUE(out.ok()) << out.error().message;
  ASSERT_EQ(out->size(), 3u);
  EXPECT_EQ((*out)[0].cluster_id, 0);
  EXPECT_EQ((*out)[0].match.label, "north");
  EXPECT_EQ((*out)[0].match.alternates, std::vector<std::string>{"east"});
  EXPECT_GT((*out)[0].match.score, 0.99f);
  EXPECT_EQ((*out)[0].medoid_row, 6);  // the row nearest the mean direction
  EXPECT_EQ((*out)[1].cluster_id, 1);
  EXPECT_EQ((*out)[1].match.label, "up");
  EXPECT_EQ((*out)[2].match.label, "east");
  EXPECT_EQ((*out)[2].medoid_row, 2);

  auto one = LabelEmbedding(x.data() + 4 * 4, 4, {vocab.data(), 4, 4}, phrases, 3);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->label, "up");
  EXPECT_EQ(one->alternates, (std::vector<std::string>{"w", "north"}));  // 0-score tie: lower index

  EXPECT_EQ(LabelClusters({x.data(), 7, 4}, labels, {vocab.data(), 4, 4}, phrases, 0).error().kind,
            ErrorKind::kInvalidInput);
  auto none = LabelClusters({x.data(), 7, 4}, std::vector<int32_t>(7, -1), {vocab.data(), 4, 4},
                            phrases, 3);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  const std::vector<float> xy = {0, 0, 2, 0, 9, 9, 5, 5, 7, 5, -3, -3, 1, 3};
  auto marks = ComputeLandmarks({x.data(), 7, 4}, xy, labels);
  ASSERT_TRUE(marks.ok());
  ASSERT_EQ(marks->size(), 3u);
  EXPECT_EQ((*marks)[0].size, 3u);
  EXPECT_EQ((*marks)[0].medoid_row, 6);
  EXPECT_FLOAT_EQ((*marks)[0].x, 1.0f);
  EXPECT_FLOAT_EQ((*marks)[0].y, 1.0f);
  EXPECT_FLOAT_EQ((*marks)[1].x, 6.0f);
  EXPECT_EQ(ComputeLandmarks({x.data(), 7, 4}, {0, 0}, labels).error().kind,
            ErrorKind::kInvalidInput);
}

}  // namespace
}  // namespace photomap::map
