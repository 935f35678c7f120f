#include "api/http_server.hpp"

#include <pthread.h>

#include <array>
#include <atomic>
#include <charconv>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <exception>
#include <iterator>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "api/error_response.hpp"

namespace sivo::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::size_t body_limit_for(std::string_view path, const ServerOptions& options) {
  // /v1/tenants/{t}/events and /v1/tenants/{t}/events/batch
  auto segments = split_path(path);
  if (segments.size() >= 4 && segments[0] == "v1" && segments[1] == "tenants" &&
      segments[3] == "events") {
    if (segments.size() == 4) return options.ingest_body_limit;
    if (segments.size() == 5 && segments[4] == "batch") return options.batch_body_limit;
  }
  return options.body_limit;
}

namespace {

class Connection;

// The io_context of one server thread, run by that thread alone. The guard
// keeps its run() going while it has no connection yet (until stop()).
struct ThreadContext {
  asio::io_context io{1};
  asio::executor_work_guard<asio::io_context::executor_type> keep_running = asio::make_work_guard(io);
};

std::vector<std::unique_ptr<ThreadContext>> make_contexts(std::size_t threads) {
  std::vector<std::unique_ptr<ThreadContext>> contexts;
  for (std::size_t i = 0; i < std::max<std::size_t>(1, threads); ++i)
    contexts.push_back(std::make_unique<ThreadContext>());
  return contexts;
}

// Everything the connections share; kept alive by every connection so that
// the io_contexts outlive each socket and each pending response.
//
// One io_context per server thread, each run by its thread alone, and the
// accepted connections dealt out in turn: with one io_context shared by
// both threads they took turns at its one lock and woke each other for
// handlers (in bench (c) ~1.3 futex calls per request on a server thread,
// a fifth of them contended).
struct ServerState {
  ServerOptions options;
  const Router& router;
  std::vector<std::unique_ptr<ThreadContext>> contexts = make_contexts(options.threads);
  std::atomic<std::size_t> next_context{0};
  // No strands: each io_context is run by one thread, which serializes the
  // handlers of its acceptor and connections already.
  tcp::acceptor acceptor{contexts.front()->io};
  asio::steady_timer accept_backoff{acceptor.get_executor()};
  std::atomic<bool> stopped{false};
  std::atomic<std::size_t> open{0};
  std::atomic<std::size_t> body_bytes{0};  // reserved by requests being read or handled

  bool reserve_body(std::size_t bytes) {
    std::size_t current = body_bytes.load();
    do {
      if (current + bytes > options.max_body_bytes_in_flight) return false;
    } while (!body_bytes.compare_exchange_weak(current, current + bytes));
    return true;
  }

  std::mutex registry_mutex;
  std::uint64_t next_id = 0;
  std::unordered_map<std::uint64_t, std::weak_ptr<Connection>> registry;

