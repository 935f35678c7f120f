#include "actors/https_client.hpp"

#include <pthread.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <ctime>
#include <deque>
#include <iomanip>
#include <limits>
#include <locale>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "actors/tls_bio.hpp"
#include "engine/address_policy.hpp"
#include "engine/endpoint_url.hpp"

namespace sivo::actors {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
// The client's io_context threads each run their own io_context, and every
// origin belongs to one of them: its attempts, connections and pool are only
// ever touched by that thread, with no strand or lock.
using Executor = net::io_context::executor_type;

// SSL_get_error needs an empty error queue before the call it explains.
// Clearing an empty queue costs OpenSSL 3 ~100 ns (the thread's whole error
// state is rewritten), several times per attempt; looking costs ~17 ns.
void clear_openssl_errors() {
  if (ERR_peek_error() != 0) ERR_clear_error();
}

std::string unbracketed(const std::string& host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') return host.substr(1, host.size() - 2);
  return host;
}

bool is_forbidden(const net::ip::address& address) {
  if (address.is_v4()) return engine::is_forbidden_ipv4(address.to_v4().to_uint());
  auto bytes = address.to_v6().to_bytes();
  engine::Ipv6Address raw{};
  std::copy(bytes.begin(), bytes.end(), raw.begin());
  return engine::is_forbidden_ipv6(raw);
}

class Attempt;

struct SslFree {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};

// One TLS connection to an origin; lives in the origin's idle pool between
// attempts, and belongs to exactly one attempt while in use.
//
// OpenSSL works between two buffers (tls_bio.hpp) and the attempt moves the
// bytes: what OpenSSL wrote leaves with one send() (the request's TLS record
// together with whatever handshake bytes were still pending), and the socket
// reads (one Asio async_read_some whenever OpenSSL wants more) into what
// OpenSSL reads from. That is Beast's ssl_stream minus its layers of composed
// operations and buffer copies, which were a quarter of the client thread's
// time under load.
struct Connection {
  Connection(const Executor& executor, SSL_CTX* ctx)
      : socket(executor), ssl(SSL_new(ctx)), deadline_timer(executor) {
    if (!ssl) return;
    BIO* in = new_incoming_bio(incoming);
    BIO* out = new_outgoing_bio(outgoing);
    if (!in || !out) {
      BIO_free(in);
      BIO_free(out);
      ssl.reset();
      return;
    }
    SSL_set_bio(ssl.get(), in, out);  // the session owns both now
  }

  tcp::socket socket;
  // Declared before the session, whose BIOs point at them, so they outlive it.
  IncomingTls incoming;  // from the socket, on its way into OpenSSL
  OutgoingTls outgoing;  // from OpenSSL, on its way to the socket
  std::unique_ptr<SSL, SslFree> ssl;  // null if OpenSSL could not allocate it
  // Both kept (with their capacity) from one attempt to the next, so that on
  // a pooled connection neither the request nor the response allocates.
  beast::flat_buffer buffer;  // response bytes decrypted but not parsed yet
  std::string out;            // the request being written: head, then body
  // Room for a whole TLS record's plaintext, asked of each SSL_read.
  static constexpr std::size_t kReadBytes = 16 * 1024;
  Clock::time_point idle_since{};

  // The deadline of the attempt running on the connection (max when idle),
  // watched by a timer that is not re-armed per attempt: see Attempt::watch.
  net::steady_timer deadline_timer;
  bool timer_armed = false;
  Clock::time_point deadline = Clock::time_point::max();
  std::weak_ptr<Attempt> user;

  static constexpr std::size_t kKeptBufferBytes = 16 * 1024;

  // Bytes received or decrypted that no exchange has consumed.
  bool holds_unread() const {
    return buffer.size() != 0 || SSL_has_pending(ssl.get()) || incoming.size() != 0;
  }

  void close() {
    beast::error_code ignored;
    outgoing.send_through(-1);  // before the descriptor can be reused
    deadline_timer.cancel();
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }

  // Closes a connection whose last exchange completed. OpenSSL marks the
  // session of a connection freed without a sent close_notify as not
  // resumable, which would void the origin's session for the next connect.
  void close_cleanly() {
    SSL_set_shutdown(ssl.get(), SSL_SENT_SHUTDOWN);
    close();
  }

