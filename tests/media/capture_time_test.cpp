#include "media/capture_time.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <ctime>
#include <string>

#include "media/meta_test_paths.h"
#include "media/metadata_extractor.h"

namespace photomap::media {
namespace {

using nlohmann::json;
using testing::Photo;

// Pins the process time zone for one test (mktime reads TZ), restoring it afterwards.
class ScopedTimeZone {
 public:
  explicit ScopedTimeZone(const char* tz) {
    const char* old = std::getenv("TZ");
    had_ = old != nullptr;
    if (had_) old_ = old;
    setenv("TZ", tz, 1);
    tzset();
  }
  ~ScopedTimeZone() {
    if (had_) {
      setenv("TZ", old_.c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }

 private:
  bool had_ = false;
  std::string old_;
};

double FileMtime(const std::filesystem::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0);
  return static_cast<double>(st.st_mtim.tv_sec) + st.st_mtim.tv_nsec * 1e-9;
}

TEST(CaptureTimeTest, ParsesLikePythonStrptime) {
  ScopedTimeZone utc("UTC");
  EXPECT_EQ(ParseExifDateTimeLocal("2021:07:14 19:42:05"), 1626291725.0);
  EXPECT_EQ(ParseExifDateTimeLocal("2021:7:4 9:5:3"),
            ParseExifDateTimeLocal("2021:07:04 09:05:03"));
  EXPECT_EQ(ParseExifDateTimeLocal("2020:02:29 00:00:00"), 1582934400.0);  // leap day
  for (const char* bad :
       {"", "0000:00:00 00:00:00", "2021:02:30 10:00:00", "2021:13:01 00:00:00",
        "2021:07:14 19:42:05 ", "2021:07:14 24:00:00", "2021:07:14 19:42:60", "21:07:14 19:42:05",
        "2021-07-14 19:42:05", "2021:07:1419:42:05", "    :  :     :  :  "}) {
    EXPECT_FALSE(ParseExifDateTimeLocal(bad).has_value()) << "'" << bad << "'";
  }
}

TEST(CaptureTimeTest, NaiveTimeIsLocalTime) {
  ScopedTimeZone berlin("Europe/Berlin");  // CEST in July: UTC+2
  EXPECT_EQ(ParseExifDateTimeLocal("2021:07:14 19:42:05"), 1626291725.0 - 7200);
}

TEST(CaptureTimeTest, Offsets) {
  EXPECT_EQ(ParseExifOffset("+02:00"), 7200);
  EXPECT_EQ(ParseExifOffset("-03:30"), -12600);
  EXPECT_EQ(ParseExifOffset("Z"), 0);
  EXPECT_FALSE(ParseExifOffset("   :  ").has_value());
  EXPECT_FALSE(ParseExifOffset("+2:00").has_value());
  EXPECT_FALSE(ParseExifOffset("+15:00").has_value());
  EXPECT_EQ(ParseExifSubSeconds("25"), 0.25);
  EXPECT_FALSE(ParseExifSubSeconds("2a").has_value());
  EXPECT_EQ(ParseExifDateTimeWithOffset("2021:07:14 19:42:05", 7200), 1626291725.0 - 7200);
}

TEST(CaptureTimeTest, PhotoMapAiModeIgnoresOffsets) {
  ScopedTimeZone utc("UTC");
  Result<json> meta = ExtractMetadata(Photo("exif/gps_camera_north_east.jpg"));
  ASSERT_TRUE(meta.ok());
  Result<CaptureTime> compat = ResolveCaptureTime(*meta, Photo("exif/gps_camera_north_east.jpg"),
                                                  CaptureTimeMode::kPhotoMapAI);
  ASSERT_TRUE(compat.ok());
  EXPECT_EQ(compat->source, CaptureTimeSource::kDateTimeOriginal);
  EXPECT_EQ(compat->epoch_seconds, 1626291725.0);
  EXPECT_FALSE(compat->used_offset);
  // With offsets honoured, 19:42:05 at +02:00 is 17:42:05 UTC, whatever the machine's zone.
  Result<CaptureTime> improved = ResolveCaptureTime(*meta, Photo("exif/gps_camera_north_east.jpg"));
  ASSERT_TRUE(improved.ok());
  EXPECT_EQ(improved->epoch_seconds, 1626291725.0 - 7200);
  EXPECT_TRUE(improved->used_offset);
  // South-west: 2019:12:31 23:59:59 at -03:00 is 2020-01-01T02:59:59Z.
  meta = ExtractMetadata(Photo("exif/gps_camera_south_west.jpg"));
  ASSERT_TRUE(meta.ok());
  improved = ResolveCaptureTime(*meta, Photo("exif/gps_camera_south_west.jpg"));
  EXPECT_EQ(improved->epoch_seconds, 1577847599.0);
}

TEST(CaptureTimeTest, FallsThroughTheDateTagsInOrder) {
  ScopedTimeZone utc("UTC");
  const auto path = Photo("real/building1.jpeg");
  json meta = {{"DateTimeOriginal", "0000:00:00 00:00:00"},
               {"DateTimeDigitized", 12345},  // not a string: skipped like PhotoMapAI
               {"DateTime", "2001:01:01 00:00:00"}};
  Result<CaptureTime> t = ResolveCaptureTime(meta, path, CaptureTimeMode::kPhotoMapAI);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->source, CaptureTimeSource::kDateTime);
  EXPECT_EQ(t->epoch_seconds, 978307200.0);
  meta["DateTimeDigitized"] = "2000:01:01 00:00:00";
  t = ResolveCaptureTime(meta, path, CaptureTimeMode::kPhotoMapAI);
  EXPECT_EQ(t->source, CaptureTimeSource::kDateTimeDigitized);
  // An offset belongs to its own date tag only: OffsetTime does not shift DateTimeDigitized.
  meta["OffsetTime"] = "+05:00";
  meta["SubsecTimeDigitized"] = "5";
  t = ResolveCaptureTime(meta, path);
  EXPECT_EQ(t->epoch_seconds, 946684800.5);
  EXPECT_FALSE(t->used_offset);
}

TEST(CaptureTimeTest, NoDateMeansFileMtime) {
  const auto png = Photo("invokeai/invokeai_v3.png");
  Result<json> meta = ExtractMetadata(png);  // InvokeAI PNGs carry no EXIF date keys
  ASSERT_TRUE(meta.ok());
  for (CaptureTimeMode mode : {CaptureTimeMode::kPhotoMapAI, CaptureTimeMode::kWithOffset}) {
    Result<CaptureTime> t = ResolveCaptureTime(*meta, png, mode);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t->source, CaptureTimeSource::kFileMtime);
    EXPECT_DOUBLE_EQ(t->epoch_seconds, FileMtime(png));
  }
  EXPECT_EQ(ResolveCaptureTime(json::object(), Photo("missing.jpg")).error().kind,
            ErrorKind::kNotFound);
}

}  // namespace
}  // namespace photomap::media
