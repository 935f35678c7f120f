#include "actors/tls_bio.hpp"

#include <openssl/bio.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace sivo::actors {

namespace {

// One non-blocking send, tried again if a signal interrupted it: the bytes
// sent, or -1 with errno set.
ssize_t send_some(int socket, const char* data, std::size_t size) {
  ssize_t sent = 0;
  do {
    sent = ::send(socket, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
  } while (sent < 0 && errno == EINTR);
  return sent;
}

bool would_block(int error) { return error == EAGAIN || error == EWOULDBLOCK; }

}  // namespace

void OutgoingTls::write(const char* data, std::size_t size) {
  if (socket_ >= 0 && empty() && size != 0) {
    const ssize_t sent = send_some(socket_, data, size);
    if (sent > 0) {
      data += sent;
      size -= static_cast<std::size_t>(sent);
    } else if (sent < 0 && !would_block(errno) && error_ == 0) {
      error_ = errno;
    }
  }
  append(data, size);
}

int OutgoingTls::send_to(int socket) {
  if (error_ != 0) return std::exchange(error_, 0);
  while (!empty()) {
    const std::string_view waiting = unsent();
    const ssize_t sent = send_some(socket, waiting.data(), waiting.size());
    if (sent < 0) return would_block(errno) ? EAGAIN : errno;
    if (sent == 0) return EAGAIN;  // no room taken: wait for the socket
    consume(static_cast<std::size_t>(sent));
  }
  return 0;
}

void OutgoingTls::consume(std::size_t count) {
  sent_ += std::min(count, bytes_.size() - sent_);
  if (sent_ == bytes_.size()) {
    bytes_.clear();
    sent_ = 0;
  }
}

std::span<char> IncomingTls::space() {
  if (begin_ != 0) {
    std::memmove(bytes_.data(), bytes_.data() + begin_, size());
    end_ -= begin_;
    begin_ = 0;
  }
  return std::span<char>(bytes_).subspan(end_);
}

std::size_t IncomingTls::take(char* out, std::size_t size) {
  const std::size_t count = std::min(size, this->size());
  std::memcpy(out, bytes_.data() + begin_, count);
  begin_ += count;
  return count;
}

namespace {

int create(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

// The buffers belong to the connection: nothing to free.
int destroy(BIO*) { return 1; }

int write_outgoing(BIO* bio, const char* data, std::size_t size, std::size_t* written) {
  static_cast<OutgoingTls*>(BIO_get_data(bio))->write(data, size);
  *written = size;
  return 1;
}

long control_outgoing(BIO* bio, int command, long, void*) {
  const auto* out = static_cast<const OutgoingTls*>(BIO_get_data(bio));
  switch (command) {
    case BIO_CTRL_PENDING:
      return static_cast<long>(out->unsent().size());
    case BIO_CTRL_FLUSH:  // the attempt sends when OpenSSL is done writing
      return 1;
    default:  // as a memory BIO: no KTLS, no other controls
      return 0;
  }
}

int read_incoming(BIO* bio, char* out, std::size_t size, std::size_t* read) {
  auto* in = static_cast<IncomingTls*>(BIO_get_data(bio));
  BIO_clear_retry_flags(bio);
  *read = in->take(out, size);
  if (*read != 0) return 1;
  if (!in->at_end()) BIO_set_retry_read(bio);  // nothing yet: OpenSSL wants more
  return 0;
}

long control_incoming(BIO* bio, int command, long, void*) {
  const auto* in = static_cast<const IncomingTls*>(BIO_get_data(bio));
  switch (command) {
    case BIO_CTRL_PENDING:
      return static_cast<long>(in->size());
    case BIO_CTRL_EOF:
      return in->at_end() ? 1 : 0;
    case BIO_CTRL_FLUSH:
      return 1;
    default:
      return 0;
  }
}

// BIO methods are process-wide and never freed, like OpenSSL's own.
BIO_METHOD* make_method(const char* name, bool outgoing) {
  BIO_METHOD* method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, name);
  if (method == nullptr) return nullptr;
  BIO_meth_set_create(method, create);
  BIO_meth_set_destroy(method, destroy);
  if (outgoing) {
    BIO_meth_set_write_ex(method, write_outgoing);
    BIO_meth_set_ctrl(method, control_outgoing);
  } else {
    BIO_meth_set_read_ex(method, read_incoming);
    BIO_meth_set_ctrl(method, control_incoming);
  }
  return method;
}

BIO* new_bio(BIO_METHOD* method, void* buffer) {
  if (method == nullptr) return nullptr;
  BIO* bio = BIO_new(method);
  if (bio != nullptr) BIO_set_data(bio, buffer);
  return bio;
}

}  // namespace

BIO* new_outgoing_bio(OutgoingTls& out) {
  static BIO_METHOD* const method = make_method("sivo outgoing TLS", true);
  return new_bio(method, &out);
}

BIO* new_incoming_bio(IncomingTls& in) {
  static BIO_METHOD* const method = make_method("sivo incoming TLS", false);
  return new_bio(method, &in);
}

}  // namespace sivo::actors
