#include "engine/address_policy.hpp"

#include <arpa/inet.h>

#include <cstring>
#include <string>

#include "engine/ascii.hpp"

namespace sivo::engine {
namespace {

struct Ipv4Block {
  Ipv4Address network;
  int prefix_length;
};

constexpr Ipv4Block kForbiddenIpv4[] = {
    {0x00000000, 8},   // 0.0.0.0/8       "this network"; 0.0.0.0 reaches localhost on Linux
    {0x0a000000, 8},   // 10.0.0.0/8      private
    {0x64400000, 10},  // 100.64.0.0/10   carrier-grade NAT
    {0x7f000000, 8},   // 127.0.0.0/8     loopback
    {0xa9fe0000, 16},  // 169.254.0.0/16  link-local, cloud metadata
    {0xac100000, 12},  // 172.16.0.0/12   private
    {0xc0000000, 24},  // 192.0.0.0/24    IETF protocol assignments
    {0xc0a80000, 16},  // 192.168.0.0/16  private
    {0xc6120000, 15},  // 198.18.0.0/15   benchmarking
    {0xe0000000, 4},   // 224.0.0.0/4     multicast
    {0xf0000000, 4},   // 240.0.0.0/4     reserved, includes 255.255.255.255
};

bool in_block(Ipv4Address address, Ipv4Block block) {
  const Ipv4Address mask =
      block.prefix_length == 0 ? 0 : ~Ipv4Address{0} << (32 - block.prefix_length);
  return (address & mask) == block.network;
}

Ipv4Address ipv4_at(const Ipv6Address& address, std::size_t offset) {
  return (Ipv4Address{address[offset]} << 24) | (Ipv4Address{address[offset + 1]} << 16) |
         (Ipv4Address{address[offset + 2]} << 8) | Ipv4Address{address[offset + 3]};
}

bool starts_with_bytes(const Ipv6Address& address, std::initializer_list<std::uint8_t> prefix) {
  std::size_t i = 0;
  for (std::uint8_t byte : prefix) {
    if (address[i++] != byte) return false;
  }
  return true;
}

// One part of an inet_aton spelling: decimal, octal (leading 0) or hex (0x).
std::optional<std::uint64_t> parse_ipv4_part(std::string_view part) {
  if (part.empty()) return std::nullopt;
  unsigned base = 10;
  if (part.size() >= 2 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X')) {
    base = 16;
    part.remove_prefix(2);
    if (part.empty()) return std::nullopt;  // glibc's inet_aton refuses a bare "0x" too
  } else if (part.size() >= 2 && part[0] == '0') {
    base = 8;
    part.remove_prefix(1);
  }
  std::uint64_t value = 0;
  for (char c : part) {
    unsigned digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<unsigned>(c - '0');
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      digit = static_cast<unsigned>(c - 'a' + 10);
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      digit = static_cast<unsigned>(c - 'A' + 10);
    } else {
      return std::nullopt;
    }
    if (digit >= base) return std::nullopt;
    value = value * base + digit;
    if (value > 0xffffffffULL) return std::nullopt;
  }
  return value;
}

// inet_aton's grammar: a, a.b (8.24 bits), a.b.c (8.8.16), a.b.c.d (8 each).
std::optional<Ipv4Address> parse_ipv4_literal(std::string_view host) {
  // A resolver ignores one trailing dot ("127.0.0.1." is still loopback).
  if (host.ends_with('.')) host.remove_suffix(1);
  std::uint64_t parts[4] = {};
  std::size_t count = 0;
  std::size_t start = 0;
  while (true) {
    if (count == 4) return std::nullopt;
    const std::size_t dot = host.find('.', start);
    const auto part =
        parse_ipv4_part(host.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (!part) return std::nullopt;
    parts[count++] = *part;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  std::uint64_t address = 0;
  for (std::size_t i = 0; i + 1 < count; ++i) {
    if (parts[i] > 0xff) return std::nullopt;
    address |= parts[i] << (24 - 8 * i);
  }
  // The last part fills every byte the earlier ones did not.
  const std::uint64_t last_limit = 0xffffffffULL >> (8 * (count - 1));
  if (parts[count - 1] > last_limit) return std::nullopt;
  address |= parts[count - 1];
  return static_cast<Ipv4Address>(address);
}

std::optional<Ipv6Address> parse_ipv6_literal(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.find(':') == std::string_view::npos) return std::nullopt;
  // A zone id ("fe80::1%eth0", "%25" in URLs) picks an interface, not an address.
  if (const auto percent = host.find('%'); percent != std::string_view::npos) {
    host = host.substr(0, percent);
  }
  const std::string text(host);  // inet_pton wants a terminated string
  Ipv6Address address{};
  if (inet_pton(AF_INET6, text.c_str(), address.data()) != 1) return std::nullopt;
  return address;
}

std::string to_lower_ascii(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = ascii_lower(c);
  return lower;
}

}  // namespace

bool is_forbidden_ipv4(Ipv4Address address) {
  for (const auto& block : kForbiddenIpv4) {
    if (in_block(address, block)) return true;
  }
  return false;
}

bool is_forbidden_ipv6(const Ipv6Address& address) {
  const bool first_80_bits_zero = starts_with_bytes(address, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  // ::ffff:a.b.c.d (mapped)
  if (first_80_bits_zero && address[10] == 0xff && address[11] == 0xff) {
    return is_forbidden_ipv4(ipv4_at(address, 12));
  }
  // ::a.b.c.d (compatible, deprecated); covers :: and ::1 as 0.0.0.0 and 0.0.0.1.
  if (first_80_bits_zero && address[10] == 0 && address[11] == 0) {
    return is_forbidden_ipv4(ipv4_at(address, 12));
  }
  // ::ffff:0:a.b.c.d (IPv4-translated, RFC 2765)
  if (starts_with_bytes(address, {0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0})) {
    return is_forbidden_ipv4(ipv4_at(address, 12));
  }
  // 64:ff9b::a.b.c.d (NAT64 well-known prefix)
  if (starts_with_bytes(address, {0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0})) {
    return is_forbidden_ipv4(ipv4_at(address, 12));
  }
  // 64:ff9b:1::/48 (NAT64 local use: translates to private networks)
  if (starts_with_bytes(address, {0x00, 0x64, 0xff, 0x9b, 0x00, 0x01})) return true;
  // 2002:a.b.c.d::/48 (6to4)
  if (starts_with_bytes(address, {0x20, 0x02})) return is_forbidden_ipv4(ipv4_at(address, 2));

  if ((address[0] & 0xfe) == 0xfc) return true;                        // fc00::/7 unique local
  if (address[0] == 0xfe && (address[1] & 0xc0) == 0x80) return true;  // fe80::/10 link-local
  if (address[0] == 0xfe && (address[1] & 0xc0) == 0xc0) return true;  // fec0::/10 site-local
  if (address[0] == 0xff) return true;                                 // ff00::/8 multicast
  return false;
}

bool is_forbidden_address(const IpAddress& address) {
  if (const auto* v4 = std::get_if<Ipv4Address>(&address)) return is_forbidden_ipv4(*v4);
  return is_forbidden_ipv6(std::get<Ipv6Address>(address));
}

std::optional<IpAddress> parse_literal_host(std::string_view host) {
  if (auto v6 = parse_ipv6_literal(host)) return IpAddress{*v6};
  if (auto v4 = parse_ipv4_literal(host)) return IpAddress{*v4};
  return std::nullopt;
}

bool is_forbidden_literal_host(std::string_view host) {
  std::string name = to_lower_ascii(host);
  if (name.ends_with('.')) name.pop_back();
  if (name == "localhost" || name.ends_with(".localhost")) return true;
  const auto address = parse_literal_host(host);
  return address && is_forbidden_address(*address);
}

}  // namespace sivo::engine
