#include "scan/dimension_gate.h"

#include <gtest/gtest.h>

#include "scan/temp_tree.h"

namespace photomap::scan {
namespace {

using testing::TempTree;
const std::string kPhotos = std::string(PHOTOMAP_SHARED_DIR) + "/photos/";

ScanEntry Entry(const std::filesystem::path& p, MediaKind kind = MediaKind::kImage) {
  return ScanEntry{p.string(), std::filesystem::file_size(p), 0, 0, kind};
}

TEST(DimensionGateTest, DefaultsOfANewAlbum) {
  GateOptions o;
  o.min_image_bytes = 8192;
  o.min_image_dimension = 256;
  ASSERT_TRUE(GateActive(o));
  EXPECT_EQ(CheckDimensionGate(Entry(kPhotos + "real/cat_chelsea.jpg"), o), GateVerdict::kPass);
  EXPECT_EQ(CheckDimensionGate(Entry(kPhotos + "invokeai/invokeai_v5_canvas.png"), o),
            GateVerdict::kTooFewPixels);  // 320x200: height below 256
  EXPECT_EQ(CheckDimensionGate(Entry(kPhotos + "broken/empty.jpg"), o), GateVerdict::kTooFewBytes);
  EXPECT_EQ(CheckDimensionGate(Entry(kPhotos + "broken/random_bytes.png"), o),
            GateVerdict::kTooFewBytes);
  EXPECT_EQ(CheckDimensionGate(Entry(kPhotos + "video/short.mp4", MediaKind::kVideo), o),
            GateVerdict::kPass);  // videos bypass
  o.min_image_dimension = 400;
  EXPECT_EQ(CheckDimensionGate(Entry(kPhotos + "real/building1.jpeg"), o),
            GateVerdict::kTooFewPixels);  // 512x384
  o.min_image_dimension = 384;
  EXPECT_EQ(CheckDimensionGate(Entry(kPhotos + "real/building1.jpeg"), o), GateVerdict::kPass);
  // Header only: the 50000x50000 bomb passes a dimension gate without being decoded.
  EXPECT_EQ(CheckDimensionGate(Entry(kPhotos + "broken/bomb_50000x50000.png"), GateOptions{0, 256}),
            GateVerdict::kPass);
}

TEST(DimensionGateTest, UnreadableSmallFilesAreRejectedLargeOnesSkipTheHeader) {
  TempTree t;
  GateOptions o{0, 256};
  EXPECT_EQ(CheckDimensionGate(Entry(t.File("text.jpg", 5000)), o), GateVerdict::kUnreadable);
  // Above 500 KiB the pixel test is skipped, as in PhotoMapAI.
  EXPECT_EQ(CheckDimensionGate(Entry(t.File("big.jpg", 600 * 1024)), o), GateVerdict::kPass);
  // RAW suffixes skip the pixel test.
  EXPECT_EQ(CheckDimensionGate(Entry(t.File("small.dng", 5000)), o), GateVerdict::kPass);
  // A vanished file is unreadable.
  ScanEntry gone{(t.root() / "gone.jpg").string(), 10, 0, 0, MediaKind::kImage};
  EXPECT_EQ(CheckDimensionGate(gone, o), GateVerdict::kUnreadable);
}

TEST(DimensionGateTest, InactiveGatePassesEverything) {
  GateOptions o{0, 1};
  EXPECT_FALSE(GateActive(o));
  EXPECT_EQ(CheckDimensionGate(Entry(kPhotos + "broken/empty.jpg"), o), GateVerdict::kPass);
  EXPECT_STREQ(GateVerdictName(GateVerdict::kTooFewPixels), "too_few_pixels");
}

}  // namespace
}  // namespace photomap::scan
