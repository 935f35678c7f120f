// The server's own behaviour (limits, keep-alive, malformed input), with a
// small router of test handlers: no engine needed.

#include "api/http_server.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <random>
#include <thread>

#include "api/error_response.hpp"
#include "tests/api/http_client.hpp"

namespace sivo::api {
namespace {

using test_api::HttpClient;
using test_api::parse_http_response;

Handler echo_size() {
  return [](const Request& request, Respond respond) {
    Response response;
    response.body = "{\"size\":" + std::to_string(request.body.size()) + "}";
    respond(std::move(response));
  };
}

class HttpServerTest : public ::testing::Test {
 protected:
  void start(ServerOptions options = {}) {
    router_.add("GET", "/hello", [](const Request& request, Respond respond) {
      Response response;
      response.body = "{\"hello\":\"" + std::string(request.query_value("name").value_or("world")) + "\"}";
      respond(std::move(response));
    });
    router_.add("POST", "/v1/tenants/{t}/events", echo_size());
    router_.add("POST", "/v1/tenants/{t}/events/batch", echo_size());
    router_.add("POST", "/other", echo_size());
    router_.add("GET", "/later", [](const Request&, Respond respond) {
      std::thread([respond] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        Response response;
        response.status = 202;
        response.body = "{}";
        respond(std::move(response));
      }).detach();
    });
    router_.add("GET", "/throws", [](const Request&, Respond) -> void {
      throw std::runtime_error("boom");
    });
    router_.add("DELETE", "/nothing", [](const Request&, Respond respond) {
      Response response;
      response.status = 204;
      respond(std::move(response));
    });
    options.port = 0;
    server_ = std::make_unique<HttpServer>(options, router_);
    auto port = server_->start();
    ASSERT_TRUE(port) << port.error().message;
    port_ = *port;
  }

  HttpClient client() const { return HttpClient(port_); }

