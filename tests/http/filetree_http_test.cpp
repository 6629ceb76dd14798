// The folder-picker routes against the real server with PHOTOMAP_ALBUM_ROOT set: listing (sorted,
// folders only, hidden ones on request, hasChildren, relative and absolute paths), the root fence
// (dot-dot, absolute paths outside, symlinks out of the root are not offered), /filetree/home,
// and create_directory's checks in PhotoMapAI's order.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/album_testing.h"

namespace photomap {
namespace {

using nlohmann::json;
using testing::ServerProcess;
using testing::TempDir;
namespace fs = std::filesystem;

class FiletreeHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::canonical(dir_.path()).string() + "/root";
    fs::create_directories(root_ + "/b_photos/2024");
    fs::create_directories(root_ + "/a_empty");
    fs::create_directories(root_ + "/.hidden");
    fs::create_directories(dir_.Join("outside/private"));
    std::ofstream(root_ + "/file.jpg") << "x";
    fs::create_directory_symlink(dir_.Join("outside"), root_ + "/c_link_out");
    fs::create_directory_symlink(root_ + "/b_photos/2024", root_ + "/d_link_in");
    auto env = testing::IsolatedEnv(dir_);
    env.push_back({"PHOTOMAP_ALBUM_ROOT", root_});
    std::string error;
    server_ = ServerProcess::Start({dir_.Join("config.yaml"), {}, env}, &error);
    ASSERT_NE(server_, nullptr) << error;
  }

  json GetJson(const std::string& path, int expected_status) {
    auto r = server_->Client().Get(path.c_str());
    EXPECT_TRUE(r) << path;
    if (!r) return json();
    EXPECT_EQ(r->status, expected_status) << path << ": " << r->body;
    return json::parse(r->body, nullptr, false);
  }
  std::pair<int, json> Create(const json& body) {
    auto r = testing::PostJson(*server_, "/filetree/create_directory", body);
    if (!r) return {0, json()};
    return {r->status, json::parse(r->body, nullptr, false)};
  }

  TempDir dir_;
  std::string root_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(FiletreeHttpTest, ListsFoldersInsideTheRoot) {
  json top = GetJson("/filetree/directories", 200);
  EXPECT_EQ(top["currentPath"], root_);
  EXPECT_EQ(top["isRoot"], true);
  ASSERT_EQ(top["directories"].size(), 3u) << top.dump();
  EXPECT_EQ(top["directories"][0],
            json({{"name", "a_empty"}, {"path", root_ + "/a_empty"}, {"hasChildren", false}}));
  EXPECT_EQ(top["directories"][1],
            json({{"name", "b_photos"}, {"path", root_ + "/b_photos"}, {"hasChildren", true}}));
  // A symlink inside the root is listed under its resolved path; one leading out is not.
  EXPECT_EQ(top["directories"][2]["name"], "d_link_in");
  EXPECT_EQ(top["directories"][2]["path"], root_ + "/b_photos/2024");

  json hidden = GetJson("/filetree/directories?show_hidden=true", 200);
  EXPECT_EQ(hidden["directories"].size(), 4u);
  EXPECT_EQ(hidden["directories"][0]["name"], ".hidden");

  json relative = GetJson("/filetree/directories?path=b_photos", 200);
  EXPECT_EQ(relative["currentPath"], root_ + "/b_photos");
  EXPECT_EQ(relative["isRoot"], false);
  ASSERT_EQ(relative["directories"].size(), 1u);
  EXPECT_EQ(relative["directories"][0]["name"], "2024");
  EXPECT_EQ(GetJson("/filetree/directories?path=" + root_ + "/b_photos", 200), relative);

  for (const std::string bad : {"..", "../outside", "b_photos/../..", "/etc", "c_link_out",
                                "c_link_out/private", "missing", "file.jpg"}) {
    json body = GetJson("/filetree/directories?path=" + bad, 404);
    EXPECT_EQ(body["detail"], "Invalid or non-existent directory") << bad;
  }
  EXPECT_EQ(GetJson("/filetree/directories?show_hidden=maybe", 422)["detail"][0]["loc"],
            json({"query", "show_hidden"}));
  EXPECT_EQ(GetJson("/filetree/home", 200)["homePath"], fs::canonical(dir_.path()).string());
}

TEST_F(FiletreeHttpTest, CreatesDirectoriesWithPhotoMapAIsChecks) {
  auto [ok, made] = Create({{"parent_path", root_ + "/a_empty"}, {"directory_name", "New"}});
  EXPECT_EQ(ok, 200) << made.dump();
  EXPECT_EQ(made, json({{"success", true}, {"path", root_ + "/a_empty/New"}, {"name", "New"}}));
  EXPECT_TRUE(fs::is_directory(root_ + "/a_empty/New"));

  const struct {
    json body;
    int status;
    std::string detail;
  } cases[] = {
      {{{"parent_path", root_ + "/nope"}, {"directory_name", "x"}},
       404,
       "Parent directory does not exist"},
      {{{"parent_path", root_ + "/file.jpg"}, {"directory_name", "x"}},
       400,
       "Parent path is not a directory"},
      {{{"parent_path", dir_.Join("outside")}, {"directory_name", "x"}},
       403,
       "Access denied to parent directory"},
      {{{"parent_path", root_}, {"directory_name", "  "}}, 400, "Directory name cannot be empty"},
      {{{"parent_path", root_}, {"directory_name", "a/b"}},
       400,
       "Directory name contains invalid characters"},
      {{{"parent_path", root_}, {"directory_name", "a\\b"}},
       400,
       "Directory name contains invalid characters"},
      {{{"parent_path", root_}, {"directory_name", ".."}},
       400,
       "Directory name contains invalid characters"},
      {{{"parent_path", root_ + "/a_empty"}, {"directory_name", "New"}},
       409,
       "Directory already exists"},
  };
  for (const auto& c : cases) {
    auto [status, body] = Create(c.body);
    EXPECT_EQ(status, c.status) << c.body.dump() << " → " << body.dump();
    EXPECT_EQ(body["detail"], c.detail) << c.body.dump();
  }
  EXPECT_FALSE(fs::exists(dir_.Join("outside/x")));
  EXPECT_EQ(Create({{"parent_path", root_}}).first, 422);
}

}  // namespace
}  // namespace photomap
