// DescribeSlide and its panels (http/slide_summary, exif_panel, invoke_panel, video_panel,
// html_text) on real metadata: EXIF/GPS photos and InvokeAI PNGs from /work/shared/photos read by
// the real extractor, videos probed with libav, plus hostile hand-made records that must neither
// crash nor leak unescaped text into the HTML.
#include "http/slide_summary.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/exif_panel.h"
#include "http/html_text.h"
#include "http/video_panel.h"
#include "media/metadata_extractor.h"
#include "media/video_probe.h"

namespace photomap::http {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

std::string Photo(const std::string& rel) {
  return std::string(PHOTOMAP_SHARED_DIR) + "/photos/" + rel;
}

// The metadata text our index stores for an image file.
std::string StoredMetadata(const std::string& rel) {
  auto dict = media::ExtractMetadata(Photo(rel));
  EXPECT_TRUE(dict.ok()) << rel;
  return dict.ok() ? dict->dump() : "{}";
}

SlideDescription DescribeImage(const std::string& metadata_json, bool invokeai = false) {
  SlideInput in;
  in.metadata_json = metadata_json;
  in.mtime = 1700000000.0;
  in.invokeai_configured = invokeai;
  return DescribeSlide(in);
}

// The <th> labels of the table with class `table_class`, in document order.
std::vector<std::string> Labels(const std::string& html, const std::string& table_class) {
  std::vector<std::string> labels;
  const size_t start = html.find("class='" + table_class + "'");
  if (start == std::string::npos) return labels;
  const size_t end = html.rfind("</table>");  // nested tuple tables have no <th>
  for (size_t at = html.find("<th>", start); at < end; at = html.find("<th>", at)) {
    at += 4;
    labels.push_back(html.substr(at, html.find("</th>", at) - at));
  }
  return labels;
}

// True when `text` is "YYYY-MM-DD HH:MM:SS".
bool IsLocalTimestamp(const std::string& text) {
  const std::string shape = "dddd-dd-dd dd:dd:dd";
  if (text.size() != shape.size()) return false;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 'd' ? !std::isdigit(static_cast<unsigned char>(text[i])) : text[i] != shape[i])
      return false;
  }
  return true;
}

std::string Row(const std::string& label, const std::string& value) {
  return "<tr><th>" + label + "</th><td>" + value + "</td></tr>";
}

TEST(SlideSummaryExif, CameraAndGpsRowsInPriorityOrder) {
  const SlideDescription d = DescribeImage(StoredMetadata("exif/gps_camera_north_east.jpg"));
  const std::string& h = d.description;
  EXPECT_EQ(Labels(h, "exif-table"),
            (std::vector<std::string>{"Date Taken", "Camera Make", "Camera Model", "Aperture",
                                      "Shutter Speed", "ISO", "Focal Length", "Orientation",
                                      "GPS Latitude", "GPS Longitude", "GPS Altitude"}))
      << h;
  EXPECT_NE(h.find(Row("Date Taken", "2021:07:14 19:42:05")), std::string::npos) << h;
  EXPECT_NE(h.find(Row("Camera Make", "Canon")), std::string::npos) << h;
  EXPECT_NE(h.find(Row("Camera Model", "Canon EOS 70D")), std::string::npos) << h;
  EXPECT_NE(h.find(Row("Aperture", "f/8.0")), std::string::npos) << h;
  EXPECT_NE(h.find(Row("Shutter Speed", "1/250s")), std::string::npos) << h;
  EXPECT_NE(h.find(Row("ISO", "200")), std::string::npos) << h;
  EXPECT_NE(h.find(Row("Focal Length", "35.0mm")), std::string::npos) << h;
  EXPECT_NE(h.find(Row("Orientation", "Normal")), std::string::npos) << h;
  EXPECT_NE(h.find(Row("GPS Latitude", "48.858370°")), std::string::npos) << h;
  EXPECT_NE(h.find(Row("GPS Longitude", "2.294481°")), std::string::npos) << h;
  EXPECT_NE(h.find(Row("GPS Altitude", "35.5m")), std::string::npos) << h;
  EXPECT_NE(h.find("href=\"https://www.google.com/maps?q=48.858370,2.294481\""), std::string::npos)
      << h;
  EXPECT_NE(h.find(">48.858370, 2.294481</a>"), std::string::npos) << h;
  EXPECT_NE(h.find("Map unavailable (no API key)"), std::string::npos) << h;
  EXPECT_EQ(h.find("locationiq"), std::string::npos) << h;
  EXPECT_TRUE(d.reference_images.empty());
  EXPECT_TRUE(d.video_info.is_null());
  EXPECT_EQ(h.find("invoke-recall-controls"), std::string::npos) << "no InvokeAI URL configured";
}

