// Cancelling an indexing job over HTTP in each phase it can be caught in (scanning, indexing,
// mapping) on a 208-photo album: the poll reads error / "Indexing cancelled by user" at once, the
// job ends promptly (a new run is accepted within a generous bound; the tight figure belongs in
// bench/), the published index is unchanged by a cancel before publishing, the checkpoint is
// reused (the next run's total counts only what is left), and a cancel during mapping keeps the
// published index while the map is still served afterwards.
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/album_testing.h"

namespace photomap {
namespace {

using nlohmann::json;
using testing::ServerProcess;
using testing::TempDir;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

constexpr int kCopies = 8;

int64_t StagedRows(const std::string& db_path) {
  sqlite3* db = nullptr;
  int64_t n = -1;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM staged", -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
      n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return n;
}

class CancelPhasesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int c = 0; c < kCopies; ++c) {
      files_ += testing::CopyRealPhotos(photos() + "/set" + std::to_string(c), 1000);
    }
    std::string error;
    server_ = testing::StartIsolated(dir_, &error);
    ASSERT_NE(server_, nullptr) << error;
    auto added = testing::PostJson(*server_, "/add_album/", testing::FixtureAlbum("big", photos()));
    ASSERT_EQ(added->status, 201) << added->body;
  }

  std::string photos() const { return dir_.Join("photos"); }
  std::string db() const { return photos() + "/photomap_index/embeddings.photomap.sqlite"; }
  json Progress() {
    return json::parse(server_->Client().Get("/index_progress/big")->body, nullptr, false);
  }
  int Start() {
    return testing::PostJson(*server_, "/update_index_async/", {{"album_key", "big"}})->status;
  }

  // Polls every 5 ms until `until` holds for the progress (or 120 s pass).
  json WaitFor(const std::function<bool(const json&)>& until) {
    const auto deadline = Clock::now() + std::chrono::seconds(120);
    json p;
    while (Clock::now() < deadline) {
      p = Progress();
      if (until(p)) return p;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return p;
  }

  // Cancels and checks the poll says so at once; returns the seconds until a new run is accepted.
  double CancelAndTimeUntilIdle() {
    const auto t0 = Clock::now();
    auto cancelled = server_->Client().Delete("/cancel_index/big");
    EXPECT_EQ(cancelled->status, 200) << cancelled->body;
    json p = Progress();
    EXPECT_EQ(p["status"], "error") << p.dump();
    EXPECT_EQ(p["error_message"], "Indexing cancelled by user") << p.dump();
    while (Clock::now() - t0 < std::chrono::seconds(30)) {
      if (Start() == 202) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return std::chrono::duration<double>(Clock::now() - t0).count();
  }

  TempDir dir_;
  size_t files_ = 0;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(CancelPhasesTest, CancelInEachPhase) {
  ASSERT_GE(files_, 200u);
  // Scanning: cancelled before anything is published.
  ASSERT_EQ(Start(), 202);
  double idle = CancelAndTimeUntilIdle();
  EXPECT_LT(idle, 10.0) << "the job took " << idle << " s to stop after a cancel in scanning";
  // (The accepted run started by CancelAndTimeUntilIdle continues below.)

  // Indexing: cancel once some batches are staged; nothing is published, the checkpoint stays.
  json p = WaitFor([](const json& v) {
    return v["status"] == "indexing" && v["images_processed"].get<int64_t>() >= 24;
  });
  ASSERT_EQ(p["status"], "indexing") << p.dump();
  idle = CancelAndTimeUntilIdle();
  std::printf("cancelled in indexing after %lld images; a new run was accepted after %.3f s\n",
              static_cast<long long>(p["images_processed"].get<int64_t>()), idle);
  EXPECT_LT(idle, 10.0) << "the job took " << idle << " s to stop after a cancel in indexing";
  EXPECT_EQ(json::parse(server_->Client().Get("/index_exists/big")->body)["exists"], false);
  // The run accepted after the cancel encodes only what the checkpoint lacks.
  p = WaitFor([](const json& v) {
    return v["status"] == "indexing" || v["status"] == "mapping" || v["status"] == "completed";
  });
  const int64_t staged = StagedRows(db());
  std::printf("next run: %s, total %lld, checkpoint %lld\n", p["status"].get<std::string>().c_str(),
              static_cast<long long>(p["total_images"].get<int64_t>()),
              static_cast<long long>(staged));
  if (p["status"] == "indexing") {
    EXPECT_LT(p["total_images"].get<int64_t>(), static_cast<int64_t>(files_)) << p.dump();
    EXPECT_GE(staged, 24) << "the cancelled run's batches were not kept";
  }

  // Mapping: cancel while the map is computed; the index is published and stays.
  p = WaitFor([](const json& v) {
    return v["status"] == "mapping" || v["status"] == "completed" || v["status"] == "error";
  });
  if (p["status"] == "mapping") {
    idle = CancelAndTimeUntilIdle();
    std::printf("cancelled in mapping; a new run was accepted after %.3f s\n", idle);
    EXPECT_LT(idle, 10.0) << "the job took " << idle << " s to stop after a cancel in mapping";
    p = WaitFor([](const json& v) { return v["status"] == "completed" || v["status"] == "error"; });
  }
  EXPECT_EQ(p["status"], "completed") << p.dump();
  auto meta = server_->Client().Get("/index_metadata/big");
  ASSERT_EQ(meta->status, 200) << meta->body;
  auto points = json::parse(server_->Client().Get("/umap_data/big")->body, nullptr, false);
  ASSERT_TRUE(points.is_array());
  EXPECT_EQ(points.size(), files_);
}

}  // namespace
}  // namespace photomap
