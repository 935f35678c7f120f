// Every route, walked from the router's own table: tenant isolation, auth,
// and agreement with the OpenAPI document.

#include <set>
#include <thread>

#include "api/openapi_document.hpp"
#include "tests/api/api_fixture.hpp"

namespace sivo::test_api {
namespace {

using boost::json::object;
using namespace std::chrono_literals;

const std::set<std::string> kPublicRoutes = {"GET /healthz", "GET /metrics", "GET /v1/openapi.json"};

// The dashboard's static files (GET / and GET /dashboard/...): public, and
// not part of the API the OpenAPI document describes.
bool is_dashboard_file(const api::Router::Route& route) {
  return route.method == "GET" && (route.pattern == "/" || route.pattern.starts_with("/dashboard/"));
}

std::string substitute(std::string pattern, const std::map<std::string, std::string>& values) {
  for (const auto& [name, value] : values) {
    const std::string placeholder = "{" + name + "}";
    for (auto at = pattern.find(placeholder); at != std::string::npos; at = pattern.find(placeholder)) {
      pattern.replace(at, placeholder.size(), value);
    }
  }
  return pattern;
}

// A body each route would accept from its owner.
std::string body_for(const std::string& method, const std::string& pattern, const std::string& url) {
  if (method == "GET" || method == "DELETE") return {};
  if (pattern.ends_with("/events")) return R"({"id":"intruder","type":"call.created","data":{}})";
  if (pattern.ends_with("/events/batch")) return R"({"events":[{"id":"intruder2","type":"call.created","data":{}}]})";
  if (pattern.ends_with("/endpoints")) return boost::json::serialize(object{{"url", url}});
  if (pattern.ends_with("/endpoints/{e}")) return R"({"description":"hacked","enabled":false})";
  if (pattern.ends_with("/test")) return R"({"type":"call.created"})";
  if (pattern == "/v1/tenants") return R"({"id":"made-by-intruder"})";
  return "{}";
}

TEST_F(ApiTest, AnotherTenantsKeyGets404OnEveryTenantRouteAndChangesNothing) {
  auto acme_key = create_tenant("acme");
  auto globex_key = create_tenant("globex");
  receiver_.reply_always(test_support::Reply::with_status(500));
  auto endpoint = create_endpoint("acme", acme_key);
  const std::string endpoint_id(endpoint.at("id").as_string());
  const std::string secret(endpoint.at("secret").as_string());
  ASSERT_EQ(client().post("/v1/tenants/acme/events", R"({"id":"dead-1","type":"call.created","data":{"private":"acme-only"}})", acme_key).status, 202);
  for (int i = 0; i < 400 && !store_->dead_letter(endpoint_id, "dead-1"); ++i) std::this_thread::sleep_for(25ms);
  ASSERT_TRUE(store_->dead_letter(endpoint_id, "dead-1"));
  const std::size_t requests_before = receiver_.request_count();
  const auto endpoint_before = store_->endpoint(endpoint_id);

  std::size_t checked = 0;
  for (const auto& route : service_->router().routes()) {
    if (route.pattern.find("{t}") == std::string::npos) continue;
    const std::string path = substitute(route.pattern, {{"t", "acme"}, {"e", endpoint_id}, {"event_id", "dead-1"}});
    auto response = client().request(route.method, path, body_for(route.method, route.pattern, receiver_.url()), globex_key);
    EXPECT_EQ(response.status, 404) << route.method << " " << path << ": " << response.body;
    EXPECT_EQ(error_code_of(response), "not_found") << route.method << " " << path;
    EXPECT_EQ(response.body.find("acme-only"), std::string::npos);
    EXPECT_EQ(response.body.find(secret), std::string::npos);
    ++checked;
  }
  EXPECT_GE(checked, 13u);

  // Nothing changed: no events, no endpoint edits, no deliveries, DLQ intact.
  EXPECT_FALSE(store_->event("acme", "intruder"));
  EXPECT_FALSE(store_->event("acme", "intruder2"));
  EXPECT_EQ(store_->endpoint(endpoint_id), endpoint_before);
  EXPECT_EQ(store_->endpoints_of("acme").size(), 1u);
  EXPECT_TRUE(store_->dead_letter(endpoint_id, "dead-1"));
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(receiver_.request_count(), requests_before);
}

TEST_F(ApiTest, AnEndpointIsOnlyFoundUnderItsOwnTenant) {
  auto acme_key = create_tenant("acme");
  create_tenant("globex");
  auto endpoint = create_endpoint("acme", acme_key);
  const std::string endpoint_id(endpoint.at("id").as_string());
  for (const auto& route : service_->router().routes()) {
    if (route.pattern.find("{e}") == std::string::npos) continue;
    const std::string path = substitute(route.pattern, {{"t", "globex"}, {"e", endpoint_id}, {"event_id", "x"}});
    auto response = client().request(route.method, path, body_for(route.method, route.pattern, receiver_.url()), kAdminToken);
    EXPECT_EQ(response.status, 404) << route.method << " " << path << ": " << response.body;
  }
  EXPECT_TRUE(store_->endpoint(endpoint_id));
}

TEST_F(ApiTest, EveryNonPublicRouteNeedsAToken) {
  create_tenant("acme");
  for (const auto& route : service_->router().routes()) {
    if (is_dashboard_file(route)) {
      EXPECT_EQ(client().get(route.pattern).status, 200) << route.pattern;
      continue;
    }
    const std::string key = route.method + " " + route.pattern;
    const std::string path = substitute(route.pattern, {{"t", "acme"}, {"e", "ep_x"}, {"event_id", "x"}});
    auto none = client().request(route.method, path, body_for(route.method, route.pattern, receiver_.url()));
    auto bad = client().request(route.method, path, body_for(route.method, route.pattern, receiver_.url()), "sk_not_a_key");
    if (kPublicRoutes.count(key)) {
      EXPECT_EQ(none.status, 200) << key;
    } else {
      EXPECT_EQ(none.status, 401) << key;
      EXPECT_EQ(bad.status, 401) << key;
      EXPECT_EQ(error_code_of(none), "unauthorized") << key;
    }
  }
  EXPECT_EQ(store_->tenants().size(), 1u);
}

std::set<std::string> openapi_operations(const boost::json::value& document) {
  std::set<std::string> out;
  for (const auto& [path, item] : document.at("paths").as_object()) {
    for (const auto& [method, operation] : item.as_object()) {
      std::string upper(method);
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (upper == "GET" || upper == "POST" || upper == "PATCH" || upper == "DELETE" || upper == "PUT") {
        out.insert(upper + " " + std::string(path));
      }
    }
  }
  return out;
}

TEST_F(ApiTest, TheOpenApiDocumentListsExactlyTheRoutes) {
  auto served = client().get("/v1/openapi.json");
  ASSERT_EQ(served.status, 200);
  EXPECT_EQ(served.body, std::string(api::openapi_document()));
  auto document = served.json();
  ASSERT_TRUE(document.is_object());
  EXPECT_EQ(std::string(document.at("openapi").as_string()).rfind("3.", 0), 0u);

  std::set<std::string> routes;
  for (const auto& route : service_->router().routes()) {
    if (!is_dashboard_file(route)) routes.insert(route.method + " " + route.pattern);
  }
  auto documented = openapi_operations(document);
  for (const auto& route : routes) EXPECT_TRUE(documented.count(route)) << "not in openapi.json: " << route;
  for (const auto& operation : documented) EXPECT_TRUE(routes.count(operation)) << "no such route: " << operation;
}

}  // namespace
}  // namespace sivo::test_api
