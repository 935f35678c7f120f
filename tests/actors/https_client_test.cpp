// The HTTPS client against a real HTTPS receiver on loopback, with
// certificates from a throwaway CA.

#include "actors/https_client.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <ctime>
#include <future>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/https_receiver.hpp"
#include "tests/support/throwaway_ca.hpp"

namespace sivo::actors {
namespace {

using namespace std::chrono_literals;
using test_support::CertificateOptions;
using test_support::HttpsReceiver;
using test_support::Reply;
using test_support::ThrowawayCa;

class HttpsClientTest : public ::testing::Test {
 protected:
  HttpsClientOptions options(std::chrono::milliseconds timeout = 5000ms) const {
    HttpsClientOptions o;
    o.ca_file = ca.ca_file();
    o.allow_private_networks = true;
    o.attempt_timeout = timeout;
    return o;
  }

  static OutgoingRequest post(std::string url, std::string body = R"({"id":"evt_1"})",
                              std::vector<std::pair<std::string, std::string>> headers = {}) {
    engine::HeaderBlock block;
    for (const auto& [name, value] : headers) block.add(name, value);
    return {std::move(url), std::move(block), std::make_shared<const std::string>(std::move(body))};
  }

  static AttemptResult send_and_wait(HttpsClient& client, OutgoingRequest request) {
    std::promise<AttemptResult> promise;
    auto future = promise.get_future();
    client.send(std::move(request), [&promise](AttemptResult r) { promise.set_value(std::move(r)); });
    if (future.wait_for(30s) != std::future_status::ready) {
      ADD_FAILURE() << "the callback never ran";
      return {};
    }
    return future.get();
  }

  // Sends `count` requests at once (request i to url_of(i)), waits for every
  // callback and returns how many succeeded.
  template <class UrlOf>
  static int send_all(HttpsClient& client, int count, UrlOf url_of) {
    std::mutex mutex;
    std::condition_variable cv;
    int done = 0, ok = 0;
    for (int i = 0; i < count; ++i) {
      client.send(post(url_of(i)), [&](AttemptResult r) {
        std::lock_guard lock(mutex);
        ++done;
        ok += r.succeeded() ? 1 : 0;
        cv.notify_all();
      });
    }
    std::unique_lock lock(mutex);
    EXPECT_TRUE(cv.wait_for(lock, 30s, [&] { return done == count; })) << done << " of " << count;
    return ok;
  }

  static bool starts_with(const std::string& text, std::string_view prefix) { return text.rfind(prefix, 0) == 0; }

  ThrowawayCa ca;
};

TEST_F(HttpsClientTest, DeliversOnePostWithExactHeadersAndBody) {
  HttpsReceiver receiver(ca.issue());
  HttpsClient client(options());
  const std::string body = R"({"id":"evt_1","type":"call.ended","data":{"x":1}})";

  auto result = send_and_wait(client, post(receiver.url("/hooks/a?x=1"), body,
                                           {{"X-Sivo-Event-Id", "evt_1"}, {"X-Sivo-Signature", "sha256=abc"}}));

  EXPECT_TRUE(result.succeeded()) << result.error;
  EXPECT_EQ(result.status_code, 200);
  EXPECT_EQ(result.error, "");
  EXPECT_EQ(result.body_prefix, "ok");
  EXPECT_EQ(result.retry_after_ms, -1);
  EXPECT_GE(result.latency_ms, 0);
  auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/hooks/a?x=1");
  EXPECT_EQ(r.body, body);
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  EXPECT_EQ(r.header("User-Agent"), "Sivo-Webhooks/" SIVO_VERSION);
  EXPECT_EQ(r.header("Content-Length"), std::to_string(body.size()));
  EXPECT_EQ(r.header("Host"), "localhost:" + std::to_string(receiver.port()));
  EXPECT_EQ(r.header("X-Sivo-Event-Id"), "evt_1");
  EXPECT_EQ(r.header("X-Sivo-Signature"), "sha256=abc");
}

// Every body size the API accepts goes out whole: below, at and past one TLS
// record (16 KiB, where Beast's ssl_stream stops merging the head and the
// body into one write) up to the 256 KiB envelope limit, on new and on
// reused connections.
TEST_F(HttpsClientTest, BodiesOfEverySizeUpToTheEnvelopeLimitAreSentWhole) {
  HttpsReceiver receiver(ca.issue());
  HttpsClient client(options());
  const std::vector<std::size_t> sizes{1,         15 * 1024, 16 * 1024 - 600, 16 * 1024,
                                       16 * 1024 + 1, 20'000, 60 * 1024,     256 * 1024};
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    std::string body(sizes[i], static_cast<char>('a' + i));
    auto result = send_and_wait(client, post(receiver.url(), body));
    EXPECT_TRUE(result.succeeded()) << sizes[i] << " bytes: " << result.error;
  }
  auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), sizes.size());
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    EXPECT_EQ(requests[i].body, std::string(sizes[i], static_cast<char>('a' + i))) << sizes[i] << " bytes";
  }
}

