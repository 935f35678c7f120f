// The HTTP request path: raw bytes -> Beast's request parser (the server's
// limits: 16 KiB of header, the route's body limit) -> api::Request exactly as
// api/http_server.cpp builds it -> the real Router of a real ApiService over a
// real Runtime and RocksDB Store in a temp dir -> the handler's Response.
// What this does not cover: the socket, keep-alive and timeouts of
// HttpServer (the server's own tests and tests/api cover those over TCP).
//
// Properties: no crash, no sanitizer report, every request is answered exactly
// once within 10 s, with a status in 100..599; every 4xx/5xx body is the
// JSON error shape {"error":{"code","message"}}.
//
// Inputs may reach any route, the admin token included (the seeds carry it,
// and a tenant "acme" exists), so endpoints get created and events ingested.
// No delivery may leave this machine: getaddrinfo is replaced below so that
// every name and every literal resolves to 127.0.0.2, which the Runtime
// (private networks not allowed, as in production) refuses at connect time
// ("blocked: private address") without opening a socket.

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <future>
#include <memory>
#include <string>

#include "actors/runtime.hpp"
#include "api/api_service.hpp"
#include "api/error_response.hpp"
#include "api/http_server.hpp"
#include "engine/signature.hpp"
#include "storage/store.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" {
// Every lookup answers 127.0.0.2 (one IPv4 stream address); see above.
int getaddrinfo(const char*, const char* service, const struct addrinfo*, struct addrinfo** res) {
  auto* info = static_cast<struct addrinfo*>(std::calloc(1, sizeof(struct addrinfo)));
  auto* addr = static_cast<struct sockaddr_in*>(std::calloc(1, sizeof(struct sockaddr_in)));
  if (info == nullptr || addr == nullptr) {
    std::free(info);
    std::free(addr);
    return EAI_MEMORY;
  }
  addr->sin_family = AF_INET;
  addr->sin_port = htons(static_cast<std::uint16_t>(service ? std::atoi(service) : 0));
  addr->sin_addr.s_addr = htonl(0x7f000002);
  info->ai_family = AF_INET;
  info->ai_socktype = SOCK_STREAM;
  info->ai_protocol = IPPROTO_TCP;
  info->ai_addrlen = sizeof(struct sockaddr_in);
  info->ai_addr = reinterpret_cast<struct sockaddr*>(addr);
  *res = info;
  return 0;
}
void freeaddrinfo(struct addrinfo* res) {
  while (res != nullptr) {
    auto* next = res->ai_next;
    std::free(res->ai_addr);
    std::free(res->ai_canonname);
    std::free(res);
    res = next;
  }
}
}

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using namespace sivo;

constexpr const char* kAdminToken = "fuzz-admin-token-0123456789abcdef";

struct World {
  std::filesystem::path dir;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<actors::Runtime> runtime;
  std::unique_ptr<api::ApiService> service;
  api::ServerOptions limits;
};

// Never destroyed (see the exit handler in LLVMFuzzerInitialize).
World* world = nullptr;

