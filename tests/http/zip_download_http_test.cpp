// POST /download_images_zip/{k} against the real server: a valid archive whose entries inflate
// (or, for videos, copy) back to the album's files byte for byte with matching CRC-32; bad and
// out-of-range indices skipped; no index → an empty archive; the 2 GB cap → 413; and the
// ZipStreamWriter itself checked against zlib's inflate with a file larger than one chunk.
#include <zlib.h>

#include <cstring>
#include <filesystem>
#include <map>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/album_testing.h"
#include "http/zip_stream.h"
#include "util/atomic_file.h"

namespace photomap {
namespace {

using nlohmann::json;
using testing::ServerProcess;
using testing::TempDir;
namespace fs = std::filesystem;

uint32_t Le32(const std::string& s, size_t at) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}
uint16_t Le16(const std::string& s, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(s[at]) |
                               (static_cast<unsigned char>(s[at + 1]) << 8));
}

std::string Inflate(const std::string& raw, size_t expected) {
  std::string out(expected, '\0');
  z_stream z{};
  inflateInit2(&z, -MAX_WBITS);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
  z.avail_in = static_cast<uInt>(raw.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = inflate(&z, Z_FINISH);
  inflateEnd(&z);
  return rc == Z_STREAM_END ? out : std::string("<inflate failed>");
}

// Reads a ZIP from its central directory: name → uncompressed content (CRC-32 verified).
std::map<std::string, std::string> ReadZip(const std::string& zip, std::string* error) {
  std::map<std::string, std::string> files;
  if (zip.size() < 22 || Le32(zip, zip.size() - 22) != 0x06054b50) {
    *error = "no end-of-central-directory record";
    return files;
  }
  const size_t end = zip.size() - 22;
  const uint16_t count = Le16(zip, end + 10);
  size_t at = Le32(zip, end + 16);
  for (uint16_t i = 0; i < count; ++i) {
    if (Le32(zip, at) != 0x02014b50) {
      *error = "bad central directory entry";
      return files;
    }
    const uint16_t method = Le16(zip, at + 10);
    const uint32_t crc = Le32(zip, at + 16), csize = Le32(zip, at + 20), size = Le32(zip, at + 24);
    const uint16_t name_len = Le16(zip, at + 28), extra = Le16(zip, at + 30),
                   comment = Le16(zip, at + 32);
    const size_t local = Le32(zip, at + 42);
    const std::string name = zip.substr(at + 46, name_len);
    at += 46 + name_len + extra + comment;
    if (Le32(zip, local) != 0x04034b50) {
      *error = "bad local header for " + name;
      return files;
    }
    const size_t data = local + 30 + Le16(zip, local + 26) + Le16(zip, local + 28);
    const std::string raw = zip.substr(data, csize);
    std::string content = method == 8 ? Inflate(raw, size) : raw;
    if (crc32(0, reinterpret_cast<const Bytef*>(content.data()),
              static_cast<uInt>(content.size())) != crc) {
      *error = "CRC mismatch for " + name;
    }
    files[name] = std::move(content);
  }
  return files;
}

TEST(ZipStreamWriterTest, RoundTripsLargeAndEmptyFiles) {
  TempDir dir;
  std::string big;
  for (uint64_t i = 0; i < 700000; ++i) big += static_cast<char>((i * 7919) % 251);
  ASSERT_TRUE(AtomicWriteFile(dir.Join("big.bin"), big).ok());
  ASSERT_TRUE(AtomicWriteFile(dir.Join("empty.bin"), "").ok());
  std::string zip;
  http::ZipStreamWriter writer([&zip](const char* d, size_t n) {
    zip.append(d, n);
    return true;
  });
  ASSERT_TRUE(writer.AddFile("big.bin", dir.Join("big.bin"), true, 1'700'000'000).ok());
  ASSERT_TRUE(writer.AddFile("stored.bin", dir.Join("big.bin"), false, 1'700'000'000).ok());
  ASSERT_TRUE(writer.AddFile("empty.bin", dir.Join("empty.bin"), true, 0).ok());
  EXPECT_EQ(writer.AddFile("x", dir.Join("missing"), true, 0).error().kind, ErrorKind::kIo);
  ASSERT_TRUE(writer.Finish().ok());
  std::string error;
  auto files = ReadZip(zip, &error);
  EXPECT_EQ(error, "");
  ASSERT_EQ(files.size(), 3u);
  EXPECT_TRUE(files["big.bin"] == big);
  EXPECT_TRUE(files["stored.bin"] == big);
  EXPECT_EQ(files["empty.bin"], "");
  EXPECT_LT(zip.size(), big.size() * 2) << "the deflated copy is compressed";

  // A sink that refuses bytes (client gone) stops the archive with Cancelled.
  http::ZipStreamWriter refused([](const char*, size_t) { return false; });
  EXPECT_EQ(refused.AddFile("big.bin", dir.Join("big.bin"), true, 0).error().kind,
            ErrorKind::kCancelled);
}

class ZipDownloadHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(testing::CopyRealPhotos(dir_.Join("photos"), 3), 3u);
    std::string error;
    server_ = testing::StartIsolated(dir_, &error);
    ASSERT_NE(server_, nullptr) << error;
    auto added = Post("/add_album/", testing::FixtureAlbum("z", dir_.Join("photos")));
    ASSERT_EQ(added->status, 201) << added->body;
  }
  httplib::Result Post(const std::string& path, const json& body) {
    return testing::PostJson(*server_, path, body);
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(ZipDownloadHttpTest, StreamsTheSelectedFiles) {
  // No index yet: an empty archive.
  auto empty = Post("/download_images_zip/z", {{"indices", {0, 1}}});
  ASSERT_EQ(empty->status, 200) << empty->body;
  std::string error;
  EXPECT_TRUE(ReadZip(empty->body, &error).empty());
  EXPECT_EQ(error, "");

  ASSERT_EQ(testing::IndexAndWait(*server_, "z")["status"], "completed");
  auto zip = Post("/download_images_zip/z", {{"indices", {0, 2, 99, -1}}});
  ASSERT_EQ(zip->status, 200) << zip->body;
  EXPECT_EQ(zip->get_header_value("Content-Type"), "application/zip");
  EXPECT_EQ(zip->get_header_value("Content-Disposition"), "attachment; filename=z_images.zip");
  auto files = ReadZip(zip->body, &error);
  EXPECT_EQ(error, "");
  ASSERT_EQ(files.size(), 2u);
  for (const auto& [name, content] : files) {
    auto original = ReadFileToString(dir_.Join("photos") + "/" + name);
    ASSERT_TRUE(original.ok()) << name;
    EXPECT_TRUE(content == *original) << name << " differs from the album's file";
  }
  EXPECT_EQ(Post("/download_images_zip/z", json::object())->status, 422);

  // Over 2 GB (a sparse file: no disk used) → 413 with the size, nothing streamed.
  const std::string first = dir_.Join("photos") + "/" + files.begin()->first;
  fs::resize_file(first, 2'100'000'000);
  auto too_big = Post("/download_images_zip/z", {{"indices", {0, 1, 2}}});
  ASSERT_EQ(too_big->status, 413);
  EXPECT_EQ(json::parse(too_big->body)["detail"],
            "That selection is 2.1 GB, over the 2.0 GB download limit. Select fewer files, or "
            "copy them to a folder instead.");
  EXPECT_EQ(Post("/download_images_zip/nope", {{"indices", {0}}})->status, 404);
}

}  // namespace
}  // namespace photomap
