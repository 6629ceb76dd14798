#include "media/file_access.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "scan/temp_tree.h"

namespace photomap::media {
namespace {

using scan::testing::TempTree;

// An album with photos, a video, a text file and every kind of symlink, next to a sibling
// directory whose name starts with the album's ("album2") and a secret outside both.
class FileAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = t_.root().string();
    album_ = root_ + "/album";
    t_.File("album/x.jpg", 10);
    t_.File("album/sub/y.png", 20);
    t_.File("album/notes.txt", 5);
    t_.File("album/clip.mp4", 30);
    t_.File("album/%2e%2e/odd.jpg", 3);
    t_.Dir("album/dir.jpg");
    t_.File("album2/secret.jpg", 7);
    t_.File("outside/secret.jpg", 7);
    t_.File("outside/passwd", 7);
    t_.File("second/z.jpg", 4);
    t_.Link(t_.root() / "outside/secret.jpg", "album/link.jpg");
    t_.Link(t_.root() / "outside", "album/linkdir");
    t_.Link(t_.root() / "album/sub", "album/insidelink");
    t_.Link(t_.root() / "album/x.jpg", "album/alias.jpg");
    paths_ = {album_, root_ + "/second"};
  }

  Result<FileAccessGrant> Check(const std::string& p, AllowedMedia m = AllowedMedia::kImages) {
    return CheckFileAccess(paths_, p, m);
  }

  TempTree t_;
  std::string root_, album_;
  std::vector<std::string> paths_;
};

TEST_F(FileAccessTest, AllowsFilesInsideTheAlbum) {
  Result<FileAccessGrant> g = Check("x.jpg");
  ASSERT_TRUE(g.ok()) << g.error().message;
  EXPECT_EQ(g->path, std::filesystem::canonical(album_ + "/x.jpg").string());
  EXPECT_EQ(g->size_bytes, 10u);
  EXPECT_TRUE(Check("sub/y.png").ok());
  EXPECT_TRUE(Check("./sub/../x.jpg").ok());
  EXPECT_TRUE(Check(album_ + "/x.jpg").ok());   // absolute, inside
  EXPECT_TRUE(Check("z.jpg").ok());             // found in the second album path
  EXPECT_TRUE(Check("insidelink/y.png").ok());  // symlinked dir resolving inside
  EXPECT_TRUE(Check("%2e%2e/odd.jpg").ok());    // a literal directory name
  EXPECT_TRUE(Check("clip.mp4", AllowedMedia::kVideos).ok());
}

