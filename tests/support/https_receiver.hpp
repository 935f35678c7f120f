#pragma once
// A real HTTPS receiver for tests: listens on 127.0.0.1:<ephemeral port> with
// a certificate from ThrowawayCa, runs its own io thread, records every
// request and answers each one as told. Keep-alive is supported.
//
//   sivo::test_support::ThrowawayCa ca;
//   sivo::test_support::HttpsReceiver receiver(ca.issue());
//   receiver.reply_statuses({503, 503, 200});          // then 200 for ever
//   ... deliver to receiver.url("/hook") with ca.ca_file() trusted ...
//   ASSERT_TRUE(receiver.wait_for_requests(3, std::chrono::seconds(5)));
//   EXPECT_EQ(receiver.requests()[0].header("X-Sivo-Event-Id"), "evt_...");
//
// The header does not include Beast/Asio.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tests/support/throwaway_ca.hpp"

namespace sivo::test_support {

namespace detail {
class HttpsReceiverImpl;
}

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;  // in arrival order
  std::string body;
  std::uint64_t connection_id = 0;          // 1 for the first accepted TCP connection, ...
  std::size_t index_on_connection = 0;      // 0 for a connection's first request
  std::size_t index = 0;                    // 0 for the first request the receiver got
  std::chrono::steady_clock::time_point steady_at{};
  std::chrono::system_clock::time_point system_at{};

  // The first value of a header, by case-insensitive name.
  std::optional<std::string> header(std::string_view name) const;
};

// How to answer one request.
struct Reply {
  enum class Mode {
    respond,              // status line, headers, body
    hang,                 // never answer; keep the connection open
    stall_after_headers,  // send the status line and headers, then nothing
    trickle_body,         // send the body one byte per trickle_interval
    reset,                // abort the TCP connection (RST)
  };

  Mode mode = Mode::respond;
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body = "ok";
  std::size_t filler_bytes = 0;          // after `body`, this many 'x' (huge bodies, streamed)
  std::chrono::milliseconds delay{0};    // wait this long before acting (a slow receiver)
  std::chrono::milliseconds trickle_interval{100};
  bool close_connection = false;         // answer with Connection: close, then close
  bool drop_after_reply = false;         // answer as keep-alive, then close the socket silently
                                         // (what a receiver's idle timeout does)

  static Reply with_status(int status, std::string body = "ok");
  static Reply slow(std::chrono::milliseconds delay, int status = 200);
  static Reply hang();
  static Reply stall_after_headers(int status = 200);
  static Reply trickle(std::string body, std::chrono::milliseconds interval, int status = 200);
  static Reply reset();
  static Reply huge_body(std::size_t bytes, int status = 200);
  static Reply retry_after(int status, std::string value);
  static Reply redirect(std::string location, int status = 302);
};

class HttpsReceiver {
 public:
  // Listens at once; throws if the certificate cannot be loaded.
  explicit HttpsReceiver(const ServerCertificate& certificate);
  ~HttpsReceiver();  // stops

  HttpsReceiver(const HttpsReceiver&) = delete;
  HttpsReceiver& operator=(const HttpsReceiver&) = delete;

  std::uint16_t port() const;
  std::string url(std::string_view path = "/hook") const;     // https://localhost:<port><path>
  std::string ip_url(std::string_view path = "/hook") const;  // https://127.0.0.1:<port><path>

  // Default: 200 "ok" to everything.
  void reply_always(Reply reply);
  // The n-th request (0-based, counting from now) gets replies[n]; the last repeats.
  void reply_sequence(std::vector<Reply> replies);
  void reply_statuses(std::vector<int> statuses);
  // Full control: called on the receiver's io thread for every request.
  void reply_with(std::function<Reply(const ReceivedRequest&)> behaviour);

  std::vector<ReceivedRequest> requests() const;  // a snapshot
  std::size_t request_count() const;
  bool wait_for_requests(std::size_t n, std::chrono::milliseconds timeout) const;
  std::uint64_t connections_accepted() const;     // TCP connections, including failed handshakes
  std::uint64_t handshakes_completed() const;

  // Stops listening and drops every connection; idempotent.
  void stop();

 private:
  std::unique_ptr<detail::HttpsReceiverImpl> impl_;
};

}  // namespace sivo::test_support
