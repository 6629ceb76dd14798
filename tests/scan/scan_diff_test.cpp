#include "scan/scan_diff.h"

#include <gtest/gtest.h>

namespace photomap::scan {
namespace {

ScanEntry S(std::string p, uint64_t size, double mtime) {
  return ScanEntry{std::move(p), size, mtime, 0, MediaKind::kImage};
}

TEST(ScanDiffTest, AddedChangedMissingUnchanged) {
  std::vector<ScanEntry> scanned = {S("/a/new.jpg", 1, 1.0), S("/a/same.jpg", 2, 2.5),
                                    S("/a/size.jpg", 30, 3.0), S("/a/mtime.jpg", 4, 4.000001)};
  std::vector<KnownFile> known = {{"/a/gone.jpg", 9, 9.0},
                                  {"/a/same.jpg", 2, 2.5},
                                  {"/a/size.jpg", 3, 3.0},
                                  {"/a/mtime.jpg", 4, 4.0}};
  ScanDiff d = DiffScan(scanned, known);
  EXPECT_EQ(d.added, (std::vector<size_t>{0}));
  EXPECT_EQ(d.changed, (std::vector<std::pair<size_t, size_t>>{{2, 2}, {3, 3}}));
  EXPECT_EQ(d.missing, (std::vector<size_t>{0}));
  EXPECT_EQ(d.unchanged, 1u);
}

TEST(ScanDiffTest, CaseFoldingIsOptIn) {
  std::vector<ScanEntry> scanned = {S("/a/PHOTO.jpg", 1, 1.0), S("/a/STRASSE.jpg", 1, 1.0)};
  std::vector<KnownFile> known = {{"/a/photo.JPG", 1, 1.0}, {"/a/straße.jpg", 1, 1.0}};
  ScanDiff exact = DiffScan(scanned, known);
  EXPECT_EQ(exact.added.size(), 2u);
  EXPECT_EQ(exact.missing.size(), 2u);
  ScanDiff folded = DiffScan(scanned, known, DiffOptions{.casefold_paths = true});
  EXPECT_TRUE(folded.added.empty());
  EXPECT_TRUE(folded.missing.empty());
  EXPECT_EQ(folded.unchanged, 2u);
  EXPECT_EQ(CaseFoldPath("/Ä/Straße.JPG"), "/ä/strasse.jpg");
  EXPECT_EQ(CaseFoldPath(std::string("bad\xff", 4)), std::string("bad\xff", 4));
}

TEST(ScanDiffTest, DuplicateKnownRowsAreShed) {
  std::vector<ScanEntry> scanned = {S("/x.jpg", 1, 1.0)};
  std::vector<KnownFile> known = {{"/x.jpg", 1, 1.0}, {"/x.jpg", 1, 1.0}};
  ScanDiff d = DiffScan(scanned, known);
  EXPECT_EQ(d.unchanged, 1u);
  EXPECT_EQ(d.missing, (std::vector<size_t>{1}));
}

TEST(ScanDiffTest, LargeInputsStayLinear) {
  std::vector<ScanEntry> scanned;
  std::vector<KnownFile> known;
  for (int i = 0; i < 100000; ++i) {
    scanned.push_back(S("/p/" + std::to_string(i), 1, 1.0));
    if (i % 2 == 0) known.push_back({"/p/" + std::to_string(i), 1, 1.0});
  }
  ScanDiff d = DiffScan(scanned, known);
  EXPECT_EQ(d.added.size(), 50000u);
  EXPECT_EQ(d.unchanged, 50000u);
}

}  // namespace
}  // namespace photomap::scan
