// Tokenizer and preprocessing throughput (photomap_model_text). Prints JSON lines
// {"name":…,"value":…,"unit":…}; each figure is the median of 5 timed repeats, one thread.
// The tokenizer uses the shared fixture vocabulary (150 merges, so words split into more
// pieces than with CLIP's 48,894: a pessimistic BPE load); "cold" builds a fresh tokenizer per
// repeat so every word goes through BPE, "warm" reuses the per-word cache.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "model/bpe_tokenizer.h"
#include "model/preprocess.h"

namespace {

using photomap::RgbImage;
using namespace photomap::model;

double MedianSeconds(const std::function<void()>& fn, int repeats = 5) {
  std::vector<double> t;
  for (int r = 0; r < repeats; ++r) {
    auto start = std::chrono::steady_clock::now();
    fn();
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

void Print(const std::string& name, double value, const std::string& unit) {
  std::printf("%s\n",
              nlohmann::json{{"name", name}, {"value", value}, {"unit", unit}}.dump().c_str());
}

std::vector<std::string> MakeTexts(int n) {
  const char* words[] = {"photo",   "dog",    "cat",      "sunset",   "beach",    "mountain",
                         "city",    "night",  "red",      "sofa",     "sleeping", "children",
                         "playing", "park",   "snow",     "portrait", "café",     "東京",
                         "river",   "forest", "birthday", "party"};
  std::mt19937 rng(1);
  std::vector<std::string> texts;
  for (int i = 0; i < n; ++i) {
    std::string t = "a photo of";
    for (int w = 0; w < 6; ++w) t.append(" ").append(words[rng() % std::size(words)]);
    t.append(" ").append(std::to_string(rng() % 1000));
    texts.push_back(t);
  }
  return texts;
}

RgbImage MakeImage(int w, int h) {
  RgbImage img{w, h, std::vector<uint8_t>(static_cast<size_t>(w) * h * 3)};
  std::mt19937 rng(2);
  for (auto& p : img.pixels) p = static_cast<uint8_t>(rng());
  return img;
}

void BenchTokenizer() {
  const std::string dir = std::string(PHOTOMAP_SHARED_DIR) + "/fixtures/clip/tokenizer";
  auto load = [&] {
    return BpeTokenizer::FromVocabAndMerges(dir + "/vocab.json", dir + "/merges.txt", BpeOptions{})
        .value();
  };
  const std::vector<std::string> texts = MakeTexts(1024);
  for (int batch : {1, 32}) {
    auto run = [&](BpeTokenizer& tok) {
      for (size_t i = 0; i + batch <= texts.size(); i += batch) {
        std::vector<std::string> b(texts.begin() + i, texts.begin() + i + batch);
        if (!tok.EncodeBatch(b).ok()) std::abort();
      }
    };
    double cold = MedianSeconds([&] {
      auto tok = load();
      run(*tok);
    });
    auto warm_tok = load();
    run(*warm_tok);
    double warm = MedianSeconds([&] { run(*warm_tok); });
    Print("tokenizer_clip_bpe_cold_batch" + std::to_string(batch), texts.size() / cold, "texts/s");
    Print("tokenizer_clip_bpe_warm_batch" + std::to_string(batch), texts.size() / warm, "texts/s");
  }
}

void BenchPreprocess() {
  PreprocessConfig clip;  // OpenAI CLIP 224 defaults
  PreprocessConfig siglip;
  siglip.resize_mode = PreprocessConfig::ResizeMode::kExact;
  siglip.resize_width = siglip.resize_height = 256;
  siglip.do_center_crop = false;
  siglip.mean = siglip.std = {0.5f, 0.5f, 0.5f};
  struct Case {
    const char* name;
    RgbImage img;
    const PreprocessConfig* cfg;
  };
  const Case cases[] = {
      {"preprocess_clip224_from_448x336", MakeImage(448, 336), &clip},
      {"preprocess_clip224_from_1024x768", MakeImage(1024, 768), &clip},
      {"preprocess_siglip256_from_512x384", MakeImage(512, 384), &siglip},
  };
  std::vector<float> out(3 * 256 * 256);
  for (const Case& c : cases) {
    const int n = 50;
    double s = MedianSeconds([&] {
      for (int i = 0; i < n; ++i) {
        if (!Preprocess(c.img, *c.cfg, out.data()).ok()) std::abort();
      }
    });
    Print(c.name, n / s, "img/s");
  }
}

}  // namespace

int main() {
  BenchTokenizer();
  BenchPreprocess();
  return 0;
}
