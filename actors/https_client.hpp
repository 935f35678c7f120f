#pragma once
// The asynchronous HTTPS sender: one POST per attempt to a receiver's URL,
// over a keep-alive connection pool per origin, with one deadline for the
// whole attempt and the SSRF check on the resolved address.
//
// This header deliberately includes no Beast/Asio (the implementation is
// behind a pimpl), so actor code that includes it compiles fast.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/header_block.hpp"

#ifndef SIVO_VERSION
#define SIVO_VERSION "0.0.0-dev"
#endif

namespace sivo::actors {

namespace detail {
class HttpsClientImpl;
}

struct HttpsClientOptions {
  // Extra CA certificates (PEM) trusted besides the system store; empty = none.
  std::string ca_file{};
  // Off by default: loopback, private, link-local and metadata addresses are
  // refused after resolution ("blocked: private address").
  bool allow_private_networks = false;
  // The single deadline of an attempt: resolve + connect + TLS + write + read.
  std::chrono::milliseconds attempt_timeout{10000};
  // Idle keep-alive connections kept per origin (scheme+host+port), at
  // least: the pool also keeps as many as the origin's peak of attempts in
  // flight within the last idle_timeout, so endpoints sharing a receiver
  // never close connections they are about to need (each one closed here
  // costs a full TLS handshake later). Connections never outnumber that peak.
  std::size_t max_idle_per_origin = 64;
  // An idle pooled connection is closed after this long unused.
  std::chrono::milliseconds idle_timeout{30000};
  std::string user_agent = "Sivo-Webhooks/" SIVO_VERSION;
  // The threads that run attempts. Each endpoint URL is dealt to one of them
  // in turn; an origin keeps a pool (and the limits above) on each thread
  // that serves some of its URLs.
  int io_threads = 1;
  // Runs first on each of those threads (the runtime sets their scheduling
  // policy with it); none by default.
  std::function<void()> on_thread_start{};
};

struct OutgoingRequest {
  std::string url{};  // https:// only
  // Beside Host, User-Agent, Content-Type and the framing, which the client
  // sets itself (HeaderBlock refuses them).
  engine::HeaderBlock headers{};
  std::shared_ptr<const std::string> body{};  // shared, never copied per attempt
};

struct AttemptResult {
  // The receiver's status code; 0 when no response header arrived.
  int status_code = 0;
  std::int64_t latency_ms = 0;
  // Empty when a complete response arrived. Otherwise one of "invalid url",
  // "dns: ...", "blocked: private address", "connect: ...", "tls: ...",
  // "write: ...", "read: ...", "reset: ...", "timeout after N ms",
  // "cancelled: client stopped".
  std::string error{};
  // At most the first 1024 bytes of the response body (raw bytes).
  std::string body_prefix{};
  // From Retry-After on a 429 or 503 (delta seconds or HTTP-date), in ms from
  // the moment the response arrived; -1 when absent or unparsable.
  std::int64_t retry_after_ms = -1;

  bool succeeded() const { return error.empty() && status_code >= 200 && status_code < 300; }
};

class HttpsClient {
 public:
  static constexpr std::size_t kBodyPrefixBytes = 1024;
  // Response bodies are read and discarded up to this size so the connection
  // can be reused; a larger body closes the connection instead.
  static constexpr std::size_t kMaxDrainedBodyBytes = 1024 * 1024;

  struct Stats {
    std::uint64_t attempts_started = 0;
    std::uint64_t attempts_finished = 0;
    std::uint64_t attempts_succeeded = 0;
    std::uint64_t connections_opened = 0;  // TCP+TLS connections established
    std::uint64_t connections_reused = 0;  // attempts that ran on a pooled connection
    std::uint64_t sessions_resumed = 0;    // new connections that resumed a TLS session
    std::uint64_t blocked = 0;             // attempts refused by the SSRF check
    std::uint64_t timeouts = 0;
    std::uint64_t idle_connections = 0;    // pooled right now, all origins
  };

  // Starts the io threads. Throws std::runtime_error if `ca_file` cannot be
  // loaded (a start-up configuration error).
  explicit HttpsClient(HttpsClientOptions options);
  // Stops the io threads. An attempt still in flight is abandoned and its
  // callback runs (on the destroying thread) with "cancelled: client stopped";
  // such a callback must not call back into this client.
  ~HttpsClient();

  HttpsClient(const HttpsClient&) = delete;
  HttpsClient& operator=(const HttpsClient&) = delete;

  // Thread-safe and never blocks. `done` runs exactly once, on an io thread;
  // it should be quick (e.g. send a message to an actor).
  void send(OutgoingRequest request, std::function<void(AttemptResult)> done);

  Stats stats() const;

 private:
  std::unique_ptr<detail::HttpsClientImpl> impl_;
};

// Retry-After as delta-seconds or an HTTP-date (IMF-fixdate, RFC 850 or
// asctime form), as milliseconds from `now`, clamped at 0 for a past date;
// -1 when the value is neither.
std::int64_t parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now);

}  // namespace sivo::actors
