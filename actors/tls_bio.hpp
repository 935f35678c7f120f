#pragma once
// The two byte buffers a client TLS connection's OpenSSL session reads from
// and writes to, as BIOs over storage the connection owns.
//
// OpenSSL 3.0's memory BIO zeroes every region it grows into
// (BUF_MEM_grow_clean) before it copies into it: once per record written,
// and once per socket read, whose bytes also had to be copied into it. Here
// a record OpenSSL writes goes to the socket from OpenSSL's own buffer when
// nothing waits before it (and is copied into OutgoingTls only when
// something does), and the socket reads straight into IncomingTls, from
// which OpenSSL copies what it takes.

#include <openssl/types.h>

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace sivo::actors {

// What OpenSSL wrote and the socket has not taken yet, sent from the front.
//
// Once given the connected socket (send_through), a write that finds nothing
// waiting goes to the socket at once, and only what the socket does not take
// is kept: a request then leaves from OpenSSL's own record buffer instead of
// being copied here first (~1.7 KB per delivery).
class OutgoingTls {
 public:
  // From now on, what OpenSSL writes while nothing waits is sent straight to
  // `socket` (connected, non-blocking); -1 stops that, and must come before
  // the socket is closed, so that no write reaches a reused descriptor.
  void send_through(int socket) { socket_ = socket; }
  // What OpenSSL wrote: sent at once if it may be, the rest kept in order.
  // A send that fails keeps its bytes and its errno for send_to.
  void write(const char* data, std::size_t size);
  // Sends what waits to `socket` (non-blocking), as far as it takes it: 0
  // once all is sent, EAGAIN when the socket is full, else the errno of the
  // failure. An error write() met comes first, once: a send of its bytes
  // now might only meet its aftermath (EPIPE after ECONNRESET).
  int send_to(int socket);

  std::string_view unsent() const { return std::string_view(bytes_).substr(sent_); }
  bool empty() const { return sent_ == bytes_.size(); }
  // The socket took the first `count` bytes of unsent().
  void consume(std::size_t count);
  void append(const char* data, std::size_t size) { bytes_.append(data, size); }
  // Gives back the memory of a large write once it is sent, keeping up to
  // `capacity` bytes for the next ones.
  void shrink_to(std::size_t capacity) {
    if (empty() && bytes_.capacity() > capacity) std::string().swap(bytes_);
  }

 private:
  std::string bytes_;  // cleared once all is sent, keeping its capacity
  std::size_t sent_ = 0;
  int socket_ = -1;
  int error_ = 0;
};

// Bytes the socket read that OpenSSL has not taken yet.
class IncomingTls {
 public:
  static constexpr std::size_t kCapacity = 16 * 1024;

  std::size_t size() const { return end_ - begin_; }
  // Where the next socket read goes: after the bytes not taken yet, which
  // move to the front first. OpenSSL asks for more only once it has taken
  // all there was, so under it this is the whole buffer.
  std::span<char> space();
  // The socket read `count` bytes into space().
  void received(std::size_t count) { end_ += count; }
  // The socket reached its end of stream: once the bytes before it are
  // taken, OpenSSL reads the end instead of waiting for more.
  void end_of_stream() { eof_ = true; }
  bool at_end() const { return eof_ && size() == 0; }
  // Copies up to `size` bytes to `out`; how many.
  std::size_t take(char* out, std::size_t size);

 private:
  std::array<char, kCapacity> bytes_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
};

// A BIO that appends what OpenSSL writes to `out`, and one that gives
// OpenSSL what `in` holds. Both only point at their buffer, which must
// outlive them; SSL_set_bio hands them to the session, which frees them.
// Null if OpenSSL cannot allocate.
BIO* new_outgoing_bio(OutgoingTls& out);
BIO* new_incoming_bio(IncomingTls& in);

}  // namespace sivo::actors
