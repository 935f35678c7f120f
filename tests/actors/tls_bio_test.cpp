#include "actors/tls_bio.hpp"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include "tests/support/throwaway_ca.hpp"

namespace sivo::actors {
namespace {

TEST(OutgoingTls, SendsFromTheFrontAndStartsOverOnceAllIsSent) {
  OutgoingTls out;
  EXPECT_TRUE(out.empty());
  out.append("hello ", 6);
  out.append("world", 5);
  EXPECT_EQ(out.unsent(), "hello world");
  out.consume(4);
  EXPECT_EQ(out.unsent(), "o world");
  EXPECT_FALSE(out.empty());
  out.append("!", 1);  // written while a part waits for the socket: it queues behind
  out.consume(7);
  EXPECT_EQ(out.unsent(), "!");
  out.consume(1);
  EXPECT_TRUE(out.empty());
  out.append("next", 4);
  EXPECT_EQ(out.unsent(), "next");
}

// A connected pair of non-blocking stream sockets, closed at the end.
class SocketPair {
 public:
  SocketPair() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds) != 0)
      ADD_FAILURE() << "socketpair: " << std::strerror(errno);
    ours_ = fds[0];
    theirs_ = fds[1];
  }
  ~SocketPair() {
    close_ours();
    close_theirs();
  }
  int ours() const { return ours_; }
  void close_ours() { close_fd(ours_); }
  void close_theirs() { close_fd(theirs_); }
  // Everything the other end can read now.
  std::string drain() {
    std::string got;
    char buffer[65536];
    for (ssize_t n; (n = ::recv(theirs_, buffer, sizeof buffer, 0)) > 0;) got.append(buffer, n);
    return got;
  }

 private:
  static void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  int ours_ = -1;
  int theirs_ = -1;
};

TEST(OutgoingTls, SendsThroughTheSocketWhatFindsNothingWaiting) {
  SocketPair pair;
  OutgoingTls out;
  out.write("kept", 4);  // no socket yet
  EXPECT_EQ(out.unsent(), "kept");
  out.send_through(pair.ours());
  out.write(" behind", 7);  // something waits: it queues behind, in order
  EXPECT_EQ(out.unsent(), "kept behind");
  EXPECT_EQ(pair.drain(), "");
  out.consume(11);
  out.write("direct", 6);  // nothing waits: straight to the socket
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(pair.drain(), "direct");
  out.send_through(-1);
  out.write("after", 5);
  EXPECT_EQ(out.unsent(), "after");
  EXPECT_EQ(pair.drain(), "");
  EXPECT_EQ(out.send_to(pair.ours()), 0);  // what waits, sent when asked
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(pair.drain(), "after");
}

TEST(OutgoingTls, KeepsWhatAFullSocketDoesNotTakeAndWhatComesAfterIt) {
  SocketPair pair;
  OutgoingTls out;
  out.send_through(pair.ours());
  // More than the socket's buffer takes: the rest is kept, in order.
  std::string big(4 << 20, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 26);
  out.write(big.data(), big.size());
  ASSERT_FALSE(out.empty());
  const std::size_t kept = out.unsent().size();
  EXPECT_LT(kept, big.size());
  out.write("tail", 4);  // behind the kept bytes, not through the socket
  EXPECT_EQ(out.unsent().size(), kept + 4);
  // The reader takes what was sent; the kept bytes follow it, sent as far
  // as the socket takes them each time.
  std::string got = pair.drain();
  while (!out.empty()) {
    const int result = out.send_to(pair.ours());
    ASSERT_TRUE(result == 0 || result == EAGAIN) << std::strerror(result);
    got += pair.drain();
  }
  EXPECT_EQ(got, big + "tail");
}

TEST(OutgoingTls, ASendThatFailsKeepsTheBytesAndReportsTheErrorOnce) {
  SocketPair pair;
  OutgoingTls out;
  out.send_through(pair.ours());
  pair.close_theirs();
  out.write("lost", 4);
  EXPECT_EQ(out.unsent(), "lost");
  // The error comes first, without a send; then the kept bytes go as usual
  // (here to a socket that works).
  SocketPair other;
  EXPECT_EQ(out.send_to(other.ours()), EPIPE);
  EXPECT_EQ(other.drain(), "");
  EXPECT_EQ(out.send_to(other.ours()), 0);
  EXPECT_EQ(other.drain(), "lost");
}

