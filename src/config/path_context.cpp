#include "config/path_context.h"

#include <filesystem>
#include <system_error>

namespace photomap::config {

std::string PathContext::ExpandUser(const std::string& path) const {
  if (home.empty() || path.empty() || path[0] != '~') return path;
  if (path.size() == 1) return home;
  if (path[1] == '/') return home + path.substr(1);
  return path;  // "~user" forms are left alone
}

std::string PathContext::Resolve(const std::string& path) const {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path p = fs::absolute(fs::path(ExpandUser(path)), ec);
  if (ec) return ExpandUser(path);
  fs::path resolved = fs::weakly_canonical(p, ec);
  if (ec) return p.lexically_normal().generic_string();
  std::string s = resolved.generic_string();
  if (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

}  // namespace photomap::config
