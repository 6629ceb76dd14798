// HttpServer: cpp-httplib underneath, PhotoMapAI's conventions on top (backend-spec §0): every
// route goes through the Router (404/405/307 as Starlette), errors are {"detail": …}, every
// response carries X-UA-Compatible, an exception inside a handler is a plain 500, one debug log
// line per request. Bind() then Serve() on one thread; Stop() from any thread.
#pragma once

#include <memory>
#include <string>

#include "http/router.h"
#include "http/services.h"
#include "util/status.h"

namespace photomap::http {

struct ServerOptions {
  std::string host = "127.0.0.1";  // loopback unless the user asks otherwise
  int port = 8050;                 // 0 picks a free port (tests)
  std::string cert_path;           // TLS when both are set
  std::string key_path;
  int worker_threads = 8;             // concurrent requests; long work runs in its own threads
  size_t max_body_bytes = 64u << 20;  // uploads (search-by-image) beyond this get 413
};

class HttpServer {
 public:
  HttpServer(ServerOptions options, Services& services);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  Router& router() { return router_; }

  // Binds the listening socket. Errors: InvalidInput for unusable TLS files, Io when the
  // address is taken or not available.
  Status Bind();
  // The bound port (valid after Bind).
  int port() const { return port_; }
  // Serves until Stop(). Errors: Io when the listener fails.
  Status Serve();
  void Stop();

 private:
  void Dispatch(const httplib::Request& req, httplib::Response& res);

  ServerOptions options_;
  Services& services_;
  Router router_;
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
};

}  // namespace photomap::http
