#include "tests/support/https_receiver.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace sivo::test_support {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

std::optional<std::string> ReceivedRequest::header(std::string_view name) const {
  auto same = [](std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
  };
  for (const auto& [n, v] : headers)
    if (same(n, name)) return v;
  return std::nullopt;
}

Reply Reply::with_status(int status, std::string body) {
  Reply r;
  r.status = status;
  r.body = std::move(body);
  return r;
}
Reply Reply::slow(std::chrono::milliseconds delay, int status) {
  Reply r;
  r.status = status;
  r.delay = delay;
  return r;
}
Reply Reply::hang() {
  Reply r;
  r.mode = Mode::hang;
  return r;
}
Reply Reply::stall_after_headers(int status) {
  Reply r;
  r.mode = Mode::stall_after_headers;
  r.status = status;
  return r;
}
Reply Reply::trickle(std::string body, std::chrono::milliseconds interval, int status) {
  Reply r;
  r.mode = Mode::trickle_body;
  r.status = status;
  r.body = std::move(body);
  r.trickle_interval = interval;
  return r;
}
Reply Reply::reset() {
  Reply r;
  r.mode = Mode::reset;
  return r;
}
Reply Reply::huge_body(std::size_t bytes, int status) {
  Reply r;
  r.status = status;
  r.body.clear();
  r.filler_bytes = bytes;
  return r;
}
Reply Reply::retry_after(int status, std::string value) {
  Reply r;
  r.status = status;
  r.headers.emplace_back("Retry-After", std::move(value));
  return r;
}
Reply Reply::redirect(std::string location, int status) {
  Reply r;
  r.status = status;
  r.body.clear();
  r.headers.emplace_back("Location", std::move(location));
  return r;
}

namespace detail {

class HttpsReceiverImpl {
 public:
  explicit HttpsReceiverImpl(const ServerCertificate& certificate);
  ~HttpsReceiverImpl() { stop(); }

  void stop();
  void accept();
  // Records the request and picks its reply (called on the io thread).
  Reply record(ReceivedRequest request);

  net::io_context ioc;
  ssl::context ssl_ctx{ssl::context::tls_server};
  tcp::acceptor acceptor{ioc};
  std::uint16_t port = 0;

  mutable std::mutex mutex;
  mutable std::condition_variable arrived;
  std::vector<ReceivedRequest> requests;
  std::function<Reply(const ReceivedRequest&)> behaviour;
  std::atomic<std::uint64_t> accepted{0};
  std::atomic<std::uint64_t> handshakes{0};

 private:
  std::thread thread_;
  std::once_flag stopped_;
};

}  // namespace detail

namespace {

constexpr std::size_t kPiece = 64 * 1024;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(detail::HttpsReceiverImpl& receiver, tcp::socket socket, std::uint64_t id)
      : receiver_(receiver), stream_(std::move(socket), receiver.ssl_ctx), timer_(stream_.get_executor()), id_(id) {}

