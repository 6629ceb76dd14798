// RAII owners for libvips objects, and the one place libvips errors become photomap Errors.
//
// VipsPtr<T> owns one GObject reference (VipsImage, VipsSource, ...) and unrefs it on
// destruction; move-only. TakeVipsError() reads and clears libvips' error buffer. libvips keeps
// that buffer process-wide, so under concurrency a message may carry another thread's text too;
// it is used for wording only, never for control flow. Thread-safe as libvips itself.
#pragma once

#include <vips/vips.h>

#include <string>
#include <utility>

#include "util/status.h"

namespace photomap::media {

template <typename T>
class VipsPtr {
 public:
  VipsPtr() = default;
  explicit VipsPtr(T* p) : p_(p) {}  // adopts one reference
  ~VipsPtr() { reset(); }
  VipsPtr(VipsPtr&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  VipsPtr& operator=(VipsPtr&& o) noexcept {
    if (this != &o) {
      reset();
      p_ = std::exchange(o.p_, nullptr);
    }
    return *this;
  }
  VipsPtr(const VipsPtr&) = delete;
  VipsPtr& operator=(const VipsPtr&) = delete;

  // Adds a reference to a borrowed object.
  static VipsPtr Ref(T* p) {
    if (p) g_object_ref(p);
    return VipsPtr(p);
  }

  T* get() const { return p_; }
  T* operator->() const { return p_; }
  explicit operator bool() const { return p_ != nullptr; }
  // For vips_xxx(in, &out, ...) calls: releases the current object, returns the slot to fill.
  T** out() {
    reset();
    return &p_;
  }
  void reset() {
    if (p_) g_object_unref(p_);
    p_ = nullptr;
  }

 private:
  T* p_ = nullptr;
};

using VipsImagePtr = VipsPtr<VipsImage>;
using VipsSourcePtr = VipsPtr<VipsSource>;

// Returns libvips' pending error text (trimmed, one line per error joined by "; ") and clears it.
// Returns "unknown libvips error" when the buffer is empty.
inline std::string TakeVipsError() {
  char* raw = vips_error_buffer_copy();
  std::string text = raw ? raw : "";
  g_free(raw);
  for (char& c : text) {
    if (c == '\n') c = ';';
  }
  while (!text.empty() && (text.back() == ';' || text.back() == ' ')) text.pop_back();
  return text.empty() ? "unknown libvips error" : text;
}

// A g_free'd buffer (vips_image_write_to_memory, vips_*save_buffer).
struct GFreeDeleter {
  void operator()(void* p) const { g_free(p); }
};

}  // namespace photomap::media
