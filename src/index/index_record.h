// ImageRecord: one indexed file as the index stores it. Plain value type.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace photomap::index {

struct ImageRecord {
  int64_t id = 0;    // stable row id; 0 until published
  std::string path;  // absolute, resolved, posix
  int64_t size_bytes = 0;
  double mtime = 0;        // file modification time, epoch seconds
  double sort_time = 0;    // capture time (EXIF) or mtime: the API's order (§3.3, §4.5)
  std::string media_type;  // "image" or "video"
  int width = 0;           // displayed size, px
  int height = 0;
  std::string metadata_json;     // per-image metadata (docs/formats.md), "{}" when none
  std::string encoder_spec;      // the encoder that produced `embedding`
  std::vector<float> embedding;  // L2-normalised
};

}  // namespace photomap::index
