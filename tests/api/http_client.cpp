#include "tests/api/http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <cerrno>
#include <cstring>

namespace sivo::test_api {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return {};
}

boost::json::value HttpResponse::json() const {
  boost::system::error_code ec;
  auto value = boost::json::parse(body, ec);
  if (ec) return nullptr;
  return value;
}

HttpResponse parse_http_response(std::string_view raw) {
  HttpResponse response;
  auto header_end = raw.find("\r\n\r\n");
  if (header_end == std::string_view::npos) return response;
  std::string_view head = raw.substr(0, header_end);
  std::string_view rest = raw.substr(header_end + 4);
  auto line_end = head.find("\r\n");
  std::string_view status_line = head.substr(0, line_end);
  if (status_line.size() < 12) return response;
  response.status = std::atoi(std::string(status_line.substr(9, 3)).c_str());
  head = line_end == std::string_view::npos ? std::string_view{} : head.substr(line_end + 2);
  while (!head.empty()) {
    auto end = head.find("\r\n");
    std::string_view line = head.substr(0, end);
    auto colon = line.find(':');
    if (colon != std::string_view::npos) {
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      response.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
    }
    if (end == std::string_view::npos) break;
    head.remove_prefix(end + 2);
  }
  std::string length = response.header("content-length");
  if (!length.empty()) {
    std::size_t n = std::stoul(length);
    response.body = std::string(rest.substr(0, std::min(n, rest.size())));
  } else {
    response.body = std::string(rest);
  }
  return response;
}

int HttpClient::connect_socket() const {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port_);
  ::inet_pton(AF_INET, host_.c_str(), &address.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::string HttpClient::raw(std::string_view bytes, std::chrono::milliseconds timeout) const {
  int fd = connect_socket();
  if (fd < 0) return {};
  timeval tv{};
  tv.tv_sec = timeout.count() / 1000;
  tv.tv_usec = (timeout.count() % 1000) * 1000;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer (413) and stop reading early
    sent += static_cast<std::size_t>(n);
  }
  std::string received;
  char buffer[16384];
  while (true) {
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    received.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return received;
}

HttpResponse HttpClient::request(std::string_view method, std::string_view target,
                                 std::string_view body, std::string_view token,
                                 const std::vector<std::pair<std::string, std::string>>& headers) const {
  std::string message;
  message.reserve(body.size() + 512);
  message += method;
  message += ' ';
  message += target;
  message += " HTTP/1.1\r\nHost: ";
  message += host_ + ":" + std::to_string(port_);
  message += "\r\nConnection: close\r\n";
  if (!token.empty()) {
    message += "Authorization: Bearer ";
    message += token;
    message += "\r\n";
  }
  bool has_content_type = false;
  for (const auto& [name, value] : headers) {
    if (iequals(name, "content-type")) has_content_type = true;
    message += name + ": " + value + "\r\n";
  }
  if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT") {
    if (!has_content_type) message += "Content-Type: application/json\r\n";
    message += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  message += "\r\n";
  message += body;
  return parse_http_response(raw(message, std::chrono::seconds(30)));
}

}  // namespace sivo::test_api