TEST_F(HttpsClientTest, WorksWithAnIpLiteralUrlWhenTheCertificateNamesTheAddress) {
  HttpsReceiver receiver(ca.issue());
  HttpsClient client(options());
  auto result = send_and_wait(client, post(receiver.ip_url()));
  EXPECT_TRUE(result.succeeded()) << result.error;
}

TEST_F(HttpsClientTest, SequentialSendsReuseKeepAliveConnections) {
  HttpsReceiver receiver(ca.issue());
  HttpsClient client(options());
  for (int i = 0; i < 50; ++i) {
    auto result = send_and_wait(client, post(receiver.url()));
    ASSERT_TRUE(result.succeeded()) << i << ": " << result.error;
  }
  EXPECT_EQ(receiver.request_count(), 50u);
  EXPECT_LE(receiver.connections_accepted(), 2u);
  EXPECT_GE(client.stats().connections_reused, 48u);
  EXPECT_EQ(client.stats().idle_connections, 1u);
}

TEST_F(HttpsClientTest, TwoHundredConcurrentSendsAllComplete) {
  HttpsReceiver receiver(ca.issue());
  receiver.reply_always(Reply::slow(20ms));
  HttpsClient client(options(10000ms));
  constexpr int kSends = 200;
  EXPECT_EQ(send_all(client, kSends, [&](int) { return receiver.url(); }), kSends);
  EXPECT_EQ(receiver.request_count(), static_cast<std::size_t>(kSends));
  // The pool keeps up to the peak of attempts in flight, never more.
  EXPECT_LE(client.stats().idle_connections, static_cast<std::uint64_t>(kSends));
}

TEST_F(HttpsClientTest, ConcurrencyAboveTheIdleCapKeepsItsConnections) {
  HttpsReceiver receiver(ca.issue());
  receiver.reply_always(Reply::slow(20ms));
  auto o = options(10000ms);
  o.max_idle_per_origin = 4;
  HttpsClient client(o);
  constexpr int kConcurrent = 32;
  auto wave = [&] {
    EXPECT_EQ(send_all(client, kConcurrent, [&](int) { return receiver.url(); }), kConcurrent);
  };
  wave();
  const auto opened = receiver.connections_accepted();
  EXPECT_LE(opened, static_cast<std::size_t>(kConcurrent));
  // Well above the cap of 4: the peak of 32 in flight keeps them all.
  EXPECT_EQ(client.stats().idle_connections, static_cast<std::uint64_t>(opened));
  wave();
  wave();
  // With only the cap, each wave would reopen 28 of them.
  EXPECT_LE(receiver.connections_accepted(), static_cast<std::size_t>(kConcurrent));
}

TEST_F(HttpsClientTest, SeveralIoThreadsServeSeveralOriginsConcurrently) {
  HttpsReceiver first(ca.issue());
  HttpsReceiver second(ca.issue());
  auto o = options(10000ms);
  o.io_threads = 4;
  o.max_idle_per_origin = 8;
  HttpsClient client(o);
  constexpr int kSends = 200;
  int ok = 0;
  for (int round = 0; round < 2; ++round) {
    ok += send_all(client, kSends / 2, [&](int i) { return (i % 2 ? first : second).url(); });
  }
  EXPECT_EQ(ok, kSends);
  // Each origin keeps at most its peak in flight (50 per round) idle.
  EXPECT_LE(client.stats().idle_connections, static_cast<std::uint64_t>(kSends / 2));
  EXPECT_GT(client.stats().connections_reused, 0u);
}

