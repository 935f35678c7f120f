#include "engine/endpoint_url.hpp"

#include "engine/address_policy.hpp"
#include "engine/ascii.hpp"

namespace sivo::engine {
namespace {

constexpr std::size_t kMaxUrlLength = 2048;
constexpr std::string_view kScheme = "https://";

Error invalid(std::string_view why) { return Error{"invalid_url", std::string(why)}; }

bool is_reg_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_';
}

// DNS labels of 1..63 characters; no empty label, so no leading, trailing
// or doubled dots (a trailing dot defeats TLS name checks on some stacks).
bool is_valid_reg_name(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  std::size_t label_length = 0;
  for (char c : host) {
    if (!is_reg_name_char(c)) return false;
    if (c == '.') {
      if (label_length == 0) return false;
      label_length = 0;
    } else if (++label_length > 63) {
      return false;
    }
  }
  return label_length > 0;
}

std::optional<std::uint16_t> parse_port(std::string_view digits) {
  if (digits.empty() || digits.size() > 5) return std::nullopt;
  unsigned value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value < 1 || value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

}  // namespace

std::string EndpointUrl::authority() const {
  std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != 443) out += ":" + std::to_string(port);
  return out;
}

std::string EndpointUrl::origin() const { return std::string(kScheme) + authority(); }

std::string EndpointUrl::to_string() const { return origin() + target; }

Result<EndpointUrl> parse_endpoint_url(std::string_view url) {
  if (url.size() > kMaxUrlLength) return invalid("endpoint URL is longer than 2048 characters");
  for (char c : url) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f) {
      return invalid("endpoint URL must not contain spaces or control characters");
    }
    if (byte >= 0x80)
      return invalid("endpoint URL must be ASCII (percent-encode other characters)");
  }
  if (!starts_with_ignoring_ascii_case(url, kScheme)) return invalid("endpoint URLs must use https://");
  if (url.find('#') != std::string_view::npos) {
    return invalid("endpoint URL must not contain a fragment (#...)");
  }

  const std::string_view rest = url.substr(kScheme.size());
  const std::size_t authority_end = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, authority_end);
  const std::string_view target =
      authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);

  if (authority.find('@') != std::string_view::npos) {
    return invalid("endpoint URL must not contain credentials (user@host)");
  }
  if (authority.find('\\') != std::string_view::npos) {
    return invalid("endpoint URL host must not contain a backslash");
  }

  EndpointUrl parsed;
  std::string_view port_text;
  bool has_port = false;
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return invalid("endpoint URL has an unclosed [IPv6] host");
    const std::string_view literal = authority.substr(1, close - 1);
    // Zone ids are for link-local addresses, which are never a valid endpoint.
    if (literal.find('%') != std::string_view::npos || !parse_literal_host(literal) ||
        literal.find(':') == std::string_view::npos) {
      return invalid("endpoint URL has an invalid IPv6 address in brackets");
    }
    parsed.host = std::string(literal);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return invalid("endpoint URL has characters after the [IPv6] host");
      has_port = true;
      port_text = after.substr(1);
    }
  } else {
    const std::size_t colon = authority.find(':');
    const std::string_view host = authority.substr(0, colon);
    if (host.empty()) return invalid("endpoint URL has no host");
    if (!is_valid_reg_name(host)) {
      return invalid("endpoint URL host \"" + std::string(host) + "\" is not a valid host name");
    }
    parsed.host = std::string(host);
    if (colon != std::string_view::npos) {
      has_port = true;
      port_text = authority.substr(colon + 1);
    }
  }
  if (parsed.host.empty()) return invalid("endpoint URL has no host");
  for (char& c : parsed.host) c = ascii_lower(c);

  if (has_port) {
    const auto port = parse_port(port_text);
    if (!port) {
      return invalid("endpoint URL port \"" + std::string(port_text) + "\" is not in 1..65535");
    }
    parsed.port = *port;
  }

  if (target.empty()) {
    parsed.target = "/";
  } else if (target.front() == '?') {
    parsed.target = "/" + std::string(target);  // "https://h?x=1" means "/?x=1"
  } else {
    parsed.target = std::string(target);
  }
  return parsed;
}

}  // namespace sivo::engine
