#include "http/server_process.h"

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>

extern char** environ;

namespace photomap::testing {
namespace {

std::vector<std::string> MergedEnv(const std::vector<std::pair<std::string, std::string>>& extra) {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    size_t eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  env["PHOTOMAP_NO_BROWSER"] = "1";
  for (const auto& [k, v] : extra) env[k] = v;
  std::vector<std::string> out;
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

std::vector<char*> CStrings(std::vector<std::string>& items) {
  std::vector<char*> out;
  for (auto& s : items) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

pid_t Spawn(std::vector<std::string> args,
            const std::vector<std::pair<std::string, std::string>>& env, int* stdout_fd) {
  int fds[2];
  if (::pipe(fds) != 0) return -1;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  args.insert(args.begin(), PHOTOMAP_BINARY_PATH);
  std::vector<std::string> env_strings = MergedEnv(env);
  auto argv = CStrings(args);
  auto envp = CStrings(env_strings);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, PHOTOMAP_BINARY_PATH, &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    return -1;
  }
  *stdout_fd = fds[0];
  return pid;
}

int WaitExit(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

std::unique_ptr<ServerProcess> ServerProcess::Start(const Options& options, std::string* error) {
  std::vector<std::string> args = {"serve", "--host",   "127.0.0.1",         "--port",
                                   "0",     "--config", options.config_path, "--no-browser"};
  args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());
  int out_fd = -1;
  pid_t pid = Spawn(args, options.env, &out_fd);
  if (pid < 0) {
    *error = "could not start " + std::string(PHOTOMAP_BINARY_PATH);
    return nullptr;
  }
  std::string buffer;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd pfd{out_fd, POLLIN, 0};
    if (::poll(&pfd, 1, 200) > 0) {
      char chunk[512];
      ssize_t n = ::read(out_fd, chunk, sizeof(chunk));
      if (n <= 0) break;  // the process closed stdout: it exited
      buffer.append(chunk, static_cast<size_t>(n));
      const std::string marker = "serving on http://127.0.0.1:";
      size_t at = buffer.find(marker);
      if (at != std::string::npos && buffer.find('/', at + marker.size()) != std::string::npos) {
        int port = std::atoi(buffer.c_str() + at + marker.size());
        ::close(out_fd);
        return std::unique_ptr<ServerProcess>(new ServerProcess(pid, port));
      }
    }
  }
  ::close(out_fd);
  ::kill(pid, SIGKILL);
  int code = WaitExit(pid);
  *error = "server did not report a port (exit " + std::to_string(code) + "); stdout: " + buffer;
  return nullptr;
}

std::pair<int, std::string> ServerProcess::RunToExit(
    const std::vector<std::string>& args,
    const std::vector<std::pair<std::string, std::string>>& env) {
  int out_fd = -1;
  pid_t pid = Spawn(args, env, &out_fd);
  if (pid < 0) return {-1, ""};
  std::string out;
  char chunk[512];
  ssize_t n;
  while ((n = ::read(out_fd, chunk, sizeof(chunk))) > 0) out.append(chunk, static_cast<size_t>(n));
  ::close(out_fd);
  return {WaitExit(pid), out};
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Stop();
}

httplib::Client ServerProcess::Client() const {
  httplib::Client client("127.0.0.1", port_);
  client.set_connection_timeout(10);
  client.set_read_timeout(60);
  return client;
}

int ServerProcess::Stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int code = WaitExit(pid_);
  pid_ = -1;
  return code;
}

TempDir::TempDir() {
  char tmpl[] = "/tmp/photomap_test_XXXXXX";
  const char* made = ::mkdtemp(tmpl);
  path_ = made ? made : "/tmp";
}

TempDir::~TempDir() {
  std::error_code ec;
  if (path_ != "/tmp") std::filesystem::remove_all(path_, ec);
}

}  // namespace photomap::testing
