#include "http/filetree_routes.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "http/responses.h"

namespace photomap::http {

namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;
using Req = httplib::Request;
using Res = httplib::Response;

// The resolved album root; "/" when unset or unresolvable.
fs::path Root(const Services& s) {
  std::error_code ec;
  fs::path root = fs::weakly_canonical(s.album_root.empty() ? "/" : s.album_root, ec);
  return ec ? fs::path("/") : root;
}

bool Inside(const fs::path& path, const fs::path& root) {
  auto rel = path.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

void SendErrorField(Res& res, const std::string& message) {
  SendJson(res, 500, ordered_json{{"error", message}});
}

// pydantic's lax booleans for a query parameter.
std::optional<bool> ParseBool(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), ::tolower);
  if (text == "true" || text == "1" || text == "yes" || text == "on" || text == "t" || text == "y")
    return true;
  if (text == "false" || text == "0" || text == "no" || text == "off" || text == "f" || text == "n")
    return false;
  return std::nullopt;
}

bool HasChildDirectory(const fs::path& dir) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (fs::is_directory(it->path(), type_ec)) return true;
  }
  return false;
}

void Directories(Services& s, const Req& req, Res& res) {
  if (auto st = s.lock.RequireNoLock(); !st.ok()) return SendError(res, st.error());
  bool show_hidden = false;
  if (req.has_param("show_hidden")) {
    auto parsed = ParseBool(req.get_param_value("show_hidden"));
    if (!parsed) {
      config::FieldIssue issue;
      issue.type = "bool_parsing";
      issue.loc = ordered_json::array({"query", "show_hidden"});
      issue.msg = "Input should be a valid boolean, unable to interpret input";
      issue.input = req.get_param_value("show_hidden");
      return SendValidationErrors(res, {issue});
    }
    show_hidden = *parsed;
  }
  const std::string requested = req.has_param("path") ? req.get_param_value("path") : "";
  const fs::path root = Root(s);
  fs::path target = requested.empty() ? root : fs::path(requested);
  if (target.is_relative()) target = root / target;
  std::error_code ec;
  const fs::path resolved = fs::weakly_canonical(target, ec);
  if (ec || (resolved != root && !Inside(resolved, root)) || !fs::is_directory(resolved, ec)) {
    return SendDetail(res, 404, "Invalid or non-existent directory");
  }
  std::vector<fs::path> children;
  fs::directory_iterator it(resolved, ec);
  if (ec) return SendErrorField(res, ec.message());
  for (fs::directory_iterator end; it != end; it.increment(ec)) {
    if (ec) return SendErrorField(res, ec.message());
    children.push_back(it->path());
  }
  std::sort(children.begin(), children.end());
  ordered_json dirs = ordered_json::array();
  for (const auto& child : children) {
    const std::string name = child.filename().string();
    if (!show_hidden && !name.empty() && name[0] == '.') continue;
    std::error_code child_ec;
    if (!fs::is_directory(child, child_ec)) continue;
    const fs::path real = fs::canonical(child, child_ec);
    if (child_ec || (real != root && !Inside(real, root))) continue;  // symlink out of the root
    dirs.push_back(ordered_json{
        {"name", name}, {"path", real.string()}, {"hasChildren", HasChildDirectory(real)}});
  }
  SendJson(res, 200,
           ordered_json{{"currentPath", resolved.string()},
                        {"directories", std::move(dirs)},
                        {"isRoot", requested.empty()}});
}

void Home(Services& s, Res& res) {
  if (auto st = s.lock.RequireNoLock(); !st.ok()) return SendError(res, st.error());
  std::error_code ec;
  const char* home = std::getenv("HOME");
  const fs::path resolved = fs::weakly_canonical(home != nullptr ? home : "/", ec);
  if (ec) return SendErrorField(res, ec.message());
  SendJson(res, 200, ordered_json{{"homePath", resolved.string()}});
}

void CreateDirectory(Services& s, const Req& req, Res& res) {
  if (auto st = s.lock.RequireNoLock(); !st.ok()) return SendError(res, st.error());
  nlohmann::json body;
  if (!ParseJsonBody(req, res, &body)) return;
  if (!body.is_object()) return SendValidationErrors(res, {config::ModelTypeIssue(body)});
  config::FieldReader reader(body);
  auto parent_text = reader.String("parent_path", /*required=*/true);
  auto name = reader.String("directory_name", /*required=*/true);
  if (!reader.ok()) return SendValidationErrors(res, reader.issues());
  std::error_code ec;
  const fs::path parent = fs::weakly_canonical(*parent_text, ec);
  if (ec || !fs::exists(parent, ec)) return SendDetail(res, 404, "Parent directory does not exist");
  if (!fs::is_directory(parent, ec)) return SendDetail(res, 400, "Parent path is not a directory");
  const fs::path root = Root(s);
  if (parent != root && !Inside(parent, root)) {
    return SendDetail(res, 403, "Access denied to parent directory");
  }
  if (name->find_first_not_of(" \t\r\n\v\f") == std::string::npos) {
    return SendDetail(res, 400, "Directory name cannot be empty");
  }
  if (name->find_first_of(std::string("/\\\0", 3)) != std::string::npos || *name == "." ||
      *name == "..") {
    return SendDetail(res, 400, "Directory name contains invalid characters");
  }
  const fs::path created = parent / *name;
  if (fs::exists(fs::symlink_status(created, ec))) {
    return SendDetail(res, 409, "Directory already exists");
  }
  if (::access(parent.c_str(), W_OK) != 0) {
    return SendDetail(res, 403, "Parent directory is not writable");
  }
  if (!fs::create_directory(created, ec) || ec) {
    return SendDetail(res, 500, "Failed to create directory: " + ec.message());
  }
  SendJson(res, 200, ordered_json{{"success", true}, {"path", created.string()}, {"name", *name}});
}

}  // namespace

void AddFiletreeRoutes(Router& r, Services& s) {
  r.Add("GET", "/filetree/directories",
        [&s](const Req& req, Res& res, const PathParams&) { Directories(s, req, res); });
  r.Add("GET", "/filetree/home", [&s](const Req&, Res& res, const PathParams&) { Home(s, res); });
  r.Add("POST", "/filetree/create_directory",
        [&s](const Req& req, Res& res, const PathParams&) { CreateDirectory(s, req, res); });
}

}  // namespace photomap::http
