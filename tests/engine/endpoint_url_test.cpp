#include "engine/endpoint_url.hpp"

#include <gtest/gtest.h>

namespace sivo::engine {
namespace {

struct GoodUrl {
  const char* url;
  const char* host;
  std::uint16_t port;
  const char* target;
};

TEST(ParseEndpointUrl, SplitsHostPortAndTarget) {
  const GoodUrl cases[] = {
      {"https://example.com", "example.com", 443, "/"},
      {"https://example.com/", "example.com", 443, "/"},
      {"https://hooks.example.com/sivo/in?token=abc&x=1", "hooks.example.com", 443,
       "/sivo/in?token=abc&x=1"},
      {"https://example.com:8443/hook", "example.com", 8443, "/hook"},
      {"https://example.com?x=1", "example.com", 443, "/?x=1"},
      {"HTTPS://Example.COM/Path", "example.com", 443, "/Path"},
      {"https://203.0.113.7:9000/h", "203.0.113.7", 9000, "/h"},
      {"https://[2001:db8::1]/h", "2001:db8::1", 443, "/h"},
      {"https://[2001:db8::1]:8443", "2001:db8::1", 8443, "/"},
      {"https://my_host.internal.example/", "my_host.internal.example", 443, "/"},
      {"https://example.com:1/", "example.com", 1, "/"},
      {"https://example.com:65535/", "example.com", 65535, "/"},
      {"https://example.com/a%20b", "example.com", 443, "/a%20b"},
  };
  for (const auto& c : cases) {
    const auto parsed = parse_endpoint_url(c.url);
    ASSERT_TRUE(parsed.ok()) << c.url << ": " << parsed.error().message;
    EXPECT_EQ(parsed->host, c.host) << c.url;
    EXPECT_EQ(parsed->port, c.port) << c.url;
    EXPECT_EQ(parsed->target, c.target) << c.url;
  }
}

TEST(ParseEndpointUrl, RefusesEveryOtherScheme) {
  for (const char* url :
       {"http://example.com/", "ftp://example.com/", "example.com/hook", "//example.com/",
        "https:/example.com", "https:example.com", "wss://example.com/", ""}) {
    const auto parsed = parse_endpoint_url(url);
    ASSERT_FALSE(parsed.ok()) << url;
    EXPECT_EQ(parsed.error().code, "invalid_url");
    EXPECT_EQ(parsed.error().message, "endpoint URLs must use https://") << url;
  }
}

TEST(ParseEndpointUrl, RefusesMalformedUrls) {
  const std::string too_long = "https://example.com/" + std::string(2048, 'a');
  for (const std::string& url : {
           std::string("https://"),
           std::string("https:///path"),
           std::string("https://:443/"),
           std::string("https://user:pass@example.com/"),
           std::string("https://user@example.com/"),
           std::string("https://example.com/#frag"),
           std::string("https://example.com/a b"),
           std::string("https://exa mple.com/"),
           std::string("https://example.com/\r\nX-Injected: 1"),
           std::string("https://example.com\t/"),
           std::string("https://example.com:0/"),
           std::string("https://example.com:65536/"),
           std::string("https://example.com:/"),
           std::string("https://example.com:80a/"),
           std::string("https://example.com:-1/"),
           std::string("https://exa..mple.com/"),
           std::string("https://.example.com/"),
           std::string("https://example.com./"),
           std::string("https://exam!ple.com/"),
           std::string("https://example.com\\@evil.com/"),
           std::string("https://[::1/"),
           std::string("https://[not-ipv6]/"),
           std::string("https://[fe80::1%25eth0]/"),
           std::string("https://[::1]x/"),
           std::string("https://ex\xc3\xa4mple.com/"),
           too_long,
       }) {
    const auto parsed = parse_endpoint_url(url);
    ASSERT_FALSE(parsed.ok()) << url;
    EXPECT_EQ(parsed.error().code, "invalid_url");
  }
}

TEST(ParseEndpointUrl, AcceptsUpTo2048Characters) {
  const std::string prefix = "https://example.com/";
  EXPECT_TRUE(parse_endpoint_url(prefix + std::string(2048 - prefix.size(), 'a')).ok());
  EXPECT_FALSE(parse_endpoint_url(prefix + std::string(2049 - prefix.size(), 'a')).ok());
}

TEST(EndpointUrl, OriginOmitsTheDefaultPortAndBracketsIpv6) {
  EXPECT_EQ(parse_endpoint_url("https://Example.com/x")->origin(), "https://example.com");
  EXPECT_EQ(parse_endpoint_url("https://example.com:8443/x")->origin(), "https://example.com:8443");
  EXPECT_EQ(parse_endpoint_url("https://[2001:db8::1]:8443/x")->origin(),
            "https://[2001:db8::1]:8443");
  EXPECT_EQ(parse_endpoint_url("https://[2001:db8::1]/x")->authority(), "[2001:db8::1]");
  EXPECT_EQ(parse_endpoint_url("https://example.com:8443/x?y=1")->to_string(),
            "https://example.com:8443/x?y=1");
}

}  // namespace
}  // namespace sivo::engine
