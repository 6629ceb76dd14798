#include "util/status.h"

#include <cstring>

namespace photomap {

const char* ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kNotFound:
      return "not_found";
    case ErrorKind::kInvalidInput:
      return "invalid_input";
    case ErrorKind::kCorrupt:
      return "corrupt";
    case ErrorKind::kUnsupported:
      return "unsupported";
    case ErrorKind::kIo:
      return "io";
    case ErrorKind::kCancelled:
      return "cancelled";
    case ErrorKind::kBusy:
      return "busy";
    case ErrorKind::kPermissionDenied:
      return "permission_denied";
    case ErrorKind::kAlreadyExists:
      return "already_exists";
    case ErrorKind::kTooLarge:
      return "too_large";
    case ErrorKind::kInternal:
      return "internal";
  }
  return "unknown";
}

Error ErrnoError(const std::string& context, int errno_value) {
  return IoError(context + ": " + std::strerror(errno_value));
}

}  // namespace photomap