TEST_F(HttpsClientTest, EndpointsSharingAReceiverSpreadOverTheIoThreads) {
  HttpsReceiver receiver(ca.issue());
  auto o = options(10000ms);
  o.io_threads = 2;
  HttpsClient client(o);
  constexpr int kEndpoints = 4, kSends = 40;
  std::mutex mutex;
  std::condition_variable cv;
  std::set<std::thread::id> threads;
  int done = 0, ok = 0;
  for (int i = 0; i < kSends; ++i) {
    const std::string url = receiver.url("/ep/" + std::to_string(i % kEndpoints));
    client.send(post(url), [&](AttemptResult r) {
      std::lock_guard lock(mutex);
      threads.insert(std::this_thread::get_id());  // `done` runs on the URL's io thread
      ok += r.succeeded() ? 1 : 0;
      ++done;
      cv.notify_all();
    });
  }
  std::unique_lock lock(mutex);
  ASSERT_TRUE(cv.wait_for(lock, 30s, [&] { return done == kSends; })) << done;
  EXPECT_EQ(ok, kSends);
  EXPECT_EQ(threads.size(), 2u) << "one origin, yet both io threads ran its attempts";
  EXPECT_EQ(receiver.request_count(), static_cast<std::size_t>(kSends));
}

TEST_F(HttpsClientTest, OnThreadStartRunsOnEveryIoThreadBeforeItsAttempts) {
  HttpsReceiver receiver(ca.issue());
  std::mutex mutex;
  std::set<std::thread::id> started;
  auto o = options(10000ms);
  o.io_threads = 3;
  o.on_thread_start = [&] {
    std::lock_guard lock(mutex);
    started.insert(std::this_thread::get_id());
  };
  HttpsClient client(o);
  constexpr int kEndpoints = 3;
  std::condition_variable cv;
  std::set<std::thread::id> ran_on;
  int done = 0, after_start = 0;
  for (int i = 0; i < kEndpoints; ++i) {
    client.send(post(receiver.url("/ep/" + std::to_string(i))), [&](AttemptResult) {
      std::lock_guard lock(mutex);
      ran_on.insert(std::this_thread::get_id());
      after_start += started.count(std::this_thread::get_id()) != 0 ? 1 : 0;
      ++done;
      cv.notify_all();
    });
  }
  std::unique_lock lock(mutex);
  ASSERT_TRUE(cv.wait_for(lock, 30s, [&] { return done == kEndpoints; })) << done;
  EXPECT_EQ(ran_on.size(), 3u) << "each endpoint URL on a thread of its own";
  EXPECT_EQ(after_start, kEndpoints);
  EXPECT_EQ(started, ran_on);
}

TEST_F(HttpsClientTest, HangingReceiverTimesOutAtTheAttemptDeadline) {
  HttpsReceiver receiver(ca.issue());
  receiver.reply_always(Reply::hang());
  HttpsClient client(options(300ms));

  auto result = send_and_wait(client, post(receiver.url()));

  EXPECT_TRUE(starts_with(result.error, "timeout")) << result.error;
  EXPECT_EQ(result.error, "timeout after 300 ms");
  EXPECT_EQ(result.status_code, 0);
  EXPECT_GE(result.latency_ms, 290);
  EXPECT_LT(result.latency_ms, 1000);
  EXPECT_FALSE(result.succeeded());
  EXPECT_EQ(client.stats().timeouts, 1u);
}

TEST_F(HttpsClientTest, OneDeadlineCoversTheWholeAttemptNotEachStep) {
  HttpsReceiver receiver(ca.issue());
  // Every step is quick but the body never finishes within the deadline.
  receiver.reply_always(Reply::trickle(std::string(100, 'a'), 50ms));
  HttpsClient client(options(400ms));

  auto result = send_and_wait(client, post(receiver.url()));

  EXPECT_EQ(result.error, "timeout after 400 ms");
  EXPECT_EQ(result.status_code, 200);  // the header arrived, the response did not
  EXPECT_FALSE(result.succeeded());
  EXPECT_LT(result.latency_ms, 1000);
}