TEST(OutgoingTls, SendingToAClosedPeerIsItsError) {
  SocketPair pair;
  OutgoingTls out;
  out.append("waiting", 7);
  pair.close_theirs();
  EXPECT_EQ(out.send_to(pair.ours()), EPIPE);
  EXPECT_EQ(out.unsent(), "waiting");
}

TEST(IncomingTls, GivesWhatTheSocketReadInOrderAndMovesTheRestToTheFront) {
  IncomingTls in;
  auto space = in.space();
  ASSERT_EQ(space.size(), IncomingTls::kCapacity);
  std::copy_n("abcdef", 6, space.begin());
  in.received(6);
  char out[8] = {};
  EXPECT_EQ(in.take(out, 4), 4u);
  EXPECT_EQ(std::string(out, 4), "abcd");
  EXPECT_EQ(in.size(), 2u);
  // A read with bytes still there goes after them.
  space = in.space();
  EXPECT_EQ(space.size(), IncomingTls::kCapacity - 2);
  std::copy_n("gh", 2, space.begin());
  in.received(2);
  EXPECT_EQ(in.take(out, sizeof out), 4u);
  EXPECT_EQ(std::string(out, 4), "efgh");
  EXPECT_EQ(in.take(out, sizeof out), 0u);
  EXPECT_FALSE(in.at_end());
  in.end_of_stream();
  EXPECT_TRUE(in.at_end());
}

TEST(IncomingTls, TheEndOfStreamWaitsBehindTheBytesBeforeIt) {
  IncomingTls in;
  std::copy_n("xy", 2, in.space().begin());
  in.received(2);
  in.end_of_stream();
  EXPECT_FALSE(in.at_end());
  char out[2];
  EXPECT_EQ(in.take(out, 2), 2u);
  EXPECT_TRUE(in.at_end());
}

struct SslCtxFree {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
struct SslFree {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};

// A real TLS 1.3 session between a client whose BIOs are these buffers and a
// server on OpenSSL's memory BIOs, with the bytes carried between them by
// hand, in pieces of `chunk` bytes, as a socket might deliver them.
class TlsThroughBuffers : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto cert = ca_.issue();
    server_ctx_.reset(SSL_CTX_new(TLS_server_method()));
    ASSERT_EQ(SSL_CTX_use_certificate_chain_file(server_ctx_.get(), cert.cert_file.c_str()), 1);
    ASSERT_EQ(SSL_CTX_use_PrivateKey_file(server_ctx_.get(), cert.key_file.c_str(), SSL_FILETYPE_PEM), 1);
    client_ctx_.reset(SSL_CTX_new(TLS_client_method()));
    ASSERT_EQ(SSL_CTX_load_verify_locations(client_ctx_.get(), ca_.ca_file().c_str(), nullptr), 1);
    SSL_CTX_set_verify(client_ctx_.get(), SSL_VERIFY_PEER, nullptr);

    server_.reset(SSL_new(server_ctx_.get()));
    SSL_set_bio(server_.get(), BIO_new(BIO_s_mem()), BIO_new(BIO_s_mem()));
    SSL_set_accept_state(server_.get());
    client_.reset(SSL_new(client_ctx_.get()));
    BIO* in = new_incoming_bio(incoming_);
    BIO* out = new_outgoing_bio(outgoing_);
    ASSERT_NE(in, nullptr);
    ASSERT_NE(out, nullptr);
    SSL_set_bio(client_.get(), in, out);
    SSL_set_tlsext_host_name(client_.get(), "localhost");
    SSL_set1_host(client_.get(), "localhost");
    SSL_set_connect_state(client_.get());
  }

  // Client -> server: everything the client wrote, as the socket would take it.
  void carry_to_server() {
    while (!outgoing_.empty()) {
      const auto unsent = outgoing_.unsent().substr(0, chunk_);
      ASSERT_EQ(BIO_write(SSL_get_rbio(server_.get()), unsent.data(), static_cast<int>(unsent.size())),
                static_cast<int>(unsent.size()));
      outgoing_.consume(unsent.size());
    }
  }
  // Server -> client: up to one chunk, the way one socket read fills the buffer.
  bool carry_chunk_to_client() {
    BIO* from = SSL_get_wbio(server_.get());
    const auto space = incoming_.space();
    const int n = BIO_read(from, space.data(), static_cast<int>(std::min(space.size(), chunk_)));
    if (n <= 0) return false;
    incoming_.received(static_cast<std::size_t>(n));
    return true;
  }

  void handshake() {
    for (int round = 0; round < 20; ++round) {
      const int c = SSL_do_handshake(client_.get());
      carry_to_server();
      SSL_do_handshake(server_.get());
      while (carry_chunk_to_client()) SSL_do_handshake(client_.get());
      if (c == 1 && SSL_is_init_finished(client_.get())) return;
    }
    FAIL() << "no handshake: " << ERR_error_string(ERR_get_error(), nullptr);
  }

  // What the client reads until OpenSSL wants bytes that have not come.
  std::string client_reads() {
    std::string got;
    char buf[4096];
    for (;;) {
      std::size_t n = 0;
      if (SSL_read_ex(client_.get(), buf, sizeof buf, &n) == 1) {
        got.append(buf, n);
        continue;
      }
      last_error_ = SSL_get_error(client_.get(), 0);
      if (last_error_ != SSL_ERROR_WANT_READ || !carry_chunk_to_client()) return got;
    }
  }

  test_support::ThrowawayCa ca_;
  std::unique_ptr<SSL_CTX, SslCtxFree> server_ctx_, client_ctx_;
  // Declared before the client session, whose BIOs point at them.
  IncomingTls incoming_;
  OutgoingTls outgoing_;
  std::unique_ptr<SSL, SslFree> server_, client_;
  std::size_t chunk_ = 700;
  int last_error_ = 0;
};

