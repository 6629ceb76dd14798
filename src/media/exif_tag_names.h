// Pillow's names for EXIF tags, so that the per-image metadata dict keeps the keys PhotoMapAI
// stores (it names tags with PIL.ExifTags). A read-only table; thread-safe.
#pragma once

#include <cstdint>

namespace photomap::media {

// Returns Pillow's ExifTags.TAGS name for `tag` (IFD0, Exif, Interop and IFD1 tags), or nullptr
// when Pillow has none. The returned string is static.
const char* PillowExifTagName(uint16_t tag);

// Returns Pillow's ExifTags.GPSTAGS name for the GPS IFD tag `tag`, or nullptr. Static string.
const char* PillowGpsTagName(uint16_t tag);

}  // namespace photomap::media