  // A non-blocking peek: has the receiver closed (or reset) the connection
  // while it sat idle? Unread TLS records (e.g. TLS 1.3 session tickets) are
  // fine; a stale connection that slips through is retried once.
  //
  // Under load a connection is idle for microseconds and receivers close
  // idle connections after seconds (their keep-alive timeout), so the peek
  // (a syscall per attempt) is only paid after kPeekAfterIdle; a connection
  // closed sooner fails before any response byte and is retried on another
  // connection (see Attempt::on_connection_lost), like one that closes mid-flight.
  static constexpr auto kPeekAfterIdle = std::chrono::milliseconds(1000);
  bool looks_alive(Clock::time_point now) {
    if (holds_unread() || !socket.is_open()) return false;
    if (now - idle_since < kPeekAfterIdle) return true;
    char byte;
    ssize_t n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n == 0) return false;
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK;
    return true;
  }
};

// The response as an attempt needs it: the status, keep-alive (the base
// parser's own), Retry-After, and the body's first kBodyPrefixBytes, the rest
// counted and discarded. Unlike http::response_parser it stores no header
// fields and needs no body buffer, so reading a response allocates nothing.
class ResponseReader final : public http::basic_parser<false> {
 public:
  explicit ResponseReader(std::string& body_prefix) : body_prefix_(body_prefix) {
    body_limit(boost::none);  // counted, and capped, in take_body
  }

  int status() const { return status_; }
  // The first Retry-After of a 429 or 503; empty otherwise.
  std::string_view retry_after() const { return retry_after_; }
  // The read stopped with http::error::body_limit because of this cap.
  bool body_over_cap() const { return body_bytes_ > HttpsClient::kMaxDrainedBodyBytes; }

 private:
  void on_request_impl(http::verb, beast::string_view, beast::string_view, int, beast::error_code&) override {}
  void on_response_impl(int code, beast::string_view, int, beast::error_code&) override { status_ = code; }
  void on_field_impl(http::field name, beast::string_view, beast::string_view value, beast::error_code&) override {
    if (name == http::field::retry_after && (status_ == 429 || status_ == 503) && !has_retry_after_) {
      has_retry_after_ = true;
      retry_after_.assign(value.data(), value.size());
    }
  }
  void on_header_impl(beast::error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>&, beast::error_code&) override {}
  std::size_t on_body_impl(beast::string_view body, beast::error_code& ec) override {
    take_body(body, ec);
    return body.size();
  }
  void on_chunk_header_impl(std::uint64_t, beast::string_view, beast::error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, beast::string_view body, beast::error_code& ec) override {
    take_body(body, ec);
    return body.size();
  }
  void on_finish_impl(beast::error_code&) override {}

  // Past the cap the rest is not worth reading: the answer is known, and the
  // connection is dropped instead of drained.
  void take_body(beast::string_view body, beast::error_code& ec) {
    body_bytes_ += body.size();
    const std::size_t room = HttpsClient::kBodyPrefixBytes - body_prefix_.size();
    body_prefix_.append(body.data(), std::min(body.size(), room));
    if (body_over_cap()) ec = http::error::body_limit;
  }

  std::string& body_prefix_;
  int status_ = 0;
  bool has_retry_after_ = false;
  std::string retry_after_;
  std::size_t body_bytes_ = 0;
};

struct SessionFree {
  void operator()(SSL_SESSION* session) const { SSL_SESSION_free(session); }
};

// Everything for one scheme+host+port on one io thread: that thread's
// executor (all attempts and connections of the origin's URLs dealt to it run
// there, so the pool needs no lock) and the idle connections, most recently
// used at the back.
struct Origin {
  explicit Origin(const Executor& e) : executor(e), idle_timer(e) {}

  Executor executor;
  std::deque<std::shared_ptr<Connection>> idle;
  net::steady_timer idle_timer;
  bool idle_timer_armed = false;

  // Attempts of this origin running now, and their highest count since
  // peak_since: the pool keeps that many idle connections (see release).
  std::size_t in_flight = 0;
  std::size_t peak_in_flight = 0;
  Clock::time_point peak_since{};

  // The receiver's latest TLS session (ticket), offered by new connections
  // so the reconnects that remain resume instead of a full handshake
  // (certificate chain decoding and verification, ECDHE).
  std::unique_ptr<SSL_SESSION, SessionFree> session;
};

// An endpoint URL taken apart once (not per attempt), with what every
// attempt to it needs: the Host value and the origin's pool.
struct Route {
  engine::EndpointUrl url;
  std::string authority;
  std::shared_ptr<Origin> origin;
};

// The SSL ex_data slot that points a connection at its Origin, for the
// new-session callback. Origins live as long as the client.
int origin_slot() {
  static const int slot = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return slot;
}

// OpenSSL calls this on the thread reading the connection, i.e. on the
// origin's thread: after a TLS 1.2 handshake or on a TLS 1.3 NewSessionTicket.
int keep_session(SSL* ssl, SSL_SESSION* session) {
  auto* origin = static_cast<Origin*>(SSL_get_ex_data(ssl, origin_slot()));
  if (origin == nullptr) return 0;
  origin->session.reset(session);
  return 1;  // the reference is ours now
}

