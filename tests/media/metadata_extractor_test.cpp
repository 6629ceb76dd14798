#include "media/metadata_extractor.h"

#include <gtest/gtest.h>

#include <exiv2/exiv2.hpp>
#include <filesystem>

#include "media/exiv2_guard.h"
#include "media/meta_test_paths.h"

namespace photomap::media {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::Photo;

ExtractedMetadata MustExtract(const fs::path& path) {
  Result<ExtractedMetadata> r = ExtractMetadataDetailed(path);
  EXPECT_TRUE(r.ok()) << path << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(r).value() : ExtractedMetadata{};
}

TEST(MetadataExtractorTest, ExifDictUsesPhotoMapAiKeysPlusOurs) {
  const ExtractedMetadata m = MustExtract(Photo("exif/gps_camera_north_east.jpg"));
  const json& d = m.dict;
  EXPECT_EQ(m.source, "exif");
  EXPECT_EQ(d["Make"], "Canon");
  EXPECT_EQ(d["ISOSpeedRatings"], 200);
  EXPECT_EQ(d["DateTimeOriginal"], "2021:07:14 19:42:05");
  EXPECT_TRUE(d["ExifOffset"].is_number_integer());  // IFD pointers survive, as in PhotoMapAI
  // The rationals PhotoMapAI drops: a float under the tag name, the exact pair on the side.
  EXPECT_DOUBLE_EQ(d["FNumber"].get<double>(), 8.0);
  EXPECT_EQ(d["photomap_rationals"]["FNumber"], json({8, 1}));
  EXPECT_EQ(d["photomap_rationals"]["ExposureTime"], json({1, 250}));
  EXPECT_NEAR(d["GPSLatitudeDecimal"].get<double>(), 48.85837, 1e-6);
  EXPECT_DOUBLE_EQ(d["photomap_gps"]["altitude_m"].get<double>(), 35.5);
  EXPECT_EQ(d["photomap_gps"]["latitude_ref"], "N");
  EXPECT_FALSE(d.contains("photomap_invokeai"));
  // Only scalars at PhotoMapAI's keys; structured values only under photomap_*.
  for (auto it = d.begin(); it != d.end(); ++it) {
    if (it.key().rfind("photomap_", 0) == 0) continue;
    EXPECT_TRUE(it->is_primitive() && !it->is_null()) << it.key();
  }
}

TEST(MetadataExtractorTest, WithoutPhotomapKeys) {
  const ExtractedMetadata m = MustExtract(Photo("exif/gps_camera_south_west.jpg"));
  const json plain = WithoutPhotomapKeys(m.dict);
  EXPECT_TRUE(plain.contains("Make"));
  EXPECT_FALSE(plain.contains("photomap_gps"));
  EXPECT_FALSE(plain.contains("photomap_rationals"));
  MetadataOptions compat;
  compat.include_photomap_keys = false;
  Result<json> direct = ExtractMetadata(Photo("exif/gps_camera_south_west.jpg"), compat);
  ASSERT_TRUE(direct.ok());
  EXPECT_EQ(*direct, plain);
}

TEST(MetadataExtractorTest, InvokeAiDictIsTheRawJson) {
  const ExtractedMetadata m = MustExtract(Photo("invokeai/invokeai_v3.png"));
  EXPECT_EQ(m.source, "invokeai_metadata");
  EXPECT_EQ(m.dict["metadata_version"], 3);
  EXPECT_EQ(m.dict["generation_mode"], "txt2img");
  EXPECT_EQ(m.dict["model"]["model_name"], "dreamshaper");
  EXPECT_EQ(m.dict["photomap_invokeai"]["model_name"], "dreamshaper");
  EXPECT_EQ(WithoutPhotomapKeys(m.dict).size(), m.dict.size() - 1);
}

TEST(MetadataExtractorTest, CorruptExifGivesEmptyDictAndWarning) {
  const ExtractedMetadata m = MustExtract(Photo("broken/corrupt_exif.jpg"));
  EXPECT_EQ(m.dict, json::object());
  EXPECT_FALSE(m.warnings.empty());
}

TEST(MetadataExtractorTest, NonImagesGiveEmptyDict) {
  for (const char* name : {"broken/empty.jpg", "broken/text_file.jpg", "broken/random_bytes.png",
                           "formats/photo.png", "real/cat_chelsea.jpg"}) {
    EXPECT_EQ(MustExtract(Photo(name)).dict, json::object()) << name;
  }
  EXPECT_EQ(ExtractMetadata(Photo("missing.jpg")).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(ExtractMetadata(Photo("real")).error().kind, ErrorKind::kInvalidInput);
}

// Every file of the shared corpus: no crash, and a dict that serialises (valid UTF-8 only).
TEST(MetadataExtractorTest, WholeCorpusSerialises) {
  int files = 0;
  for (const char* dir : {"real", "exif", "formats", "invokeai", "broken", "video"}) {
    for (const auto& entry : fs::directory_iterator(Photo(dir))) {
      Result<json> dict = ExtractMetadata(entry.path());
      ASSERT_TRUE(dict.ok()) << entry.path() << ": " << dict.error().message;
      EXPECT_TRUE(dict->is_object()) << entry.path();
      EXPECT_NO_THROW((void)dict->dump()) << entry.path();
      ++files;
    }
  }
  EXPECT_EQ(files, 77);
}

TEST(MetadataExtractorTest, XmpSummary) {
  EnsureExiv2Initialized();  // before this test touches exiv2's XMP toolkit directly
  const fs::path copy = fs::temp_directory_path() / "photomap_meta_xmp_test.jpg";
  fs::copy_file(Photo("exif/orientation_1.jpg"), copy, fs::copy_options::overwrite_existing);
  {
    auto image = Exiv2::ImageFactory::open(copy.string());
    image->readMetadata();
    Exiv2::XmpData xmp;
    xmp["Xmp.dc.title"] = "lang=\"x-default\" Boats at dusk";
    xmp["Xmp.dc.description"] = "lang=\"x-default\" Evening glow";
    xmp["Xmp.xmp.Rating"] = "4";
    Exiv2::Value::AutoPtr bag = Exiv2::Value::create(Exiv2::xmpBag);
    bag->read("lake");
    bag->read("sunset");
    xmp.add(Exiv2::XmpKey("Xmp.dc.subject"), bag.get());
    Exiv2::Value::AutoPtr seq = Exiv2::Value::create(Exiv2::xmpSeq);
    seq->read("Ian Hex");
    xmp.add(Exiv2::XmpKey("Xmp.dc.creator"), seq.get());
    image->setXmpData(xmp);
    image->writeMetadata();
  }
  const ExtractedMetadata m = MustExtract(copy);
  fs::remove(copy);
  const json& x = m.dict["photomap_xmp"];
  EXPECT_EQ(x["title"], "Boats at dusk");
  EXPECT_EQ(x["description"], "Evening glow");
  EXPECT_EQ(x["rating"], 4.0);
  EXPECT_EQ(x["keywords"], json({"lake", "sunset"}));
  EXPECT_EQ(x["creators"], json({"Ian Hex"}));
  EXPECT_EQ(m.dict["Orientation"], 1);
}

}  // namespace
}  // namespace photomap::media
