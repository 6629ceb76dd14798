// Every file-serving route (/images, /videos, /image_by_name) against 40 hostile paths sent as raw
// request lines: dot-dot in every encoding, double encoding, absolute paths, symlinks to outside
// files and folders, NUL bytes, backslashes, overlong UTF-8, disallowed types. Each answer is 403
// or 404 (400 where the request line itself is malformed) and no byte of the files outside the
// album is ever returned; the server stays up and still serves the legitimate file.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/album_testing.h"
#include "util/atomic_file.h"

namespace photomap {
namespace {

using nlohmann::json;
using testing::ServerProcess;
using testing::TempDir;
namespace fs = std::filesystem;

constexpr const char* kSecret = "TOP-SECRET-BYTES-4f1c9a";

// Sends `request_target` verbatim in a GET request line and returns the whole raw response.
std::string RawGet(int port, const std::string& request_target) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    const std::string request =
        "GET " + request_target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
        static_cast<ssize_t>(request.size())) {
      char buf[4096];
      ssize_t n;
      while ((n = ::recv(fd, buf, sizeof(buf), 0)) > 0)
        response.append(buf, static_cast<size_t>(n));
    }
  }
  ::close(fd);
  return response;
}

int StatusOf(const std::string& response) {
  if (response.size() < 12 || response.compare(0, 5, "HTTP/") != 0) return -1;
  return std::atoi(response.c_str() + 9);
}

class HostilePathsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    album_ = dir_.Join("album");
    outside_ = dir_.Join("outside");
    fs::create_directories(album_ + "/sub");
    fs::create_directories(outside_);
    // The legitimate photo, and secrets next to and above the album.
    fs::copy_file(std::string(PHOTOMAP_SHARED_DIR) + "/fixtures/clip/e2e_clip/input.png",
                  album_ + "/sub/photo.png");
    for (const std::string name : {"secret.jpg", "secret.png", "secret.mp4", "passwd"}) {
      ASSERT_TRUE(AtomicWriteFile(outside_ + "/" + name, kSecret).ok());
    }
    ASSERT_TRUE(AtomicWriteFile(dir_.Join("config_secret.png"), kSecret).ok());
    ASSERT_TRUE(AtomicWriteFile(album_ + "/notes.txt", kSecret).ok());  // disallowed type
    fs::create_symlink(outside_ + "/secret.jpg", album_ + "/link.jpg");
    fs::create_symlink(outside_, album_ + "/linkdir");
    std::string error;
    server_ = testing::StartIsolated(dir_, &error);
    ASSERT_NE(server_, nullptr) << error;
    auto added = testing::PostJson(*server_, "/add_album/", testing::FixtureAlbum("a", album_));
    ASSERT_TRUE(added);
    ASSERT_EQ(added->status, 201) << added->body;
    ASSERT_EQ(testing::IndexAndWait(*server_, "a")["status"], "completed");
  }

  TempDir dir_;
  std::string album_, outside_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(HostilePathsTest, NoRouteServesAByteFromOutsideTheAlbum) {
  const std::string out = outside_;  // absolute, e.g. /tmp/xyz/outside
  const std::vector<std::string> hostile = {
      "../outside/secret.jpg",
      "../../outside/secret.jpg",
      "sub/../../outside/secret.jpg",
      "..%2foutside%2fsecret.jpg",
      "%2e%2e/outside/secret.jpg",
      "%2e%2e%2foutside%2fsecret.jpg",
      "%2E%2E/outside/secret.jpg",
      ".%2e/outside/secret.jpg",
      "%252e%252e/outside/secret.jpg",
      "%252e%252e%252foutside%252fsecret.jpg",
      "..%252foutside%252fsecret.jpg",
      "%c0%ae%c0%ae/outside/secret.jpg",
      "%c0%ae%c0%ae%c0%afoutside%c0%afsecret.jpg",
      "%e0%80%ae%e0%80%ae/outside/secret.jpg",
      "..%c0%afoutside%c0%afsecret.jpg",
      "..\\outside\\secret.jpg",
      "..%5coutside%5csecret.jpg",
      "sub\\..\\..\\outside\\secret.jpg",
      out + "/secret.jpg",
      "%2f" + out.substr(1) + "/secret.jpg",
      "/" + out + "/secret.jpg",
      "//" + out + "/secret.jpg",
      "file:" + out + "/secret.jpg",
      "link.jpg",
      "linkdir/secret.jpg",
      "linkdir/../linkdir/secret.png",
      "./linkdir/secret.jpg",
      "sub/photo.png%00.jpg",
      "sub/photo.png%00",
      "../outside/secret.jpg%00.png",
      "notes.txt",
      "notes.txt%00.jpg",
      "../config_secret.png",
      "..%2fconfig_secret.png",
      "sub/../../config_secret.png",
      "....//outside/secret.jpg",
      "..;/outside/secret.jpg",
      "%2e%2e%5coutside%5csecret.jpg",
      "sub/%2e%2e/%2e%2e/outside/secret.mp4",
      "../outside/passwd",
  };
  ASSERT_GE(hostile.size(), 30u);
  const std::vector<std::string> routes = {"/images/a/", "/videos/a/", "/image_by_name/a/"};
  for (const auto& route : routes) {
    for (const auto& path : hostile) {
      const std::string response = RawGet(server_->port(), route + path);
      const int status = StatusOf(response);
      EXPECT_TRUE(status == 403 || status == 404 || status == 400)
          << route << path << " → " << response.substr(0, 200);
      EXPECT_EQ(response.find(kSecret), std::string::npos) << route << path << " leaked the file";
    }
  }
  // Still up, and the legitimate file is served.
  EXPECT_EQ(StatusOf(RawGet(server_->port(), "/images/a/sub/photo.png")), 200);
  EXPECT_EQ(StatusOf(RawGet(server_->port(), "/image_by_name/a/photo.png")), 200);
}

}  // namespace
}  // namespace photomap
