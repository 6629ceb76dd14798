// Encoder spec parsing table, score floors, defaults, and the SigLIP query helpers.
#include "model/encoder_spec.h"

#include <gtest/gtest.h>

#include <cmath>

#include "model/text_query.h"

namespace photomap::model {
namespace {

bool HasFile(const EncoderSpec& s, const std::string& repo, const std::string& path) {
  for (const ModelFile& f : s.files) {
    if (f.repo == repo && f.path == path) return true;
  }
  return false;
}

TEST(EncoderSpecTest, ValidSpecsMapToRepositories) {
  struct Case {
    const char* spec;
    EncoderFamily family;
    const char* repo;
    const char* weights;
  };
  const Case cases[] = {
      {"openai-clip:ViT-B/32", EncoderFamily::kOpenAiClip, "openai/clip-vit-base-patch32",
       "model.safetensors"},
      {"openai-clip:ViT-L/14", EncoderFamily::kOpenAiClip, "openai/clip-vit-large-patch14",
       "model.safetensors"},
      {"openai-clip:ViT-L/14@336px", EncoderFamily::kOpenAiClip,
       "openai/clip-vit-large-patch14-336", "model.safetensors"},
      {"open-clip:ViT-L-14/dfn2b_s39b", EncoderFamily::kOpenClip, "apple/DFN2B-CLIP-ViT-L-14-39B",
       "open_clip_config.json"},
      {"open-clip:ViT-B-32/laion2b_s34b_b79k", EncoderFamily::kOpenClip,
       "laion/CLIP-ViT-B-32-laion2B-s34B-b79K", "open_clip_model.safetensors"},
      {"siglip:google/siglip2-large-patch16-256", EncoderFamily::kSiglip,
       "google/siglip2-large-patch16-256", "model.safetensors"},
      {"siglip:google/siglip-base-patch16-224", EncoderFamily::kSiglip,
       "google/siglip-base-patch16-224", "model.safetensors"},
  };
  for (const Case& c : cases) {
    auto s = ParseEncoderSpec(c.spec);
    ASSERT_TRUE(s.ok()) << c.spec << ": " << s.error().message;
    EXPECT_EQ(s->spec, c.spec);
    EXPECT_EQ(s->family, c.family) << c.spec;
    EXPECT_EQ(s->hf_repo, c.repo) << c.spec;
    EXPECT_TRUE(HasFile(*s, c.repo, c.weights)) << c.spec;
  }
}

TEST(EncoderSpecTest, FilesPerFamily) {
  auto oc = ParseEncoderSpec("open-clip:ViT-L-14/dfn2b_s39b");
  ASSERT_TRUE(oc.ok());
  EXPECT_TRUE(oc->open_clip_format);
  EXPECT_TRUE(HasFile(*oc, "apple/DFN2B-CLIP-ViT-L-14-39B", "open_clip_config.json"));
  EXPECT_TRUE(HasFile(*oc, "openai/clip-vit-base-patch32", "vocab.json"));
  EXPECT_TRUE(HasFile(*oc, "openai/clip-vit-base-patch32", "merges.txt"));
  EXPECT_TRUE(HasFile(*oc, "apple/DFN2B-CLIP-ViT-L-14-39B", "model.safetensors"));
  ASSERT_EQ(oc->weight_alternatives.size(), 2u);
  EXPECT_EQ(oc->weight_alternatives[0][0], "config.json");
  EXPECT_EQ(oc->photomapai_activation, "gelu");
  auto v1 = ParseEncoderSpec("siglip:google/siglip-base-patch16-224");
  ASSERT_TRUE(v1.ok());
  EXPECT_TRUE(HasFile(*v1, "google/siglip-base-patch16-224", "spiece.model"));
  auto v2 = ParseEncoderSpec("siglip:google/siglip2-large-patch16-256");
  ASSERT_TRUE(v2.ok());
  EXPECT_TRUE(HasFile(*v2, "google/siglip2-large-patch16-256", "tokenizer.model"));
  auto oa = ParseEncoderSpec("openai-clip:ViT-B/32");
  ASSERT_TRUE(oa.ok());
  EXPECT_FALSE(oa->open_clip_format);
  EXPECT_TRUE(oa->photomapai_activation.empty());
  for (const char* f : {"config.json", "vocab.json", "merges.txt", "preprocessor_config.json"}) {
    EXPECT_TRUE(HasFile(*oa, "openai/clip-vit-base-patch32", f)) << f;
  }
  auto classic = ParseEncoderSpec("classic:v1");
  ASSERT_TRUE(classic.ok());
  EXPECT_EQ(classic->family, EncoderFamily::kClassic);
  EXPECT_TRUE(classic->files.empty());
}

TEST(EncoderSpecTest, InvalidSpecsGiveClearErrors) {
  struct Case {
    const char* spec;
    ErrorKind kind;
    const char* says;
  };
  const Case cases[] = {
      {"bogus:thing", ErrorKind::kInvalidInput, "Unknown encoder backend"},
      {"ViT-B/32", ErrorKind::kInvalidInput, "Unknown encoder backend"},
      {"openai-clip:", ErrorKind::kInvalidInput, "missing a model identifier"},
      {"siglip", ErrorKind::kInvalidInput, "missing a model identifier"},
      {"open-clip:ViT-L-14", ErrorKind::kInvalidInput, "pretrained tag"},
      {"open-clip:ViT-L-14/", ErrorKind::kInvalidInput, "pretrained tag"},
      {"open-clip:ViT-X-99/whatever", ErrorKind::kUnsupported, "--model"},
      {"openai-clip:RN50", ErrorKind::kUnsupported, "ResNet"},
      {"openai-clip:ViT-Z/1", ErrorKind::kInvalidInput, "ViT-B/32"},
      {"siglip:../../etc/passwd", ErrorKind::kInvalidInput, "repository"},
      {"siglip:google", ErrorKind::kInvalidInput, "repository"},
      {"siglip:google/a b", ErrorKind::kInvalidInput, "repository"},
      {"classic:v2", ErrorKind::kInvalidInput, "v1"},
  };
  for (const Case& c : cases) {
    auto s = ParseEncoderSpec(c.spec);
    ASSERT_FALSE(s.ok()) << c.spec;
    EXPECT_EQ(s.error().kind, c.kind) << c.spec << ": " << s.error().message;
    EXPECT_NE(s.error().message.find(c.says), std::string::npos)
        << c.spec << ": " << s.error().message;
  }
}

TEST(EncoderSpecTest, EmptySpecIsGpuDefault) {
  auto s = ParseEncoderSpec("");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->spec, "open-clip:ViT-L-14/dfn2b_s39b");
}

TEST(EncoderSpecTest, KnownSpecsParse) {
  for (const std::string& s : KnownEncoderSpecs()) {
    EXPECT_TRUE(ParseEncoderSpec(s).ok()) << s;
  }
}

TEST(TextQueryTest, SiglipEnsemblingTemplates) {
  auto p = QueryPrompts(EncoderFamily::kSiglip, "dogs", true);
  ASSERT_EQ(p.size(), 5u);
  EXPECT_EQ(p[0], "a photo of dogs");
  EXPECT_EQ(p[2], "an illustration of dogs");
  EXPECT_EQ(p[4], "dogs");
  EXPECT_EQ(QueryPrompts(EncoderFamily::kSiglip, "dogs", false).size(), 1u);
  EXPECT_EQ(QueryPrompts(EncoderFamily::kOpenAiClip, "dogs", true).size(), 1u);
}

TEST(TextQueryTest, EnsembleIsNormalisedMeanOfNormalised) {
  const float e[] = {2, 0, 0, 3};  // two 2-d embeddings: (2,0) and (0,3)
  float out[2];
  EnsembleEmbeddings(e, 2, 2, out);
  EXPECT_NEAR(out[0], std::sqrt(0.5), 1e-6);
  EXPECT_NEAR(out[1], std::sqrt(0.5), 1e-6);
}

TEST(TextQueryTest, CalibrationIsStableSigmoid) {
  EXPECT_DOUBLE_EQ(CalibrateScore(0.3, std::nullopt, 5.0), 0.3);
  // SigLIP-typical values: scale exp(4.7) ~ 110, bias -12.9.
  double s = CalibrateScore(0.1, 4.7, -12.9);
  EXPECT_NEAR(s, 1.0 / (1.0 + std::exp(-(0.1 * std::exp(4.7) - 12.9))), 1e-12);
  EXPECT_EQ(CalibrateScore(-1e6, 4.7, 0), 0.0);  // no overflow, no NaN
  EXPECT_EQ(CalibrateScore(1e6, 4.7, 0), 1.0);
}

}  // namespace
}  // namespace photomap::model
