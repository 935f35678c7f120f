// Endpoint URL and literal host parsing: engine::parse_endpoint_url and the
// SSRF helpers (parse_literal_host, is_forbidden_literal_host). On success the
// URL is https with a host, a port in 1..65535 and a target starting with '/',
// and its canonical spelling parses back to the same parts. A literal the host
// parser reads as a forbidden address is refused by the host check too.
#include <cstdint>
#include <string_view>

#include "engine/address_policy.hpp"
#include "engine/endpoint_url.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  namespace engine = sivo::engine;
  // The raw bytes as a host, the way an attacker would spell one.
  if (auto literal = engine::parse_literal_host(text)) {
    // The host check is never less strict than the address it spells (it may
    // be stricter: "7::%:.localhost" is a zone-id'd 7:: and also a *.localhost).
    if (engine::is_forbidden_address(*literal)) FUZZ_CHECK(engine::is_forbidden_literal_host(text));
  } else {
    (void)engine::is_forbidden_literal_host(text);
  }
  auto url = engine::parse_endpoint_url(text);
  if (!url) {
    FUZZ_CHECK(url.error().code == "invalid_url");
    return 0;
  }
  FUZZ_CHECK(!url->host.empty());
  FUZZ_CHECK(url->port >= 1);
  FUZZ_CHECK(!url->target.empty() && url->target.front() == '/');
  auto again = engine::parse_endpoint_url(url->to_string());
  FUZZ_CHECK(again);
  FUZZ_CHECK(again->host == url->host && again->port == url->port && again->target == url->target);
  if (auto literal = engine::parse_literal_host(url->host))
    (void)engine::is_forbidden_address(*literal);
  return 0;
}
