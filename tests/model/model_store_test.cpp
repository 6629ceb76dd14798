// Model store and downloader against a real HTTP server on 127.0.0.1 (cpp-httplib) that
// imitates the Hugging Face hub: /<repo>/resolve/main/<file>, X-Linked-Etag / X-Linked-Size,
// redirects to a "CDN", Range requests. Nothing here touches the internet.
#include "model/model_store.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "model/http_download.h"

namespace photomap::model {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Sha256Of(const std::string& data, const fs::path& scratch) {
  std::ofstream(scratch, std::ios::binary) << data;
  auto sha = Sha256File(scratch);
  fs::remove(scratch);
  return sha.ok() ? *sha : "";
}

// A fake hub. Files are served with X-Linked-Etag (sha256) and X-Linked-Size like LFS files.
class FakeHub {
 public:
  FakeHub() {
    svr_.Get(R"(/(.+)/resolve/main/(.+))",
             [this](const httplib::Request& req, httplib::Response& res) { Serve(req, res); });
    svr_.Get(R"(/cdn/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
      ServeBody(req.matches[1].str(), res, /*drop=*/false, /*slow=*/false);
      res.set_header("ETag", "\"d41d8cd98f00b204e9800998ecf8427e\"");  // an md5-style CDN etag
    });
    port_ = svr_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { svr_.listen_after_bind(); });
    while (!svr_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeHub() {
    svr_.stop();
    thread_.join();
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }

  void Add(const std::string& repo_path, std::string data) {
    std::lock_guard<std::mutex> lock(mu_);
    files_[repo_path] = std::move(data);
  }
  void SetAnnouncedSha(const std::string& repo_path, const std::string& sha) {
    std::lock_guard<std::mutex> lock(mu_);
    sha_override_[repo_path] = sha;
  }
  std::atomic<int> drop_next{0};      // this many responses stop half-way through the body
  std::atomic<bool> slow{false};      // serve in small, slow chunks
  std::atomic<bool> redirect{false};  // answer with a 302 to /cdn/... as the hub does for LFS
  std::atomic<int> requests{0};
  std::string last_range() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_range_;
  }

 private:
  void Serve(const httplib::Request& req, httplib::Response& res) {
    ++requests;
    const std::string key = req.matches[1].str() + "/" + req.matches[2].str();
    std::string data, sha;
    {
      std::lock_guard<std::mutex> lock(mu_);
      last_range_ = req.get_header_value("Range");
      auto it = files_.find(key);
      if (it == files_.end()) {
        res.status = 404;
        res.set_content("Entry not found", "text/plain");
        return;
      }
      data = it->second;
      auto o = sha_override_.find(key);
      sha = o != sha_override_.end() ? o->second : Sha(data);
    }
    res.set_header("X-Linked-Etag", "\"" + sha + "\"");
    res.set_header("X-Linked-Size", std::to_string(data.size()));
    if (redirect) {
      res.set_redirect("/cdn/" + key, 302);
      return;
    }
    bool drop = drop_next.fetch_sub(1) > 0;
    if (!drop) drop_next = 0;
    ServeBody(key, res, drop, slow);
  }

  void ServeBody(const std::string& key, httplib::Response& res, bool drop, bool slow) {
    std::string data;
    {
      std::lock_guard<std::mutex> lock(mu_);
      data = files_[key];
    }
    if (data.empty()) {  // httplib treats a 0-length provider as "length unknown"
      res.set_content(std::string(), "application/octet-stream");
      return;
    }
    auto shared = std::make_shared<std::string>(std::move(data));
    const size_t size = shared->size();
    res.set_content_provider(
        size, "application/octet-stream",
        [shared, drop, slow, size](size_t offset, size_t length, httplib::DataSink& sink) {
          if (drop && offset >= size / 2) return false;  // connection dropped mid-file
          if (slow) std::this_thread::sleep_for(std::chrono::milliseconds(3));
          size_t n = std::min<size_t>(length, slow ? 8192 : 65536);
          if (drop) n = std::min(n, size / 2 - offset);
          return sink.write(shared->data() + offset, n);
        });
  }

