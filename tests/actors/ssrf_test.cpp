// SSRF at connect time, through the real Runtime with private networks not
// allowed (the default): every spelling of a loopback, private, link-local or
// metadata address, and names that resolve to one, fails its attempt with
// "blocked: private address" before any connection is made. The receiver
// listens on 127.0.0.1, so for the loopback forms a connection would have
// reached it: it must have seen none. The URLs are stored through
// Runtime::put_endpoint directly, i.e. past the API's up-front 422 (a record
// written before the flag was turned off, or a name), so this is the last line.

#include <gtest/gtest.h>
#include <unistd.h>

#include <netdb.h>

#include "tests/actors/runtime_fixture.hpp"

namespace sivo::actors::testing {
namespace {

using namespace std::chrono_literals;

// True when getaddrinfo resolves `name` on this machine.
bool resolves(const std::string& name) {
  addrinfo* res = nullptr;
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  const bool ok = ::getaddrinfo(name.c_str(), "443", &hints, &res) == 0;
  if (res) ::freeaddrinfo(res);
  return ok;
}

class SsrfTest : public RuntimeFixture {};

TEST_F(SsrfTest, EveryPrivateFormIsBlockedAtConnectTimeAndNoConnectionIsMade) {
  auto options = default_options();
  options.allow_private_networks = false;
  options.retry_policy = *engine::RetryPolicy::parse("1h");  // one attempt each in this test
  options.attempt_timeout = 2000ms;
  start(options);
  create_tenant("acme");

  const std::string port = std::to_string(receiver_->port());
  std::vector<std::string> hosts = {
      // 127.0.0.0/8 in every spelling inet_aton accepts, all reaching the receiver
      "127.0.0.1", "127.0.0.2", "127.255.255.254", "2130706433", "017700000001", "0177.0.0.1",
      "0x7f.0.0.1", "0x7f000001", "127.1", "0177.1",
      // IPv6 loopback and IPv4-mapped/compatible forms of 127.0.0.1
      "[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[0:0:0:0:0:ffff:127.0.0.1]",
      // this host, private, CGNAT, link-local and metadata ranges (nothing listens there)
      "0.0.0.0", "0", "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255",
      "192.168.0.1", "192.168.255.255", "100.64.0.1", "100.127.255.254", "169.254.0.1",
      "169.254.169.254", "0xa9.0xfe.0xa9.0xfe", "2852039166",
      "[fc00::1]", "[fd12:3456:789a::1]", "[fe80::1]", "[::ffff:10.0.0.1]",
      "[::ffff:169.254.169.254]", "[::]",
      // names that resolve to loopback
      "localhost", "LOCALHOST"};
  // Names of this machine that resolve (to 127.x here): e.g. its own hostname.
  char hostname[256] = {};
  if (::gethostname(hostname, sizeof hostname - 1) == 0 && resolves(hostname)) hosts.push_back(hostname);
  for (std::string name : {"ip6-localhost", "ip6-loopback"})
    if (resolves(name)) hosts.push_back(name);

  std::vector<std::pair<std::string, storage::EndpointRecord>> endpoints;
  for (const auto& host : hosts) {
    const std::string url = "https://" + host + ":" + port + "/hook";
    endpoints.emplace_back(url, create_endpoint("acme", url));
  }
  ingest("acme", {make_item("acme", engine::EventType::call_created)});

  for (const auto& [url, endpoint] : endpoints) {
    std::vector<storage::AttemptRow> rows;
    ASSERT_TRUE(eventually([&] { return !(rows = store_->recent_attempts(endpoint.id)).empty(); }, 10s))
        << url << ": no attempt recorded";
    EXPECT_EQ(rows[0].error, "blocked: private address") << url;
    EXPECT_EQ(rows[0].status_code, 0) << url;
    EXPECT_EQ(rows[0].outcome, "failed") << url;
  }
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(receiver_->connections_accepted(), 0u) << "a blocked attempt reached the receiver";
  EXPECT_EQ(receiver_->request_count(), 0u);
  std::cout << "  " << endpoints.size() << " private forms blocked, receiver saw 0 connections\n";
}

TEST_F(SsrfTest, WithTheFlagTheSameLoopbackReceiverIsReached) {
  // The control: what the test above refuses does work when allowed, so the
  // refusal is the policy and not a broken URL.
  start();  // allow_private_networks = true
  create_tenant("acme");
  const std::string port = std::to_string(receiver_->port());
  create_endpoint("acme", "https://localhost:" + port + "/hook");
  ingest("acme", {make_item("acme", engine::EventType::call_created)});
  EXPECT_TRUE(receiver_->wait_for_requests(1, 10s));
}

}  // namespace
}  // namespace sivo::actors::testing