TEST(SlideSummaryExif, SouthWestIsNegativeAndAltitudeBelowSeaLevelIsSigned) {
  const std::string h = DescribeImage(StoredMetadata("exif/gps_camera_south_west.jpg")).description;
  EXPECT_NE(h.find(Row("GPS Latitude", "-49.578600°")), std::string::npos) << h;
  EXPECT_NE(h.find(Row("GPS Longitude", "-68.351800°")), std::string::npos) << h;
  EXPECT_NE(h.find(Row("GPS Altitude", "-105.0m")), std::string::npos) << h;
  EXPECT_NE(h.find(Row("Aperture", "f/1.6")), std::string::npos) << h;
  EXPECT_NE(h.find(Row("Shutter Speed", "1/60s")), std::string::npos) << h;
  EXPECT_NE(h.find(Row("Focal Length", "4.2mm")), std::string::npos) << h;
  EXPECT_NE(h.find("https://www.google.com/maps?q=-49.578600,-68.351800"), std::string::npos);
}

TEST(SlideSummaryExif, RealCameraPhotosAndOrientation) {
  const std::string cups = DescribeImage(StoredMetadata("real/colorful_cups.jpg")).description;
  EXPECT_NE(cups.find(Row("Camera Make", "SONY")), std::string::npos) << cups;
  EXPECT_NE(cups.find("https://www.google.com/maps?q=56.155995,10.208205"), std::string::npos)
      << cups;
  const std::vector<std::string> labels = Labels(cups, "exif-table");
  EXPECT_EQ(labels.front(), "Date Taken") << cups;
  EXPECT_EQ(std::count(labels.begin(), labels.end(), "Width"), 1) << "first label wins";

  const std::string building = DescribeImage(StoredMetadata("real/building1.jpeg")).description;
  EXPECT_NE(building.find(Row("Camera Make", "Canon")), std::string::npos) << building;
  EXPECT_NE(building.find("<div class='gps-info' style='min-width:0px;'></div>"), std::string::npos)
      << "no GPS: the empty placeholder column";

  const std::string six = DescribeImage(StoredMetadata("exif/orientation_6.jpg")).description;
  EXPECT_NE(six.find(Row("Orientation", "Rotated 90° CW")), std::string::npos) << six;
  const std::string five = DescribeImage(StoredMetadata("exif/orientation_5.jpg")).description;
  EXPECT_NE(five.find(Row("Orientation", "Mirrored horizontal, rotated 270° CW")),
            std::string::npos)
      << five;
}

TEST(SlideSummaryExif, LocationIqKeyChangesOnlyTheWording) {
  SlideInput in;
  const std::string meta = StoredMetadata("exif/gps_camera_north_east.jpg");
  in.metadata_json = meta;
  in.has_locationiq_key = true;
  const std::string h = DescribeSlide(in).description;
  EXPECT_NE(h.find("Map unavailable (map previews are not supported)"), std::string::npos) << h;
  EXPECT_EQ(h.find("<img"), std::string::npos) << "no static map, no key in the HTML";
}

TEST(SlideSummaryEmpty, NoMetadataForEmptyOrMalformedText) {
  for (const char* text : {"{}", "", "not json", "[1,2]", "null", "5", "\"s\"",
                           "{\"a\":", "{\"photomap_xmp\":{\"title\":\"x\"}}"}) {
    const SlideDescription d = DescribeImage(text);
    EXPECT_EQ(d.description, "<i>No metadata available.</i>") << text;
    EXPECT_TRUE(d.reference_images.empty());
    EXPECT_TRUE(d.video_info.is_null());
  }
  const std::string plain = DescribeImage(StoredMetadata("real/coffee_cup.jpg")).description;
  EXPECT_EQ(plain, "<i>No metadata available.</i>") << "coffee_cup.jpg has no EXIF";
}

