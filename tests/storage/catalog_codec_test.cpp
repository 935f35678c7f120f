#include "storage/catalog_codec.hpp"

#include <gtest/gtest.h>

namespace sivo::storage {
namespace {

TEST(CatalogCodec, TenantAndEndpointRoundTripAsVersionedJson) {
  TenantRecord t{"acme", "Acme \"Calls\" \u00e9", 1700000000000, "ab12"};
  const auto json = codec::encode(t);
  EXPECT_NE(json.find("\"v\":1"), std::string::npos);
  EXPECT_EQ(codec::decode_tenant(json), t);

  EndpointRecord e;
  e.id = "ep_1";
  e.tenant_id = "acme";
  e.url = "https://hooks.example.com/x?y=1";
  e.description = "billing";
  e.event_types = {"call.*", "agent.paused"};
  e.secret = "whsec_abc";
  e.enabled = false;
  e.disabled_reason = "too many failures";
  e.created_at = 1;
  e.updated_at = 2;
  e.previous_secret = "whsec_old";
  e.previous_secret_expires_at = 3;
  e.rate_limit_per_second = 50;
  e.ordering_key = "call_id";
  EXPECT_EQ(codec::decode_endpoint(codec::encode(e)), e);

  EndpointRecord plain;
  plain.id = "ep_2";
  EXPECT_EQ(codec::decode_endpoint(codec::encode(plain)), plain);
}

TEST(CatalogCodec, UnknownMembersAreIgnoredAndMissingOnesDefault) {
  const auto e = codec::decode_endpoint(R"({"v":1,"id":"ep_1","future":{"x":[1]}})");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->id, "ep_1");
  EXPECT_TRUE(e->enabled);
  EXPECT_FALSE(e->rate_limit_per_second);
  EXPECT_FALSE(codec::decode_tenant("not json"));
  EXPECT_FALSE(codec::decode_tenant("[1,2]"));
}

TEST(CatalogCodec, ApiKeysAndSettings) {
  EXPECT_EQ(codec::decode_api_key(codec::encode_api_key("acme")), "acme");
  EXPECT_EQ(codec::decode_setting(codec::encode_setting("5s,30s")), "5s,30s");
}

}  // namespace
}  // namespace sivo::storage