// An attempt on a pooled connection is watched by the connection's own timer,
// armed by an earlier attempt and re-armed when it fires early: each attempt
// still ends at its own deadline, however many ran on the connection before.
TEST_F(HttpsClientTest, AttemptsOnAPooledConnectionTimeOutAtTheirOwnDeadline) {
  HttpsReceiver receiver(ca.issue());
  receiver.reply_sequence({Reply::with_status(200), Reply::slow(150ms), Reply::hang(), Reply::with_status(200)});
  HttpsClient client(options(400ms));

  ASSERT_TRUE(send_and_wait(client, post(receiver.url())).succeeded());
  std::this_thread::sleep_for(300ms);  // the connection's timer fires meanwhile, with nothing to watch
  const auto slow = send_and_wait(client, post(receiver.url()));
  EXPECT_TRUE(slow.succeeded()) << slow.error;  // 150 ms, within its deadline
  const auto hung = send_and_wait(client, post(receiver.url()));

  EXPECT_EQ(hung.error, "timeout after 400 ms");
  EXPECT_GE(hung.latency_ms, 390);
  EXPECT_LT(hung.latency_ms, 1000);
  EXPECT_EQ(client.stats().connections_reused, 2u);
  EXPECT_EQ(client.stats().timeouts, 1u);
  // The timed-out connection is closed, not pooled: the next attempt opens another.
  EXPECT_TRUE(send_and_wait(client, post(receiver.url())).succeeded());
  EXPECT_EQ(receiver.connections_accepted(), 2u);
}

TEST_F(HttpsClientTest, HeadersThenStallTimesOut) {
  HttpsReceiver receiver(ca.issue());
  receiver.reply_always(Reply::stall_after_headers());
  HttpsClient client(options(300ms));
  auto result = send_and_wait(client, post(receiver.url()));
  EXPECT_TRUE(starts_with(result.error, "timeout")) << result.error;
  EXPECT_FALSE(result.succeeded());
}

TEST_F(HttpsClientTest, SlowReceiverWithinTheDeadlineSucceeds) {
  HttpsReceiver receiver(ca.issue());
  receiver.reply_always(Reply::slow(200ms));
  HttpsClient client(options(2000ms));
  auto result = send_and_wait(client, post(receiver.url()));
  EXPECT_TRUE(result.succeeded()) << result.error;
  EXPECT_GE(result.latency_ms, 190);
}

TEST_F(HttpsClientTest, ClosedPortIsAConnectError) {
  std::uint16_t port;
  {
    HttpsReceiver gone(ca.issue());
    port = gone.port();
  }
  HttpsClient client(options());
  auto result = send_and_wait(client, post("https://127.0.0.1:" + std::to_string(port) + "/"));
  EXPECT_TRUE(starts_with(result.error, "connect: ")) << result.error;
  EXPECT_EQ(result.status_code, 0);
}

TEST_F(HttpsClientTest, ResetConnectionIsAnError) {
  HttpsReceiver receiver(ca.issue());
  receiver.reply_always(Reply::reset());
  HttpsClient client(options());
  auto result = send_and_wait(client, post(receiver.url()));
  EXPECT_FALSE(result.succeeded());
  EXPECT_TRUE(starts_with(result.error, "reset: ") || starts_with(result.error, "read: ")) << result.error;
  EXPECT_EQ(result.status_code, 0);
}

TEST_F(HttpsClientTest, CertificateForAnotherHostIsATlsError) {
  HttpsReceiver receiver(ca.issue(CertificateOptions::for_host("wrong.example")));
  HttpsClient client(options());
  auto result = send_and_wait(client, post(receiver.url()));
  EXPECT_TRUE(starts_with(result.error, "tls: ")) << result.error;
  EXPECT_NE(result.error.find("mismatch"), std::string::npos) << result.error;
  EXPECT_EQ(receiver.request_count(), 0u);
}

