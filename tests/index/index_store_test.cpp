#include "index/index_store.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "index/index_snapshot.h"

namespace photomap::index {
namespace {

namespace fs = std::filesystem;

class IndexStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/photomap_index_XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    db_path_ = dir_ + "/embeddings.photomap.sqlite";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<IndexStore> OpenStore() {
    auto s = IndexStore::Open(db_path_);
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    return s.ok() ? std::move(s).value() : nullptr;
  }

  static ImageRecord Record(const std::string& path, double sort_time, float seed,
                            const std::string& encoder = "enc:a") {
    ImageRecord r;
    r.path = path;
    r.size_bytes = 1000;
    r.mtime = sort_time;
    r.sort_time = sort_time;
    r.media_type = "image";
    r.width = 640;
    r.height = 400;
    r.metadata_json = R"({"camera":"x"})";
    r.encoder_spec = encoder;
    r.embedding = {seed, 1.0f - seed, 0.5f};
    return r;
  }

  std::string dir_;
  std::string db_path_;
};

TEST_F(IndexStoreTest, StagedRowsAreInvisibleUntilPublished) {
  auto store = OpenStore();
  ASSERT_TRUE(store->Stage({Record("/a.jpg", 2, 0.1f), Record("/b.jpg", 1, 0.2f)}).ok());
  EXPECT_TRUE(store->LoadPublished()->empty());
  EXPECT_EQ(store->StagedStamps()->size(), 2u);
  ASSERT_TRUE(store->Publish({"enc:a", {}, false}).ok());
  auto rows = store->LoadPublished();
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].metadata_json, R"({"camera":"x"})");
  EXPECT_EQ((*rows)[0].embedding, (std::vector<float>{0.1f, 0.9f, 0.5f}));
  EXPECT_TRUE(store->StagedStamps()->empty());
  EXPECT_EQ(store->PublishedEncoder()->value_or(""), "enc:a");
  EXPECT_EQ(*store->Generation(), 1);
}

TEST_F(IndexStoreTest, ChangedFileKeepsItsRowIdAndRemovedFilesGo) {
  auto store = OpenStore();
  ASSERT_TRUE(store->Stage({Record("/a.jpg", 1, 0.1f), Record("/b.jpg", 2, 0.2f)}).ok());
  ASSERT_TRUE(store->Publish({"enc:a", {}, false}).ok());
  const int64_t id_a = (*store->LoadPublished())[0].id;
  ImageRecord edited = Record("/a.jpg", 5, 0.7f);
  edited.size_bytes = 2000;
  ASSERT_TRUE(store->Stage({edited}).ok());
  ASSERT_TRUE(store->Publish({"enc:a", {"/b.jpg"}, false}).ok());
  auto rows = *store->LoadPublished();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].id, id_a);
  EXPECT_EQ(rows[0].size_bytes, 2000);
  EXPECT_FLOAT_EQ(rows[0].embedding[0], 0.7f);
}

TEST_F(IndexStoreTest, EncoderChangeReplacesOnlyAtPublish) {
  auto store = OpenStore();
  ASSERT_TRUE(store->Stage({Record("/a.jpg", 1, 0.1f)}).ok());
  ASSERT_TRUE(store->Publish({"enc:a", {}, false}).ok());
  ASSERT_TRUE(store->Stage({Record("/a.jpg", 1, 0.9f, "enc:b")}).ok());
  EXPECT_EQ((*store->LoadPublished())[0].encoder_spec, "enc:a") << "old snapshot keeps serving";
  ASSERT_TRUE(store->Publish({"enc:b", {}, true}).ok());
  auto rows = *store->LoadPublished();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].encoder_spec, "enc:b");
  EXPECT_EQ(store->PublishedEncoder()->value_or(""), "enc:b");
}

