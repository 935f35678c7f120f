#include "engine/address_policy.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <string>

namespace sivo::engine {
namespace {

Ipv4Address v4(const char* dotted) {
  in_addr address{};
  EXPECT_EQ(inet_pton(AF_INET, dotted, &address), 1) << dotted;
  return ntohl(address.s_addr);
}

Ipv6Address v6(const char* text) {
  Ipv6Address address{};
  EXPECT_EQ(inet_pton(AF_INET6, text, address.data()), 1) << text;
  return address;
}

TEST(IsForbiddenIpv4, RefusesEveryNonPublicRangeAtBothEdges) {
  for (const char* forbidden :
       {"0.0.0.0",     "0.255.255.255",   "10.0.0.0",       "10.255.255.255",
        "100.64.0.0",  "100.127.255.255", "127.0.0.1",      "127.255.255.254",
        "169.254.0.1", "169.254.169.254", "172.16.0.0",     "172.31.255.255",
        "192.0.0.1",   "192.0.0.255",     "192.168.0.1",    "192.168.255.255",
        "198.18.0.0",  "198.19.255.255",  "224.0.0.1",      "239.255.255.255",
        "240.0.0.1",   "255.255.255.254", "255.255.255.255"}) {
    EXPECT_TRUE(is_forbidden_ipv4(v4(forbidden))) << forbidden;
  }
}

TEST(IsForbiddenIpv4, AllowsPublicAddressesJustOutsideTheRanges) {
  for (const char* allowed :
       {"1.1.1.1", "8.8.8.8", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0",
        "126.255.255.255", "128.0.0.0", "169.253.255.255", "169.255.0.0", "172.15.255.255",
        "172.32.0.0", "192.0.1.0", "192.167.255.255", "192.169.0.0", "198.17.255.255", "198.20.0.0",
        "203.0.113.7", "223.255.255.255"}) {
    EXPECT_FALSE(is_forbidden_ipv4(v4(allowed))) << allowed;
  }
}

TEST(IsForbiddenIpv6, RefusesSpecialRanges) {
  for (const char* forbidden :
       {"::", "::1", "fc00::1", "fd12:3456:789a::1", "fe80::1", "febf:ffff::1", "fec0::1",
        "ff02::1", "ff05::1:3", "64:ff9b:1::a00:1"}) {
    EXPECT_TRUE(is_forbidden_ipv6(v6(forbidden))) << forbidden;
  }
}

TEST(IsForbiddenIpv6, JudgesEmbeddedIpv4ByTheIpv4Rules) {
  for (const char* forbidden :
       {"::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:169.254.169.254", "::127.0.0.1",
        "::10.0.0.1", "::ffff:0:192.168.1.1", "64:ff9b::127.0.0.1", "64:ff9b::a9fe:a9fe",
        "2002:7f00:1::", "2002:c0a8:101::1"}) {
    EXPECT_TRUE(is_forbidden_ipv6(v6(forbidden))) << forbidden;
  }
  for (const char* allowed :
       {"::ffff:8.8.8.8", "::8.8.8.8", "64:ff9b::808:808", "::ffff:0:1.1.1.1", "2002:808:808::1"}) {
    EXPECT_FALSE(is_forbidden_ipv6(v6(allowed))) << allowed;
  }
}

TEST(IsForbiddenIpv6, AllowsGlobalUnicast) {
  for (const char* allowed : {"2001:4860:4860::8888", "2606:4700:4700::1111",
                              "2a00:1450:4001:82a::200e", "2001:db8::1", "fbff::1", "fe7f::1"}) {
    EXPECT_FALSE(is_forbidden_ipv6(v6(allowed))) << allowed;
  }
}

struct LiteralCase {
  const char* host;
  const char* equivalent;  // dotted quad or IPv6 text
};

TEST(ParseLiteralHost, ReadsEveryIpv4SpellingAResolverAccepts) {
  const LiteralCase cases[] = {
      {"127.0.0.1", "127.0.0.1"},
      {"2130706433", "127.0.0.1"},
      {"0177.0.0.1", "127.0.0.1"},
      {"0x7f.1", "127.0.0.1"},
      {"0x7F000001", "127.0.0.1"},
      {"127.1", "127.0.0.1"},
      {"127.0.1", "127.0.0.1"},
      {"017700000001", "127.0.0.1"},
      {"0x7f.0.0.0x1", "127.0.0.1"},
      {"10.0x10.0300.1", "10.16.192.1"},
      {"169.254.43518", "169.254.169.254"},
      {"0", "0.0.0.0"},
      {"8.8.8.8", "8.8.8.8"},
      {"127.0.0.1.", "127.0.0.1"},
      {"4294967295", "255.255.255.255"},
  };
  for (const auto& c : cases) {
    const auto parsed = parse_literal_host(c.host);
    ASSERT_TRUE(parsed.has_value()) << c.host;
    ASSERT_TRUE(std::holds_alternative<Ipv4Address>(*parsed)) << c.host;
    EXPECT_EQ(std::get<Ipv4Address>(*parsed), v4(c.equivalent)) << c.host;
  }
}

TEST(ParseLiteralHost, ReadsIpv6WithOrWithoutBrackets) {
  const LiteralCase cases[] = {
      {"::1", "::1"},
      {"[::1]", "::1"},
      {"[::ffff:127.0.0.1]", "::ffff:127.0.0.1"},
      {"fe80::1%eth0", "fe80::1"},
      {"[fe80::1%25eth0]", "fe80::1"},
      {"2001:DB8::1", "2001:db8::1"},
  };
  for (const auto& c : cases) {
    const auto parsed = parse_literal_host(c.host);
    ASSERT_TRUE(parsed.has_value()) << c.host;
    ASSERT_TRUE(std::holds_alternative<Ipv6Address>(*parsed)) << c.host;
    EXPECT_EQ(std::get<Ipv6Address>(*parsed), v6(c.equivalent)) << c.host;
  }
}

TEST(ParseLiteralHost, LeavesNamesAlone) {
  for (const char* name :
       {"example.com", "localhost", "127.0.0.1.nip.io", "1.2.3.4.5", "256.0.0.1", "1.2.3.256",
        "4294967296", "08.0.0.1", "0x", "0xg", "1..2", ".1.2.3", "", "[]", "[example.com]", ":::1",
        "1.2.3.4 ", "0x7f.0x100.0.1", "1.16777216"}) {
    EXPECT_FALSE(parse_literal_host(name).has_value()) << '"' << name << '"';
  }
}

TEST(IsForbiddenLiteralHost, CatchesDisguisedLoopbackAndMetadataAddresses) {
  for (const char* host : {"localhost",
                           "LOCALHOST",
                           "localhost.",
                           "api.localhost",
                           "a.b.LocalHost",
                           "127.0.0.1",
                           "2130706433",
                           "0177.0.0.1",
                           "0x7f.1",
                           "127.1",
                           "0",
                           "0.0.0.0",
                           "[::1]",
                           "::1",
                           "[::ffff:127.0.0.1]",
                           "[::ffff:7f00:1]",
                           "169.254.169.254",
                           "0xa9fea9fe",
                           "10.1",
                           "[fd00::1]",
                           "[fe80::1%25eth0]",
                           "192.168.1.1"}) {
    EXPECT_TRUE(is_forbidden_literal_host(host)) << host;
  }
}

TEST(IsForbiddenLiteralHost, AllowsNamesAndPublicLiterals) {
  for (const char* host : {"example.com", "localhost.example.com", "mylocalhost", "8.8.8.8",
                           "134744072", "[2001:4860:4860::8888]", "hooks.acme.io"}) {
    EXPECT_FALSE(is_forbidden_literal_host(host)) << host;
  }
}

}  // namespace
}  // namespace sivo::engine
