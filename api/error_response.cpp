#include "api/error_response.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace sivo::api {

namespace {

// The length of the valid UTF-8 sequence at the start of `text`, or 0.
std::size_t utf8_sequence(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned min = 0;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2, min = 0x80;
  else if (lead >= 0xe0 && lead <= 0xef) length = 3, min = 0x800;
  else if (lead >= 0xf0 && lead <= 0xf4) length = 4, min = 0x10000;
  else return 0;
  if (text.size() < length) return 0;
  unsigned code = lead & (0xff >> (length + 1));
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xc0) != 0x80) return 0;
    code = (code << 6) | (byte(i) & 0x3f);
  }
  if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return 0;
  return length;
}

// Valid UTF-8 (U+FFFD for each invalid byte), at most `limit` bytes, cut at a
// character boundary with "..." appended when cut.
std::string displayable(std::string_view text, std::size_t limit) {
  std::string out;
  out.reserve(std::min(text.size(), limit) + 3);
  while (!text.empty()) {
    std::size_t length = utf8_sequence(text);
    std::string_view piece = length ? text.substr(0, length) : std::string_view("\xef\xbf\xbd");
    if (out.size() + piece.size() > limit) {
      out += "...";
      break;
    }
    out += piece;
    text.remove_prefix(length ? length : 1);
  }
  return out;
}

}  // namespace

std::string quote_value(std::string_view value) {
  return "\"" + displayable(value, 100) + "\"";
}

Response error_response(int status, std::string_view code, std::string_view message) {
  boost::json::object error;
  error["code"] = code;
  error["message"] = displayable(message, kMaxErrorMessageBytes);
  boost::json::object body;
  body["error"] = std::move(error);
  Response response;
  response.status = status;
  response.body = boost::json::serialize(body);
  return response;
}

int status_for_code(std::string_view code) {
  struct Entry {
    std::string_view code;
    int status;
  };
  static constexpr Entry kTable[] = {
      {"invalid_json", 400},        {"bad_request", 400},          {"unauthorized", 401},
      {"forbidden", 403},           {"not_found", 404},            {"method_not_allowed", 405},
      {"conflict", 409},            {"already_exists", 409},       {"payload_too_large", 413},
      {"rate_limited", 429},        {"storage_unavailable", 503},  {"unavailable", 503},
      {"not_dead", 404},            {"shutting_down", 503},        {"server_busy", 503},
  };
  for (const auto& entry : kTable) {
    if (entry.code == code) return entry.status;
  }
  if (code.starts_with("invalid_") || code.starts_with("unknown_")) return 422;
  if (code.ends_with("_not_found")) return 404;
  return 500;
}

Response error_response(const engine::Error& error) {
  return error_response(status_for_code(error.code), error.code, error.message);
}

}  // namespace sivo::api
