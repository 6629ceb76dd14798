// The indexing job end to end on real photos with the tiny real-architecture CLIP fixture:
// counts, incremental new/changed/missing detection, unreadable files, encoder change, model
// errors, and cancellation in each phase with checkpoint reuse.
#include "index/indexing_job.h"

#include <chrono>
#include <fstream>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "index/album_fixture.h"
#include "index/album_indexes.h"
#include "index/index_store.h"

namespace photomap::index {
namespace {

using testing::FixtureModelSpec;
using testing::TempAlbum;

struct Env {
  EncoderProvider encoders{"/nonexistent-model-store"};
  ProgressTracker tracker;
  std::atomic<bool> cancel{false};
};

Result<IndexingSummary> RunJob(Env& env, const config::Album& album, IndexingOptions options = {}) {
  return RunIndexingJob(album, env.encoders, env.tracker, env.cancel, options);
}

std::shared_ptr<const IndexSnapshot> Snapshot(const config::Album& album) {
  AlbumIndexes indexes;
  auto snap = indexes.Get(album.index);
  EXPECT_TRUE(snap.ok()) << snap.error().message;
  return snap.ok() ? *snap : nullptr;
}

TEST(IndexingJobTest, IndexesRealPhotosThenDetectsNewChangedAndMissing) {
  TempAlbum t;
  auto files = t.CopyShared("real", 6);
  Env env;
  auto first = RunJob(env, t.album());
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->scanned, 6u);
  EXPECT_EQ(first->encoded, 6u);
  EXPECT_EQ(first->unreadable, 0u);
  EXPECT_TRUE(first->published);
  auto snap = Snapshot(t.album());
  ASSERT_TRUE(snap);
  ASSERT_EQ(snap->size(), 6u);
  EXPECT_GT(snap->dim(), 0);
  EXPECT_EQ(snap->encoder_spec(), t.album().encoder_spec);
  for (size_t i = 0; i < snap->size(); ++i) {
    double norm = 0;
    for (int j = 0; j < snap->dim(); ++j) {
      const float v = snap->embeddings()[i * snap->dim() + j];
      norm += v * v;
    }
    EXPECT_NEAR(norm, 1.0, 1e-4) << "row " << i << " is not unit length";
    EXPECT_GT(snap->Row(i).width, 0);
    EXPECT_NE(snap->Row(i).metadata_json, "");
  }
  EXPECT_TRUE(AlbumIndexes::Exists(t.album().index));

  // Nothing changed: nothing published.
  auto again = RunJob(env, t.album());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->encoded, 0u);
  EXPECT_FALSE(again->published);

  // An edited file (same path, new mtime and size) is re-encoded; PhotoMapAI missed these.
  const int64_t old_id = [&] {
    auto s = Snapshot(t.album());
    return s->AtPosition(*s->PositionOfPath(files[1])).id;
  }();
  { std::ofstream(files[1], std::ios::app) << "trailing bytes"; }
  std::filesystem::remove(files[2]);
  t.CopyShared("real", 1, 10);
  auto third = RunJob(env, t.album());
  ASSERT_TRUE(third.ok()) << third.error().message;
  EXPECT_EQ(third->changed, 1u);
  EXPECT_EQ(third->encoded, 2u) << "the edited file and the new one";
  EXPECT_EQ(third->removed, 1u);
  snap = Snapshot(t.album());
  ASSERT_EQ(snap->size(), 6u);
  EXPECT_FALSE(snap->PositionOfPath(files[2]).has_value());
  auto pos = snap->PositionOfPath(files[1]);
  ASSERT_TRUE(pos.has_value());
  EXPECT_EQ(snap->AtPosition(*pos).id, old_id) << "an edited file keeps its row id";
  EXPECT_EQ(snap->AtPosition(*pos).size_bytes,
            static_cast<int64_t>(std::filesystem::file_size(files[1])));
}

TEST(IndexingJobTest, UnreadableFilesAreSkippedCountedAndListed) {
  TempAlbum t;
  t.CopyShared("real", 2);
  auto broken = t.CopyShared("broken");
  Env env;
  auto result = RunJob(env, t.album());
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_GE(result->unreadable, 5u);
  EXPECT_EQ(result->encoded + result->unreadable, result->scanned);
  auto failed = env.tracker.FailedFiles("test");
  EXPECT_EQ(failed.size(), result->unreadable);
  for (const auto& f : failed) EXPECT_FALSE(f.reason.empty()) << f.path;
  env.tracker.Complete("test", "done");
  auto view = env.tracker.Get("test");
  ASSERT_TRUE(view.warning_message.has_value());
  EXPECT_EQ(*view.warning_message, UnreadableFilesWarning(result->unreadable));
  EXPECT_EQ(UnreadableFilesWarning(1), "1 file could not be read and was skipped.");
  EXPECT_EQ(UnreadableFilesWarning(3), "3 files could not be read and were skipped.");
}

