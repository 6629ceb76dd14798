// GET / and /static/: album selection rules, the config script, versioned immutable assets.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/server_process.h"

namespace photomap {
namespace {

using nlohmann::json;
using testing::ServerProcess;
using testing::TempDir;

class UiHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_.Join("web/assets"));
    std::ofstream(dir_.Join("web/index.html"))
        << "<html><head><script type=\"module\" src=\"%PHOTOMAP_ASSET_BASE%assets/main.js\">"
           "</script></head><body><!--photomap:config--></body></html>";
    std::ofstream(dir_.Join("web/assets/main.js")) << "console.log('hi');";
    std::ofstream(dir_.Join("config.yaml"))
        << "albums:\n  a:\n    image_paths: [/p]\n    index: /p/a.npz\n"
           "  b:\n    image_paths: [/p]\n    index: /p/b.npz\n";
  }
  std::unique_ptr<ServerProcess> Start(std::vector<std::pair<std::string, std::string>> env = {}) {
    std::string error;
    auto s = ServerProcess::Start({dir_.Join("config.yaml"), {"--web-root", dir_.Join("web")}, env},
                                  &error);
    EXPECT_NE(s, nullptr) << error;
    return s;
  }
  // The JSON assigned to window.slideshowConfig in the page.
  static json ConfigOf(const std::string& page) {
    const std::string marker = "window.slideshowConfig = ";
    size_t at = page.find(marker);
    if (at == std::string::npos) return nullptr;
    size_t end = page.find(";</script>", at);
    return json::parse(page.substr(at + marker.size(), end - at - marker.size()));
  }
  TempDir dir_;
};

TEST_F(UiHttpTest, PageCarriesConfigAndVersionedAssets) {
  auto server = Start();
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  auto page = c.Get("/?album=b&delay=5&mode=random");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  json cfg = ConfigOf(page->body);
  EXPECT_EQ(cfg["album"], "b");
  EXPECT_EQ(cfg["currentDelay"], 5);
  EXPECT_EQ(cfg["mode"], "random");
  EXPECT_EQ(cfg["albumLocked"], false);
  EXPECT_TRUE(cfg["highWaterMark"].is_null());
  EXPECT_EQ(ConfigOf(c.Get("/?album=nope")->body)["album"], "a") << "unknown → first album";
  EXPECT_TRUE(ConfigOf(c.Get("/")->body)["album"].is_null());
  EXPECT_EQ(c.Get("/?delay=soon")->status, 422);

  const std::string base = cfg["assetBase"];
  ASSERT_EQ(base.rfind("static/v", 0), 0u) << base;
  EXPECT_NE(page->body.find("src=\"" + base + "assets/main.js\""), std::string::npos) << page->body;
  auto asset = c.Get(("/" + base + "assets/main.js").c_str());
  ASSERT_EQ(asset->status, 200);
  EXPECT_EQ(asset->body, "console.log('hi');");
  EXPECT_EQ(asset->get_header_value("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_NE(asset->get_header_value("Content-Type").find("javascript"), std::string::npos);
  auto plain = c.Get("/static/assets/main.js");
  EXPECT_EQ(plain->status, 200);
  EXPECT_EQ(plain->get_header_value("Cache-Control"), "") << "unversioned is not immutable";
  EXPECT_EQ(c.Get("/static/v0.0.0.0000000000/assets/main.js")->status, 404);
  EXPECT_EQ(c.Get("/static/../config.yaml")->status, 404);
  EXPECT_EQ(c.Get("/static/%2e%2e/config.yaml")->status, 404);
  httplib::Headers range{{"Range", "bytes=0-6"}};
  auto part = c.Get("/static/assets/main.js", range);
  EXPECT_EQ(part->status, 206);
  EXPECT_EQ(part->body, "console");
}

TEST_F(UiHttpTest, LockedServerPicksALockedAlbum) {
  auto server = Start({{"PHOTOMAP_ALBUM_LOCKED", "b"}});
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  json cfg = ConfigOf(c.Get("/?album=a")->body);
  EXPECT_EQ(cfg["album"], "b");
  EXPECT_EQ(cfg["albumLocked"], true);
  EXPECT_EQ(cfg["multipleLockedAlbums"], false);
}

TEST_F(UiHttpTest, ScriptInjectionIsEscaped) {
  auto server = Start();
  ASSERT_NE(server, nullptr);
  auto page = server->Client().Get("/?mode=%3C/script%3E%3Cscript%3Ealert(1)%3C/script%3E");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->body.find("<script>alert(1)"), std::string::npos);
  EXPECT_EQ(ConfigOf(page->body)["mode"], "</script><script>alert(1)</script>");
}

}  // namespace
}  // namespace photomap