TEST_F(IndexStoreTest, SnapshotOrdersByTimeThenPath) {
  auto store = OpenStore();
  ASSERT_TRUE(store
                  ->Stage({Record("/z.jpg", 10, 0.1f), Record("/b.jpg", 5, 0.2f),
                           Record("/a.jpg", 5, 0.3f), Record("/\xC3\xA9.jpg", 5, 0.4f)})
                  .ok());
  ASSERT_TRUE(store->Publish({"enc:a", {}, false}).ok());
  auto snap = IndexSnapshot::Build(*store->LoadPublished(), *store->Generation());
  ASSERT_TRUE(snap.ok());
  ASSERT_EQ(snap->size(), 4u);
  EXPECT_EQ(snap->AtPosition(0).path, "/a.jpg");
  EXPECT_EQ(snap->AtPosition(1).path, "/b.jpg");
  EXPECT_EQ(snap->AtPosition(2).path, "/\xC3\xA9.jpg");
  EXPECT_EQ(snap->AtPosition(3).path, "/z.jpg");
  EXPECT_EQ(snap->dim(), 3);
  EXPECT_EQ(snap->embeddings().size(), 12u);
  EXPECT_EQ(*snap->PositionOfPath("/z.jpg"), 3u);
  for (size_t row = 0; row < snap->size(); ++row) {
    EXPECT_EQ(snap->RowOfPosition(snap->PositionOfRow(row)), row);
  }
}

TEST_F(IndexStoreTest, RemoveAndMoveBumpGeneration) {
  auto store = OpenStore();
  ASSERT_TRUE(store->Stage({Record("/a.jpg", 1, 0.1f), Record("/b.jpg", 2, 0.2f)}).ok());
  ASSERT_TRUE(store->Publish({"enc:a", {}, false}).ok());
  auto rows = *store->LoadPublished();
  ASSERT_TRUE(store->UpdatePath(rows[0].id, "/moved/a.jpg").ok());
  ASSERT_TRUE(store->RemoveRows({rows[1].id}).ok());
  auto after = *store->LoadPublished();
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].path, "/moved/a.jpg");
  EXPECT_EQ(*store->Generation(), 3);
}

TEST_F(IndexStoreTest, NotADatabaseIsACorruptError) {
  std::ofstream(db_path_) << "this is not sqlite, just text that is long enough to be a header";
  auto s = IndexStore::Open(db_path_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind, ErrorKind::kCorrupt);
  EXPECT_NE(s.error().message.find(db_path_), std::string::npos);
}

TEST_F(IndexStoreTest, NewerSchemaIsRefused) {
  { ASSERT_TRUE(OpenStore()->SetMeta("schema_version", "99").ok()); }
  auto s = IndexStore::Open(db_path_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("newer"), std::string::npos);
}

// kill -9 while a writer stages batches: the database stays consistent, the published rows are
// untouched, and every staged row present is complete.
TEST_F(IndexStoreTest, SurvivesKillNineWhileStaging) {
  {
    auto store = OpenStore();
    ASSERT_TRUE(store->Stage({Record("/published.jpg", 1, 0.5f)}).ok());
    ASSERT_TRUE(store->Publish({"enc:a", {}, false}).ok());
  }
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto s = IndexStore::Open(db_path_);
    if (!s.ok()) ::_exit(2);
    for (int batch = 0;; ++batch) {
      std::vector<ImageRecord> records;
      for (int i = 0; i < 50; ++i) {
        records.push_back(
            Record("/s/" + std::to_string(batch) + "_" + std::to_string(i) + ".jpg", batch, 0.25f));
      }
      if (!(*s)->Stage(records).ok()) ::_exit(3);
    }
  }
  ::usleep(300 * 1000);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the writer was killed mid-work";
  auto store = OpenStore();
  auto check = Db::Open(db_path_);
  ASSERT_TRUE(check.ok());
  auto integrity = (*check)->Prepare("PRAGMA integrity_check");
  ASSERT_TRUE(integrity.ok());
  ASSERT_TRUE(*integrity->Step());
  EXPECT_EQ(integrity->Text(0), "ok");
  auto published = *store->LoadPublished();
  ASSERT_EQ(published.size(), 1u);
  EXPECT_EQ(published[0].path, "/published.jpg");
  const size_t staged = store->StagedStamps()->size();
  EXPECT_EQ(staged % 50, 0u) << "only whole batches are staged";
  // The next run can publish what the killed one encoded.
  ASSERT_TRUE(store->Publish({"enc:a", {}, false}).ok());
  EXPECT_EQ(store->LoadPublished()->size(), 1 + staged);
}

}  // namespace
}  // namespace photomap::index
