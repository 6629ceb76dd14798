// Response helpers shared by every router: compact JSON bodies (UTF-8, no NaN), the
// {"detail": …} error body, the 422 validation body, and THE mapping from ErrorKind to HTTP
// status (the only place it is decided).
#pragma once

#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "config/validation.h"
#include "util/status.h"

namespace photomap::http {

// The HTTP status for an error kind: NotFound 404, InvalidInput 400, PermissionDenied 403,
// AlreadyExists/Busy 409, TooLarge 413, Unsupported 415, Cancelled 409, Corrupt/Io/Internal 500.
int HttpStatusFor(ErrorKind kind);

// Writes `body` as compact JSON with `status`. A non-finite number in `body` is a bug: it is
// logged and answered 500, never sent as invalid JSON.
void SendJson(httplib::Response& res, int status, const nlohmann::ordered_json& body);
// {"detail": message} with `status`.
void SendDetail(httplib::Response& res, int status, const std::string& detail);
// {"detail": error.message} with the mapped status.
void SendError(httplib::Response& res, const Error& error);
// 422 {"detail": [issues…]}.
void SendValidationErrors(httplib::Response& res, const std::vector<config::FieldIssue>& issues);

// Parses a request body as JSON the way Python's json module does (bare NaN, Infinity and
// -Infinity are accepted and become the strings "nan", "inf", "-inf" that the field readers
// coerce). On failure, writes the 422 json_invalid response and returns false.
bool ParseJsonBody(const httplib::Request& req, httplib::Response& res, nlohmann::json* out);

// Percent-encodes `text` leaving unreserved characters and those in `safe` as they are
// (Python's urllib.parse.quote).
std::string PercentEncode(const std::string& text, const std::string& safe = "/");

}  // namespace photomap::http
