#pragma once
// The SSRF rules: which addresses a delivery may never connect to (unless
// the operator allows private networks). Judged twice: up front on a URL's
// literal host, and at connect time on every resolved address.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>

namespace sivo::engine {

using Ipv4Address = std::uint32_t;                 // host byte order: 127.0.0.1 == 0x7f000001
using Ipv6Address = std::array<std::uint8_t, 16>;  // network byte order
using IpAddress = std::variant<Ipv4Address, Ipv6Address>;

// This host, loopback, private (RFC 1918), carrier-grade NAT, link-local
// (and with it cloud metadata 169.254.169.254), IETF protocol assignments,
// benchmarking, multicast, reserved and broadcast.
bool is_forbidden_ipv4(Ipv4Address address);

// Unspecified, loopback, unique-local, link-local, site-local, multicast,
// NAT64 local-use; and any form that embeds an IPv4 address (mapped,
// compatible, translated, NAT64 64:ff9b::/96, 6to4) is judged by that address.
bool is_forbidden_ipv6(const Ipv6Address& address);

bool is_forbidden_address(const IpAddress& address);

// The IP address a resolver would read `host` as, or nullopt for a name.
// Accepts every spelling inet_aton/getaddrinfo accept, since an attacker
// picks the one a naive check misses: "127.0.0.1", "2130706433",
// "0177.0.0.1", "0x7f.1", "127.1", "::1", "[::1]", "fe80::1%eth0".
std::optional<IpAddress> parse_literal_host(std::string_view host);

// True for "localhost", "*.localhost" (RFC 6761: always loopback) and any
// literal address that is_forbidden_address refuses.
bool is_forbidden_literal_host(std::string_view host);

}  // namespace sivo::engine