api::Response run(api::Request& request) {
  auto promise = std::make_shared<std::promise<api::Response>>();
  auto future = promise->get_future();
  auto answered = std::make_shared<std::atomic<int>>(0);
  api::Respond respond = [promise, answered](api::Response response) {
    FUZZ_CHECK(answered->fetch_add(1) == 0);  // exactly once
    promise->set_value(std::move(response));
  };
  try {
    world->service->router().dispatch(request, respond);
  } catch (const std::exception& e) {
    // The server answers a throwing handler 500 "internal"; so do we, and the
    // check below turns any 500 into a finding.
    if (answered->load() == 0) respond(api::error_response(500, "internal", e.what()));
  }
  if (future.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
    std::fprintf(stderr, "no answer within 10 s to %s %s\n", request.method.c_str(),
                 request.target.c_str());
    std::abort();
  }
  return future.get();
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  world = new World();
  char pattern[] = "/tmp/sivo-fuzz-http-XXXXXX";
  FUZZ_CHECK(::mkdtemp(pattern) != nullptr);
  world->dir = pattern;
  // libFuzzer ends with exit(): the store's files go with it (open files may
  // be unlinked; the process is leaving).
  std::atexit([] {
    std::error_code ec;
    std::filesystem::remove_all(world->dir, ec);
  });
  storage::StoreOptions store_options;
  store_options.dir = world->dir / "data";
  auto store = storage::Store::open(store_options);
  FUZZ_CHECK(store);
  world->store = std::move(*store);
  actors::RuntimeOptions runtime_options;
  runtime_options.retry_policy = *engine::RetryPolicy::parse("10ms,10ms");
  runtime_options.attempt_timeout = std::chrono::seconds(1);
  runtime_options.allow_private_networks = false;
  runtime_options.scheduler_threads = 2;
  world->runtime = std::make_unique<actors::Runtime>(runtime_options, *world->store);
  api::ApiServiceOptions options;  // never start()ed: no socket, only the router
  world->service = std::make_unique<api::ApiService>(*world->runtime,
                                                     engine::sha256_hex(kAdminToken), options);
  world->limits = options.server;
  api::Request create;
  create.method = "POST";
  create.target = create.path = "/v1/tenants";
  create.headers = {{"authorization", std::string("Bearer ") + kAdminToken},
                    {"content-type", "application/json"}};
  create.body = R"({"id":"acme","name":"Acme"})";
  FUZZ_CHECK(run(create).status == 201);
  // libFuzzer ends with exit(). Before static destructors run, stop every
  // thread of the Runtime (retries keep writing after the last input) and
  // close the store. Registered after the world is built, so it runs before
  // RocksDB's statics go. The actor system itself is never freed: CAF's
  // lazily built statics may already be gone when this runs.
  std::atexit([] {
    world->runtime->stop();
    world->store.reset();
  });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  http::request_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(world->limits.header_limit));
  parser.body_limit(world->limits.body_limit);
  parser.eager(true);
  beast::error_code ec;
  std::size_t used = 0;
  const char* bytes = reinterpret_cast<const char*>(data);
  // Headers first, then the route's body limit, as the server does.
  while (!ec && !parser.is_header_done() && used < size) {
    used += parser.put(boost::asio::buffer(bytes + used, size - used), ec);
    if (ec == http::error::need_more) break;
  }
  if (ec || !parser.is_header_done()) return 0;  // the server answers 400/431 or waits
  std::string_view target = parser.get().target();
  const std::size_t limit =
      api::body_limit_for(target.substr(0, target.find('?')), world->limits);
  if (auto length = parser.content_length(); length && *length > limit) return 0;  // 413
  parser.body_limit(limit);
  while (!ec && !parser.is_done() && used < size) {
    std::size_t n = parser.put(boost::asio::buffer(bytes + used, size - used), ec);
    used += n;
    if (ec == http::error::need_more || n == 0) break;
  }
  if (!parser.is_done()) {
    parser.put_eof(ec);  // the client closed: a body "until eof" ends here
    if (ec || !parser.is_done()) return 0;
  }
  auto message = parser.release();

  api::Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  if (request.target.empty() || request.target.front() != '/') return 0;  // 400
  auto question = request.target.find('?');
  request.path = request.target.substr(0, question);
  if (question != std::string::npos)
    request.query = api::parse_query(std::string_view(request.target).substr(question + 1));
  for (const auto& field : message)
    request.headers.emplace_back(lower(field.name_string()), std::string(field.value()));
  request.body = std::move(message.body());

  api::Response response = run(request);
  FUZZ_CHECK(response.status >= 100 && response.status <= 599);
  FUZZ_CHECK(response.status != 500);  // "internal": a bug, whatever the input
  if (response.status >= 400) {
    boost::json::error_code json_ec;
    auto body = boost::json::parse(response.body, json_ec);
    FUZZ_CHECK(!json_ec && body.is_object());
    const auto* error = body.as_object().if_contains("error");
    FUZZ_CHECK(error != nullptr && error->is_object());
    const auto* code = error->as_object().if_contains("code");
    FUZZ_CHECK(code != nullptr && code->is_string() && !code->as_string().empty());
  }
  return 0;
}