  ServerState(ServerOptions o, const Router& r) : options(std::move(o)), router(r) {}
};

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, std::shared_ptr<ServerState> state)
      : stream_(std::move(socket)), state_(std::move(state)) {
    state_->open.fetch_add(1);
  }

  ~Connection() {
    release_body();
    state_->open.fetch_sub(1);
    std::lock_guard lock(state_->registry_mutex);
    state_->registry.erase(id_);
  }

  void start() {
    {
      std::lock_guard lock(state_->registry_mutex);
      id_ = state_->next_id++;
      state_->registry.emplace(id_, weak_from_this());
    }
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_header(); });
  }

  // From any thread, once the server's threads are joined.
  void force_close() {
    beast::error_code ignored;
    stream_.socket().close(ignored);
  }

 private:
  void read_header() {
    if (state_->stopped) return close();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(state_->options.header_limit));
    parser_->body_limit(std::max({state_->options.body_limit, state_->options.ingest_body_limit,
                                  state_->options.batch_body_limit}));
    // Beast reads as much as the buffer has room for (512 bytes at least):
    // room for a whole small request here makes it one read, where a 1.1 KB
    // event took two (921 + 210 bytes) with the room a previous one left.
    buffer_.reserve(kIdleBufferBytes);
    stream_.expires_after(state_->options.read_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              self->on_header(ec);
                            });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    const auto& header = parser_->get();
    std::string_view target = header.target();
    std::string_view path = target.substr(0, target.find('?'));
    const std::size_t limit = body_limit_for(path, state_->options);
    if (auto length = parser_->content_length(); length && *length > limit) {
      return fail(413, "payload_too_large",
                  "request body of " + std::to_string(*length) + " bytes is over the limit of " +
                      std::to_string(limit) + " bytes");
    }
    parser_->body_limit(limit);
    if (parser_->is_done()) return on_request();
    // Memory for the body is promised before any of it is read: a flood of
    // large uploads is refused instead of exhausting memory.
    const std::size_t promised = parser_->content_length().value_or(limit);
    if (!state_->reserve_body(promised)) {
      Response busy = error_response(503, "server_busy", "too many large requests at once; retry shortly");
      busy.headers.emplace_back("Retry-After", "1");
      busy.close = true;
      keep_alive_ = false;
      return write(std::move(busy));
    }
    reserved_ = promised;
    if (beast::iequals(header[http::field::expect], "100-continue")) {
      auto continue_response = std::make_shared<http::response<http::empty_body>>(
          http::status::continue_, header.version());
      http::async_write(stream_, *continue_response,
                        [self = shared_from_this(), continue_response](beast::error_code ec,
                                                                       std::size_t) {
                          if (ec) return self->close();
                          self->read_body();
                        });
      return;
    }
    read_body();
  }

  void read_body() {
    // Beast reads max(512, free capacity) bytes per call: without room made
    // here a 1 MB batch takes 2,000 reads. The body's memory is promised.
    buffer_.reserve(std::min(reserved_, kBodyReadBytes));
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec) return self->on_read_error(ec);
                       self->on_request();
                     });
  }

  void on_read_error(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == asio::error::eof ||
        ec == asio::error::operation_aborted || ec == beast::error::timeout ||
        ec == asio::error::connection_reset || state_->stopped) {
      return close();
    }
    if (ec == http::error::body_limit) {
      return fail(413, "payload_too_large", "request body is over the limit of this route");
    }
    if (ec == http::error::header_limit) {
      return fail(431, "header_too_large", "request header is over the limit of " +
                                               std::to_string(state_->options.header_limit) +
                                               " bytes");
    }
    if (ec == http::error::partial_message) return close();  // the client left mid-request
    if (ec.category() == beast::http::make_error_code(http::error::bad_target).category()) {
      return fail(400, "bad_request", "malformed HTTP request: " + ec.message());
    }
    close();
  }

  void on_request() {
    stream_.expires_never();
    auto message = parser_->release();
    keep_alive_ = message.keep_alive();
    version_ = message.version();

    request_ = Request{};
    request_.method = std::string(message.method_string());
    request_.target = std::string(message.target());
    if (request_.target.empty() || request_.target.front() != '/') {
      return fail(400, "bad_request", "the request target must be an absolute path");
    }
    auto question = request_.target.find('?');
    request_.path = request_.target.substr(0, question);
    if (question != std::string::npos) {
      request_.query = parse_query(std::string_view(request_.target).substr(question + 1));
    }
    const auto field_count = std::distance(message.begin(), message.end());
    request_.headers.reserve(static_cast<std::size_t>(field_count));
    for (const auto& field : message) {
      request_.headers.emplace_back(lower(field.name_string()), std::string(field.value()));
    }
    request_.body = std::move(message.body());

    auto answered = std::make_shared<std::atomic<bool>>(false);
    Respond respond = [self = shared_from_this(), answered](Response response) {
      if (answered->exchange(true)) return;  // exactly once
      if (self->state_->stopped) return;
      asio::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
        self->write(std::move(response));
      });
    };
    try {
      state_->router.dispatch(request_, respond);
    } catch (const std::exception& e) {
      respond(error_response(500, "internal", std::string("internal error: ") + e.what()));
    } catch (...) {
      respond(error_response(500, "internal", "internal error"));
    }
  }

  // Answers and closes: the request could not be read to its end.
  void fail(int status, std::string_view code, std::string message) {
    keep_alive_ = false;
    Response response = error_response(status, code, message);
    response.close = true;
    write(std::move(response));
  }

  void write(Response response) {
    if (state_->stopped) return close();
    const bool keep_alive = keep_alive_ && !response.close;
    render_head(response, keep_alive, head_);
    body_ = std::move(response.body);
    const std::array<asio::const_buffer, 2> out{asio::buffer(head_), asio::buffer(body_)};
    stream_.expires_after(state_->options.read_timeout);
    asio::async_write(stream_, out, [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
      self->release_body();
      if (ec) return self->close();
      if (!keep_alive) return self->linger();
      self->read_header();
    });
  }

  // The status line and header fields, as Beast's serializer would write
  // them for a string body after prepare_payload(); written straight into a
  // kept string (Beast's response and serializer were a tenth of a server
  // thread's time for a 202). An extra header replaces a default of the
  // same name.
  void render_head(const Response& response, bool keep_alive, std::string& head) const {
    const bool no_body = response.status == 204 || response.status == 304;
    auto overridden = [&](std::string_view name) {
      for (const auto& [extra, value] : response.headers)
        if (beast::iequals(extra, name)) return true;
      return false;
    };
    auto add = [&head](std::string_view name, std::string_view value) {
      head.append(name).append(": ").append(value).append("\r\n");
    };
    char number[24];
    auto digits = [&number](std::size_t value) {
      return std::string_view(number, static_cast<std::size_t>(std::to_chars(number, number + sizeof number, value).ptr - number));
    };
    head.clear();
    head.append(version_ == 10 ? "HTTP/1.0 " : "HTTP/1.1 ")
        .append(digits(static_cast<std::size_t>(response.status)))
        .append(" ")
        .append(std::string_view(http::obsolete_reason(static_cast<http::status>(response.status))))
        .append("\r\n");
    if (!overridden("Server")) add("Server", "sivo-webhooks/" SIVO_VERSION);
    if (!no_body && !overridden("Content-Type")) add("Content-Type", response.content_type);
    for (const auto& [name, value] : response.headers) add(name, value);
    if (version_ == 10 && keep_alive) add("Connection", "keep-alive");
    if (version_ != 10 && !keep_alive) add("Connection", "close");
    if (!no_body) add("Content-Length", digits(response.body.size()));
    head.append("\r\n");
  }

  void release_body() {
    if (reserved_ != 0) state_->body_bytes.fetch_sub(reserved_);
    reserved_ = 0;
    // An idle keep-alive connection holds a small buffer, not its largest body's.
    if (buffer_.capacity() > kIdleBufferBytes) buffer_.shrink_to_fit();
    std::string().swap(body_);
  }

  // Closing with unread request bytes makes the kernel send a reset that can
  // destroy the response before the client reads it (a 413 while the body is
  // still arriving), so: stop sending, read and discard for a while, close.
  void linger() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::chrono::seconds(2));
    discard();
  }

  void discard() {
    if (discarded_ > 64 * 1024 * 1024) return close();
    if (!discard_buffer_) discard_buffer_ = std::make_unique<std::array<char, 16 * 1024>>();
    stream_.async_read_some(asio::buffer(*discard_buffer_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              if (ec) return self->close();
                              self->discarded_ += n;
                              self->discard();
                            });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  static constexpr std::size_t kBodyReadBytes = 64 * 1024;  // per read of a large body
  static constexpr std::size_t kIdleBufferBytes = 4 * 1024;

  beast::tcp_stream stream_;
  std::shared_ptr<ServerState> state_;
  std::uint64_t id_ = 0;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Request request_;
  std::string head_;  // the response being written: its head, then its body
  std::string body_;
  bool keep_alive_ = false;
  unsigned version_ = 11;
  std::size_t reserved_ = 0;  // bytes of ServerState::body_bytes this request holds
  std::unique_ptr<std::array<char, 16 * 1024>> discard_buffer_;  // only while lingering
  std::size_t discarded_ = 0;
};