struct Counters {
  std::atomic<std::uint64_t> attempts_started{0};
  std::atomic<std::uint64_t> attempts_finished{0};
  std::atomic<std::uint64_t> attempts_succeeded{0};
  std::atomic<std::uint64_t> connections_opened{0};
  std::atomic<std::uint64_t> connections_reused{0};
  std::atomic<std::uint64_t> sessions_resumed{0};
  std::atomic<std::uint64_t> blocked{0};
  std::atomic<std::uint64_t> timeouts{0};
  std::atomic<std::int64_t> idle_connections{0};
};

}  // namespace

namespace detail {

class HttpsClientImpl {
 public:
  explicit HttpsClientImpl(HttpsClientOptions options);
  ~HttpsClientImpl();

  void send(OutgoingRequest request, std::function<void(AttemptResult)> done);

  // On the origin's thread: an attempt of the origin starts or ends.
  void attempt_started(Origin& origin);
  void attempt_ended(Origin& origin);
  // On the origin's thread: pool a connection whose last exchange ended cleanly.
  void release(const std::shared_ptr<Origin>& origin, std::shared_ptr<Connection> connection);
  // On the origin's thread: the most recent idle connection that still looks usable.
  std::shared_ptr<Connection> take_idle(Origin& origin);

  const HttpsClientOptions options;
  ssl::context ssl_ctx{ssl::context::tls_client};
  Counters counters;

 private:
  // One io_context per thread (options.io_threads), each run by its own
  // thread alone; endpoint URLs are dealt out to them in turn.
  struct IoThread {
    net::io_context ioc{1};
    net::executor_work_guard<Executor> work{ioc.get_executor()};
    std::thread thread;
  };
  // Declared after ssl_ctx and counters: destroying them destroys pending
  // attempts, which may still touch those.
  std::vector<std::unique_ptr<IoThread>> io_threads_;
  std::size_t next_io_thread_ = 0;  // under origins_mutex_

  // The route of a URL, parsed on its first use; null when it is invalid.
  std::shared_ptr<const Route> route_for(const std::string& url);
  void arm_idle_sweep(const std::shared_ptr<Origin>& origin);

  std::mutex origins_mutex_;
  // By origin (scheme+host+port) and io thread.
  std::map<std::pair<std::string, std::size_t>, std::shared_ptr<Origin>> origins_;
  // By URL. Those of deleted or changed endpoints stay until kMaxRoutes,
  // when the cache starts over (the origins and their pools stay).
  static constexpr std::size_t kMaxRoutes = 4096;
  std::unordered_map<std::string, std::shared_ptr<const Route>> routes_;
};

}  // namespace detail

namespace {

// One attempt, from resolve (or a pooled connection) to the parsed response,
// under a single deadline. Every handler runs on the origin's thread, one
// operation is outstanding at a time, and each step handles its own errors.
class Attempt : public std::enable_shared_from_this<Attempt> {
 public:
  Attempt(detail::HttpsClientImpl& client, std::shared_ptr<Origin> origin,
          std::shared_ptr<const Route> route, OutgoingRequest request,
          std::function<void(AttemptResult)> done, std::string early_error)
      : client_(client),
        origin_(std::move(origin)),
        route_(std::move(route)),
        request_(std::move(request)),
        done_(std::move(done)),
        early_error_(std::move(early_error)) {}

  ~Attempt() {
    // Only reached unfinished when the client is destroyed mid-attempt.
    if (!finished_ && done_) {
      AttemptResult result;
      result.error = "cancelled: client stopped";
      try {
        done_(std::move(result));
      } catch (...) {
      }
    }
  }

  void start() {
    started_ = Clock::now();
    if (!early_error_.empty()) return fail(early_error_);
    deadline_ = started_ + client_.options.attempt_timeout;
    client_.attempt_started(*origin_);
    acquire_connection();
  }

  // The connection's deadline timer fired at or after this attempt's deadline.
  void on_connection_deadline() {
    if (!finished_) fail(timeout_text());
  }

 private:
  using Step = void (Attempt::*)();