  std::string Sha(const std::string& data) {
    return Sha256Of(data,
                    fs::temp_directory_path() /
                        ("photomap_hub_sha_" + std::to_string(port_) + "_" +
                         std::to_string(std::hash<std::thread::id>()(std::this_thread::get_id()))));
  }

  httplib::Server svr_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::map<std::string, std::string> files_;
  std::map<std::string, std::string> sha_override_;
  std::string last_range_;
};

std::string RandomBytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng() & 0xFF);
  return s;
}

class DownloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("photomap_dl_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" +
            std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    data_ = RandomBytes(1 << 20, 7);
    hub_.Add("org/model/weights.bin", data_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  DownloadRequest Request(const std::string& file = "weights.bin") {
    DownloadRequest r;
    r.url = hub_.base() + "/org/model/resolve/main/" + file;
    r.destination = dir_ / file;
    r.what = "org/model/" + file;
    return r;
  }
  FakeHub hub_;
  fs::path dir_;
  std::string data_;
};

TEST(Sha256Test, KnownVector) {
  fs::path p = fs::temp_directory_path() / ("photomap_sha_abc_" + std::to_string(::getpid()));
  EXPECT_EQ(Sha256Of("abc", p), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(DownloadTest, FullDownloadVerifiesAndPublishes) {
  std::vector<std::pair<uint64_t, uint64_t>> seen;
  DownloadRequest req = Request();
  req.progress = [&](uint64_t done, uint64_t total) { seen.emplace_back(done, total); };
  auto r = DownloadFile(req);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->size_bytes, data_.size());
  EXPECT_FALSE(r->resumed);
  EXPECT_EQ(ReadAll(req.destination), data_);
  EXPECT_FALSE(fs::exists(req.destination.string() + ".part"));
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().first, data_.size());
  EXPECT_EQ(seen.back().second, data_.size());
  for (size_t i = 1; i < seen.size(); ++i) EXPECT_GE(seen[i].first, seen[i - 1].first);
}

TEST_F(DownloadTest, EmptyFileIsPublished) {
  hub_.Add("org/model/empty.txt", "");
  auto r = DownloadFile(Request("empty.txt"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->size_bytes, 0u);
  EXPECT_TRUE(fs::exists(dir_ / "empty.txt"));
  EXPECT_EQ(r->sha256_hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_F(DownloadTest, FollowsHubRedirectAndChecksLinkedEtag) {
  hub_.redirect = true;
  auto r = DownloadFile(Request());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(ReadAll(dir_ / "weights.bin"), data_);
}

// The server drops the connection half-way; the same call resumes with a Range request.
TEST_F(DownloadTest, DroppedTransferResumesWithRange) {
  hub_.drop_next = 1;
  auto r = DownloadFile(Request());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->resumed);
  EXPECT_EQ(hub_.last_range(), "bytes=" + std::to_string(data_.size() / 2) + "-");
  EXPECT_EQ(ReadAll(dir_ / "weights.bin"), data_);
}

// An interrupted pull leaves a .part; a later call (e.g. after a restart) resumes it.
TEST_F(DownloadTest, PartFileFromEarlierRunIsResumed) {
  hub_.drop_next = 1;
  DownloadRequest req = Request();
  req.max_attempts = 1;
  auto first = DownloadFile(req);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().kind, ErrorKind::kIo) << first.error().message;
  const fs::path part = req.destination.string() + ".part";
  ASSERT_TRUE(fs::exists(part));
  EXPECT_EQ(fs::file_size(part), data_.size() / 2);
  EXPECT_FALSE(fs::exists(req.destination));
  auto second = DownloadFile(req);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_TRUE(second->resumed);
  EXPECT_EQ(ReadAll(req.destination), data_);
}

TEST_F(DownloadTest, NotFoundNamesRepoAndFile) {
  auto r = DownloadFile(Request("missing.bin"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kNotFound);
  EXPECT_NE(r.error().message.find("org/model/missing.bin"), std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("404"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "missing.bin"));
  EXPECT_FALSE(fs::exists(dir_ / "missing.bin.part"));
}

TEST_F(DownloadTest, ChecksumMismatchIsRejectedAndPartRemoved) {
  hub_.SetAnnouncedSha("org/model/weights.bin", std::string(64, 'a'));
  auto r = DownloadFile(Request());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kCorrupt);
  EXPECT_NE(r.error().message.find("sha256"), std::string::npos) << r.error().message;
  EXPECT_FALSE(fs::exists(dir_ / "weights.bin"));
  EXPECT_FALSE(fs::exists(dir_ / "weights.bin.part"));
}

TEST_F(DownloadTest, CancelStopsAndKeepsPart) {
  hub_.slow = true;
  std::atomic<bool> cancel{false};
  DownloadRequest req = Request();
  req.cancel = &cancel;
  req.progress = [&](uint64_t done, uint64_t) {
    if (done > 64 * 1024) cancel = true;
  };
  auto r = DownloadFile(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kCancelled) << r.error().message;
  EXPECT_FALSE(fs::exists(req.destination));
  ASSERT_TRUE(fs::exists(req.destination.string() + ".part"));
  EXPECT_LT(fs::file_size(req.destination.string() + ".part"), data_.size());
}

TEST_F(DownloadTest, UnreachableHostIsIoErrorNamingHost) {
  DownloadRequest req = Request();
  req.url = "http://127.0.0.1:1/org/model/resolve/main/weights.bin";  // nothing listens on port 1
  auto r = DownloadFile(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kIo);
  EXPECT_NE(r.error().message.find("127.0.0.1"), std::string::npos) << r.error().message;
}

class StoreTest : public DownloadTest {
 protected:
  void SetUp() override {
    DownloadTest::SetUp();
    for (const char* f :
         {"config.json", "model.safetensors", "preprocessor_config.json", "spiece.model"}) {
      hub_.Add(std::string("org/siglip-tiny/") + f, std::string("content of ") + f);
    }
  }
};

TEST_F(StoreTest, PullListRemove) {
  ModelStore store(dir_ / "models");
  auto spec = ParseEncoderSpec("siglip:org/siglip-tiny");
  ASSERT_TRUE(spec.ok());
  auto empty = store.List();
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());

  PullOptions opts;
  opts.base_url = hub_.base();
  std::set<std::string> files_seen;
  opts.progress = [&](const PullProgress& p) {
    files_seen.insert(p.file);
    EXPECT_EQ(p.file_count, static_cast<int>(spec->files.size()));
  };
  auto dir = store.Pull(*spec, opts);
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  EXPECT_EQ(*dir, store.ModelDir(*spec));
  EXPECT_EQ(ReadAll(*dir / "spiece.model"), "content of spiece.model");
  EXPECT_FALSE(fs::exists(*dir / "tokenizer_config.json"));  // optional, 404 on this hub
  EXPECT_TRUE(files_seen.count("model.safetensors"));
  EXPECT_TRUE(store.IsInstalled(*spec));

  auto list = store.List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].spec, "siglip:org/siglip-tiny");
  EXPECT_TRUE((*list)[0].complete);
  EXPECT_GT((*list)[0].size_bytes, 0u);

  // A second pull is served from disk: no request reaches the hub.
  const int before = hub_.requests;
  ASSERT_TRUE(store.Pull(*spec, opts).ok());
  EXPECT_EQ(hub_.requests, before);

  ASSERT_TRUE(store.Remove(*spec).ok());
  EXPECT_FALSE(fs::exists(*dir));
  auto again = store.Remove(*spec);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::kNotFound);
}