  Router router_;
  std::unique_ptr<HttpServer> server_;
  std::uint16_t port_ = 0;
};

std::string error_code(const test_api::HttpResponse& response) {
  auto body = response.json();
  if (!body.is_object()) return "<not json: " + response.body + ">";
  return std::string(body.at("error").at("code").as_string());
}

TEST_F(HttpServerTest, AnswersAndDecodesTheQuery) {
  start();
  auto response = client().get("/hello?name=a%20b");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-type"), "application/json");
  EXPECT_EQ(response.body, R"({"hello":"a b"})");
}

TEST_F(HttpServerTest, UnknownPathIs404AndWrongMethod405) {
  start();
  auto missing = client().get("/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(error_code(missing), "not_found");
  auto wrong = client().request("PUT", "/hello");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.header("allow"), "GET");
}

TEST_F(HttpServerTest, KeepsTheConnectionAliveAcrossRequests) {
  start();
  std::string raw = client().raw(
      "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /hello?name=2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  auto first_end = raw.find("HTTP/1.1 200", 1);
  ASSERT_NE(first_end, std::string::npos) << raw;
  EXPECT_EQ(parse_http_response(raw.substr(0, first_end)).body, R"({"hello":"world"})");
  EXPECT_EQ(parse_http_response(raw.substr(first_end)).body, R"({"hello":"2"})");
}

TEST_F(HttpServerTest, AnswersFromAnotherThread) {
  start();
  auto response = client().get("/later");
  EXPECT_EQ(response.status, 202);
}

TEST_F(HttpServerTest, AHandlerThatThrowsIs500) {
  start();
  auto response = client().get("/throws");
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(error_code(response), "internal");
  EXPECT_EQ(client().get("/hello").status, 200);  // and the server lives on
}

TEST_F(HttpServerTest, NoContentHasNoBody) {
  start();
  std::string raw = client().raw("DELETE /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(raw.find("HTTP/1.1 204"), 0u) << raw;
  EXPECT_EQ(raw.find("Content-Type"), std::string::npos) << raw;
}

TEST_F(HttpServerTest, SingleIngestBodyLimitIs256KiB) {
  start();
  auto at_limit = client().post("/v1/tenants/acme/events", std::string(262144, ' '));
  EXPECT_EQ(at_limit.status, 200);
  EXPECT_EQ(at_limit.body, R"({"size":262144})");
  auto over = client().post("/v1/tenants/acme/events", std::string(262145, ' '));
  EXPECT_EQ(over.status, 413);
  EXPECT_EQ(error_code(over), "payload_too_large");
}

TEST_F(HttpServerTest, BatchBodyLimitIs16MiBAndOthers1MiB) {
  start();
  auto batch = client().post("/v1/tenants/acme/events/batch", std::string(3 * 1024 * 1024, ' '));
  EXPECT_EQ(batch.status, 200);
  auto other = client().post("/other", std::string(1024 * 1024 + 1, ' '));
  EXPECT_EQ(other.status, 413);
  auto other_ok = client().post("/other", std::string(1024 * 1024, ' '));
  EXPECT_EQ(other_ok.status, 200);
}

TEST_F(HttpServerTest, ChunkedBodyOverTheLimitIs413) {
  start();
  std::string request =
      "POST /v1/tenants/acme/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 5; ++i) {
    request += "10000\r\n" + std::string(0x10000, 'a') + "\r\n";
  }
  request += "0\r\n\r\n";
  auto response = parse_http_response(client().raw(request));
  EXPECT_EQ(response.status, 413);
}

TEST_F(HttpServerTest, HugeHeaderIs431) {
  start();
  auto response = client().request("GET", "/hello", {}, {}, {{"X-Big", std::string(20000, 'a')}});
  EXPECT_EQ(response.status, 431);
}

TEST_F(HttpServerTest, MalformedRequestsAre400) {
  start();
  for (std::string bytes : {std::string("GARBAGE\r\n\r\n"), std::string("GET / HTTP/9.9\r\n\r\n"),
                            std::string("GET /hello HTTP/1.1\r\nBad Header\r\n\r\n"),
                            std::string("POST /other HTTP/1.1\r\nContent-Length: abc\r\n\r\n"),
                            std::string("\x00\x01\x02\xff\r\n\r\n", 8)}) {
    auto response = parse_http_response(client().raw(bytes));
    EXPECT_EQ(response.status, 400) << bytes;
    EXPECT_EQ(error_code(response), "bad_request") << bytes;
  }
  EXPECT_EQ(client().get("/hello").status, 200);
}

TEST_F(HttpServerTest, AbsoluteFormTargetIs400) {
  start();
  auto response = parse_http_response(
      client().raw("GET http://x/hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  EXPECT_EQ(response.status, 400);
}

TEST_F(HttpServerTest, ASlowClientIsCutOff) {
  ServerOptions options;
  options.read_timeout = std::chrono::milliseconds(300);
  start(options);
  auto started = std::chrono::steady_clock::now();
  std::string raw = client().raw("GET /hello HTTP/1.1\r\nHost: x\r\n", std::chrono::seconds(5));
  auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(raw, "");
  EXPECT_LT(waited, std::chrono::seconds(3));
}

TEST_F(HttpServerTest, ConnectionsBeyondTheMaximumAreClosed) {
  ServerOptions options;
  options.max_connections = 2;
  start(options);
  int a = client().connect_socket();
  int b = client().connect_socket();
  ASSERT_GE(a, 0);
  ASSERT_GE(b, 0);
  for (int i = 0; i < 100 && server_->open_connections() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(server_->open_connections(), 2u);
  EXPECT_EQ(client().raw("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n", std::chrono::seconds(5)), "");
  ::close(a);
  ::close(b);
  for (int i = 0; i < 100 && server_->open_connections() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(client().get("/hello").status, 200);
}

TEST_F(HttpServerTest, BodiesInFlightAreBoundedAcrossConnections) {
  ServerOptions options;
  options.max_body_bytes_in_flight = 1000;
  start(options);
  // One request promises 800 bytes and sends only part of them.
  int slow = client().connect_socket();
  ASSERT_GE(slow, 0);
  std::string head = "POST /other HTTP/1.1\r\nHost: x\r\nContent-Length: 800\r\n\r\n" + std::string(100, ' ');
  ASSERT_EQ(::send(slow, head.data(), head.size(), MSG_NOSIGNAL), static_cast<ssize_t>(head.size()));
  // The server reserves the 800 bytes once it has read those headers, on its
  // own thread: wait for that, or a request below could be read first, take
  // its share, and leave the slow one refused instead.
  for (int i = 0; i < 500 && server_->body_bytes_in_flight() < 800; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(server_->body_bytes_in_flight(), 800u);
  // It releases them once it has answered, also a moment after what the
  // client sees, so ask until the state shows.
  auto post_until = [&](std::size_t bytes, int status) {
    auto response = client().post("/other", std::string(bytes, ' '));
    for (int i = 0; i < 100 && response.status != status; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      response = client().post("/other", std::string(bytes, ' '));
    }
    return response;
  };
  auto busy = post_until(300, 503);
  EXPECT_EQ(busy.status, 503);
  EXPECT_EQ(error_code(busy), "server_busy");
  EXPECT_EQ(busy.header("retry-after"), "1");
  EXPECT_EQ(client().post("/other", std::string(150, ' ')).status, 200);  // fits beside it

  std::string rest(700, ' ');
  ASSERT_EQ(::send(slow, rest.data(), rest.size(), MSG_NOSIGNAL), static_cast<ssize_t>(rest.size()));
  char buffer[1024];
  EXPECT_GT(::recv(slow, buffer, sizeof buffer, 0), 0);  // its answer
  ::close(slow);
  EXPECT_EQ(post_until(900, 200).status, 200);  // released
}

TEST_F(HttpServerTest, StopsWithIdleConnectionsOpen) {
  start();
  int idle = client().connect_socket();
  ASSERT_GE(idle, 0);
  auto started = std::chrono::steady_clock::now();
  server_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  ::close(idle);
}

TEST(BodyLimit, DependsOnTheRoute) {
  ServerOptions options;
  EXPECT_EQ(body_limit_for("/v1/tenants/acme/events", options), 262144u);
  EXPECT_EQ(body_limit_for("/v1/tenants/acme/events/batch", options), 16u * 1024 * 1024);
  EXPECT_EQ(body_limit_for("/v1/tenants/acme/endpoints", options), 1024u * 1024);
  EXPECT_EQ(body_limit_for("/v1/tenants/acme/events/x", options), 1024u * 1024);
  EXPECT_EQ(body_limit_for("/", options), 1024u * 1024);
}

}  // namespace
}  // namespace sivo::api

namespace sivo::api {
namespace {

// Random bytes and random mutations of valid requests: every one gets an
// answer or a close, and the server still serves afterwards.
TEST_F(HttpServerTest, SurvivesGarbageAndMutatedRequests) {
  ServerOptions options;
  options.read_timeout = std::chrono::milliseconds(200);
  start(options);
  std::mt19937 random(12345);
  const std::string valid =
      "POST /v1/tenants/acme/events?x=1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n2\r\n1}\r\n0\r\n\r\n";
  for (int i = 0; i < 200; ++i) {
    std::string bytes = valid;
    if (i % 3 == 0) {
      bytes.resize(random() % 200);
      for (auto& c : bytes) c = static_cast<char>(random() % 256);
    } else {
      for (int k = 0; k < 1 + static_cast<int>(random() % 4); ++k) {
        std::size_t at = random() % bytes.size();
        switch (random() % 3) {
          case 0: bytes[at] = static_cast<char>(random() % 256); break;
          case 1: bytes.erase(at, 1 + random() % 8); break;
          default: bytes.insert(at, std::string(1 + random() % 8, static_cast<char>(random() % 256)));
        }
        if (bytes.empty()) bytes = "x";
      }
    }
    client().raw(bytes, std::chrono::seconds(2));
  }
  EXPECT_EQ(client().get("/hello").status, 200);
}

}  // namespace
}  // namespace sivo::api