TEST_F(HttpsClientTest, CertificateFromAnUnknownCaIsATlsError) {
  HttpsReceiver receiver(ca.issue({.signed_by_unknown_ca = true}));
  HttpsClient client(options());
  auto result = send_and_wait(client, post(receiver.url()));
  EXPECT_TRUE(starts_with(result.error, "tls: ")) << result.error;
  EXPECT_EQ(receiver.request_count(), 0u);
}

TEST_F(HttpsClientTest, UntrustedCaIsRefusedWithoutTheCaFile) {
  HttpsReceiver receiver(ca.issue());
  auto o = options();
  o.ca_file.clear();  // system CAs only
  HttpsClient client(o);
  auto result = send_and_wait(client, post(receiver.url()));
  EXPECT_TRUE(starts_with(result.error, "tls: ")) << result.error;
}

TEST_F(HttpsClientTest, ExpiredCertificateIsATlsError) {
  HttpsReceiver receiver(ca.issue({.expired = true}));
  HttpsClient client(options());
  auto result = send_and_wait(client, post(receiver.url()));
  EXPECT_TRUE(starts_with(result.error, "tls: ")) << result.error;
  EXPECT_NE(result.error.find("expired"), std::string::npos) << result.error;
}

TEST_F(HttpsClientTest, RedirectIsRecordedNotFollowed) {
  HttpsReceiver receiver(ca.issue());
  receiver.reply_with([&](const test_support::ReceivedRequest& r) {
    return r.target == "/hook" ? Reply::redirect(receiver.url("/elsewhere")) : Reply{};
  });
  HttpsClient client(options());
  auto result = send_and_wait(client, post(receiver.url("/hook")));
  EXPECT_EQ(result.status_code, 302);
  EXPECT_EQ(result.error, "");
  EXPECT_FALSE(result.succeeded());
  std::this_thread::sleep_for(100ms);
  ASSERT_EQ(receiver.request_count(), 1u);
  EXPECT_EQ(receiver.requests()[0].target, "/hook");
}

TEST_F(HttpsClientTest, NonSuccessStatusIsAResultNotAnError) {
  HttpsReceiver receiver(ca.issue());
  receiver.reply_always(Reply::with_status(500, "boom"));
  HttpsClient client(options());
  auto result = send_and_wait(client, post(receiver.url()));
  EXPECT_EQ(result.status_code, 500);
  EXPECT_EQ(result.error, "");
  EXPECT_EQ(result.body_prefix, "boom");
  EXPECT_FALSE(result.succeeded());
}

TEST_F(HttpsClientTest, HugeBodyKeepsOnlyAPrefixAndDropsTheConnection) {
  HttpsReceiver receiver(ca.issue());
  receiver.reply_sequence({Reply::huge_body(8 * 1024 * 1024), Reply{}});
  HttpsClient client(options());
  auto result = send_and_wait(client, post(receiver.url()));
  EXPECT_EQ(result.status_code, 200);
  EXPECT_EQ(result.body_prefix, std::string(1024, 'x'));
  EXPECT_EQ(client.stats().idle_connections, 0u);  // not drained past 1 MB: closed
  auto next = send_and_wait(client, post(receiver.url()));
  EXPECT_TRUE(next.succeeded()) << next.error;
  EXPECT_EQ(receiver.connections_accepted(), 2u);
}

TEST_F(HttpsClientTest, ModerateBodyIsDrainedAndTheConnectionReused) {
  HttpsReceiver receiver(ca.issue());
  receiver.reply_sequence({Reply::huge_body(300 * 1024), Reply{}});
  HttpsClient client(options());
  auto result = send_and_wait(client, post(receiver.url()));
  EXPECT_TRUE(result.succeeded()) << result.error;
  EXPECT_EQ(result.body_prefix.size(), 1024u);
  auto next = send_and_wait(client, post(receiver.url()));
  EXPECT_TRUE(next.succeeded()) << next.error;
  EXPECT_EQ(receiver.connections_accepted(), 1u);
}

