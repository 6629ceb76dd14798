// Typed errors and Result<T>, the project's one error convention.
//
// Anything a user, a file or a request can cause is reported as an Error carrying a kind and a
// message that reads "context: cause" and says what to do. Kinds are few and stable; http/ maps
// them to statuses in exactly one place (http/error_mapping.cpp). Values are cheap to move and
// safe to pass between threads.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace photomap {

enum class ErrorKind {
  kNotFound,          // a named thing (album, file, tensor, index row) does not exist
  kInvalidInput,      // a request, argument or value is malformed or out of range
  kCorrupt,           // stored data (file, database, model) exists but cannot be parsed
  kUnsupported,       // well-formed but not something we handle (format, dtype, codec)
  kIo,                // the operating system refused (read, write, rename, socket)
  kCancelled,         // the user or shutdown stopped the work
  kBusy,              // a conflicting operation is running; retry later
  kPermissionDenied,  // policy forbids it (album lock, path outside the album)
  kAlreadyExists,     // creating something whose key is taken
  kTooLarge,          // over a size limit (upload, download, pixels)
  kInternal,          // a bug: an invariant did not hold
};

// Returns a stable lower-case name for logs and tests, e.g. "not_found".
const char* ErrorKindName(ErrorKind kind);

struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string message;

  // Returns a copy whose message is "<context>: <message>".
  Error WithContext(const std::string& context) const {
    return Error{kind, context + ": " + message};
  }
};

inline Error NotFound(std::string m) { return {ErrorKind::kNotFound, std::move(m)}; }
inline Error InvalidInput(std::string m) { return {ErrorKind::kInvalidInput, std::move(m)}; }
inline Error Corrupt(std::string m) { return {ErrorKind::kCorrupt, std::move(m)}; }
inline Error Unsupported(std::string m) { return {ErrorKind::kUnsupported, std::move(m)}; }
inline Error IoError(std::string m) { return {ErrorKind::kIo, std::move(m)}; }
inline Error Cancelled(std::string m) { return {ErrorKind::kCancelled, std::move(m)}; }
inline Error Busy(std::string m) { return {ErrorKind::kBusy, std::move(m)}; }
inline Error PermissionDenied(std::string m) {
  return {ErrorKind::kPermissionDenied, std::move(m)};
}
inline Error AlreadyExists(std::string m) { return {ErrorKind::kAlreadyExists, std::move(m)}; }
inline Error TooLarge(std::string m) { return {ErrorKind::kTooLarge, std::move(m)}; }
inline Error Internal(std::string m) { return {ErrorKind::kInternal, std::move(m)}; }

// Builds an Io error "<context>: <strerror(errno_value)>".
Error ErrnoError(const std::string& context, int errno_value);

// Either a value or an Error. Accessing the wrong alternative is a programming error and throws
// std::bad_variant_access (never undefined behaviour).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : data_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { return std::get<Error>(data_); }
  Error&& error() && { return std::get<Error>(std::move(data_)); }

 private:
  std::variant<T, Error> data_;
};

// Success or an Error, for operations that return nothing.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  static Status Ok() { return Status(); }

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *error_; }

 private:
  std::optional<Error> error_;
};

}  // namespace photomap

// Propagates an error from an expression yielding Status or Result<T>.
#define PHOTOMAP_RETURN_IF_ERROR(expr) \
  do {                                 \
    auto photomap_status_ = (expr);    \
    if (!photomap_status_.ok()) {      \
      return photomap_status_.error(); \
    }                                  \
  } while (0)
