// Tenants, the catalog, endpoints, health, metrics and auth over real HTTP
// against the real engine.

#include "tests/api/api_fixture.hpp"

namespace sivo::test_api {
namespace {

using boost::json::object;
using boost::json::serialize;

TEST_F(ApiTest, HealthzNeedsNoToken) {
  auto response = client().get("/healthz");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"status":"ok"})");
}

TEST_F(ApiTest, MetricsArePrometheusText) {
  auto response = client().get("/metrics");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-type").rfind("text/plain", 0), 0u);
  for (std::string_view name :
       {"sivo_events_ingested_total ", "sivo_attempts_total{outcome=\"delivered\"} ",
        "sivo_attempts_total{outcome=\"failed\"} ", "sivo_attempts_total{outcome=\"dead\"} ",
        "sivo_attempt_latency_ms_bucket{le=\"+Inf\"} ", "sivo_attempt_latency_ms_sum ",
        "sivo_attempt_latency_ms_count ", "sivo_pending_deliveries ", "sivo_dead_letters ",
        "sivo_endpoint_actors ", "sivo_store_writes_total ", "sivo_store_syncs_total ",
        "sivo_store_write_sets_total ",
        "# TYPE sivo_attempt_latency_ms histogram"}) {
    EXPECT_NE(response.body.find(name), std::string::npos) << name;
  }
}

TEST_F(ApiTest, CreatesTenantsWithAKeyShownOnce) {
  auto response = client().post("/v1/tenants", R"({"id":"acme","name":"Acme"})", kAdminToken);
  ASSERT_EQ(response.status, 201) << response.body;
  auto body = response.json().as_object();
  EXPECT_EQ(body.at("id").as_string(), "acme");
  EXPECT_EQ(body.at("name").as_string(), "Acme");
  EXPECT_TRUE(body.contains("created_at"));
  std::string key(body.at("api_key").as_string());
  EXPECT_EQ(key.rfind("sk_", 0), 0u);

  // Stored hashed only.
  auto stored = store_->tenant("acme");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->api_key_hash, engine::sha256_hex(key));

  auto list = client().get("/v1/tenants", kAdminToken);
  EXPECT_EQ(list.status, 200);
  auto items = list.json().at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("id").as_string(), "acme");
  EXPECT_FALSE(items[0].as_object().contains("api_key"));
}

TEST_F(ApiTest, TenantErrors) {
  create_tenant("acme");
  EXPECT_EQ(client().post("/v1/tenants", R"({"id":"acme"})", kAdminToken).status, 409);
  auto bad_id = client().post("/v1/tenants", R"({"id":"Not Valid"})", kAdminToken);
  EXPECT_EQ(bad_id.status, 422);
  EXPECT_EQ(error_code_of(bad_id), "invalid_tenant_id");
  auto missing = client().post("/v1/tenants", R"({"name":"x"})", kAdminToken);
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(error_message_of(missing), "field \"id\" is required");
  auto wrong_type = client().post("/v1/tenants", R"({"id":"b","name":5})", kAdminToken);
  EXPECT_EQ(wrong_type.status, 422);
  EXPECT_EQ(error_message_of(wrong_type), "field \"name\" must be a string");
  auto malformed = client().post("/v1/tenants", R"({"id":)", kAdminToken);
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(error_code_of(malformed), "invalid_json");
  auto bad_utf8 = client().post("/v1/tenants", "{\"id\":\"a\xff\"}", kAdminToken);
  EXPECT_EQ(bad_utf8.status, 400);
}

TEST_F(ApiTest, TenantKeysCannotManageTenants) {
  auto key = create_tenant("acme");
  EXPECT_EQ(client().post("/v1/tenants", R"({"id":"other"})", key).status, 403);
  EXPECT_EQ(client().get("/v1/tenants", key).status, 403);
  EXPECT_FALSE(store_->tenant("other"));
}

TEST_F(ApiTest, MeSaysWhoTheTokenIs) {
  auto key = create_tenant("acme");
  EXPECT_EQ(client().get("/v1/me", kAdminToken).body, R"({"role":"admin"})");
  EXPECT_EQ(client().get("/v1/me", key).body, R"({"role":"tenant","tenant_id":"acme"})");
  auto none = client().get("/v1/me");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.header("www-authenticate"), "Bearer");
  EXPECT_EQ(client().get("/v1/me", "sk_wrong").status, 401);
  EXPECT_EQ(client().request("GET", "/v1/me", {}, {}, {{"Authorization", "Basic abc"}}).status, 401);
  // The scheme is case-insensitive.
  EXPECT_EQ(client().request("GET", "/v1/me", {}, {}, {{"Authorization", std::string("bearer ") + kAdminToken}}).status, 200);
}