TEST(IndexingJobTest, EncoderChangeRebuildsAndOldIndexServesUntilPublish) {
  TempAlbum t;
  t.CopyShared("real", 3);
  Env env;
  ASSERT_TRUE(RunJob(env, t.album()).ok());
  config::Album changed = t.album();
  changed.encoder_spec = FixtureModelSpec() + "/";  // another spec string: a different encoder
  env.cancel = true;
  auto cancelled = RunJob(env, changed);
  ASSERT_FALSE(cancelled.ok());
  EXPECT_EQ(Snapshot(t.album())->encoder_spec(), t.album().encoder_spec);
  env.cancel = false;
  auto rebuilt = RunJob(env, changed);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.error().message;
  EXPECT_TRUE(rebuilt->rebuilt);
  EXPECT_EQ(rebuilt->encoded, 3u);
  auto snap = Snapshot(changed);
  EXPECT_EQ(snap->size(), 3u);
  EXPECT_EQ(snap->encoder_spec(), changed.encoder_spec);
}

TEST(IndexingJobTest, MissingModelTellsUserToPullIt) {
  TempAlbum t;
  t.CopyShared("real", 1);
  t.album().encoder_spec = "openai-clip:ViT-B/32";
  Env env;
  auto result = RunJob(env, t.album());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kNotFound);
  EXPECT_NE(result.error().message.find("photomap models pull openai-clip:ViT-B/32"),
            std::string::npos)
      << result.error().message;
}

TEST(IndexingJobTest, EmptyAlbumIsAnError) {
  TempAlbum t;
  Env env;
  auto result = RunJob(env, t.album());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message, "No image files found in album directory(ies)");
}

TEST(IndexingJobTest, CancelDuringScanningStopsAndPublishesNothing) {
  TempAlbum t;
  t.CopyShared("real", 3);
  Env env;
  env.cancel = true;
  auto result = RunJob(env, t.album());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kCancelled);
  EXPECT_EQ(result.error().message, "Indexing cancelled by user");
  EXPECT_FALSE(AlbumIndexes::Exists(t.album().index));
}

// Cancels mid-encoding: the published index is unchanged, encoded batches stay staged, and the
// next run encodes only what is left (its total_images counts only that).
TEST(IndexingJobTest, CancelDuringEncodingKeepsCheckpointForNextRun) {
  TempAlbum t;
  t.CopyShared("real", 2);
  Env env;
  ASSERT_TRUE(RunJob(env, t.album()).ok());
  const int64_t generation = Snapshot(t.album())->generation();
  const size_t added = t.CopyShared("real", 100, 2).size();
  ASSERT_GE(added, 10u);

  IndexingOptions slow;
  slow.batch_size = 2;
  slow.decode_threads = 1;
  slow.queue_capacity = 2;
  auto job = std::async(std::launch::async, [&] { return RunJob(env, t.album(), slow); });
  // Wait until at least two batches were staged, then cancel.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (env.tracker.Get("test").images_processed < 5 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const auto cancel_at = std::chrono::steady_clock::now();
  env.cancel = true;
  auto result = job.get();
  const double stop_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - cancel_at).count();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kCancelled);
  EXPECT_LT(stop_s, 1.0) << "the job must stop within 1 s of the cancel";

  auto snap = Snapshot(t.album());
  EXPECT_EQ(snap->generation(), generation) << "published index unchanged";
  EXPECT_EQ(snap->size(), 2u);
  auto store = IndexStore::Open(DatabasePathForIndex(t.album().index));
  ASSERT_TRUE(store.ok());
  const size_t staged = (*store)->StagedStamps()->size();
  EXPECT_GE(staged, 2u);
  EXPECT_LT(staged, added);

  env.cancel = false;
  auto resumed = RunJob(env, t.album());
  ASSERT_TRUE(resumed.ok()) << resumed.error().message;
  EXPECT_EQ(resumed->reused, staged) << "checkpointed rows are not re-encoded";
  EXPECT_EQ(resumed->encoded, added - staged);
  EXPECT_EQ(env.tracker.Get("test").total_images, static_cast<int64_t>(added - staged));
  EXPECT_EQ(Snapshot(t.album())->size(), 2u + added);
}

}  // namespace
}  // namespace photomap::index