TEST_F(StoreTest, OfflineModeNeverConnectsAndSaysWhatToPlaceWhere) {
  ModelStore store(dir_ / "models");
  auto spec = ParseEncoderSpec("siglip:org/siglip-tiny");
  ASSERT_TRUE(spec.ok());
  PullOptions opts;
  opts.base_url = hub_.base();
  opts.offline = true;
  auto r = store.Pull(*spec, opts);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(hub_.requests, 0);
  const std::string& m = r.error().message;
  EXPECT_NE(m.find(store.ModelDir(*spec).string()), std::string::npos) << m;
  EXPECT_NE(m.find(hub_.base() + "/org/siglip-tiny/resolve/main/spiece.model"), std::string::npos)
      << m;
}

TEST_F(StoreTest, MissingRequiredFileFailsAndListShowsIncomplete) {
  ModelStore store(dir_ / "models");
  auto spec = ParseEncoderSpec("siglip:org/other-model");  // nothing of it on the hub
  ASSERT_TRUE(spec.ok());
  PullOptions opts;
  opts.base_url = hub_.base();
  auto r = store.Pull(*spec, opts);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kNotFound);
  EXPECT_NE(r.error().message.find("org/other-model/config.json"), std::string::npos);
  auto list = store.List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_FALSE((*list)[0].complete);
  EXPECT_FALSE(store.IsInstalled(*spec));
}

