// `make run`'s demo album with no model and no network, against the real server and CLI:
// scripts/demo_config.sh writes the config (encoder_spec "auto"), `photomap serve` indexes the
// album at start-up, "auto" falls back to classic:v1 (the hub is unreachable: every proxy points
// at a closed loopback port, so nothing can be downloaded even on a networked machine) with a
// warning, the resolved spec is saved in config.yaml, image search returns the query photo first,
// and text search is refused with a 400 that says what to do — over HTTP and in `photomap search`.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "http/server_process.h"

namespace photomap {
namespace {

using nlohmann::json;
using testing::ServerProcess;
using testing::TempDir;
namespace fs = std::filesystem;

std::string Base64(const std::string& bytes) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t v =
        (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  if (i < bytes.size()) {
    uint32_t v = uint8_t(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= uint8_t(bytes[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class ClassicDemoHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string script = std::string(PHOTOMAP_SOURCE_DIR) + "/scripts/demo_config.sh";
    const std::string cmd =
        script + " '" + PHOTOMAP_SOURCE_DIR + "' '" + dir_.Join("state") + "' > /dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    std::string error;
    server_ = ServerProcess::Start({config(), {}, Env()}, &error);
    ASSERT_NE(server_, nullptr) << error;
  }

  std::string config() const { return dir_.Join("state") + "/config.yaml"; }
  std::vector<std::pair<std::string, std::string>> Env() const {
    const std::string closed = "http://127.0.0.1:9";
    return {{"HOME", dir_.path()},
            {"XDG_DATA_HOME", dir_.Join("data")},
            {"XDG_CACHE_HOME", dir_.Join("cache")},
            {"https_proxy", closed},
            {"HTTPS_PROXY", closed},
            {"http_proxy", closed},
            {"HTTP_PROXY", closed},
            {"ALL_PROXY", closed},
            {"no_proxy", ""},
            {"NO_PROXY", ""}};
  }
  httplib::Result Post(const std::string& path, const json& body) {
    return server_->Client().Post(path.c_str(), body.dump(), "application/json");
  }
  json WaitForEnd() {
    for (int i = 0; i < 3000; ++i) {
      auto r = server_->Client().Get("/index_progress/demo");
      json p = json::parse(r->body);
      if (p["status"] == "completed" || p["status"] == "error") return p;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return json();
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(ClassicDemoHttpTest, DemoIsIndexedOnFirstStartWithClassicAndSearchableByImage) {
  json end = WaitForEnd();
  ASSERT_EQ(end["status"], "completed") << end.dump();
  ASSERT_TRUE(end["warning_message"].is_string()) << end.dump();
  EXPECT_NE(end["warning_message"].get<std::string>().find("classic:v1"), std::string::npos)
      << end.dump();
  EXPECT_NE(end["current_step"].get<std::string>().find("Successfully indexed"), std::string::npos)
      << end.dump();

  // The album now records what it was indexed with.
  json album = json::parse(server_->Client().Get("/album/demo/")->body);
  EXPECT_EQ(album["encoder_spec"], "classic:v1") << album.dump();
  EXPECT_NE(ReadFile(config()).find("encoder_spec: classic:v1"), std::string::npos);

  const std::string demo = std::string(PHOTOMAP_SOURCE_DIR) + "/demo/photos/";
  for (const char* name : {"cat_chelsea.jpg", "coffee_cup.jpg", "kite_blue_sky.jpg"}) {
    auto r = Post("/search_with_text_and_image/demo",
                  {{"image_data", "data:image/jpeg;base64," + Base64(ReadFile(demo + name))},
                   {"image_weight", 1.0}});
    ASSERT_EQ(r->status, 200) << r->body;
    json results = json::parse(r->body)["results"];
    ASSERT_FALSE(results.empty());
    EXPECT_GT(results[0]["score"].get<double>(), 0.95) << name << ": " << r->body;
    auto first = server_->Client().Get(
        ("/retrieve_image/demo/" + std::to_string(results[0]["index"].get<int>())).c_str());
    ASSERT_EQ(first->status, 200);
    EXPECT_EQ(json::parse(first->body)["filename"], name) << first->body;
  }

  auto text = Post("/search_with_text_and_image/demo", {{"positive_query", "a cat"}});
  ASSERT_EQ(text->status, 400) << text->body;
  const std::string detail = json::parse(text->body)["detail"];
  EXPECT_NE(detail.find("cannot read text"), std::string::npos) << detail;
  EXPECT_NE(detail.find("photomap models pull"), std::string::npos) << detail;

  // The CLI reads the same index.
  auto [code, out] = ServerProcess::RunToExit({"search", "--config", config(), "--album", "demo",
                                               "--image", demo + "cat_chelsea.jpg", "-n", "3"},
                                              Env());
  EXPECT_EQ(code, 0) << out;
  EXPECT_EQ(out.substr(0, out.find('\n')).find("cat_chelsea.jpg") != std::string::npos, true)
      << out;
  auto [text_code, text_out] =
      ServerProcess::RunToExit({"search", "--config", config(), "--album", "demo", "a cat"}, Env());
  EXPECT_EQ(text_code, 1) << text_out;
  EXPECT_TRUE(text_out.empty()) << text_out;
}

}  // namespace
}  // namespace photomap
