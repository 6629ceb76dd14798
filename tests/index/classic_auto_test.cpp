// The classic:v1 encoder and "auto" encoder resolution through the real indexing job, on copies
// of shared/photos in a temporary album:
//  - EncoderProvider::Get("classic:v1") gives the weight-free encoder (no text, 445 dims);
//  - "auto" with no model installed and no network resolves to classic:v1 with a warning in the
//    progress and the completion, and the resolved spec is recorded;
//  - "auto" with a CLIP model installed uses it; with none installed but a reachable hub (a
//    loopback server serving the e2e fixture as openai/clip-vit-base-patch32) it downloads the
//    host default with `downloading` progress; an explicit spec that is missing fails with the
//    files to provide and never falls back;
//  - an album indexed with classic answers image queries (the query photo first) and refuses
//    text queries with InvalidInput.
#include <gtest/gtest.h>

#include <filesystem>

#include "index/album_fixture.h"
#include "index/album_indexes.h"
#include "index/encoder_provider.h"
#include "index/indexing_job.h"
#include "media/decoder.h"
#include "model/classic_descriptor.h"
#include "model/model_store.h"
#include "search/text_image_search.h"
#include "testing/fixture_hub.h"

namespace photomap::index {
namespace {

namespace fs = std::filesystem;
using testing::TempAlbum;

// A model store root in a fresh temporary directory.
class TempStore {
 public:
  TempStore() {
    std::string tmpl = fs::temp_directory_path().string() + "/pm_store_XXXXXX";
    root_ = ::mkdtemp(tmpl.data());
  }
  ~TempStore() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  const std::string& root() const { return root_; }

  // Installs the tiny e2e CLIP fixture under `spec`'s directory, as a finished pull would.
  void InstallFixtureAs(const std::string& spec) {
    auto parsed = model::ParseEncoderSpec(spec);
    ASSERT_TRUE(parsed.ok());
    const fs::path dir = model::ModelStore(root_).ModelDir(*parsed);
    fs::create_directories(dir);
    for (const auto& e :
         fs::directory_iterator(std::string(PHOTOMAP_SHARED_DIR) + "/fixtures/clip/e2e_clip")) {
      fs::copy_file(e.path(), dir / e.path().filename());
    }
    std::ofstream(dir / "photomap_model.json") << R"({"spec": ")" << spec << R"(", "files": []})";
  }

 private:
  std::string root_;
};

AutoEncoderOptions Offline() {
  AutoEncoderOptions o;
  o.allow_download = false;
  return o;
}

TEST(ClassicEncoderProviderTest, GetClassicNeedsNoFiles) {
  EncoderProvider provider("/nonexistent-model-store");
  auto classic = provider.Get("classic:v1");
  ASSERT_TRUE(classic.ok()) << classic.error().message;
  EXPECT_EQ((*classic)->spec, "classic:v1");
  EXPECT_EQ((*classic)->family, model::EncoderFamily::kClassic);
  EXPECT_FALSE((*classic)->reads_text());
  EXPECT_FALSE((*classic)->calibrated());
  EXPECT_EQ((*classic)->encoder->embedding_dim(), model::kClassicDim);
  EXPECT_EQ((*classic)->preprocess.output_width(), model::kClassicInputSize);
  EXPECT_EQ((*classic)->preprocess.output_height(), model::kClassicInputSize);
  auto again = provider.Get("classic:v1");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->get(), classic->get());  // cached, shared
  auto bad = provider.Get("classic:v2");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::kInvalidInput);
  auto unresolved = provider.Get("auto");
  ASSERT_FALSE(unresolved.ok());
  EXPECT_EQ(unresolved.error().kind, ErrorKind::kInvalidInput);
  EXPECT_NE(unresolved.error().message.find("index the album first"), std::string::npos);
}

TEST(ClassicEncoderProviderTest, AutoOfflineFallsBackToClassicWithAWarning) {
  TempStore store;
  EncoderProvider provider(store.root(), {}, Offline());
  std::vector<std::pair<std::string, std::string>> recorded;
  provider.SetSpecRecorder([&](const std::string& key, const std::string& spec) {
    recorded.emplace_back(key, spec);
    return Status::Ok();
  });
  ProgressTracker tracker;
  std::atomic<bool> cancel{false};
  tracker.Start("a", JobStatus::kScanning, 0, "Preparing");
  auto loaded = provider.ResolveForIndexing("a", "auto", tracker, cancel);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ((*loaded)->spec, "classic:v1");
  EXPECT_NE(tracker.Get("a").current_step.find("classic:v1"), std::string::npos)
      << tracker.Get("a").current_step;
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0], std::make_pair(std::string("a"), std::string("classic:v1")));
  tracker.Complete("a", "done");
  const auto view = tracker.Get("a");
  ASSERT_TRUE(view.warning_message.has_value());
  EXPECT_NE(view.warning_message->find("not text search"), std::string::npos);
  EXPECT_NE(view.warning_message->find("photomap models pull openai-clip:ViT-B/32"),
            std::string::npos)
      << *view.warning_message;
}