TEST(SlideSummaryEmpty, InvokeAiUrlAddsSendAndAppendButtonsToImages) {
  const std::string none = DescribeImage("{}", /*invokeai=*/true).description;
  EXPECT_EQ(none.rfind("<i>No metadata available.</i>", 0), 0u) << none;
  EXPECT_NE(none.find("data-recall-mode=\"use_ref\""), std::string::npos) << none;
  EXPECT_NE(none.find("data-recall-mode=\"append_ref\""), std::string::npos) << none;
  EXPECT_EQ(none.find("data-recall-mode=\"recall\""), std::string::npos) << none;
  const std::string exif =
      DescribeImage(StoredMetadata("exif/gps_camera_north_east.jpg"), true).description;
  EXPECT_NE(exif.find("class=\"invoke-recall-controls\""), std::string::npos) << exif;
}

TEST(SlideSummaryInvoke, V3PromptModelSeedLorasAndReferences) {
  const SlideDescription d = DescribeImage(StoredMetadata("invokeai/invokeai_v3.png"));
  const std::string& h = d.description;
  EXPECT_EQ(Labels(h, "invoke-metadata"),
            (std::vector<std::string>{"Date", "Positive Prompt", "Negative Prompt", "Model", "Seed",
                                      "Loras", "Reference Images", "Control Layers"}))
      << h;
  EXPECT_NE(h.find("<th>Positive Prompt</th><td class=\"copyme\">a cat riding a skateboard<span "
                   "class=\"copy-icon\""),
            std::string::npos)
      << h;
  EXPECT_NE(h.find("<td class=\"copyme\">blurry, low quality<span"), std::string::npos) << h;
  EXPECT_NE(h.find(Row("Model", "dreamshaper")), std::string::npos) << h;
  EXPECT_NE(h.find("<th>Seed</th><td class=\"copyme\">42<span"), std::string::npos) << h;
  EXPECT_NE(h.find("<tr><td>detail_lora</td><td>0.8</td></tr><tr><td>style_lora</td><td>0.5</td>"),
            std::string::npos)
      << h;
  EXPECT_NE(h.find("<tr><td>ip_adapter_sd15</td><td>ref.png</td><td>0.5</td></tr>"),
            std::string::npos)
      << h;
  EXPECT_NE(h.find("<tr><td>canny_sd15</td><td>control.png</td><td>0.7</td></tr>"),
            std::string::npos)
      << h;
  const size_t date = h.find("<th>Date</th><td>");
  ASSERT_NE(date, std::string::npos) << h;
  EXPECT_TRUE(IsLocalTimestamp(h.substr(date + 17, 19))) << h;
  EXPECT_EQ(d.reference_images, (std::vector<std::string>{"ref.png", "control.png"}));
  EXPECT_EQ(h.find("invoke-recall-controls"), std::string::npos);
  EXPECT_EQ(h.find("exif-table"), std::string::npos) << "InvokeAI records get no EXIF panel";
}

TEST(SlideSummaryInvoke, V2ScalarAndListPrompts) {
  const std::string a =
      DescribeImage(StoredMetadata("invokeai/invokeai_v2_dream_sd-metadata.png")).description;
  EXPECT_NE(a.find("<td class=\"copyme\">a mountain landscape<span"), std::string::npos) << a;
  EXPECT_NE(a.find(Row("Model", "stable-diffusion-1.5")), std::string::npos) << a;
  EXPECT_NE(a.find("<th>Seed</th><td class=\"copyme\">1234<span"), std::string::npos) << a;
  EXPECT_EQ(a.find("Negative Prompt"), std::string::npos) << a;
  const std::string b =
      DescribeImage(StoredMetadata("invokeai/invokeai_v2_list_prompt.png")).description;
  EXPECT_NE(b.find("<td class=\"copyme\">old style prompt<span"), std::string::npos) << b;
  EXPECT_NE(b.find(Row("Model", "legacy_model")), std::string::npos) << b;
}

TEST(SlideSummaryInvoke, V5RefImagesCanvasAndRecallButtons) {
  const SlideDescription ref =
      DescribeImage(StoredMetadata("invokeai/invokeai_v5_ref_images.png"), /*invokeai=*/true);
  EXPECT_EQ(ref.reference_images, (std::vector<std::string>{"ref1.png", "edges.png"}))
      << "disabled ref2/depth layers are left out";
  EXPECT_NE(ref.description.find("<tr><td>dog_lora</td><td>0.6</td></tr>"), std::string::npos);
  for (const char* mode : {"use_ref", "append_ref", "remix", "recall"}) {
    EXPECT_NE(ref.description.find(std::string("data-recall-mode=\"") + mode + "\""),
              std::string::npos)
        << mode;
  }
  EXPECT_NE(ref.description.find("<th class=\"invoke-recall-heading\">InvokeAI</th>"),
            std::string::npos);

  const SlideDescription canvas = DescribeImage(StoredMetadata("invokeai/invokeai_v5_canvas.png"));
  EXPECT_NE(canvas.description.find(Row("Raster Images", "raster1.png, raster2.png")),
            std::string::npos)
      << canvas.description;
  EXPECT_EQ(canvas.reference_images,
            (std::vector<std::string>{"ip_ref.png", "cl_img.png", "raster1.png", "raster2.png"}));
}