  // The request head, then the body, in the connection's `out`: written with
  // one SSL_write, so a body up to 16 KiB leaves in the same TLS record and
  // syscall as its head.
  void build_request(std::string& out) {
    auto add = [&out](std::string_view name, std::string_view value) {
      out.append(name).append(": ").append(value).append("\r\n");
    };
    out.clear();
    out.append("POST ").append(route_->url.target.empty() ? "/" : route_->url.target).append(" HTTP/1.1\r\n");
    add("Host", route_->authority);
    add("User-Agent", client_.options.user_agent);
    add("Content-Type", "application/json");
    out.append(request_.headers.lines());
    char length[24];
    const auto end = std::to_chars(std::begin(length), std::end(length), request_.body ? request_.body->size() : 0).ptr;
    add("Content-Length", std::string_view(length, static_cast<std::size_t>(end - length)));
    out.append("\r\n");
    if (request_.body) out.append(*request_.body);
  }

  void acquire_connection() {
    if (auto pooled = client_.take_idle(*origin_)) {
      connection_ = std::move(pooled);
      reused_ = true;
      client_.counters.connections_reused++;
      return write_request();
    }
    reused_ = false;
    resolve();
  }

  // A new connection. Its whole first attempt (resolve, connect, handshake,
  // exchange) is under a timer of the attempt's own. (An attempt on a pooled
  // connection needs none: the connection's timer watches it, see watch().)
  void resolve() {
    arm_deadline();
    if (!resolver_) resolver_.emplace(origin_->executor);
    resolver_->async_resolve(unbracketed(route_->url.host), std::to_string(route_->url.port),
                            [self = shared_from_this()](beast::error_code ec, tcp::resolver::results_type results) {
                              self->on_resolve(ec, std::move(results));
                            });
  }

  void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
    if (finished_) return;
    if (ec) return fail("dns: " + ec.message());
    if (results.empty()) return fail("dns: no address for " + route_->url.host);
    std::vector<tcp::endpoint> allowed;
    for (const auto& entry : results) {
      if (client_.options.allow_private_networks || !is_forbidden(entry.endpoint().address()))
        allowed.push_back(entry.endpoint());
    }
    if (allowed.empty()) {
      client_.counters.blocked++;
      return fail("blocked: private address");
    }

    connection_ = std::make_shared<Connection>(origin_->executor, client_.ssl_ctx.native_handle());
    if (!connection_->ssl) return fail("tls: cannot create a session");
    if (auto error = configure_tls(); !error.empty()) return fail(error);
    SSL* ssl = connection_->ssl.get();
    SSL_set_ex_data(ssl, origin_slot(), origin_.get());
    if (origin_->session) SSL_set_session(ssl, origin_->session.get());
    net::async_connect(connection_->socket, allowed,
                       [self = shared_from_this()](beast::error_code ec, const tcp::endpoint&) { self->on_connect(ec); });
  }