// A receiver that closes after each answer: no connection is reused, and
// every new one resumes the TLS session of the one before.
TEST_F(HttpsClientTest, ConnectionCloseFromTheReceiverIsNotReusedAndNewConnectionsResumeTheSession) {
  HttpsReceiver receiver(ca.issue());
  Reply closing;
  closing.close_connection = true;
  receiver.reply_always(closing);
  HttpsClient client(options());
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(send_and_wait(client, post(receiver.url())).succeeded());
  EXPECT_EQ(receiver.connections_accepted(), 3u);
  EXPECT_EQ(client.stats().connections_reused, 0u);
  EXPECT_EQ(client.stats().connections_opened, 3u);
  EXPECT_EQ(client.stats().sessions_resumed, 2u);  // all but the first
}

TEST_F(HttpsClientTest, PooledConnectionClosedByTheReceiverIsReplacedTransparently) {
  HttpsReceiver receiver(ca.issue());
  Reply dropping;
  dropping.drop_after_reply = true;
  receiver.reply_always(dropping);
  HttpsClient client(options());
  for (int i = 0; i < 5; ++i) {
    auto result = send_and_wait(client, post(receiver.url()));
    EXPECT_TRUE(result.succeeded()) << i << ": " << result.error;
  }
  EXPECT_EQ(receiver.request_count(), 5u);
  EXPECT_EQ(receiver.connections_accepted(), 5u);
}

TEST_F(HttpsClientTest, IdleConnectionsAreClosedAfterTheIdleTimeout) {
  HttpsReceiver receiver(ca.issue());
  auto o = options();
  o.idle_timeout = 200ms;
  HttpsClient client(o);
  ASSERT_TRUE(send_and_wait(client, post(receiver.url())).succeeded());
  EXPECT_EQ(client.stats().idle_connections, 1u);
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(client.stats().idle_connections, 0u);
  ASSERT_TRUE(send_and_wait(client, post(receiver.url())).succeeded());
  EXPECT_EQ(receiver.connections_accepted(), 2u);
}

TEST_F(HttpsClientTest, RetryAfterSecondsOn503) {
  HttpsReceiver receiver(ca.issue());
  receiver.reply_always(Reply::retry_after(503, "120"));
  HttpsClient client(options());
  auto result = send_and_wait(client, post(receiver.url()));
  EXPECT_EQ(result.status_code, 503);
  EXPECT_EQ(result.retry_after_ms, 120000);
}

TEST_F(HttpsClientTest, RetryAfterHttpDateOn429) {
  const std::time_t at = std::time(nullptr) + 600;
  char text[64];
  std::tm tm{};
  gmtime_r(&at, &tm);
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  HttpsReceiver receiver(ca.issue());
  receiver.reply_always(Reply::retry_after(429, text));
  HttpsClient client(options());
  auto result = send_and_wait(client, post(receiver.url()));
  EXPECT_EQ(result.status_code, 429);
  EXPECT_GT(result.retry_after_ms, 595000);
  EXPECT_LE(result.retry_after_ms, 600000);
}

TEST_F(HttpsClientTest, RetryAfterIsIgnoredOnOtherStatuses) {
  HttpsReceiver receiver(ca.issue());
  receiver.reply_always(Reply::retry_after(500, "5"));
  HttpsClient client(options());
  EXPECT_EQ(send_and_wait(client, post(receiver.url())).retry_after_ms, -1);
}

TEST(ParseRetryAfter, ReadsDeltaSecondsAndTheThreeHttpDateForms) {
  const auto now = std::chrono::system_clock::from_time_t(784111777 - 30);  // 30 s before the RFC's date
  EXPECT_EQ(parse_retry_after("0", now), 0);
  EXPECT_EQ(parse_retry_after(" 5 ", now), 5000);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), 30000);
  EXPECT_EQ(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now), 30000);
  EXPECT_EQ(parse_retry_after("Sun Nov  6 08:49:37 1994", now), 30000);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:48:37 GMT", now), 0);  // past: now
  EXPECT_EQ(parse_retry_after("", now), -1);
  EXPECT_EQ(parse_retry_after("-5", now), -1);
  EXPECT_EQ(parse_retry_after("soon", now), -1);
  EXPECT_EQ(parse_retry_after("1.5", now), -1);
  EXPECT_GT(parse_retry_after("99999999999999999999999", now), 0);  // huge, no overflow
}