TEST_F(ApiTest, EventTypesListTheCatalogWithSamples) {
  auto response = client().get("/v1/event-types", kAdminToken);
  ASSERT_EQ(response.status, 200);
  auto items = response.json().at("items").as_array();
  ASSERT_EQ(items.size(), 13u);
  EXPECT_EQ(items[0].at("name").as_string(), "call.created");
  for (const auto& item : items) {
    EXPECT_FALSE(item.at("family").as_string().empty());
    EXPECT_FALSE(item.at("description").as_string().empty());
    EXPECT_TRUE(item.at("sample").is_object());
  }
  EXPECT_EQ(client().get("/v1/event-types").status, 401);
}

TEST_F(ApiTest, CreatesAnEndpointWithAGeneratedSecret) {
  auto key = create_tenant("acme");
  auto response = client().post("/v1/tenants/acme/endpoints",
                                serialize(object{{"url", receiver_.url("/crm")},
                                                 {"description", "CRM"},
                                                 {"event_types", boost::json::array{"call.*", "queue.entered"}}}),
                                key);
  ASSERT_EQ(response.status, 201) << response.body;
  auto endpoint = response.json().as_object();
  EXPECT_EQ(std::string(endpoint.at("id").as_string()).rfind("ep_", 0), 0u);
  EXPECT_EQ(endpoint.at("tenant_id").as_string(), "acme");
  EXPECT_EQ(endpoint.at("url").as_string(), receiver_.url("/crm"));
  EXPECT_EQ(endpoint.at("description").as_string(), "CRM");
  EXPECT_EQ(endpoint.at("event_types").as_array().size(), 2u);
  EXPECT_EQ(endpoint.at("enabled").as_bool(), true);
  EXPECT_TRUE(endpoint.at("disabled_reason").is_null());
  std::string secret(endpoint.at("secret").as_string());
  EXPECT_EQ(secret.rfind("whsec_", 0), 0u);
  EXPECT_EQ(secret.size(), 6u + 44u);  // base64 of 32 bytes
  EXPECT_TRUE(endpoint.contains("created_at"));
  EXPECT_TRUE(endpoint.contains("updated_at"));

  auto stored = store_->endpoint(std::string(endpoint.at("id").as_string()));
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->secret, secret);
}

TEST_F(ApiTest, KeepsAGivenSecretAndRefusesABadOne) {
  auto key = create_tenant("acme");
  const std::string secret = "whsec_" + std::string(32, 'A');  // base64 of 24 bytes
  auto endpoint = create_endpoint("acme", key, object{{"secret", secret}});
  EXPECT_EQ(endpoint.at("secret").as_string(), secret);
  for (std::string bad : std::vector<std::string>{"plain", "whsec_abc", "whsec_" + std::string(100, 'A'), "whsec_!!!!"}) {
    auto response = client().post("/v1/tenants/acme/endpoints",
                                  serialize(object{{"url", receiver_.url()}, {"secret", bad}}), key);
    EXPECT_EQ(response.status, 422) << bad;
    EXPECT_EQ(error_code_of(response), "invalid_secret") << bad;
  }
}

TEST_F(ApiTest, EndpointValidation) {
  auto key = create_tenant("acme");
  auto post = [&](object body) {
    return client().post("/v1/tenants/acme/endpoints", serialize(body), key);
  };
  auto http = post(object{{"url", "http://example.com/hook"}});
  EXPECT_EQ(http.status, 422);
  EXPECT_EQ(error_code_of(http), "invalid_url");
  EXPECT_NE(error_message_of(http).find("https://"), std::string::npos);
  EXPECT_EQ(post(object{{"url", 5}}).status, 422);
  EXPECT_EQ(error_message_of(post(object{{"url", 5}})), "field \"url\" must be a string");
  EXPECT_EQ(error_message_of(post(object{})), "field \"url\" is required");
  auto unknown_type = post(object{{"url", receiver_.url()}, {"event_types", boost::json::array{"call.exploded"}}});
  EXPECT_EQ(unknown_type.status, 422);
  EXPECT_EQ(error_code_of(unknown_type), "invalid_event_type");
  EXPECT_NE(error_message_of(unknown_type).find("call.exploded"), std::string::npos);
  EXPECT_EQ(post(object{{"url", receiver_.url()}, {"event_types", "call.*"}}).status, 422);
  EXPECT_EQ(post(object{{"url", receiver_.url()}, {"enabled", "yes"}}).status, 422);
  EXPECT_EQ(post(object{{"url", receiver_.url()}, {"description", std::string(5000, 'd')}}).status, 422);
  EXPECT_EQ(client().post("/v1/tenants/acme/endpoints", "[]", key).status, 422);
  EXPECT_EQ(client().post("/v1/tenants/acme/endpoints", "{", key).status, 400);
  EXPECT_TRUE(store_->endpoints_of("acme").empty());
}