TEST_F(FileAccessTest, ThirtyHostilePathsAreRefused) {
  struct Case {
    std::string path;
    ErrorKind kind;
    const char* message;
  };
  const std::string outside = root_ + "/outside/secret.jpg";
  const std::vector<Case> cases = {
      {"../outside/secret.jpg", ErrorKind::kPermissionDenied, "Access denied"},
      {"../../outside/secret.jpg", ErrorKind::kPermissionDenied, "Access denied"},
      {"sub/../../outside/secret.jpg", ErrorKind::kPermissionDenied, "Access denied"},
      {"./../outside/secret.jpg", ErrorKind::kPermissionDenied, "Access denied"},
      {"../album2/secret.jpg", ErrorKind::kPermissionDenied, "Access denied"},
      {root_ + "/album2/secret.jpg", ErrorKind::kPermissionDenied, "Access denied"},
      {outside, ErrorKind::kPermissionDenied, "Access denied"},
      {"/etc/passwd", ErrorKind::kPermissionDenied, "Access denied"},
      {"/etc/hostname.jpg", ErrorKind::kPermissionDenied, "Access denied"},
      {"//etc/passwd", ErrorKind::kPermissionDenied, "Access denied"},
      {"/../../../../etc/passwd", ErrorKind::kPermissionDenied, "Access denied"},
      {"../../../../../../../../etc/passwd", ErrorKind::kPermissionDenied, "Access denied"},
      {"link.jpg", ErrorKind::kPermissionDenied, "Access denied"},
      {"alias.jpg", ErrorKind::kPermissionDenied, "Access denied"},  // symlink even if inside
      {"linkdir/secret.jpg", ErrorKind::kPermissionDenied, "Access denied"},
      {"linkdir/../x.jpg", ErrorKind::kPermissionDenied, "Access denied"},
      {"linkdir/passwd", ErrorKind::kPermissionDenied, "Access denied"},
      {album_ + "/../outside/secret.jpg", ErrorKind::kPermissionDenied, "Access denied"},
      {"sub/../../album/../outside/secret.jpg", ErrorKind::kPermissionDenied, "Access denied"},
      {std::string("x.jpg\0../../outside/secret.jpg", 31), ErrorKind::kNotFound, "File not found"},
      {std::string("x.jpg\0", 6), ErrorKind::kNotFound, "File not found"},
      {std::string("\0", 1), ErrorKind::kNotFound, "File not found"},
      {"", ErrorKind::kNotFound, "File not found"},
      {"%2e%2e/outside/secret.jpg", ErrorKind::kNotFound, "File not found"},  // not decoded here
      {"%252e%252e/outside/secret.jpg", ErrorKind::kNotFound, "File not found"},
      {"..%2f..%2foutside%2fsecret.jpg", ErrorKind::kNotFound, "File not found"},
      {"..\\..\\outside\\secret.jpg", ErrorKind::kNotFound, "File not found"},
      {"\xc0\xae\xc0\xae/outside/secret.jpg", ErrorKind::kNotFound, "File not found"},
      {"\xe0\x80\xae\xe0\x80\xae/secret.jpg", ErrorKind::kNotFound, "File not found"},
      {"notes.txt", ErrorKind::kPermissionDenied, "Unsupported image type"},
      {"clip.mp4", ErrorKind::kPermissionDenied, "Unsupported image type"},
      {"sub", ErrorKind::kPermissionDenied, "Unsupported image type"},
      {"dir.jpg", ErrorKind::kNotFound, "File not found"},
      {"missing.jpg", ErrorKind::kNotFound, "File not found"},
      {"sub/missing/../../x.jpg", ErrorKind::kNotFound, "File not found"},
      {std::string(5000, 'a') + ".jpg", ErrorKind::kPermissionDenied, "Access denied"},
  };
  ASSERT_GE(cases.size(), 30u);
  for (const Case& c : cases) {
    Result<FileAccessGrant> g = Check(c.path);
    ASSERT_FALSE(g.ok()) << c.path << " was allowed as " << g->path;
    EXPECT_EQ(g.error().kind, c.kind) << c.path << ": " << g.error().message;
    EXPECT_EQ(g.error().message, c.message) << c.path;
  }
  // Videos have their own allow-list and message.
  EXPECT_EQ(Check("x.jpg", AllowedMedia::kVideos).error().message, "Unsupported video type");
  EXPECT_EQ(Check("../outside/secret.jpg", AllowedMedia::kVideos).error().message, "Access denied");
  EXPECT_EQ(CheckFileAccess({}, "x.jpg", AllowedMedia::kImages).error().message, "Image not found");
}

TEST_F(FileAccessTest, AlbumPathItselfBehindASymlinkStillWorks) {
  t_.Link(t_.root() / "album", "album_link");
  std::vector<std::string> via_link = {root_ + "/album_link"};
  EXPECT_TRUE(CheckFileAccess(via_link, "x.jpg", AllowedMedia::kImages).ok());
  EXPECT_EQ(
      CheckFileAccess(via_link, "../outside/secret.jpg", AllowedMedia::kImages).error().message,
      "Access denied");
}

TEST_F(FileAccessTest, OpenGrantedFileReadsAndDetectsSwaps) {
  Result<FileAccessGrant> g = Check("x.jpg");
  ASSERT_TRUE(g.ok());
  Result<int> fd = OpenGrantedFile(*g);
  ASSERT_TRUE(fd.ok()) << fd.error().message;
  char buf[16];
  EXPECT_EQ(read(*fd, buf, sizeof buf), 10);
  close(*fd);
  // Swap the checked file for a symlink to the secret: the open refuses.
  std::filesystem::remove(album_ + "/x.jpg");
  std::filesystem::create_symlink(root_ + "/outside/secret.jpg", album_ + "/x.jpg");
  Result<int> swapped = OpenGrantedFile(*g);
  ASSERT_FALSE(swapped.ok());
  EXPECT_EQ(swapped.error().kind, ErrorKind::kPermissionDenied);
  // Replaced by another regular file: not the checked inode either.
  t_.File("album/new.jpg", 11);  // another file (its inode number may be reused)
  std::filesystem::rename(album_ + "/new.jpg", album_ + "/x.jpg");
  Result<int> replaced = OpenGrantedFile(*g);
  if (replaced.ok()) {
    close(*replaced);
    ADD_FAILURE() << "a replaced file was opened";
  }
}

}  // namespace
}  // namespace photomap::media
