// Indexing, search and media routes against the real server: 202 then scanning, 409 on a second
// start, completion counts and warnings, index_exists/index_metadata, cancel 404 when idle,
// remove_index, search ordering, retrieve_image, image routes with Range, traversal and symlink
// 403. Uses the tiny real-architecture CLIP fixture through a "local:" encoder spec.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/server_process.h"

namespace photomap {
namespace {

using nlohmann::json;
using testing::ServerProcess;
using testing::TempDir;
namespace fs = std::filesystem;

class IndexHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(photos());
    size_t copied = 0;
    for (const auto& e :
         fs::directory_iterator(std::string(PHOTOMAP_SHARED_DIR) + "/photos/real")) {
      if (e.path().extension() == ".md" || copied >= 5) continue;
      fs::copy_file(e.path(), fs::path(photos()) / e.path().filename());
      ++copied;
    }
    fs::copy_file(std::string(PHOTOMAP_SHARED_DIR) + "/photos/broken/truncated_50pct.png",
                  fs::path(photos()) / "zz_broken.png");
    std::string error;
    server_ = ServerProcess::Start({dir_.Join("config.yaml"),
                                    {},
                                    {{"HOME", dir_.path()},
                                     {"XDG_DATA_HOME", dir_.Join("data")},
                                     {"XDG_CACHE_HOME", dir_.Join("cache")}}},
                                   &error);
    ASSERT_NE(server_, nullptr) << error;
    json album = {
        {"key", "fam"},
        {"name", "Family"},
        {"image_paths", {photos()}},
        {"index", photos() + "/photomap_index/embeddings.npz"},
        {"encoder_spec", std::string("local:") + PHOTOMAP_SHARED_DIR + "/fixtures/clip/e2e_clip"},
        {"min_image_dimension", 1},
        {"min_image_bytes", 0}};
    auto added = Post("/add_album/", album);
    ASSERT_TRUE(added);
    ASSERT_EQ(added->status, 201) << added->body;
  }

  std::string photos() const { return dir_.Join("photos"); }
  httplib::Result Post(const std::string& path, const json& body) {
    return server_->Client().Post(path.c_str(), body.dump(), "application/json");
  }
  httplib::Result Get(const std::string& path, const httplib::Headers& h = {}) {
    return server_->Client().Get(path.c_str(), h);
  }
  httplib::Result Delete(const std::string& path) { return server_->Client().Delete(path.c_str()); }

