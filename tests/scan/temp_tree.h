// TempTree: a scratch directory under /tmp for scan tests, removed on destruction.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace photomap::scan::testing {

class TempTree {
 public:
  TempTree() {
    std::string tmpl = "/tmp/photomap_scan_test_XXXXXX";
    root_ = mkdtemp(tmpl.data());
  }
  ~TempTree() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;

  const std::filesystem::path& root() const { return root_; }

  // Creates `rel` (and its parent directories) holding `bytes` bytes of 'x'.
  std::filesystem::path File(const std::string& rel, size_t bytes = 1) const {
    std::filesystem::path p = root_ / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << std::string(bytes, 'x');
    return p;
  }
  std::filesystem::path Copy(const std::string& from, const std::string& rel) const {
    std::filesystem::path p = root_ / rel;
    std::filesystem::create_directories(p.parent_path());
    std::filesystem::copy_file(from, p, std::filesystem::copy_options::overwrite_existing);
    return p;
  }
  std::filesystem::path Dir(const std::string& rel) const {
    std::filesystem::create_directories(root_ / rel);
    return root_ / rel;
  }
  std::filesystem::path Link(const std::filesystem::path& target, const std::string& rel) const {
    std::filesystem::path p = root_ / rel;
    std::filesystem::create_directories(p.parent_path());
    std::filesystem::create_symlink(target, p);
    return p;
  }

 private:
  std::filesystem::path root_;
};

}  // namespace photomap::scan::testing
