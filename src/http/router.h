// Router: PhotoMapAI's routes declared as data (method, path template, handler) and matched
// the way Starlette does: "{name}" captures one segment, "{name:path}" the rest of the path.
//
// Resolution rules: a matching path with another method → 405 (with Allow); no match, but the
// same path with its trailing slash added or removed matches → 307 to that path (relative
// Location, query kept); otherwise 404. Routes are registered before serving; matching is
// read-only and thread-safe.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <httplib.h>

namespace photomap::http {

using PathParams = std::map<std::string, std::string>;
using RouteHandler =
    std::function<void(const httplib::Request&, httplib::Response&, const PathParams&)>;

class Router {
 public:
  // Adds a route. `path` like "/album/{album_key}/" or "/images/{album_key}/{path:path}".
  void Add(const std::string& method, const std::string& path, RouteHandler handler);

  enum class Outcome { kMatched, kMethodNotAllowed, kRedirect, kNotFound };
  struct Match {
    Outcome outcome = Outcome::kNotFound;
    const RouteHandler* handler = nullptr;
    PathParams params;
    std::string allow;     // for kMethodNotAllowed
    std::string location;  // for kRedirect, relative to the request path
  };
  // Resolves a decoded request path. HEAD matches GET routes.
  Match Resolve(const std::string& method, const std::string& path) const;

 private:
  struct Segment {
    std::string literal;  // empty for a parameter
    std::string param;
    bool rest = false;  // {name:path}
  };
  struct Route {
    std::string method;
    std::vector<Segment> segments;
    bool trailing_slash = false;
    RouteHandler handler;
  };
  static std::optional<PathParams> MatchRoute(const Route& route, const std::string& path);

  std::vector<Route> routes_;
};

}  // namespace photomap::http