TEST_F(HttpsClientTest, PrivateAddressesAreBlockedUnlessAllowed) {
  HttpsReceiver receiver(ca.issue());
  auto o = options();
  o.allow_private_networks = false;
  HttpsClient client(o);

  for (const auto& url : {receiver.ip_url(), receiver.url()}) {
    auto result = send_and_wait(client, post(url));
    EXPECT_EQ(result.error, "blocked: private address") << url;
    EXPECT_EQ(result.status_code, 0);
  }
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(receiver.connections_accepted(), 0u);
  EXPECT_EQ(receiver.request_count(), 0u);
  EXPECT_EQ(client.stats().blocked, 2u);
}

TEST_F(HttpsClientTest, UnresolvableHostIsADnsError) {
  HttpsClient client(options());
  auto result = send_and_wait(client, post("https://nonexistent.invalid/hook"));
  EXPECT_TRUE(starts_with(result.error, "dns: ")) << result.error;
}

TEST_F(HttpsClientTest, NonHttpsUrlIsInvalid) {
  HttpsClient client(options());
  EXPECT_EQ(send_and_wait(client, post("http://localhost/hook")).error, "invalid url");
  EXPECT_EQ(send_and_wait(client, post("not a url")).error, "invalid url");
}

TEST_F(HttpsClientTest, HeaderWithLineBreakIsRefused) {
  HttpsReceiver receiver(ca.issue());
  HttpsClient client(options());
  auto result = send_and_wait(client, post(receiver.url(), "{}", {{"X-Evil", "a\r\nX-Injected: 1"}}));
  EXPECT_EQ(result.error, "invalid header: X-Evil");
  EXPECT_EQ(receiver.request_count(), 0u);
}

TEST_F(HttpsClientTest, HeaderTheClientSetsItselfIsRefused) {
  HttpsReceiver receiver(ca.issue());
  HttpsClient client(options());
  auto result = send_and_wait(client, post(receiver.url(), "{}", {{"content-length", "0"}}));
  EXPECT_EQ(result.error, "invalid header: content-length");
  EXPECT_EQ(receiver.request_count(), 0u);
}

TEST_F(HttpsClientTest, StatusSequenceIsServedInOrder) {
  HttpsReceiver receiver(ca.issue());
  receiver.reply_statuses({503, 503, 200});
  HttpsClient client(options());
  std::vector<int> statuses;
  for (int i = 0; i < 4; ++i) statuses.push_back(send_and_wait(client, post(receiver.url())).status_code);
  EXPECT_EQ(statuses, (std::vector<int>{503, 503, 200, 200}));
}

TEST_F(HttpsClientTest, SlowEndpointDoesNotDelayAnother) {
  HttpsReceiver slow(ca.issue());
  slow.reply_always(Reply::hang());
  HttpsReceiver fast(ca.issue());
  HttpsClient client(options(2000ms));
  for (int i = 0; i < 20; ++i) client.send(post(slow.url()), [](AttemptResult) {});
  const auto start = std::chrono::steady_clock::now();
  auto result = send_and_wait(client, post(fast.url()));
  EXPECT_TRUE(result.succeeded()) << result.error;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1000ms);
}

TEST_F(HttpsClientTest, DestroyingTheClientCompletesAttemptsInFlight) {
  HttpsReceiver receiver(ca.issue());
  receiver.reply_always(Reply::hang());
  std::atomic<int> calls{0};
  std::string error;
  {
    HttpsClient client(options(10000ms));
    client.send(post(receiver.url()), [&](AttemptResult r) {
      error = r.error;
      ++calls;
    });
    ASSERT_TRUE(receiver.wait_for_requests(1, 5s));
  }
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(error, "cancelled: client stopped");
}

TEST_F(HttpsClientTest, MissingCaFileFailsAtConstruction) {
  auto o = options();
  o.ca_file = ca.dir() + "/no-such-file.pem";
  EXPECT_THROW(HttpsClient client(o), std::runtime_error);
}

}  // namespace
}  // namespace sivo::actors