TEST(SlideSummaryInvoke, ScalarRecordsAndUnparsedRecordsShowTheirScalars) {
  const std::string flat =
      DescribeImage(R"({"generation_mode":"custom","Steps":20,"ok":true,"none":null})").description;
  EXPECT_EQ(flat, "<table class='invoke-metadata'>" + Row("generation_mode", "custom") +
                      Row("Steps", "20") + Row("ok", "True") + Row("none", "") + "</table>");
  const std::string unknown =
      DescribeImage(R"({"app_version":"5.1","nested":{"x":[1]},"junk":[2]})").description;
  EXPECT_EQ(unknown, "<table class='invoke-metadata'>" + Row("app_version", "5.1") + "</table>");
  const std::string nothing = DescribeImage(R"({"generation_mode":[],"x":[1]})").description;
  EXPECT_EQ(nothing, "<i>Unknown invoke metadata format.</i>");
}

TEST(SlideSummaryEscaping, EveryFileValueIsEscaped) {
  const json record = {
      {"app_version", "5.0.0"},
      {"positive_prompt", "<script>alert('x')</script>"},
      {"negative_prompt", "a \"quoted\" & <b>bold</b>"},
      {"seed", 1},
      {"model", {{"name", "<img src=x onerror=alert(1)>"}}},
      {"loras", {{{"lora", {{"name", "<lora>"}}}, {"weight", 0.5}}}},
      {"ref_images",
       {{{"isEnabled", true},
         {"config", {{"model", {{"name", "m"}}}, {"image", {{"image_name", "'><svg>.png"}}}}}}}}};
  const SlideDescription d = DescribeImage(record.dump());
  const std::string& h = d.description;
  EXPECT_NE(h.find("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"), std::string::npos) << h;
  EXPECT_NE(h.find("a &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;"), std::string::npos) << h;
  EXPECT_NE(h.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos) << h;
  EXPECT_NE(h.find("&lt;lora&gt;"), std::string::npos) << h;
  EXPECT_NE(h.find("&#x27;&gt;&lt;svg&gt;.png"), std::string::npos) << h;
  for (const char* raw : {"<script", "<img", "<lora", "<svg", "<b>"}) {
    EXPECT_EQ(h.find(raw), std::string::npos) << raw << " leaked into " << h;
  }
  EXPECT_EQ(d.reference_images, (std::vector<std::string>{"'><svg>.png"}))
      << "names are data (JSON), not HTML";

  const json exif = {{"<key>", "v"},
                     {"Make", "<script>x</script>"},
                     {"Model", "O'Brien & Sons"},
                     {"Software", "\"q\""}};
  const std::string e = DescribeImage(exif.dump()).description;
  EXPECT_NE(e.find(Row("Camera Make", "&lt;script&gt;x&lt;/script&gt;")), std::string::npos) << e;
  EXPECT_NE(e.find(Row("Camera Model", "O&#x27;Brien &amp; Sons")), std::string::npos) << e;
  EXPECT_NE(e.find(Row("Software", "&quot;q&quot;")), std::string::npos) << e;
  EXPECT_EQ(e.find("<script"), std::string::npos) << e;

  const std::string scalar = DescribeImage(R"({"generation_mode":"<i>","<k>":"v"})").description;
  EXPECT_NE(scalar.find(Row("&lt;k&gt;", "v")), std::string::npos) << scalar;
  EXPECT_NE(scalar.find(Row("generation_mode", "&lt;i&gt;")), std::string::npos) << scalar;
}