void accept_next(const std::shared_ptr<ServerState>& state) {
  auto& context = state->contexts[state->next_context++ % state->contexts.size()]->io;
  state->acceptor.async_accept(
      context, [state](beast::error_code ec, tcp::socket socket) {
        if (state->stopped || ec == asio::error::operation_aborted) return;
        if (ec) {
          // Out of descriptors or similar: back off briefly rather than spin.
          state->accept_backoff.expires_after(std::chrono::milliseconds(50));
          state->accept_backoff.async_wait([state](beast::error_code wait_ec) {
            if (!wait_ec) accept_next(state);
          });
          return;
        }
        if (state->open.load() >= state->options.max_connections) {
          beast::error_code ignored;
          socket.close(ignored);
        } else {
          std::make_shared<Connection>(std::move(socket), state)->start();
        }
        accept_next(state);
      });
}

}  // namespace

struct HttpServer::Impl {
  std::shared_ptr<ServerState> state;
  std::vector<std::thread> threads;
  bool started = false;
  bool stopped = false;
};

HttpServer::HttpServer(ServerOptions options, const Router& router) : impl_(std::make_unique<Impl>()) {
  impl_->state = std::make_shared<ServerState>(std::move(options), router);
}

HttpServer::~HttpServer() { stop(); }

engine::Result<std::uint16_t> HttpServer::start() {
  auto& state = *impl_->state;
  beast::error_code ec;
  auto address = asio::ip::make_address(state.options.host, ec);
  if (ec) {
    return engine::Error{"listen_failed", "cannot listen on \"" + state.options.host +
                                              "\": not an IP address"};
  }
  tcp::endpoint endpoint(address, state.options.port);
  auto fail = [&](std::string_view step) {
    return engine::Error{"listen_failed", "cannot listen on " + state.options.host + ":" +
                                              std::to_string(state.options.port) + " (" +
                                              std::string(step) + "): " + ec.message()};
  };
  state.acceptor.open(endpoint.protocol(), ec);
  if (ec) return fail("open");
  state.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) return fail("reuse_address");
  state.acceptor.bind(endpoint, ec);
  if (ec) return fail("bind");
  state.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen");
  const std::uint16_t port = state.acceptor.local_endpoint().port();

  accept_next(impl_->state);
  for (std::size_t i = 0; i < state.contexts.size(); ++i) {
    impl_->threads.emplace_back([s = impl_->state, i] {
      pthread_setname_np(pthread_self(), "sivo-api");  // for top -H, perf, gdb
      s->contexts[i]->io.run();
    });
  }
  impl_->started = true;
  return port;
}