TEST_F(StoreTest, UnreachableHubGivesManualInstructions) {
  ModelStore store(dir_ / "models");
  auto spec = ParseEncoderSpec("siglip:org/siglip-tiny");
  ASSERT_TRUE(spec.ok());
  PullOptions opts;
  opts.base_url = "http://127.0.0.1:1";
  auto r = store.Pull(*spec, opts);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kIo);
  EXPECT_NE(r.error().message.find("by hand"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("spiece.model"), std::string::npos) << r.error().message;
}

// OpenCLIP repositories: the transformers copy of the weights is preferred; without it the
// open_clip safetensors are used; the vocabulary comes from the OpenAI CLIP repository.
TEST_F(StoreTest, OpenClipPrefersTransformersWeightsElseOpenClipFile) {
  const std::string repo = "laion/CLIP-ViT-B-32-laion2B-s34B-b79K/";
  hub_.Add(repo + "open_clip_config.json", "{}");
  hub_.Add(repo + "open_clip_model.safetensors", "open_clip weights");
  hub_.Add("openai/clip-vit-base-patch32/vocab.json", "{}");
  hub_.Add("openai/clip-vit-base-patch32/merges.txt", "#version: 0.2");
  ModelStore store(dir_ / "models");
  auto spec = ParseEncoderSpec("open-clip:ViT-B-32/laion2b_s34b_b79k");
  ASSERT_TRUE(spec.ok());
  PullOptions opts;
  opts.base_url = hub_.base();
  auto dir = store.Pull(*spec, opts);
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  EXPECT_TRUE(fs::exists(*dir / "open_clip_model.safetensors"));
  EXPECT_FALSE(fs::exists(*dir / "config.json"));
  EXPECT_TRUE(store.IsInstalled(*spec));
  ASSERT_TRUE(store.Remove(*spec).ok());

  hub_.Add(repo + "config.json", "{}");
  hub_.Add(repo + "model.safetensors", "hf weights");
  dir = store.Pull(*spec, opts);
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  EXPECT_EQ(ReadAll(*dir / "model.safetensors"), "hf weights");
  EXPECT_FALSE(fs::exists(*dir / "open_clip_model.safetensors"));  // not downloaded twice
}

TEST_F(StoreTest, OpenClipWithoutReadableWeightsIsNotFound) {
  const std::string repo = "laion/CLIP-ViT-B-32-laion2B-s34B-b79K/";
  hub_.Add(repo + "open_clip_config.json", "{}");
  hub_.Add("openai/clip-vit-base-patch32/vocab.json", "{}");
  hub_.Add("openai/clip-vit-base-patch32/merges.txt", "#version: 0.2");
  ModelStore store(dir_ / "models");
  auto spec = ParseEncoderSpec("open-clip:ViT-B-32/laion2b_s34b_b79k");
  ASSERT_TRUE(spec.ok());
  PullOptions opts;
  opts.base_url = hub_.base();
  auto dir = store.Pull(*spec, opts);
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.error().kind, ErrorKind::kNotFound);
  EXPECT_NE(dir.error().message.find("open_clip_model.safetensors"), std::string::npos)
      << dir.error().message;
}

TEST(ModelCacheDirTest, XdgThenHome) {
  EXPECT_EQ(DefaultModelCacheDir("/xdg", "/home/u"), fs::path("/xdg/photomap/models"));
  EXPECT_EQ(DefaultModelCacheDir(nullptr, "/home/u"), fs::path("/home/u/.cache/photomap/models"));
  EXPECT_EQ(DefaultModelCacheDir("relative", "/home/u"),
            fs::path("/home/u/.cache/photomap/models"));  // XDG requires an absolute path
  EXPECT_EQ(DefaultModelCacheDir(nullptr, nullptr), fs::path(".cache/photomap/models"));
}

}  // namespace
}  // namespace photomap::model