TEST(SlideSummaryHostile, WrongTypesNeverCrashAndKeepWhatIsUsable) {
  const std::vector<std::string> cases = {
      R"({"GPSLatitudeDecimal":"abc","GPSLongitudeDecimal":[1],"Make":{"a":1}})",
      R"({"GPSLatitudeDecimal":1000,"GPSLongitudeDecimal":5,"ExposureTime":0})",
      R"({"ExposureTime":-1,"FNumber":null,"Flash":"x","WhiteBalance":[0],"Orientation":99})",
      R"({"ExposureTime":1e-300,"FocalLength":1e308,"ImageWidth":true,"GPSAltitude":"high"})",
      R"({"ExposureTime":1e400,"photomap_rationals":"x","photomap_gps":[1]})",
      R"({"ExposureTime":0.004,"photomap_rationals":{"ExposureTime":[1,0]}})",
      R"({"app_version":5,"positive_prompt":7,"loras":"x","ref_images":[[1,null,{"config":5}]]})",
      R"({"app_version":"3.0","metadata_version":"x","model":[],"seed":"s","loras":[{"lora":1}]})",
      R"({"app_version":"2.0","image":{"prompt":[{"prompt":5}],"seed":1.5},"model_weights":{}})",
      R"({"canvas_v2_metadata":{"rasterLayers":[{"isEnabled":true,"objects":[{"image":7}]}],)"
      R"("controlLayers":"x","referenceImages":[null,5]}})",
      R"({"generation_mode":null,"control_layers":{"layers":[{"isEnabled":true,"ipAdapter":9}]}})",
  };
  for (const std::string& text : cases) {
    const SlideDescription d = DescribeImage(text, /*invokeai=*/true);
    EXPECT_FALSE(d.description.empty()) << text;
    EXPECT_NO_THROW(ordered_json({{"d", d.description}, {"r", d.reference_images}}).dump()) << text;
  }
  const std::string gps = DescribeImage(cases[1]).description;
  EXPECT_NE(gps.find("<div class='gps-info' style='min-width:0px;'></div>"), std::string::npos)
      << "a latitude of 1000 gets no map link: " << gps;
  EXPECT_NE(gps.find(Row("Shutter Speed", "0s")), std::string::npos) << gps;
  const std::string bad = DescribeImage(cases[2]).description;
  EXPECT_NE(bad.find(Row("Aperture", "N/A")), std::string::npos) << bad;
  EXPECT_NE(bad.find(Row("Flash", "Flash Mode x")), std::string::npos) << bad;
  EXPECT_NE(bad.find(Row("Orientation", "99")), std::string::npos) << bad;
  EXPECT_NE(bad.find(Row("Shutter Speed", "-1s")), std::string::npos) << bad;

  // A megabyte prompt is clipped, not copied (escaped) into the response whole.
  const json huge = {{"app_version", "5.0"}, {"positive_prompt", std::string(1 << 20, '<')}};
  const std::string h = DescribeImage(huge.dump()).description;
  EXPECT_LT(h.size(), 5 * kMaxShownValueBytes + 2048) << h.size();
  EXPECT_NE(h.find("&lt;&lt;\xE2\x80\xA6"), std::string::npos);
}

TEST(SlideSummaryVideo, RealClipPanelLinkAndInfo) {
  auto info = media::ProbeVideo(Photo("video/clip.mp4"));
  ASSERT_TRUE(info.ok()) << info.error().message;
  const json stored = {{"photomap_video", media::VideoInfoToJson(*info)}};
  SlideInput in;
  in.is_video = true;
  const std::string text = stored.dump();
  in.metadata_json = text;
  in.video_url = "videos/a%20b/clip.mp4";
  in.invokeai_configured = true;
  const SlideDescription d = DescribeSlide(in);
  const std::string& h = d.description;
  EXPECT_EQ(h.rfind("<div class='exif-metadata video-metadata'>", 0), 0u) << h;
  EXPECT_EQ(Labels(h, "exif-table"), (std::vector<std::string>{"Duration", "Frame Rate",
                                                               "Resolution", "Codec", "Container"}))
      << h;
  EXPECT_NE(h.find(Row("Duration", "0:02")), std::string::npos) << h;
  EXPECT_NE(h.find(Row("Frame Rate", "10 fps")), std::string::npos) << h;
  EXPECT_NE(h.find(Row("Resolution", "64 × 64")), std::string::npos) << h;
  EXPECT_NE(h.find(Row("Codec", "h264")), std::string::npos) << h;
  EXPECT_NE(h.find("<a href='videos/a%20b/clip.mp4' target='_blank'"), std::string::npos) << h;
  EXPECT_EQ(h.find("invoke-recall"), std::string::npos) << "videos never get InvokeAI buttons";
  EXPECT_EQ(ordered_json(d.video_info), ordered_json(stored["photomap_video"]));

  auto rotated = media::ProbeVideo(Photo("video/portrait_rotate90_640x360.mp4"));
  ASSERT_TRUE(rotated.ok());
  const std::string r = VideoPanelHtml(ordered_json(media::VideoInfoToJson(*rotated)));
  EXPECT_NE(r.find(Row("Resolution", "360 × 640")), std::string::npos) << r;
}