TEST(ClassicEncoderProviderTest, AutoWithUnreachableHubFallsBackAndSaysWhy) {
  TempStore store;
  AutoEncoderOptions o;
  o.hub_base_url = "http://127.0.0.1:9";  // discard port: connection refused, never a download
  EncoderProvider provider(store.root(), {}, o);
  ProgressTracker tracker;
  std::atomic<bool> cancel{false};
  tracker.Start("a", JobStatus::kScanning, 0, "Preparing");
  auto loaded = provider.ResolveForIndexing("a", "auto", tracker, cancel);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ((*loaded)->spec, "classic:v1");
  tracker.Complete("a", "done");
  const auto view = tracker.Get("a");
  ASSERT_TRUE(view.warning_message.has_value());
  EXPECT_NE(view.warning_message->find("downloading openai-clip:ViT-B/32 failed"),
            std::string::npos)
      << *view.warning_message;
}

TEST(ClassicEncoderProviderTest, AutoUsesAnInstalledClipModel) {
  TempStore store;
  store.InstallFixtureAs("openai-clip:ViT-B/16");  // not the default, found by listing
  EncoderProvider provider(store.root(), {}, Offline());
  ProgressTracker tracker;
  std::atomic<bool> cancel{false};
  auto loaded = provider.ResolveForIndexing("a", "auto", tracker, cancel);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ((*loaded)->spec, "openai-clip:ViT-B/16");
  EXPECT_TRUE((*loaded)->reads_text());
  tracker.Complete("a", "done");
  EXPECT_FALSE(tracker.Get("a").warning_message.has_value());
}

TEST(ClassicEncoderProviderTest, AutoDownloadsTheHostDefaultWhenOnline) {
  photomap::testing::FixtureHub hub;
  TempStore store;
  AutoEncoderOptions o;
  o.hub_base_url = hub.url();
  EncoderProvider provider(store.root(), {}, o);
  ProgressTracker tracker;
  std::atomic<bool> cancel{false};
  tracker.Start("a", JobStatus::kScanning, 0, "Preparing");
  auto loaded = provider.ResolveForIndexing("a", "auto", tracker, cancel);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ((*loaded)->spec, "openai-clip:ViT-B/32");
  EXPECT_TRUE((*loaded)->reads_text());
  auto parsed = model::ParseEncoderSpec("openai-clip:ViT-B/32");
  EXPECT_TRUE(model::ModelStore(store.root()).IsInstalled(*parsed));
  EXPECT_EQ(tracker.Get("a").current_step, "Downloaded openai-clip:ViT-B/32");
  tracker.Complete("a", "done");
  EXPECT_FALSE(tracker.Get("a").warning_message.has_value());
}

TEST(ClassicEncoderProviderTest, ExplicitMissingModelFailsWithTheFilesToProvide) {
  TempStore store;
  EncoderProvider provider(store.root(), {}, Offline());
  ProgressTracker tracker;
  std::atomic<bool> cancel{false};
  auto loaded = provider.ResolveForIndexing("a", "openai-clip:ViT-B/32", tracker, cancel);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().kind, ErrorKind::kNotFound);
  for (const char* file : {"model.safetensors", "config.json", "vocab.json", "merges.txt",
                           "preprocessor_config.json", "photomap models pull"}) {
    EXPECT_NE(loaded.error().message.find(file), std::string::npos)
        << file << " missing from: " << loaded.error().message;
  }
}

TEST(ClassicIndexingTest, AutoAlbumIndexesWithClassicAndSearchesByImageOnly) {
  TempAlbum t;
  auto files = t.CopyShared("real", 12);
  t.album().encoder_spec = "auto";
  TempStore store;
  EncoderProvider provider(store.root(), {}, Offline());
  ProgressTracker tracker;
  std::atomic<bool> cancel{false};
  auto summary = RunIndexingJob(t.album(), provider, tracker, cancel);
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  EXPECT_EQ(summary->encoded, 12u);
  AlbumIndexes indexes;
  auto snap = indexes.Get(t.album().index);
  ASSERT_TRUE(snap.ok()) << snap.error().message;
  EXPECT_EQ((*snap)->encoder_spec(), "classic:v1");
  EXPECT_EQ((*snap)->dim(), model::kClassicDim);

  auto encoder = provider.Get("classic:v1");
  ASSERT_TRUE(encoder.ok());
  for (size_t q : {0u, 5u, 11u}) {
    search::SearchRequest image_query;
    auto decoded = media::DecodeImage(files[q]);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    image_query.image = *decoded;
    image_query.image_weight = 1.0;
    image_query.min_score = 0.1;
    auto hits = search::SearchIndex(**snap, **encoder, image_query);
    ASSERT_TRUE(hits.ok()) << hits.error().message;
    ASSERT_FALSE(hits->empty());
    EXPECT_EQ((*snap)->AtPosition(hits->front().position).path, files[q]);
    EXPECT_GT(hits->front().score, 0.95) << files[q];
  }

  search::SearchRequest text_query;
  text_query.positive_query = "a cat";
  auto refused = search::SearchIndex(**snap, **encoder, text_query);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kInvalidInput);
  EXPECT_NE(refused.error().message.find("cannot read text"), std::string::npos);
}

}  // namespace
}  // namespace photomap::index