  void start() {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
    stream_.async_handshake(ssl::stream_base::server, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return;
      self->receiver_.handshakes++;
      self->read_request();
    });
  }

 private:
  void read_request() {
    // A client may keep an idle connection as long as it likes.
    beast::get_lowest_layer(stream_).expires_never();
    parser_.emplace();
    parser_->body_limit(64 * 1024 * 1024);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_request(ec); });
  }

  void on_request(beast::error_code ec) {
    if (ec) return;  // closed by the client, or garbage: the session ends
    auto& message = parser_->get();
    ReceivedRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    for (const auto& field : message) request.headers.emplace_back(field.name_string(), field.value());
    request.body = std::move(message.body());
    request.connection_id = id_;
    request.index_on_connection = served_++;
    request.steady_at = std::chrono::steady_clock::now();
    request.system_at = std::chrono::system_clock::now();
    client_keep_alive_ = message.keep_alive();

    reply_ = receiver_.record(std::move(request));
    if (reply_.delay.count() > 0) {
      timer_.expires_after(reply_.delay);
      timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
        if (!ec) self->act();
      });
    } else {
      act();
    }
  }

  void act() {
    switch (reply_.mode) {
      case Reply::Mode::hang:
        return wait_for_close();
      case Reply::Mode::reset: {
        beast::error_code ignored;
        auto& socket = beast::get_lowest_layer(stream_).socket();
        socket.set_option(net::socket_base::linger(true, 0), ignored);
        socket.close(ignored);
        return;
      }
      case Reply::Mode::respond:
      case Reply::Mode::stall_after_headers:
      case Reply::Mode::trickle_body:
        break;
    }
    close_after_ = reply_.close_connection || !client_keep_alive_;
    out_ = head();
    if (reply_.mode == Reply::Mode::respond && reply_.filler_bytes == 0) out_ += reply_.body;  // the usual case: one write
    const bool body_in_head = reply_.mode == Reply::Mode::respond && reply_.filler_bytes == 0;
    net::async_write(stream_, net::buffer(out_),
                     [self = shared_from_this(), body_in_head](beast::error_code ec, std::size_t) {
                       if (ec) return;
                       if (self->reply_.mode == Reply::Mode::stall_after_headers) return self->wait_for_close();
                       if (body_in_head) return self->after_reply();
                       self->send_body(0);
                     });
  }

  std::string head() const {
    const auto status = static_cast<unsigned>(reply_.status);
    std::string text = "HTTP/1.1 " + std::to_string(status) + " " +
                       std::string(http::obsolete_reason(http::int_to_status(status))) + "\r\n";
    for (const auto& [name, value] : reply_.headers) text += name + ": " + value + "\r\n";
    text += "Content-Length: " + std::to_string(reply_.body.size() + reply_.filler_bytes) + "\r\n";
    if (close_after_) text += "Connection: close\r\n";
    return text + "\r\n";
  }

  // The body from `offset` on: in 64 KB pieces, or a byte per interval when trickling.
  void send_body(std::size_t offset) {
    const std::size_t total = reply_.body.size() + reply_.filler_bytes;
    if (offset >= total) return after_reply();
    const bool trickling = reply_.mode == Reply::Mode::trickle_body;
    const std::size_t n = std::min(trickling ? std::size_t{1} : kPiece, total - offset);
    out_.clear();
    for (std::size_t i = offset; i < offset + n; ++i) out_.push_back(i < reply_.body.size() ? reply_.body[i] : 'x');
    net::async_write(stream_, net::buffer(out_),
                     [self = shared_from_this(), next = offset + n, trickling](beast::error_code ec, std::size_t) {
                       if (ec) return;
                       if (!trickling) return self->send_body(next);
                       self->timer_.expires_after(self->reply_.trickle_interval);
                       self->timer_.async_wait([self, next](beast::error_code ec) {
                         if (!ec) self->send_body(next);
                       });
                     });
  }

  void after_reply() {
    if (reply_.drop_after_reply) {
      beast::error_code ignored;
      beast::get_lowest_layer(stream_).socket().close(ignored);
      return;
    }
    if (!close_after_) return read_request();
    stream_.async_shutdown([self = shared_from_this()](beast::error_code) {
      beast::error_code ignored;
      beast::get_lowest_layer(self->stream_).socket().close(ignored);
    });
  }

  // Holds the connection open, discarding input, until the client closes it.
  void wait_for_close() {
    stream_.async_read_some(net::buffer(scratch_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (!ec) self->wait_for_close();
    });
  }

  detail::HttpsReceiverImpl& receiver_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  net::steady_timer timer_;
  std::uint64_t id_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::size_t served_ = 0;
  bool client_keep_alive_ = true;
  bool close_after_ = false;
  Reply reply_;
  std::string out_;
  std::array<char, 4096> scratch_{};
};

}  // namespace

