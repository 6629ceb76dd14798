#include "http/router.h"

#include <set>

namespace photomap::http {
namespace {

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 1;  // skip the leading '/'
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) {
      parts.push_back(path.substr(start));
      break;
    }
    parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

}  // namespace

void Router::Add(const std::string& method, const std::string& path, RouteHandler handler) {
  Route route;
  route.method = method;
  route.trailing_slash = path.size() > 1 && path.back() == '/';
  std::string trimmed = route.trailing_slash ? path.substr(0, path.size() - 1) : path;
  for (const std::string& part : SplitPath(trimmed)) {
    Segment seg;
    if (part.size() > 2 && part.front() == '{' && part.back() == '}') {
      std::string name = part.substr(1, part.size() - 2);
      if (name.size() > 5 && name.compare(name.size() - 5, 5, ":path") == 0) {
        seg.rest = true;
        name = name.substr(0, name.size() - 5);
      }
      seg.param = name;
    } else {
      seg.literal = part;
    }
    route.segments.push_back(std::move(seg));
  }
  route.handler = std::move(handler);
  routes_.push_back(std::move(route));
}

std::optional<PathParams> Router::MatchRoute(const Route& route, const std::string& path) {
  if (path.empty() || path[0] != '/') return std::nullopt;
  const bool has_slash = path.size() > 1 && path.back() == '/';
  const bool last_is_rest = !route.segments.empty() && route.segments.back().rest;
  if (!last_is_rest && has_slash != route.trailing_slash) return std::nullopt;
  std::string trimmed = (has_slash && !last_is_rest) ? path.substr(0, path.size() - 1) : path;
  std::vector<std::string> parts = SplitPath(trimmed);
  PathParams params;
  size_t i = 0;
  for (size_t s = 0; s < route.segments.size(); ++s) {
    const Segment& seg = route.segments[s];
    if (seg.rest) {
      if (i >= parts.size()) return std::nullopt;
      std::string rest;
      for (size_t j = i; j < parts.size(); ++j) rest += (j > i ? "/" : "") + parts[j];
      if (rest.empty()) return std::nullopt;
      params[seg.param] = rest;
      return params;
    }
    if (i >= parts.size()) return std::nullopt;
    if (seg.param.empty()) {
      if (parts[i] != seg.literal) return std::nullopt;
    } else {
      if (parts[i].empty()) return std::nullopt;
      params[seg.param] = parts[i];
    }
    ++i;
  }
  if (i != parts.size()) return std::nullopt;
  return params;
}

Router::Match Router::Resolve(const std::string& method, const std::string& path) const {
  const std::string effective = method == "HEAD" ? "GET" : method;
  Match match;
  std::set<std::string> allowed;
  for (const Route& route : routes_) {
    auto params = MatchRoute(route, path);
    if (!params) continue;
    if (route.method == effective) {
      match.outcome = Outcome::kMatched;
      match.handler = &route.handler;
      match.params = std::move(*params);
      return match;
    }
    allowed.insert(route.method);
  }
  if (!allowed.empty()) {
    match.outcome = Outcome::kMethodNotAllowed;
    for (const auto& m : allowed) match.allow += (match.allow.empty() ? "" : ", ") + m;
    return match;
  }
  if (path.size() > 1) {
    const bool has_slash = path.back() == '/';
    const std::string alternative = has_slash ? path.substr(0, path.size() - 1) : path + "/";
    for (const Route& route : routes_) {
      if (route.method != effective || !MatchRoute(route, alternative)) continue;
      // A relative Location keeps working behind a reverse-proxy prefix.
      if (has_slash) {
        const std::string trimmed = path.substr(0, path.size() - 1);
        match.location = "../" + trimmed.substr(trimmed.rfind('/') + 1);
      } else {
        match.location = path.substr(path.rfind('/') + 1) + "/";
      }
      match.outcome = Outcome::kRedirect;
      return match;
    }
  }
  match.outcome = Outcome::kNotFound;
  return match;
}

}  // namespace photomap::http