  json WaitForEnd() {
    for (int i = 0; i < 1200; ++i) {
      auto r = Get("/index_progress/fam");
      json p = json::parse(r->body);
      if (p["status"] == "completed" || p["status"] == "error") return p;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return json();
  }

  void IndexAlbum() {
    auto started = Post("/update_index_async/", {{"album_key", "fam"}});
    ASSERT_TRUE(started);
    ASSERT_EQ(started->status, 202) << started->body;
    json end = WaitForEnd();
    ASSERT_EQ(end["status"], "completed") << end.dump();
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(IndexHttpTest, StartPollConflictCompleteAndWarn) {
  EXPECT_EQ(json::parse(Get("/index_exists/fam")->body), json({{"exists", false}}));
  EXPECT_EQ(Get("/index_metadata/fam")->status, 404);
  auto cancel_idle = Delete("/cancel_index/fam");
  EXPECT_EQ(cancel_idle->status, 404);
  EXPECT_EQ(json::parse(cancel_idle->body)["detail"], "No active operation for album 'fam'");

  auto started = Post("/update_index_async/", {{"album_key", "fam"}});
  ASSERT_EQ(started->status, 202) << started->body;
  EXPECT_EQ(json::parse(started->body),
            json({{"success", true},
                  {"message", "Index update for album 'fam' started in background"},
                  {"album_key", "fam"},
                  {"task_id", "fam"}}));
  auto second = Post("/update_index_async/", {{"album_key", "fam"}});
  nlohmann::ordered_json first_poll =
      nlohmann::ordered_json::parse(Get("/index_progress/fam")->body);
  if (first_poll["status"] != "completed") {
    EXPECT_EQ(second->status, 409) << second->body;
    EXPECT_EQ(json::parse(second->body)["detail"], "Index update already running for album 'fam'");
  }
  std::vector<std::string> keys;
  for (auto it = first_poll.begin(); it != first_poll.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{
                      "album_key", "status", "current_step", "images_processed", "total_images",
                      "progress_percentage", "elapsed_time", "estimated_time_remaining",
                      "error_message", "warning_message"}));
  json end = WaitForEnd();
  ASSERT_EQ(end["status"], "completed") << end.dump();
  EXPECT_EQ(end["warning_message"], "1 file could not be read and was skipped.");
  EXPECT_EQ(end["current_step"], "Successfully indexed 5 new images");

  EXPECT_EQ(json::parse(Get("/index_exists/fam")->body), json({{"exists", true}}));
  json meta = json::parse(Get("/index_metadata/fam")->body);
  EXPECT_EQ(meta["filename_count"], 5);
  EXPECT_EQ(meta["image_count"], 5);
  EXPECT_EQ(meta["video_count"], 0);
  EXPECT_EQ(meta["embeddings_path"], photos() + "/photomap_index/embeddings.npz");
  json failures = json::parse(Get("/index_failures/fam")->body);
  ASSERT_EQ(failures["failed_files"].size(), 1u);
  EXPECT_NE(failures["failed_files"][0]["path"].get<std::string>().find("zz_broken.png"),
            std::string::npos);

  EXPECT_EQ(Post("/update_index_async/", {{"album_key", "nope"}})->status, 404);
  auto removed = Delete("/remove_index/fam");
  EXPECT_EQ(removed->status, 200) << removed->body;
  EXPECT_EQ(json::parse(Get("/index_exists/fam")->body), json({{"exists", false}}));
  EXPECT_EQ(Get("/retrieve_image/fam/0")->status, 404) << "the snapshot cache was dropped too";
  EXPECT_EQ(Delete("/remove_index/fam")->status, 404);
}

TEST_F(IndexHttpTest, SearchAndPerImageRoutes) {
  IndexAlbum();
  json body = {{"positive_query", "a cat"}, {"min_search_score", -10}, {"max_search_results", 3}};
  auto r = Post("/search_with_text_and_image/fam", body);
  ASSERT_EQ(r->status, 200) << r->body;
  json results = json::parse(r->body)["results"];
  ASSERT_EQ(results.size(), 3u);
  for (size_t i = 1; i < results.size(); ++i) {
    EXPECT_GE(results[i - 1]["score"].get<double>(), results[i]["score"].get<double>());
  }
  auto again = Post("/search_with_text_and_image/fam", body);
  EXPECT_EQ(json::parse(again->body)["results"], results) << "stable across calls";
  json none = json::parse(Post("/search_with_text_and_image/fam", json::object())->body);
  EXPECT_EQ(none["results"], json::array());

  auto bad64 =
      Post("/search_with_text_and_image/fam", {{"image_data", "data:image/png;base64,@@@"}});
  EXPECT_EQ(bad64->status, 400) << bad64->body;
  auto not_image = Post("/search_with_text_and_image/fam", {{"image_data", "aGVsbG8gd29ybGQ="}});
  EXPECT_EQ(not_image->status, 400);
  EXPECT_EQ(json::parse(not_image->body)["detail"],
            "The query image could not be read. Search by image needs a still image.");

  nlohmann::ordered_json slide = nlohmann::ordered_json::parse(Get("/retrieve_image/fam/0")->body);
  std::vector<std::string> keys;
  for (auto it = slide.begin(); it != slide.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"filename", "filepath", "description", "image_url",
                                            "metadata_url", "index", "total", "reference_images",
                                            "media_type", "video_url", "video_info"}));
  EXPECT_EQ(slide["total"], 5);
  EXPECT_EQ(slide["metadata_url"], "get_metadata/fam/0");
  EXPECT_EQ(slide["image_url"], "images/fam/" + slide["filename"].get<std::string>());
  for (int i = 0; i < 5; ++i) {  // description: the EXIF panel, or the no-metadata line
    json one = json::parse(Get("/retrieve_image/fam/" + std::to_string(i))->body);
    json meta = json::parse(Get("/get_metadata/fam/" + std::to_string(i))->body);
    const std::string d = one["description"];
    if (meta.contains("Make")) {
      EXPECT_NE(d.find("<table class='exif-table'><tr>"), std::string::npos) << d;
      EXPECT_NE(d.find("<tr><th>Camera Make</th><td>"), std::string::npos) << d;
    } else if (meta.empty()) {
      EXPECT_EQ(d, "<i>No metadata available.</i>");
    } else {
      EXPECT_FALSE(d.empty());
    }
    EXPECT_EQ(one["reference_images"], json::array());
    EXPECT_TRUE(one["video_info"].is_null());
  }
  EXPECT_EQ(Get("/retrieve_image/fam/99")->status, 404);
  EXPECT_EQ(Get("/retrieve_image/fam/x")->status, 422);

  json info = json::parse(Get("/image_info/fam/1")->body);
  EXPECT_EQ(info["album_key"], "fam");
  EXPECT_EQ(info["index"], 1);
  auto path = Get("/image_path/fam/1");
  EXPECT_EQ(path->body, info["image_path"]);
  EXPECT_EQ(Get("/get_metadata/fam/0")->status, 200);
  json idx = json::parse(
      Post("/image_indices/fam", {{"filenames", {slide["filename"], "nope.jpg"}}})->body);
  EXPECT_EQ(idx["indices"][slide["filename"].get<std::string>()], 0);
  EXPECT_TRUE(idx["indices"]["nope.jpg"].is_null());

  auto thumb = Get("/thumbnails/fam/0?size=64");
  ASSERT_EQ(thumb->status, 200) << thumb->body;
  EXPECT_EQ(thumb->get_header_value("Content-Type"), "image/png");
  EXPECT_EQ(thumb->body.substr(1, 3), "PNG");
  EXPECT_EQ(Get("/thumbnails/fam/0?size=0")->status, 400);
  EXPECT_EQ(Get("/thumbnails/fam/42")->status, 404);
}