void HttpServer::stop() {
  if (!impl_ || impl_->stopped) return;
  impl_->stopped = true;
  auto state = impl_->state;
  state->stopped = true;
  asio::post(state->acceptor.get_executor(), [state] {
    beast::error_code ignored;
    state->acceptor.close(ignored);
    state->accept_backoff.cancel();
  });
  for (auto& context : state->contexts) {
    context->keep_running.reset();
    context->io.stop();
  }
  for (auto& thread : impl_->threads) thread.join();
  impl_->threads.clear();

  // No thread runs now: close what is still open and let the aborted
  // operations release their connections (which hold the state).
  {
    beast::error_code ignored;
    state->acceptor.close(ignored);
    state->accept_backoff.cancel();
  }
  std::vector<std::shared_ptr<Connection>> open;
  {
    std::lock_guard lock(state->registry_mutex);
    for (auto& [id, weak] : state->registry) {
      if (auto connection = weak.lock()) open.push_back(std::move(connection));
    }
  }
  for (auto& connection : open) connection->force_close();
  open.clear();
  for (auto& context : state->contexts) {
    context->io.restart();
    context->io.poll();
  }
}

std::size_t HttpServer::open_connections() const { return impl_->state->open.load(); }

std::size_t HttpServer::body_bytes_in_flight() const { return impl_->state->body_bytes.load(); }

}  // namespace sivo::api