  // SNI (names only, never an IP literal) and the name or address the
  // certificate must carry; the chain itself is checked by the context.
  std::string configure_tls() {
    SSL* ssl = connection_->ssl.get();
    const std::string host = unbracketed(route_->url.host);
    beast::error_code ec;
    net::ip::make_address(host, ec);
    if (!ec) {
      if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) != 1)
        return "tls: cannot set the expected address";
      return {};
    }
    if (SSL_set_tlsext_host_name(ssl, host.c_str()) != 1) return "tls: cannot set SNI";
    if (SSL_set1_host(ssl, host.c_str()) != 1) return "tls: cannot set the expected host name";
    return {};
  }

  void on_connect(beast::error_code ec) {
    if (finished_) return;
    if (ec) return fail(ec == net::error::operation_aborted ? timeout_text() : "connect: " + ec.message());
    client_.counters.connections_opened++;
    beast::error_code ignored;
    connection_->socket.set_option(tcp::no_delay(true), ignored);
    handshaking_ = true;
    handshake();
  }

  void handshake() {
    SSL* ssl = connection_->ssl.get();
    clear_openssl_errors();
    const int r = SSL_connect(ssl);
    if (r == 1) {
      handshaking_ = false;
      if (SSL_session_reused(ssl)) client_.counters.sessions_resumed++;
      // Records written from now on go to the socket as OpenSSL writes them
      // (see OutgoingTls). Not before: the handshake's last bytes, still
      // waiting, leave with the request in one send.
      connection_->outgoing.send_through(connection_->socket.native_handle());
      return write_request();
    }
    const int error = SSL_get_error(ssl, r);
    if (error == SSL_ERROR_WANT_READ) return send_then_receive(&Attempt::handshake);
    origin_->session.reset();  // whatever failed, do not offer that session again
    fail(describe_tls(error));
  }

  void write_request() {
    watch();
    build_request(connection_->out);
    const std::string& out = connection_->out;
    std::size_t written = 0;
    clear_openssl_errors();
    // Into connection_->outgoing, which takes all of it (and sends what it
    // can at once); send_request sends the rest.
    if (SSL_write_ex(connection_->ssl.get(), out.data(), out.size(), &written) != 1 || written != out.size())
      return fail("write: " + ssl_error_text());
    send_request();
  }

  void send_request() {
    if (!send_pending(&Attempt::send_request)) return;
    parser_.emplace(result_.body_prefix);
    // The response cannot be there yet: Asio's read would try the socket at
    // once (a recv that fails with EAGAIN) and then wait for epoll. Queued
    // behind the handlers already waiting on this thread, the read tries the
    // socket later, when under load the response has often arrived: one
    // recv, and no epoll round for it.
    net::post(connection_->socket.get_executor(), [self = shared_from_this()] {
      if (!self->finished_) self->read_response();
    });
  }

  // Parses what the connection holds, reading more while the response is
  // incomplete. The status is recorded as soon as the header is in, so an
  // attempt whose body never comes still reports it.
  void read_response() {
    SSL* ssl = connection_->ssl.get();
    auto& buffer = connection_->buffer;
    for (;;) {
      if (buffer.size() != 0) {
        beast::error_code ec;
        const std::size_t used = parser_->put(buffer.data(), ec);
        buffer.consume(used);
        if (ec == http::error::body_limit && parser_->body_over_cap()) return complete(false);
        if (ec && ec != http::error::need_more) return fail("read: " + ec.message());
        if (parser_->is_header_done() && result_.status_code == 0) {
          const int status = parser_->status();
          if (status == 101) return fail("read: unexpected 101 Switching Protocols");
          if (status >= 100 && status < 200) {  // interim response; the real one follows
            parser_.emplace(result_.body_prefix);
            continue;
          }
          result_.status_code = status;
          if (!parser_->retry_after().empty())
            result_.retry_after_ms = parse_retry_after(parser_->retry_after(), std::chrono::system_clock::now());
        }
        if (parser_->is_done()) return complete(true);
        if (!ec && used != 0) continue;
      }
      const auto space = buffer.prepare(Connection::kReadBytes);
      std::size_t n = 0;
      clear_openssl_errors();
      if (SSL_read_ex(ssl, space.data(), space.size(), &n) == 1) {
        buffer.commit(n);
        got_some_ = true;
        continue;
      }
      const int error = SSL_get_error(ssl, 0);
      if (error == SSL_ERROR_WANT_READ) return send_then_receive(&Attempt::read_response);
      if (!closed_by_peer(error)) return fail("read: " + ssl_error_text());
      // The end of a body that runs to the end of the connection is the end
      // of the response; anything else is a response cut short.
      beast::error_code ec;
      if (parser_->is_header_done()) parser_->put_eof(ec);
      if (!ec && parser_->is_done()) return complete(false);
      return on_connection_lost("read", "connection closed by the receiver");
    }
  }

  // OpenSSL wants to read. Whatever it wrote meanwhile (a handshake
  // message, a key update) goes first; then one read, once there is data.
  void send_then_receive(Step resume) {
    if (!send_pending(resume)) return;
    const auto space = connection_->incoming.space();
    connection_->socket.async_read_some(
        net::buffer(space.data(), space.size()),
        [self = shared_from_this(), resume](beast::error_code ec, std::size_t n) {
          if (self->finished_) return;
          IncomingTls& incoming = self->connection_->incoming;
          if (ec == net::error::eof)
            incoming.end_of_stream();
          else if (ec)
            return self->on_socket_error("read", ec);
          else
            incoming.received(n);
          ((*self).*resume)();
        });
  }

  // Sends what OpenSSL wrote. False when that has to wait for the socket
  // (then `resume` runs once it is writable) or failed.
  bool send_pending(Step resume) {
    const int error = connection_->outgoing.send_to(connection_->socket.native_handle());
    if (error == 0) return true;
    if (error == EAGAIN) {
      connection_->socket.async_wait(tcp::socket::wait_write, [self = shared_from_this(), resume](beast::error_code ec) {
        if (self->finished_) return;
        if (ec) return self->on_socket_error("write", ec);
        ((*self).*resume)();
      });
      return false;
    }
    on_socket_error("write", beast::error_code(error, beast::system_category()));
    return false;
  }

  // `step`: "read" or "write", what the socket was doing.
  void on_socket_error(const char* step, const beast::error_code& ec) {
    if (ec == net::error::operation_aborted) return fail(timeout_text());
    if (ec == net::error::connection_reset || ec == net::error::broken_pipe)
      return on_connection_lost("reset", ec.message());
    on_connection_lost(step, ec.message());
  }

  // The receiver closed or reset the connection. A pooled connection it
  // closed while idle fails before any response byte arrives, so the request
  // was not taken: it goes again on a fresh connection.
  void on_connection_lost(const char* what, const std::string& detail) {
    if (handshaking_) {
      origin_->session.reset();  // as after any failed handshake
      return fail("tls: " + detail);
    }
    if (reused_ && !got_some_) return retry_on_another_connection();
    fail(std::string(what) + ": " + detail);
  }

  // The incoming buffer's end of stream (set on the socket's EOF), with or
  // without the receiver's close_notify.
  static bool closed_by_peer(int ssl_error) {
    if (ssl_error == SSL_ERROR_ZERO_RETURN) return true;
    if (ssl_error == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) return true;
    return ssl_error == SSL_ERROR_SSL && ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING;
  }

  static std::string ssl_error_text() {
    const unsigned long e = ERR_peek_error();
    if (e == 0) return "TLS error";
    if (const char* reason = ERR_reason_error_string(e)) return reason;
    return "TLS error " + std::to_string(e);
  }

  void retry_on_another_connection() {
    connection_->close();
    connection_.reset();
    got_some_ = false;
    acquire_connection();
  }

  void complete(bool reusable) {
    auto connection = std::move(connection_);
    connection->user.reset();
    if (reusable && parser_->keep_alive() && !connection->holds_unread())
      client_.release(origin_, std::move(connection));
    else if (parser_->is_done())
      connection->close_cleanly();
    else
      connection->close();
    finish(std::move(result_));
  }

  // The attempt's deadline on a connection. Unless this attempt has a timer
  // of its own (a new connection's first attempt), the connection's timer
  // watches it. That timer is not re-armed per attempt: deadlines only grow,
  // so an armed timer fires at or before this one, and then re-arms itself
  // for whatever attempt runs on the connection by then.
  void watch() {
    Connection& c = *connection_;
    c.user = weak_from_this();
    c.deadline = deadline_;
    if (deadline_timer_ || c.timer_armed) return;
    arm_connection_timer(connection_);
  }

  static void arm_connection_timer(const std::shared_ptr<Connection>& connection) {
    connection->timer_armed = true;
    connection->deadline_timer.expires_at(connection->deadline);
    connection->deadline_timer.async_wait([connection](beast::error_code ec) {
      connection->timer_armed = false;
      if (ec) return;  // cancelled: the connection closed
      auto attempt = connection->user.lock();
      if (!attempt) return;  // idle in the pool; the next attempt arms it again
      if (Clock::now() >= connection->deadline) return attempt->on_connection_deadline();
      arm_connection_timer(connection);
    });
  }

  void arm_deadline() {
    if (deadline_timer_) return;
    deadline_timer_.emplace(origin_->executor, deadline_);
    deadline_timer_->async_wait([self = shared_from_this()](beast::error_code ec) { self->on_deadline(ec); });
  }

  void on_deadline(beast::error_code ec) {
    if (ec == net::error::operation_aborted || finished_) return;
    fail(timeout_text());
  }

  std::string timeout_text() const {
    return "timeout after " + std::to_string(client_.options.attempt_timeout.count()) + " ms";
  }

  std::string describe_tls(int ssl_error) const {
    const long verify = SSL_get_verify_result(connection_->ssl.get());
    if (verify != X509_V_OK) return std::string("tls: certificate verify failed: ") + X509_verify_cert_error_string(verify);
    if (closed_by_peer(ssl_error)) return "tls: connection closed during handshake";
    return "tls: " + ssl_error_text();
  }

  // Ends the attempt with an error. The connection is closed but kept alive:
  // an operation on it may still be pending and must complete first.
  void fail(std::string error) {
    if (finished_) return;
    if (error.rfind("timeout", 0) == 0) client_.counters.timeouts++;
    result_.error = std::move(error);
    if (connection_) connection_->close();
    finish(std::move(result_));
  }

  void finish(AttemptResult result) {
    if (finished_) return;
    finished_ = true;
    if (origin_) client_.attempt_ended(*origin_);
    if (deadline_timer_) deadline_timer_->cancel();
    if (resolver_) resolver_->cancel();
    result.latency_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started_).count();
    client_.counters.attempts_finished++;
    if (result.succeeded()) client_.counters.attempts_succeeded++;
    auto done = std::move(done_);
    done_ = nullptr;
    try {
      done(std::move(result));
    } catch (...) {
      // The callback's failure is the caller's; the io thread carries on.
    }
  }

  detail::HttpsClientImpl& client_;
  std::shared_ptr<Origin> origin_;
  std::shared_ptr<const Route> route_;  // null when early_error_ is set
  OutgoingRequest request_;
  std::function<void(AttemptResult)> done_;
  std::string early_error_;

  // Only for an attempt that opens a connection (see resolve): constructing
  // them costs a lock and an allocation each.
  std::optional<tcp::resolver> resolver_;
  std::optional<net::steady_timer> deadline_timer_;
  Clock::time_point started_{};
  Clock::time_point deadline_{};

  std::shared_ptr<Connection> connection_;
  bool reused_ = false;
  bool handshaking_ = false;
  bool got_some_ = false;  // response bytes arrived
  std::optional<ResponseReader> parser_;

  AttemptResult result_;
  bool finished_ = false;
};

}  // namespace