TEST(SlideSummaryVideo, FormatsUnusableValuesAndInfoSanitising) {
  EXPECT_EQ(FormatVideoDuration(7.4), "0:07");
  EXPECT_EQ(FormatVideoDuration(3725), "1:02:05");
  EXPECT_EQ(FormatVideoDuration(2.5), "0:02") << "round half to even, like Python";
  EXPECT_EQ(FormatVideoDuration(-1), "Unknown");
  EXPECT_EQ(FormatVideoDuration("7"), "Unknown");
  EXPECT_EQ(FormatVideoFps(29.97), "29.97 fps");
  EXPECT_EQ(FormatVideoFps(30.004), "30 fps");
  EXPECT_EQ(FormatVideoFps(0), "Unknown");

  const std::string text =
      R"({"photomap_video":{"duration":-5,"fps":"x","width":"1920","height":1080,)"
      R"("codec":"<h264>","container":"","playable":false},"Make":"Cam"})";
  SlideInput in;
  in.is_video = true;
  in.metadata_json = text;
  const SlideDescription d = DescribeSlide(in);
  EXPECT_EQ(d.video_info["duration"], -5) << d.video_info.dump();
  EXPECT_NE(d.description.find(Row("Duration", "Unknown")), std::string::npos);
  // JSON text cannot hold inf (nlohmann refuses 1e400), but a dict built in memory can.
  const ordered_json inf = {{"photomap_video", {{"duration", INFINITY}, {"fps", 30}}}};
  EXPECT_EQ(SanitizedVideoInfo(inf), ordered_json({{"fps", 30}}));
  EXPECT_EQ(d.video_info["codec"], "<h264>");
  const std::string& h = d.description;
  EXPECT_NE(h.find(Row("Frame Rate", "Unknown")), std::string::npos) << h;
  EXPECT_EQ(h.find("Resolution"), std::string::npos) << "a string width is unusable";
  EXPECT_NE(h.find(Row("Codec", "&lt;h264&gt;")), std::string::npos) << h;
  EXPECT_EQ(h.find("Container"), std::string::npos) << h;
  EXPECT_NE(h.find(Row("Playback", "Not supported by most browsers")), std::string::npos) << h;
  EXPECT_NE(h.find(Row("Camera Make", "Cam")), std::string::npos)
      << "other keys get an EXIF panel after the video panel: " << h;

  for (const char* bad : {"{}", R"({"photomap_video":"x"})", "[]", "garbage"}) {
    in.metadata_json = bad;
    const SlideDescription v = DescribeSlide(in);
    EXPECT_TRUE(v.video_info.is_null()) << bad;
    EXPECT_NE(v.description.find("No video details available."), std::string::npos) << bad;
  }
}

TEST(HtmlText, PythonStrAndEscape) {
  EXPECT_EQ(HtmlEscape("&<>\"'x"), "&amp;&lt;&gt;&quot;&#x27;x");
  EXPECT_EQ(PyFloat(8.0), "8.0");
  EXPECT_EQ(PyFloat(0.004), "0.004");
  EXPECT_EQ(PyFloat(1e-5), "1e-05");
  EXPECT_EQ(PyFloat(1e16), "1e+16");
  EXPECT_EQ(PyFloat(-105.0), "-105.0");
  EXPECT_EQ(PyStr(ordered_json(true)), "True");
  EXPECT_EQ(PyStr(ordered_json(nullptr)), "");
  EXPECT_EQ(PyStr(ordered_json(-3)), "-3");
  EXPECT_EQ(ClipText("\xC3\xA9\xC3\xA9", 3), "\xC3\xA9\xE2\x80\xA6") << "never splits a code point";
  EXPECT_EQ(ClipText("a\xFF"), "a\xEF\xBF\xBD");
  EXPECT_EQ(GoogleMapsLink(48.85837, 2.2944813),
            "https://www.google.com/maps?q=48.858370,2.294481");
}

}  // namespace
}  // namespace photomap::http