TEST_F(ApiTest, LiteralPrivateAddressesAreRefusedUnlessAllowed) {
  auto strict = start_service(false);
  ASSERT_TRUE(strict);
  HttpClient strict_client(last_port_);
  auto key = create_tenant("acme");
  for (std::string url : std::vector<std::string>{"https://127.0.0.1/hook", "https://localhost:8443/", "https://10.1.2.3/",
                          "https://[::1]/x", "https://169.254.169.254/latest", "https://2130706433/"}) {
    auto response = strict_client.post("/v1/tenants/acme/endpoints", serialize(object{{"url", url}}), key);
    EXPECT_EQ(response.status, 422) << url;
    EXPECT_EQ(error_code_of(response), "invalid_url") << url;
  }
  EXPECT_EQ(strict_client.post("/v1/tenants/acme/endpoints",
                               serialize(object{{"url", "https://hooks.example.com/x"}}), key).status,
            201);
  // The permissive API (the fixture's) accepts the loopback receiver.
  EXPECT_EQ(client().post("/v1/tenants/acme/endpoints", serialize(object{{"url", "https://127.0.0.1/x"}}), key).status,
            201);
  strict->stop();
  extra_services_.push_back(std::move(strict));
}

TEST_F(ApiTest, ListsGetsPatchesAndDeletesEndpoints) {
  auto key = create_tenant("acme");
  auto first = create_endpoint("acme", key, object{{"description", "one"}});
  auto second = create_endpoint("acme", key, object{{"description", "two"}});
  std::string id(first.at("id").as_string());
  std::string path = "/v1/tenants/acme/endpoints/" + id;

  auto list = client().get("/v1/tenants/acme/endpoints", key);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json().at("items").as_array().size(), 2u);

  auto got = client().get(path, key);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.json().at("description").as_string(), "one");

  auto patched = client().patch(path,
                                serialize(object{{"url", receiver_.url("/new")},
                                                 {"description", "changed"},
                                                 {"event_types", boost::json::array{"transcript.*"}},
                                                 {"enabled", false}}),
                                key);
  ASSERT_EQ(patched.status, 200) << patched.body;
  auto body = patched.json();
  EXPECT_EQ(body.at("url").as_string(), receiver_.url("/new"));
  EXPECT_EQ(body.at("description").as_string(), "changed");
  EXPECT_EQ(body.at("event_types").as_array().size(), 1u);
  EXPECT_EQ(body.at("enabled").as_bool(), false);
  EXPECT_EQ(body.at("secret"), first.at("secret"));
  EXPECT_EQ(body.at("created_at"), first.at("created_at"));
  auto stored = store_->endpoint(id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->description, "changed");
  EXPECT_FALSE(stored->enabled);

  // Only what is given changes; bad values change nothing.
  EXPECT_EQ(client().patch(path, R"({"enabled":true})", key).json().at("description").as_string(), "changed");
  EXPECT_EQ(client().patch(path, R"({"url":"http://x"})", key).status, 422);
  EXPECT_EQ(client().patch(path, R"({"event_types":["nope"]})", key).status, 422);
  EXPECT_EQ(client().patch(path, R"({"enabled":1})", key).status, 422);
  EXPECT_EQ(client().patch(path, R"({"description":null})", key).json().at("description").as_string(), "");
  EXPECT_EQ(store_->endpoint(id)->url, receiver_.url("/new"));

  auto deleted = client().del(path, key);
  EXPECT_EQ(deleted.status, 204);
  EXPECT_EQ(deleted.body, "");
  EXPECT_EQ(client().get(path, key).status, 404);
  EXPECT_EQ(client().del(path, key).status, 404);
  EXPECT_EQ(client().get("/v1/tenants/acme/endpoints", key).json().at("items").as_array().size(), 1u);
}

TEST_F(ApiTest, UnknownTenantsAndEndpointsAre404) {
  create_tenant("acme");
  EXPECT_EQ(client().get("/v1/tenants/nobody/endpoints", kAdminToken).status, 404);
  EXPECT_EQ(client().post("/v1/tenants/nobody/events", R"({"type":"call.created","data":{}})", kAdminToken).status, 404);
  EXPECT_EQ(client().get("/v1/tenants/acme/endpoints/ep_nothing", kAdminToken).status, 404);
  EXPECT_EQ(client().get("/v1/tenants/acme/endpoints/ep_nothing/deliveries", kAdminToken).status, 404);
}

TEST_F(ApiTest, UnknownRoutesAre404AndWrongMethods405) {
  auto missing = client().get("/v1/nothing", kAdminToken);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(error_code_of(missing), "not_found");
  auto wrong = client().request("PUT", "/v1/tenants", "{}", kAdminToken);
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.header("allow"), "POST, GET");
}

}  // namespace
}  // namespace sivo::test_api
