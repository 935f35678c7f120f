#pragma once
// The whole HTTP API over a running Runtime: authentication, the route
// table and the server, wired once for main and for the API tests.
// Shutdown order: stop() (no new requests), then destroy the Runtime (it
// drains and answers what is pending; those answers are dropped), then this.

#include <cstdint>
#include <functional>
#include <string>

#include "api/auth.hpp"
#include "api/http_server.hpp"
#include "api/router.hpp"
#include "api/routes/context.hpp"

namespace sivo::api {

struct ApiServiceOptions {
  ServerOptions server;
  bool allow_private_networks = false;
  std::function<engine::UnixMillis()> clock;  // empty: system time
};

class ApiService {
 public:
  ApiService(actors::Runtime& runtime, std::string admin_token_sha256, ApiServiceOptions options);
  ApiService(const ApiService&) = delete;
  ApiService& operator=(const ApiService&) = delete;

  // Listens; the bound port (useful with port 0).
  engine::Result<std::uint16_t> start() { return server_.start(); }
  void stop() { server_.stop(); }

  const Router& router() const { return router_; }

 private:
  Authenticator auth_;
  ApiContext context_;
  Router router_;
  HttpServer server_;
};

}  // namespace sivo::api
