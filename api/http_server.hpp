#pragma once
// The HTTP/1.1 server (Boost.Beast; the only translation unit of the API that
// includes it). Keep-alive, its own io_context thread(s), and the limits that
// keep a hostile client from costing more than one connection:
//   - request header at most `header_limit` bytes (431)
//   - body at most body_limit_for(path) bytes, checked against Content-Length
//     before any body byte is read and while a chunked body streams in (413)
//   - a whole request must arrive within `read_timeout`, idle keep-alive included
//   - at most `max_connections` open connections; beyond that new ones are closed
//   - at most `max_body_bytes_in_flight` bytes of request bodies held at once
//     (by Content-Length, or the route's limit for a chunked body) across all
//     connections; beyond that a request is answered 503 with Retry-After
// Any malformed request is answered 400 and the connection closed. Handlers
// are run by a Router and answer through Respond from any thread.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "api/router.hpp"
#include "engine/error.hpp"

namespace sivo::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: an ephemeral port (tests)
  std::size_t threads = 2;
  std::size_t header_limit = 16 * 1024;
  std::size_t body_limit = 1024 * 1024;                // every other route
  std::size_t ingest_body_limit = 256 * 1024;          // POST /v1/tenants/{t}/events
  std::size_t batch_body_limit = 16 * 1024 * 1024;     // POST /v1/tenants/{t}/events/batch
  std::chrono::milliseconds read_timeout{30000};
  std::size_t max_connections = 10000;
  std::size_t max_body_bytes_in_flight = 512 * 1024 * 1024;
};

// The body limit of a request to `path` (the target without its query).
std::size_t body_limit_for(std::string_view path, const ServerOptions& options);

class HttpServer {
 public:
  HttpServer(ServerOptions options, const Router& router);
  ~HttpServer();  // stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens, then runs the io_context threads. Returns the bound
  // port, or Error{"listen_failed", ...}.
  engine::Result<std::uint16_t> start();

  // Stops accepting, closes every connection and joins the threads. Responses
  // a handler produces afterwards are dropped. Idempotent.
  void stop();

  std::size_t open_connections() const;
  // Request body bytes reserved now (see max_body_bytes_in_flight).
  std::size_t body_bytes_in_flight() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sivo::api