namespace detail {

HttpsClientImpl::HttpsClientImpl(HttpsClientOptions opts) : options(std::move(opts)) {
  ssl_ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                      ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  SSL_CTX_set_min_proto_version(ssl_ctx.native_handle(), TLS1_2_VERSION);
  ssl_ctx.set_default_verify_paths();
  if (!options.ca_file.empty()) {
    beast::error_code ec;
    ssl_ctx.load_verify_file(options.ca_file, ec);
    if (ec) throw std::runtime_error("cannot load CA file " + options.ca_file + ": " + ec.message());
  }
  ssl_ctx.set_verify_mode(ssl::verify_peer);
  // Client-side session caching only calls keep_session; nothing is stored
  // in the context, the origins keep their own.
  SSL_CTX_set_session_cache_mode(ssl_ctx.native_handle(), SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
  SSL_CTX_sess_set_new_cb(ssl_ctx.native_handle(), keep_session);

  for (int i = 0; i < std::max(1, options.io_threads); ++i) {
    auto& io = *io_threads_.emplace_back(std::make_unique<IoThread>());
    io.thread = std::thread([&ioc = io.ioc, &on_start = options.on_thread_start] {
      pthread_setname_np(pthread_self(), "sivo-https");  // for top -H, perf, gdb
      if (on_start) on_start();
      ioc.run();
    });
  }
}

HttpsClientImpl::~HttpsClientImpl() {
  for (auto& io : io_threads_) {
    io->work.reset();
    io->ioc.stop();
    io->thread.join();
  }
  // Members go in reverse order: the pools first, then the io_contexts,
  // whose destruction abandons (and so completes) the attempts still in flight.
}

std::shared_ptr<const Route> HttpsClientImpl::route_for(const std::string& url) {
  std::lock_guard lock(origins_mutex_);
  if (auto it = routes_.find(url); it != routes_.end()) return it->second;
  auto parsed = engine::parse_endpoint_url(url);
  if (!parsed.ok()) return nullptr;
  // URLs are dealt out to the io threads in turn, and an origin has a pool
  // on each thread that serves some of its URLs: endpoints that share one
  // receiver spread over every thread rather than queueing on one.
  const std::size_t thread = next_io_thread_;
  next_io_thread_ = (next_io_thread_ + 1) % io_threads_.size();
  auto& origin = origins_[{parsed.value().origin(), thread}];
  if (!origin) origin = std::make_shared<Origin>(io_threads_[thread]->ioc.get_executor());
  std::string authority = parsed.value().authority();
  auto route = std::make_shared<const Route>(Route{std::move(parsed.value()), std::move(authority), origin});
  if (routes_.size() >= kMaxRoutes) routes_.clear();
  routes_.emplace(url, route);
  return route;
}

void HttpsClientImpl::send(OutgoingRequest request, std::function<void(AttemptResult)> done) {
  counters.attempts_started++;
  std::string early_error;
  std::shared_ptr<const Route> route = route_for(request.url);
  if (!route) early_error = "invalid url";
  if (early_error.empty() && request.headers.refused())
    early_error = "invalid header: " + *request.headers.refused();

  if (!early_error.empty()) route.reset();
  std::shared_ptr<Origin> origin = route ? route->origin : nullptr;
  // An attempt that fails early has no origin; any thread can report it.
  const Executor executor = origin ? origin->executor : io_threads_.front()->ioc.get_executor();
  auto attempt = std::make_shared<Attempt>(*this, origin, std::move(route), std::move(request),
                                           std::move(done), std::move(early_error));
  net::post(executor, [attempt] { attempt->start(); });
}

std::shared_ptr<Connection> HttpsClientImpl::take_idle(Origin& origin) {
  const auto now = Clock::now();
  while (!origin.idle.empty()) {
    auto connection = std::move(origin.idle.back());
    origin.idle.pop_back();
    counters.idle_connections--;
    if (now - connection->idle_since < options.idle_timeout && connection->looks_alive(now)) return connection;
    connection->close_cleanly();
  }
  return nullptr;
}

void HttpsClientImpl::attempt_started(Origin& origin) {
  ++origin.in_flight;
  // The peak decays: after idle_timeout without reaching it again, it
  // restarts from the current count, so a past burst does not pin the pool.
  const auto now = Clock::now();
  if (origin.in_flight >= origin.peak_in_flight || now - origin.peak_since >= options.idle_timeout) {
    origin.peak_in_flight = origin.in_flight;
    origin.peak_since = now;
  }
}

void HttpsClientImpl::attempt_ended(Origin& origin) { --origin.in_flight; }

void HttpsClientImpl::release(const std::shared_ptr<Origin>& origin, std::shared_ptr<Connection> connection) {
  // Every connection beyond this would have been opened for an attempt that
  // overlapped the peak, so keeping up to the peak bounds the pool by the
  // origin's real concurrency (and the idle sweep trims it after a burst).
  if (origin->idle.size() >= std::max(options.max_idle_per_origin, origin->peak_in_flight))
    return connection->close_cleanly();
  connection->deadline = Clock::time_point::max();
  // Empty between responses. A small capacity is kept for the next one; the
  // large one a big response left is not pinned by an idle connection.
  if (connection->buffer.capacity() > Connection::kKeptBufferBytes) connection->buffer.shrink_to_fit();
  if (connection->out.capacity() > Connection::kKeptBufferBytes) std::string().swap(connection->out);
  connection->outgoing.shrink_to(Connection::kKeptBufferBytes);
  connection->idle_since = Clock::now();
  origin->idle.push_back(std::move(connection));
  counters.idle_connections++;
  arm_idle_sweep(origin);
}

// One timer per origin, armed while it has idle connections, closes those
// unused for idle_timeout (oldest first: the front of the pool).
void HttpsClientImpl::arm_idle_sweep(const std::shared_ptr<Origin>& origin) {
  if (origin->idle_timer_armed || origin->idle.empty()) return;
  origin->idle_timer_armed = true;
  origin->idle_timer.expires_at(origin->idle.front()->idle_since + options.idle_timeout);
  origin->idle_timer.async_wait([this, origin](beast::error_code ec) {
    origin->idle_timer_armed = false;
    if (ec) return;
    const auto now = Clock::now();
    while (!origin->idle.empty() && now - origin->idle.front()->idle_since >= options.idle_timeout) {
      origin->idle.front()->close_cleanly();
      origin->idle.pop_front();
      counters.idle_connections--;
    }
    arm_idle_sweep(origin);
  });
}

}  // namespace detail

HttpsClient::HttpsClient(HttpsClientOptions options) : impl_(std::make_unique<detail::HttpsClientImpl>(std::move(options))) {}

HttpsClient::~HttpsClient() = default;

void HttpsClient::send(OutgoingRequest request, std::function<void(AttemptResult)> done) {
  impl_->send(std::move(request), std::move(done));
}

HttpsClient::Stats HttpsClient::stats() const {
  const auto& c = impl_->counters;
  Stats s;
  s.attempts_started = c.attempts_started.load();
  s.attempts_finished = c.attempts_finished.load();
  s.attempts_succeeded = c.attempts_succeeded.load();
  s.connections_opened = c.connections_opened.load();
  s.connections_reused = c.connections_reused.load();
  s.sessions_resumed = c.sessions_resumed.load();
  s.blocked = c.blocked.load();
  s.timeouts = c.timeouts.load();
  s.idle_connections = static_cast<std::uint64_t>(std::max<std::int64_t>(0, c.idle_connections.load()));
  return s;
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::time_t> parse_http_date(std::string_view value) {
  // asctime pads the day with a space ("Nov  6"); collapse runs of spaces.
  std::string text;
  for (char c : value)
    if (c != ' ' || text.empty() || text.back() != ' ') text.push_back(c);
  for (const char* format : {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %d %H:%M:%S %Y"}) {
    std::tm tm{};
    std::istringstream in(text);
    in.imbue(std::locale::classic());
    in >> std::get_time(&tm, format);
    if (in.fail()) continue;
    in >> std::ws;
    if (!in.eof()) continue;
    return timegm(&tm);
  }
  return std::nullopt;
}

}  // namespace

std::int64_t parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now) {
  value = trim(value);
  if (value.empty()) return -1;
  if (std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); })) {
    constexpr std::int64_t kMaxSeconds = 10LL * 365 * 24 * 3600;  // anything longer is "very long"
    std::int64_t seconds = 0;
    for (char c : value) {
      seconds = seconds * 10 + (c - '0');
      if (seconds > kMaxSeconds) return kMaxSeconds * 1000;
    }
    return seconds * 1000;
  }
  auto date = parse_http_date(value);
  if (!date) return -1;
  const auto at = std::chrono::system_clock::from_time_t(*date);
  return std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::milliseconds>(at - now).count());
}

}  // namespace sivo::actors