TEST_F(IndexHttpTest, ImageServingRangeTraversalAndSymlinks) {
  IndexAlbum();
  json slide = json::parse(Get("/retrieve_image/fam/0")->body);
  const std::string url = "/" + slide["image_url"].get<std::string>();
  const auto size = fs::file_size(slide["filepath"].get<std::string>());
  auto full = Get(url);
  ASSERT_EQ(full->status, 200);
  EXPECT_EQ(full->body.size(), size);
  auto part = Get(url, {{"Range", "bytes=0-99"}});
  EXPECT_EQ(part->status, 206);
  EXPECT_EQ(part->body.size(), 100u);
  EXPECT_EQ(part->get_header_value("Content-Range"), "bytes 0-99/" + std::to_string(size));
  // 416 for an unsatisfiable range is left to http/file_response's own tests: through SendFile
  // the httplib client currently reports a read error for it (see the report of issue 5).

  EXPECT_EQ(Get("/images/fam/..%2F..%2Fetc%2Fpasswd")->status, 403);
  EXPECT_EQ(Get("/images/fam/nothing.jpg")->status, 404);
  const std::string outside = dir_.Join("secret.jpg");
  fs::copy_file(slide["filepath"].get<std::string>(), outside);
  fs::create_symlink(outside, fs::path(photos()) / "link.jpg");
  EXPECT_EQ(Get("/images/fam/link.jpg")->status, 403);
  EXPECT_EQ(Get("/videos/fam/" + slide["filename"].get<std::string>())->status, 403);
  auto by_name = Get("/image_by_name/fam/" + slide["filename"].get<std::string>());
  EXPECT_EQ(by_name->status, 200);
  EXPECT_EQ(by_name->body.size(), size);
}

TEST_F(IndexHttpTest, DeleteMoveCopyKeepIndexInStep) {
  IndexAlbum();
  const std::string path0 = Get("/image_path/fam/0")->body;
  auto trashed = Post("/delete_images/fam", {{"indices", {0, 99}}});
  ASSERT_EQ(trashed->status, 200) << trashed->body;
  json t = json::parse(trashed->body);
  EXPECT_EQ(t["deleted_count"], 1);
  EXPECT_EQ(t["errors"], json::array({"Index 99: out of range"}));
  EXPECT_FALSE(fs::exists(path0));
  const std::string name0 = fs::path(path0).filename().string();
  EXPECT_TRUE(fs::exists(dir_.Join("data/Trash/files/" + name0)));
  EXPECT_TRUE(fs::exists(dir_.Join("data/Trash/info/" + name0 + ".trashinfo")));
  EXPECT_EQ(json::parse(Get("/index_metadata/fam")->body)["filename_count"], 4);
  EXPECT_EQ(Post("/delete_images/fam", {{"indices", json::array()}})->status, 400);

  const std::string path1 = Get("/image_path/fam/0")->body;
  auto gone = Delete("/delete_image/fam/0?move_to_trash=false");
  ASSERT_EQ(gone->status, 200) << gone->body;
  EXPECT_EQ(json::parse(gone->body)["message"], "Deleted " + path1);
  EXPECT_FALSE(fs::exists(path1));
  EXPECT_EQ(json::parse(Get("/index_metadata/fam")->body)["filename_count"], 3);

  const std::string target = dir_.Join("target");
  fs::create_directories(target);
  EXPECT_EQ(
      Post("/copy_images/fam", {{"indices", {0}}, {"target_directory", dir_.Join("nope")}})->status,
      400);
  const std::string src0 = Get("/image_path/fam/0")->body;
  auto copied = Post("/copy_images/fam", {{"indices", {0}}, {"target_directory", target}});
  ASSERT_EQ(copied->status, 200) << copied->body;
  EXPECT_EQ(json::parse(copied->body)["copied_count"], 1);
  EXPECT_EQ(fs::file_size(src0), fs::file_size(target + "/" + fs::path(src0).filename().string()));
  json again =
      json::parse(Post("/copy_images/fam", {{"indices", {0}}, {"target_directory", target}})->body);
  EXPECT_EQ(again["success"], false);
  EXPECT_EQ(again["errors"][0],
            fs::path(src0).filename().string() + ": File already exists in target directory");

  const std::string inside = photos() + "/sub";
  fs::create_directories(inside);
  const std::string src1 = Get("/image_path/fam/1")->body;
  auto moved = Post("/move_images/fam", {{"indices", {1}}, {"target_directory", inside}});
  ASSERT_EQ(moved->status, 200) << moved->body;
  EXPECT_EQ(json::parse(moved->body)["moved_count"], 1);
  const std::string moved_path = inside + "/" + fs::path(src1).filename().string();
  EXPECT_TRUE(fs::exists(moved_path));
  EXPECT_FALSE(fs::exists(src1));
  bool found = false;
  for (int i = 0; i < 3; ++i)
    found = found || Get("/image_path/fam/" + std::to_string(i))->body == moved_path;
  EXPECT_TRUE(found) << "the index row follows the moved file";
}

}  // namespace
}  // namespace photomap
