// `photomap embed` reproduces the reference embeddings of the e2e_clip fixture directory, shaped
// like a real download: file → decode → preprocess → tokenizer → forward pass (cosine ≥ 0.99999).
#include <cmath>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/server_process.h"
#include "util/atomic_file.h"

namespace photomap {
namespace {

using nlohmann::json;
using testing::ServerProcess;

double Cosine(const std::vector<double>& a, const std::vector<double>& b) {
  double dot = 0, na = 0, nb = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return a.size() == b.size() ? dot / std::sqrt(na * nb) : 0.0;
}

TEST(EmbedCliTest, ReproducesReferenceEmbeddings) {
  const std::string dir = std::string(PHOTOMAP_SHARED_DIR) + "/fixtures/clip/e2e_clip";
  json expected = json::parse(ReadFileToString(dir + "/expected_embeddings.json").value());
  std::vector<std::string> args = {"embed", "--model", dir, "--image", dir + "/input.png"};
  for (const auto& t : expected["texts"]) {
    args.push_back("--text");
    args.push_back(t["text"].get<std::string>());
  }
  auto [code, out] = ServerProcess::RunToExit(args, {});
  ASSERT_EQ(code, 0) << out;
  json got = json::parse(out);
  ASSERT_EQ(got["embeddings"].size(), 1 + expected["texts"].size());
  const double image_cos = Cosine(got["embeddings"][0]["embedding"].get<std::vector<double>>(),
                                  expected["image"]["embedding"].get<std::vector<double>>());
  EXPECT_GE(image_cos, 0.99999) << "image cosine " << image_cos;
  for (size_t i = 0; i < expected["texts"].size(); ++i) {
    const json& row = got["embeddings"][1 + i];
    EXPECT_EQ(row["input"], expected["texts"][i]["text"]);
    const double c = Cosine(row["embedding"].get<std::vector<double>>(),
                            expected["texts"][i]["embedding"].get<std::vector<double>>());
    EXPECT_GE(c, 0.99999) << "text " << i << " '" << row["input"] << "' cosine " << c;
  }
}

TEST(EmbedCliTest, MissingModelIsAClearError) {
  auto [code, out] =
      ServerProcess::RunToExit({"embed", "--model", "/nonexistent", "--text", "x"}, {});
  EXPECT_EQ(code, 1);
}

}  // namespace
}  // namespace photomap
