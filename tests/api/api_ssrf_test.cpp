// SSRF up front: with private networks not allowed (the default), an endpoint
// URL whose host is a literal loopback, private, CGNAT, link-local or metadata
// address, in any spelling a resolver accepts, or a localhost name, is refused
// 422 invalid_url on create and on PATCH, and nothing is stored. Public
// addresses next to those ranges are accepted (the ranges are exact). Names
// are judged when they resolve (tests/actors/ssrf_test.cpp).

#include "tests/api/api_fixture.hpp"

namespace sivo::test_api {
namespace {

using boost::json::object;
using boost::json::serialize;

const std::vector<std::string> kPrivateHosts = {
    "127.0.0.1", "127.0.0.2", "127.255.255.254", "localhost", "LocalHost", "api.localhost",
    "0.0.0.0", "0", "2130706433", "017700000001", "0177.0.0.1", "0x7f.0.0.1", "0x7f000001",
    "127.1", "10.0.0.1", "10.255.255.255", "012.0.0.1", "172.16.0.1", "172.31.255.255",
    "192.168.0.1", "192.168.255.255", "100.64.0.1", "100.127.255.255", "169.254.0.1",
    "169.254.169.254", "2852039166", "0xa9fea9fe", "0251.0376.0251.0376", "[::1]",
    "[0:0:0:0:0:0:0:1]", "[::]", "[fc00::1]", "[fd00:ec2::254]", "[fe80::1]", "[febf::1]",
    "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::ffff:10.0.0.1]", "[::ffff:169.254.169.254]",
    "[::ffff:192.168.1.1]"};

const std::vector<std::string> kPublicHosts = {
    "8.8.8.8", "11.0.0.1", "172.15.255.255", "172.32.0.1", "192.169.0.1", "100.63.255.255",
    "100.128.0.1", "169.253.255.255", "169.255.0.1", "[2606:4700:4700::1111]", "hooks.example.com"};

TEST_F(ApiTest, EveryLiteralPrivateFormIsRefusedOnCreateAndPatch) {
  auto strict = start_service(false);
  ASSERT_TRUE(strict);
  HttpClient api(last_port_);
  auto key = create_tenant("acme");

  for (const auto& host : kPrivateHosts) {
    for (std::string suffix : {"/hook", ":8443/hook"}) {
      const std::string url = "https://" + host + suffix;
      auto response = api.post("/v1/tenants/acme/endpoints", serialize(object{{"url", url}}), key);
      EXPECT_EQ(response.status, 422) << url << ": " << response.body;
      EXPECT_EQ(error_code_of(response), "invalid_url") << url;
    }
  }
  EXPECT_TRUE(store_->endpoints_of("acme").empty());

  // PATCH cannot move an accepted endpoint onto a private address either.
  auto created = api.post("/v1/tenants/acme/endpoints",
                          serialize(object{{"url", "https://hooks.example.com/x"}}), key);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id(created.json().at("id").as_string());
  for (const auto& host : kPrivateHosts) {
    const std::string url = "https://" + host + "/hook";
    auto response = api.request("PATCH", "/v1/tenants/acme/endpoints/" + id,
                                serialize(object{{"url", url}}), key);
    EXPECT_EQ(response.status, 422) << url << ": " << response.body;
  }
  EXPECT_EQ(store_->endpoint(id)->url, "https://hooks.example.com/x");

  for (const auto& host : kPublicHosts) {
    const std::string url = "https://" + host + "/hook";
    auto response = api.post("/v1/tenants/acme/endpoints", serialize(object{{"url", url}}), key);
    EXPECT_EQ(response.status, 201) << url << ": " << response.body;
  }
  strict->stop();
  extra_services_.push_back(std::move(strict));
}

}  // namespace
}  // namespace sivo::test_api
