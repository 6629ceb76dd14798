// Cross-cutting conventions of the server (backend-spec §0) and the process lifecycle.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/server_process.h"

namespace photomap {
namespace {

using nlohmann::json;
using testing::ServerProcess;
using testing::TempDir;

TEST(ServerHttpTest, ConventionsAndCleanShutdown) {
  TempDir dir;
  std::string error;
  auto server = ServerProcess::Start({dir.Join("config.yaml"), {}, {}}, &error);
  ASSERT_NE(server, nullptr) << error;
  auto client = server->Client();

  auto unknown = client.Get("/no/such/route");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(json::parse(unknown->body), (json{{"detail", "Not Found"}}));
  EXPECT_EQ(unknown->get_header_value("X-UA-Compatible"), "IE=edge");

  auto wrong_method = client.Post("/available_albums/", "{}", "application/json");
  EXPECT_EQ(wrong_method->status, 405);
  EXPECT_EQ(json::parse(wrong_method->body), (json{{"detail", "Method Not Allowed"}}));

  auto redirect = client.Get("/available_albums?x=1");
  EXPECT_EQ(redirect->status, 307);
  EXPECT_EQ(redirect->get_header_value("Location"), "available_albums/?x=1");

  auto encoder = client.Get("/default_encoder/");
  EXPECT_EQ(json::parse(encoder->body), (json{{"encoder_spec", "openai-clip:ViT-B/32"}}));

  EXPECT_EQ(server->Stop(), 0) << "SIGTERM shuts down cleanly (and ASan found no leaks)";
}

TEST(ServerHttpTest, VersionAndHelp) {
  auto [code, out] = ServerProcess::RunToExit({"--version"}, {});
  EXPECT_EQ(code, 0);
  EXPECT_NE(out.find("photomap "), std::string::npos) << out;
  auto [help_code, help] = ServerProcess::RunToExit({"serve", "--help"}, {});
  EXPECT_EQ(help_code, 0);
  for (const char* flag :
       {"--host", "--port", "--config", "--album-locked", "--cert", "--key", "--no-browser"}) {
    EXPECT_NE(help.find(flag), std::string::npos) << flag;
  }
}

TEST(ServerHttpTest, EnvironmentChoosesConfigAndPort) {
  TempDir dir;
  const std::string config = dir.Join("env-config.yaml");
  std::string error;
  // No --config: PHOTOMAP_CONFIG decides. (--port 0 on the command line wins over PHOTOMAP_PORT.)
  ServerProcess::Options options{"", {}, {{"PHOTOMAP_CONFIG", config}, {"PHOTOMAP_PORT", "1"}}};
  auto [code, out] = ServerProcess::RunToExit({"serve", "--port", "0", "--help"}, options.env);
  EXPECT_EQ(code, 0);
  EXPECT_NE(out.find(config), std::string::npos)
      << "default --config shows PHOTOMAP_CONFIG: " << out;
}

}  // namespace
}  // namespace photomap
