// DecodeForIndex: one media file to what the index stores about it (record without embedding)
// plus the model's input tensor. Images are decoded with shrink-on-load at the encoder's input
// size; videos through their extracted still. Metadata and capture time come from media/.
// Pure apart from reading the file; thread-safe (decode workers call it in parallel).
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "index/index_record.h"
#include "model/preprocess.h"
#include "scan/album_walker.h"
#include "util/status.h"

namespace photomap::index {

struct DecodedFile {
  ImageRecord record;         // everything but `embedding` (and `id`)
  std::vector<float> pixels;  // 3 x H x W, the preprocess config's output size
};

// Decodes `entry`. Errors: the decoder's (NotFound, Io, InvalidInput, Unsupported, Corrupt,
// TooLarge) naming the file; Cancelled when `cancel` was set during a video extraction.
Result<DecodedFile> DecodeForIndex(const scan::ScanEntry& entry,
                                   const model::PreprocessConfig& preprocess,
                                   const std::string& encoder_spec,
                                   const std::atomic<bool>* cancel);

}  // namespace photomap::index
