// ServerProcess: starts the real `photomap serve` binary on a free loopback port with a
// temporary config, for HTTP tests. The process is stopped with SIGTERM on destruction.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <httplib.h>

namespace photomap::testing {

class ServerProcess {
 public:
  struct Options {
    std::string config_path;
    std::vector<std::string> extra_args;
    std::vector<std::pair<std::string, std::string>> env;  // added to / overriding the parent's
  };

  // Starts the server and waits (up to 120 s) for its "serving on" line. On failure returns
  // nullptr and fills *error.
  static std::unique_ptr<ServerProcess> Start(const Options& options, std::string* error);
  // Runs the binary with `args` to completion; returns its exit code and captured stdout.
  static std::pair<int, std::string> RunToExit(
      const std::vector<std::string>& args,
      const std::vector<std::pair<std::string, std::string>>& env);

  ~ServerProcess();
  int port() const { return port_; }
  httplib::Client Client() const;
  // Sends SIGTERM and returns the exit status (exit code, or 128+signal).
  int Stop();

 private:
  ServerProcess(pid_t pid, int port) : pid_(pid), port_(port) {}
  pid_t pid_ = -1;
  int port_ = 0;
};

// A fresh temporary directory removed at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string Join(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace photomap::testing
