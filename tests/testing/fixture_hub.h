// FixtureHub: a loopback stand-in for the Hugging Face hub in tests. It serves the e2e fixture
// model (../shared/fixtures/clip/e2e_clip) as <any repo>/resolve/main/<file> on 127.0.0.1 (other
// files 404), optionally throttled to one 16 KB chunk per `chunk_delay` so a download lasts long
// enough to be watched and cancelled. Header-only; needs cpp-httplib.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include <httplib.h>

namespace photomap::testing {

class FixtureHub {
 public:
  explicit FixtureHub(std::chrono::milliseconds chunk_delay = std::chrono::milliseconds(0))
      : chunk_delay_(chunk_delay) {
    svr_.Get(R"(/(.+)/resolve/main/(.+))",
             [this](const httplib::Request& req, httplib::Response& res) {
               const std::filesystem::path file = std::filesystem::path(PHOTOMAP_SHARED_DIR) /
                                                  "fixtures/clip/e2e_clip" / req.matches[2].str();
               std::ifstream in(file, std::ios::binary);
               if (!in) {
                 res.status = 404;
                 return;
               }
               std::ostringstream body;
               body << in.rdbuf();
               if (chunk_delay_.count() == 0) {
                 res.set_content(body.str(), "application/octet-stream");
                 return;
               }
               auto bytes = std::make_shared<std::string>(body.str());
               res.set_content_provider(
                   bytes->size(), "application/octet-stream",
                   [this, bytes](size_t offset, size_t length, httplib::DataSink& sink) {
                     if (stopping_) return false;
                     std::this_thread::sleep_for(chunk_delay_);
                     return sink.write(bytes->data() + offset, std::min<size_t>(length, 16 * 1024));
                   });
             });
    port_ = svr_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { svr_.listen_after_bind(); });
  }
  ~FixtureHub() {
    stopping_ = true;
    svr_.stop();
    thread_.join();
  }
  FixtureHub(const FixtureHub&) = delete;
  FixtureHub& operator=(const FixtureHub&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  std::chrono::milliseconds chunk_delay_;
  httplib::Server svr_;
  std::atomic<bool> stopping_{false};
  int port_ = 0;
  std::thread thread_;
};

}  // namespace photomap::testing