TEST_F(TlsThroughBuffers, CarriesAHandshakeAndBytesBothWaysInPieces) {
  handshake();
  ASSERT_TRUE(SSL_is_init_finished(client_.get()));
  EXPECT_EQ(SSL_get_verify_result(client_.get()), X509_V_OK);

  // A request larger than one record (16 KiB of plaintext): two records.
  std::string request(20000, '\0');
  for (std::size_t i = 0; i < request.size(); ++i) request[i] = static_cast<char>('a' + i % 26);
  std::size_t written = 0;
  ASSERT_EQ(SSL_write_ex(client_.get(), request.data(), request.size(), &written), 1);
  EXPECT_EQ(written, request.size());
  EXPECT_EQ(BIO_ctrl_pending(SSL_get_wbio(client_.get())), outgoing_.unsent().size());
  carry_to_server();
  std::string served;
  char buf[4096];
  std::size_t n = 0;
  while (SSL_read_ex(server_.get(), buf, sizeof buf, &n) == 1) served.append(buf, n);
  EXPECT_EQ(served, request);

  // The response arrives 700 bytes per "socket read": OpenSSL asks again
  // (SSL_ERROR_WANT_READ) until each record is whole.
  std::string response(40000, '\0');
  for (std::size_t i = 0; i < response.size(); ++i) response[i] = static_cast<char>(i * 31);
  ASSERT_EQ(SSL_write_ex(server_.get(), response.data(), response.size(), &written), 1);
  EXPECT_EQ(client_reads(), response);
  EXPECT_EQ(last_error_, SSL_ERROR_WANT_READ);  // all taken; waiting for more
  EXPECT_EQ(incoming_.size(), 0u);
}

TEST_F(TlsThroughBuffers, ACloseNotifyEndsTheSession) {
  handshake();
  const std::string body = "last bytes";
  std::size_t written = 0;
  ASSERT_EQ(SSL_write_ex(server_.get(), body.data(), body.size(), &written), 1);
  ASSERT_EQ(SSL_shutdown(server_.get()), 0);  // sends close_notify
  EXPECT_EQ(client_reads(), body);
  EXPECT_EQ(last_error_, SSL_ERROR_ZERO_RETURN);
}

TEST_F(TlsThroughBuffers, TheSocketsEndOfStreamEndsTheSessionAfterTheBytesBeforeIt) {
  handshake();
  const std::string body = "last bytes";
  std::size_t written = 0;
  ASSERT_EQ(SSL_write_ex(server_.get(), body.data(), body.size(), &written), 1);
  while (carry_chunk_to_client()) {
  }
  incoming_.end_of_stream();  // the socket's EOF, without close_notify
  EXPECT_EQ(BIO_eof(SSL_get_rbio(client_.get())), 0);  // bytes before it are still there
  EXPECT_EQ(client_reads(), body);
  // An unexpected end, not a wait for more bytes.
  EXPECT_TRUE(last_error_ == SSL_ERROR_SSL || last_error_ == SSL_ERROR_SYSCALL) << last_error_;
  EXPECT_EQ(BIO_eof(SSL_get_rbio(client_.get())), 1);
}

}  // namespace
}  // namespace sivo::actors
