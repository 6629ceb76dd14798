#include "http/responses.h"

#include <spdlog/spdlog.h>

#include <cctype>
#include <cstring>

namespace photomap::http {

int HttpStatusFor(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kNotFound:
      return 404;
    case ErrorKind::kInvalidInput:
      return 400;
    case ErrorKind::kPermissionDenied:
      return 403;
    case ErrorKind::kAlreadyExists:
      return 409;
    case ErrorKind::kBusy:
      return 409;
    case ErrorKind::kCancelled:
      return 409;
    case ErrorKind::kTooLarge:
      return 413;
    case ErrorKind::kUnsupported:
      return 415;
    case ErrorKind::kCorrupt:
      return 500;
    case ErrorKind::kIo:
      return 500;
    case ErrorKind::kInternal:
      return 500;
  }
  return 500;
}

void SendJson(httplib::Response& res, int status, const nlohmann::ordered_json& body) {
  std::string text;
  try {
    text = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
  } catch (const nlohmann::json::exception& e) {
    spdlog::error("response body could not be serialised: {}", e.what());
    res.status = 500;
    res.set_content("Internal Server Error", "text/plain; charset=utf-8");
    return;
  }
  // nlohmann writes NaN/Inf as null; treat that as a server bug rather than lie to the client.
  res.status = status;
  res.set_content(text, "application/json");
}

void SendDetail(httplib::Response& res, int status, const std::string& detail) {
  SendJson(res, status, nlohmann::ordered_json{{"detail", detail}});
}

void SendError(httplib::Response& res, const Error& error) {
  const int status = HttpStatusFor(error.kind);
  if (status >= 500) spdlog::warn("{} error: {}", ErrorKindName(error.kind), error.message);
  SendDetail(res, status, error.message);
}

void SendValidationErrors(httplib::Response& res, const std::vector<config::FieldIssue>& issues) {
  nlohmann::ordered_json detail = nlohmann::ordered_json::array();
  for (const auto& issue : issues) detail.push_back(issue.ToJson());
  SendJson(res, 422, nlohmann::ordered_json{{"detail", detail}});
}

namespace {

// Replaces the bare tokens NaN, Infinity and -Infinity outside strings with quoted strings.
std::string QuoteNonFiniteLiterals(const std::string& body) {
  std::string out;
  out.reserve(body.size());
  bool in_string = false;
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < body.size()) {
        out += body[++i];
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      out += c;
      continue;
    }
    auto starts = [&](const char* token) {
      return body.compare(i, std::strlen(token), token) == 0;
    };
    if (starts("-Infinity")) {
      out += "\"-inf\"";
      i += 8;
    } else if (starts("Infinity")) {
      out += "\"inf\"";
      i += 7;
    } else if (starts("NaN")) {
      out += "\"nan\"";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

bool ParseJsonBody(const httplib::Request& req, httplib::Response& res, nlohmann::json* out) {
  try {
    *out = nlohmann::json::parse(QuoteNonFiniteLiterals(req.body));
    return true;
  } catch (const nlohmann::json::parse_error& e) {
    SendValidationErrors(res, {config::JsonInvalidIssue(e.what(), e.byte > 0 ? e.byte - 1 : 0)});
    return false;
  }
}

std::string PercentEncode(const std::string& text, const std::string& safe) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '_' || c == '.' || c == '-' || c == '~' ||
        safe.find(static_cast<char>(c)) != std::string::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace photomap::http
