// `photomap models pull/list/remove` end to end against a loopback "model hub" serving the
// tiny real-architecture CLIP fixture (no network).
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>

#include "http/server_process.h"
#include "util/atomic_file.h"

namespace photomap {
namespace {

namespace fs = std::filesystem;
using testing::ServerProcess;
using testing::TempDir;

class FakeHub {
 public:
  explicit FakeHub(std::string model_dir) : model_dir_(std::move(model_dir)) {
    server_.Get(R"(/([^/]+)/([^/]+)/resolve/main/(.+))",
                [this](const httplib::Request& req, httplib::Response& res) {
                  const std::string file = model_dir_ + "/" + req.matches[3].str();
                  auto bytes = ReadFileToString(file);
                  if (!bytes.ok()) {
                    res.status = 404;
                    return;
                  }
                  ++served_;
                  res.set_content(*bytes, "application/octet-stream");
                });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~FakeHub() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int served() const { return served_; }

 private:
  std::string model_dir_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> served_{0};
};

TEST(ModelsCliTest, PullListRemove) {
  FakeHub hub(std::string(PHOTOMAP_SHARED_DIR) + "/fixtures/clip/e2e_clip");
  TempDir dir;
  const std::string cache = dir.Join("models");
  auto run = [&](std::vector<std::string> args) {
    std::vector<std::string> full = {"models", "--cache-dir", cache, "--base-url", hub.url()};
    full.insert(full.end(), args.begin(), args.end());
    return ServerProcess::RunToExit(full, {});
  };
  auto [pull_code, pull_out] = run({"pull", "openai-clip:ViT-B/32"});
  ASSERT_EQ(pull_code, 0) << pull_out;
  EXPECT_GT(hub.served(), 0);
  EXPECT_NE(pull_out.find("installed in"), std::string::npos) << pull_out;
  bool found_weights = false;
  for (auto& e : fs::recursive_directory_iterator(cache)) {
    if (e.path().filename() == "model.safetensors") {
      found_weights =
          fs::file_size(e.path()) == fs::file_size(std::string(PHOTOMAP_SHARED_DIR) +
                                                   "/fixtures/clip/e2e_clip/model.safetensors");
    }
  }
  EXPECT_TRUE(found_weights) << "the weights arrived whole";

  auto [list_code, list_out] = run({"list"});
  EXPECT_EQ(list_code, 0);
  EXPECT_NE(list_out.find("openai-clip:ViT-B/32"), std::string::npos) << list_out;
  EXPECT_NE(list_out.find("installed"), std::string::npos) << list_out;

  auto [bad_code, bad_out] = run({"pull", "nonsense"});
  EXPECT_EQ(bad_code, 1) << bad_out;

  auto [rm_code, rm_out] = run({"remove", "openai-clip:ViT-B/32"});
  EXPECT_EQ(rm_code, 0) << rm_out;
  auto [rm2_code, rm2_out] = run({"remove", "openai-clip:ViT-B/32"});
  EXPECT_EQ(rm2_code, 1) << "removing what is not there is an error";
}

}  // namespace
}  // namespace photomap
