#include "config/config_store.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "util/atomic_file.h"

namespace photomap::config {
namespace {

namespace fs = std::filesystem;

class ConfigStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("photomap_cfg_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "config.yaml").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  Album MakeAlbum(const std::string& key) {
    Album a;
    a.key = key;
    a.name = key;
    a.image_paths = {(dir_ / key).string()};
    a.index = (dir_ / key / "photomap_index/embeddings.npz").string();
    return a;
  }
  void WriteRaw(const std::string& text) { std::ofstream(path_) << text; }
  std::string ReadRaw() { return ReadFileToString(path_).value(); }

  fs::path dir_;
  std::string path_;
};

TEST_F(ConfigStoreTest, MissingFileIsEmptyAndNotWritten) {
  ConfigStore store(path_, {});
  auto snap = store.Snapshot();
  ASSERT_TRUE(snap.ok());
  EXPECT_TRUE((*snap)->albums.empty());
  EXPECT_FALSE(fs::exists(path_));
}

TEST_F(ConfigStoreTest, AddWritesA0600FileAndRejectsDuplicates) {
  ConfigStore store(path_, {});
  ASSERT_TRUE(store.AddAlbum(MakeAlbum("b")).ok());
  ASSERT_TRUE(store.AddAlbum(MakeAlbum("a")).ok());
  struct stat st {};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  Status dup = store.AddAlbum(MakeAlbum("a"));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().kind, ErrorKind::kAlreadyExists);
  ConfigStore reread(path_, {});
  auto snap = reread.Snapshot();
  ASSERT_TRUE(snap.ok());
  ASSERT_EQ((*snap)->albums.size(), 2u);
  EXPECT_EQ((*snap)->albums[0].key, "a") << "albums are stored sorted by key";
}

TEST_F(ConfigStoreTest, ExistingModeIsKeptAndSymlinkFollowed) {
  WriteRaw("albums: {}\n");
  ::chmod(path_.c_str(), 0640);
  const std::string link = (dir_ / "link.yaml").string();
  fs::create_symlink(path_, link);
  ConfigStore store(link, {});
  ASSERT_TRUE(store.AddAlbum(MakeAlbum("x")).ok());
  EXPECT_TRUE(fs::is_symlink(link)) << "the link itself is not replaced";
  struct stat st {};
  ::stat(path_.c_str(), &st);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
  EXPECT_NE(ReadRaw().find("x:"), std::string::npos);
  EXPECT_FALSE(fs::exists(path_ + ".tmp"));
}

TEST_F(ConfigStoreTest, UnparsableFileIsNeverOverwritten) {
  const std::string broken = "albums:\n  a: [oops\n";
  WriteRaw(broken);
  ConfigStore store(path_, {});
  auto snap = store.Snapshot();
  ASSERT_FALSE(snap.ok());
  EXPECT_NE(snap.error().message.find("line"), std::string::npos);
  Status add = store.AddAlbum(MakeAlbum("a"));
  ASSERT_FALSE(add.ok());
  EXPECT_NE(add.error().message.find("refused until the file is fixed"), std::string::npos);
  EXPECT_EQ(ReadRaw(), broken);
  // Fixing the file by hand is picked up without a restart.
  WriteRaw("albums: {}\n");
  auto fixed = store.Snapshot();
  ASSERT_TRUE(fixed.ok()) << fixed.error().message;
  EXPECT_TRUE(store.AddAlbum(MakeAlbum("a")).ok());
}

TEST_F(ConfigStoreTest, FailedWriteLeavesOldFileIntact) {
  ConfigStore store(path_, {});
  ASSERT_TRUE(store.AddAlbum(MakeAlbum("a")).ok());
  const std::string before = ReadRaw();
  fs::create_directory(path_ + ".tmp");  // the temp file cannot be created
  Status s = store.AddAlbum(MakeAlbum("b"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind, ErrorKind::kIo);
  EXPECT_EQ(ReadRaw(), before);
  auto snap = store.Snapshot();
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ((*snap)->albums.size(), 1u) << "memory matches the file after a failed write";
}

TEST_F(ConfigStoreTest, ReplaceAndDelete) {
  ConfigStore store(path_, {});
  ASSERT_TRUE(store.AddAlbum(MakeAlbum("a")).ok());
  Album changed = MakeAlbum("a");
  changed.name = "Renamed";
  ASSERT_TRUE(store.ReplaceAlbum(changed).ok());
  EXPECT_EQ((*store.Snapshot())->albums[0].name, "Renamed");
  EXPECT_EQ(store.ReplaceAlbum(MakeAlbum("zz")).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(store.DeleteAlbum("zz").error().kind, ErrorKind::kNotFound);
  ASSERT_TRUE(store.DeleteAlbum("a").ok());
  EXPECT_TRUE((*store.Snapshot())->albums.empty());
}

}  // namespace
}  // namespace photomap::config
