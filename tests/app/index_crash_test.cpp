// Crash safety of `photomap index` (issue 5): the real CLI is killed with SIGKILL at 10 seeded
// random moments while it indexes a ~200-photo album with the tiny CLIP fixture (once the album is
// complete, a quarter of its photos get new mtimes so the next run re-encodes them). After every
// kill the database passes PRAGMA integrity_check, no committed row is lost (published +
// checkpointed rows never decrease; a published index is all or nothing), and the next run
// resumes from the checkpoint; a final uninterrupted run completes with every photo published
// once and nothing left staged.
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "http/server_process.h"
#include "util/atomic_file.h"

extern char** environ;

namespace photomap {
namespace {

using testing::TempDir;
namespace fs = std::filesystem;

struct Counts {
  bool ok = false;
  std::string integrity;
  int64_t published = 0;
  int64_t staged = 0;
};

int64_t CountRows(sqlite3* db, const char* table) {
  sqlite3_stmt* st = nullptr;
  int64_t n = -1;
  const std::string sql = std::string("SELECT COUNT(*) FROM ") + table;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    n = sqlite3_column_int64(st, 0);
  }
  sqlite3_finalize(st);
  return n;
}

Counts Inspect(const std::string& db_path) {
  Counts c;
  if (!fs::exists(db_path)) {
    c.ok = true;
    c.integrity = "ok";
    return c;
  }
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return c;
  }
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    c.integrity = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  c.published = CountRows(db, "images");
  c.staged = CountRows(db, "staged");
  sqlite3_close(db);
  c.ok = c.published >= 0 && c.staged >= 0;
  return c;
}

pid_t SpawnIndex(const std::string& config, const std::string& home) {
  std::vector<std::string> args = {
      PHOTOMAP_BINARY_PATH, "index", "--config", config, "--album", "crash"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "HOME=", 5) != 0 && std::strncmp(*e, "XDG_", 4) != 0) {
      env_strings.push_back(*e);
    }
  }
  env_strings.push_back("HOME=" + home);
  env_strings.push_back("XDG_CACHE_HOME=" + home + "/cache");
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  const int rc =
      posix_spawn(&pid, PHOTOMAP_BINARY_PATH, &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

int Wait(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST(IndexCrashTest, SurvivesTenKillNinesAndResumes) {
  TempDir dir;
  const std::string photos = dir.Join("photos");
  size_t files = 0;
  for (int copy = 0; copy < 8; ++copy) {
    const std::string sub = photos + "/set" + std::to_string(copy);
    fs::create_directories(sub);
    for (const auto& e :
         fs::directory_iterator(std::string(PHOTOMAP_SHARED_DIR) + "/photos/real")) {
      if (e.path().extension() == ".md") continue;
      fs::copy_file(e.path(), sub + "/" + e.path().filename().string());
      ++files;
    }
  }
  const std::string index = photos + "/photomap_index/embeddings.npz";
  const std::string db = photos + "/photomap_index/embeddings.photomap.sqlite";
  const std::string config = dir.Join("config.yaml");
  ASSERT_TRUE(
      AtomicWriteFile(config, "albums:\n  crash:\n    name: Crash\n    image_paths:\n    - " +
                                  photos + "\n    index: " + index +
                                  "\n    encoder_spec: local:" + PHOTOMAP_SHARED_DIR +
                                  "/fixtures/clip/e2e_clip\n    min_image_dimension: 1\n"
                                  "    min_image_bytes: 0\nconfig_version: 1.1.0\n")
          .ok());

  std::mt19937 rng(20261127);
  std::uniform_int_distribution<int> delay_ms(300, 2500);
  int64_t checkpoint = 0;  // rows staged before the first publish
  bool complete = false;   // the whole album has been published
  int finished_early = 0;
  int edits = 0;
  for (int kill = 0; kill < 10; ++kill) {
    const pid_t pid = SpawnIndex(config, dir.path());
    ASSERT_GT(pid, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    ::kill(pid, SIGKILL);
    const int code = Wait(pid);
    if (code != 128 + SIGKILL) ++finished_early;  // the run completed before the kill
    const Counts c = Inspect(db);
    ASSERT_TRUE(c.ok) << "kill " << kill << ": database unreadable";
    EXPECT_EQ(c.integrity, "ok") << "kill " << kill;
    if (c.published == 0) {
      // Not yet published: the checkpoint only grows (no photo was edited yet).
      EXPECT_FALSE(complete) << "kill " << kill << ": the published index was lost";
      EXPECT_GE(c.staged, checkpoint) << "kill " << kill << ": checkpointed rows were lost";
      checkpoint = c.staged;
    } else {
      EXPECT_EQ(c.published, static_cast<int64_t>(files))
          << "kill " << kill << ": a partial index was published";
      complete = true;
    }
    if (c.published == static_cast<int64_t>(files)) {
      // Everything is in: edit some photos (new mtimes) so the next run has work to be killed in.
      ++edits;
      size_t touched = 0;
      for (const auto& e : fs::recursive_directory_iterator(photos)) {
        if (!e.is_regular_file() || e.path().string().find("photomap_index") != std::string::npos)
          continue;
        if (touched++ % 4 == static_cast<size_t>(kill % 4)) {
          fs::last_write_time(e.path(), fs::file_time_type::clock::now());
        }
      }
    }
  }
  EXPECT_LT(finished_early, 10) << "every run finished before its kill: the test killed nothing";
  std::printf("10 kills; %d runs finished first; the album was edited %d times\n", finished_early,
              edits);

  // An uninterrupted run completes and publishes every photo exactly once.
  const pid_t pid = SpawnIndex(config, dir.path());
  ASSERT_GT(pid, 0);
  EXPECT_EQ(Wait(pid), 0);
  const Counts end = Inspect(db);
  EXPECT_EQ(end.integrity, "ok");
  EXPECT_EQ(end.published, static_cast<int64_t>(files));
  EXPECT_EQ(end.staged, 0);
}

}  // namespace
}  // namespace photomap
