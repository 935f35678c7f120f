#pragma once
// A tiny blocking HTTP/1.1 client over a plain POSIX socket, for driving the
// API in tests (and for sending bytes no well-behaved client would send).
// One connection per request ("Connection: close"), unless raw() is used.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

namespace sivo::test_api {

struct HttpResponse {
  int status = 0;  // 0: no response (connection failed or closed early)
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The first value of a header, case-insensitive name; "" when absent.
  std::string header(std::string_view name) const;
  // The body parsed as JSON (null when it is not JSON).
  boost::json::value json() const;
};

// Parses one response from raw bytes (Content-Length or read-to-close bodies).
HttpResponse parse_http_response(std::string_view raw);

class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port, std::string host = "127.0.0.1")
      : host_(std::move(host)), port_(port) {}

  HttpResponse request(std::string_view method, std::string_view target, std::string_view body = {},
                       std::string_view token = {},
                       const std::vector<std::pair<std::string, std::string>>& headers = {}) const;

  HttpResponse get(std::string_view target, std::string_view token = {}) const {
    return request("GET", target, {}, token);
  }
  HttpResponse post(std::string_view target, std::string_view body, std::string_view token = {}) const {
    return request("POST", target, body, token);
  }
  HttpResponse patch(std::string_view target, std::string_view body, std::string_view token = {}) const {
    return request("PATCH", target, body, token);
  }
  HttpResponse del(std::string_view target, std::string_view token = {}) const {
    return request("DELETE", target, {}, token);
  }

  // Sends `bytes` as they are and returns everything received until the
  // server closes or `timeout` passes.
  std::string raw(std::string_view bytes,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

  // A connected socket (or -1), for tests that hold connections open.
  int connect_socket() const;

 private:
  std::string host_;
  std::uint16_t port_;
};

}  // namespace sivo::test_api
