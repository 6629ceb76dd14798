#include "http/server.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "http/responses.h"

namespace photomap::http {

HttpServer::HttpServer(ServerOptions options, Services& services)
    : options_(std::move(options)), services_(services) {}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Dispatch(const httplib::Request& req, httplib::Response& res) {
  res.set_header("X-UA-Compatible", "IE=edge");
  Router::Match match = router_.Resolve(req.method, req.path);
  switch (match.outcome) {
    case Router::Outcome::kMatched:
      (*match.handler)(req, res, match.params);
      return;
    case Router::Outcome::kMethodNotAllowed:
      res.set_header("Allow", match.allow);
      SendDetail(res, 405, "Method Not Allowed");
      return;
    case Router::Outcome::kRedirect: {
      std::string location = PercentEncode(match.location, "/.");
      const size_t q = req.target.find('?');
      if (q != std::string::npos) location += req.target.substr(q);
      res.status = 307;
      res.set_header("Location", location);
      return;
    }
    case Router::Outcome::kNotFound:
      SendDetail(res, 404, "Not Found");
      return;
  }
}

Status HttpServer::Bind() {
  const bool tls = !options_.cert_path.empty() || !options_.key_path.empty();
  if (tls) {
    for (const auto& f : {options_.cert_path, options_.key_path}) {
      std::error_code ec;
      if (f.empty() || !std::filesystem::is_regular_file(f, ec)) {
        return InvalidInput("TLS needs both --cert and --key as readable files; missing: '" + f +
                            "'");
      }
    }
    auto ssl =
        std::make_unique<httplib::SSLServer>(options_.cert_path.c_str(), options_.key_path.c_str());
    if (!ssl->is_valid()) {
      return InvalidInput("TLS certificate " + options_.cert_path + " or key " + options_.key_path +
                          " could not be loaded (PEM files expected)");
    }
    server_ = std::move(ssl);
  } else {
    server_ = std::make_unique<httplib::Server>();
  }
  const int threads = std::max(2, options_.worker_threads);
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server_->set_payload_max_length(options_.max_body_bytes);
  server_->set_keep_alive_timeout(5);
  auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    Dispatch(req, res);
  };
  server_->Get(".*", handler);
  server_->Post(".*", handler);
  server_->Put(".*", handler);
  server_->Patch(".*", handler);
  server_->Delete(".*", handler);
  server_->Options(".*", handler);
  server_->set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        spdlog::error("{} {}: unhandled exception: {}", req.method, req.path, what);
        res.status = 500;
        res.set_content("Internal Server Error", "text/plain; charset=utf-8");
      });
  server_->set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.status == 413 && res.body.empty()) {
      SendDetail(res, 413, "Request body too large");
    }
  });
  server_->set_logger([](const httplib::Request& req, const httplib::Response& res) {
    spdlog::debug("{} {} {} {}B", req.method, req.target, res.status, res.body.size());
  });
  if (options_.port == 0) {
    port_ = server_->bind_to_any_port(options_.host);
    if (port_ <= 0) return IoError("cannot listen on " + options_.host + ": no free port");
  } else {
    if (!server_->bind_to_port(options_.host, options_.port)) {
      return IoError("cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                     ": the address is in use or not available; choose another --port or --host");
    }
    port_ = options_.port;
  }
  return Status::Ok();
}

Status HttpServer::Serve() {
  if (!server_) return Internal("HttpServer::Serve called before Bind");
  if (!server_->listen_after_bind()) return IoError("the HTTP listener stopped unexpectedly");
  return Status::Ok();
}

void HttpServer::Stop() {
  if (server_) server_->stop();
}

}  // namespace photomap::http