namespace detail {

HttpsReceiverImpl::HttpsReceiverImpl(const ServerCertificate& certificate) {
  ssl_ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3);
  beast::error_code ec;
  ssl_ctx.use_certificate_chain_file(certificate.cert_file, ec);
  if (!ec) ssl_ctx.use_private_key_file(certificate.key_file, ssl::context::pem, ec);
  if (ec) throw std::runtime_error("HttpsReceiver: cannot load certificate: " + ec.message());

  const tcp::endpoint endpoint(net::ip::make_address_v4("127.0.0.1"), 0);
  acceptor.open(endpoint.protocol());
  acceptor.set_option(net::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(net::socket_base::max_listen_connections);
  port = acceptor.local_endpoint().port();
  accept();
  thread_ = std::thread([this] { ioc.run(); });
}

void HttpsReceiverImpl::accept() {
  acceptor.async_accept(ioc, [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
      return accept();  // e.g. too many open files: keep listening
    }
    const auto id = ++accepted;
    socket.set_option(tcp::no_delay(true), ec);
    std::make_shared<Session>(*this, std::move(socket), id)->start();
    accept();
  });
}

void HttpsReceiverImpl::stop() {
  std::call_once(stopped_, [this] {
    ioc.stop();
    if (thread_.joinable()) thread_.join();
    beast::error_code ignored;
    acceptor.close(ignored);  // the io thread is gone: safe here
  });
}

Reply HttpsReceiverImpl::record(ReceivedRequest request) {
  std::function<Reply(const ReceivedRequest&)> choose;
  {
    std::lock_guard lock(mutex);
    request.index = requests.size();
    requests.push_back(request);
    choose = behaviour;
  }
  arrived.notify_all();
  return choose ? choose(request) : Reply{};
}

}  // namespace detail

HttpsReceiver::HttpsReceiver(const ServerCertificate& certificate) : impl_(std::make_unique<detail::HttpsReceiverImpl>(certificate)) {}

HttpsReceiver::~HttpsReceiver() = default;

std::uint16_t HttpsReceiver::port() const { return impl_->port; }

std::string HttpsReceiver::url(std::string_view path) const {
  return "https://localhost:" + std::to_string(impl_->port) + std::string(path);
}

std::string HttpsReceiver::ip_url(std::string_view path) const {
  return "https://127.0.0.1:" + std::to_string(impl_->port) + std::string(path);
}

void HttpsReceiver::reply_always(Reply reply) {
  reply_with([reply = std::move(reply)](const ReceivedRequest&) { return reply; });
}

void HttpsReceiver::reply_sequence(std::vector<Reply> replies) {
  if (replies.empty()) replies.emplace_back();
  std::size_t first;
  {
    std::lock_guard lock(impl_->mutex);
    first = impl_->requests.size();
  }
  reply_with([replies = std::move(replies), first](const ReceivedRequest& request) {
    const std::size_t n = request.index - std::min(request.index, first);
    return replies[std::min(n, replies.size() - 1)];
  });
}

void HttpsReceiver::reply_statuses(std::vector<int> statuses) {
  std::vector<Reply> replies;
  for (int status : statuses) replies.push_back(Reply::with_status(status));
  reply_sequence(std::move(replies));
}

void HttpsReceiver::reply_with(std::function<Reply(const ReceivedRequest&)> behaviour) {
  std::lock_guard lock(impl_->mutex);
  impl_->behaviour = std::move(behaviour);
}

std::vector<ReceivedRequest> HttpsReceiver::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests;
}

std::size_t HttpsReceiver::request_count() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests.size();
}

bool HttpsReceiver::wait_for_requests(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mutex);
  return impl_->arrived.wait_for(lock, timeout, [&] { return impl_->requests.size() >= n; });
}

std::uint64_t HttpsReceiver::connections_accepted() const { return impl_->accepted.load(); }

std::uint64_t HttpsReceiver::handshakes_completed() const { return impl_->handshakes.load(); }

void HttpsReceiver::stop() { impl_->stop(); }

}  // namespace sivo::test_support
