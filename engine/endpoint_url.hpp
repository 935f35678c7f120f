#pragma once
// An endpoint's URL, taken apart once when it is saved so the HTTPS client
// never parses user input. HTTPS only (the seed's "no plain HTTP").

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/error.hpp"

namespace sivo::engine {

struct EndpointUrl {
  std::string host;  // lowercase; an IPv6 literal without brackets ("::1")
  std::uint16_t port = 443;
  std::string target;  // path + query, at least "/"

  // "https://host[:port]" (port omitted when 443, IPv6 bracketed).
  std::string origin() const;
  // "host[:port]" as the Host header carries it.
  std::string authority() const;
  // origin() + target.
  std::string to_string() const;
};

// Error{"invalid_url", ...}: "endpoint URLs must use https://" for any other
// scheme; otherwise a sentence naming what is wrong. Refused: no host, a port
// outside 1..65535, userinfo ("user@"), a fragment, spaces or control
// characters, non-ASCII bytes, more than 2048 characters.
Result<EndpointUrl> parse_endpoint_url(std::string_view url);

}  // namespace sivo::engine
