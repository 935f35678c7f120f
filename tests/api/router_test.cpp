#include "api/router.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace sivo::api {
namespace {

Handler tag(std::string name) {
  return [name](const Request& request, Respond respond) {
    Response response;
    response.body = name;
    for (const auto& [key, value] : request.params) response.body += "|" + key + "=" + value;
    respond(std::move(response));
  };
}

Response run(const Router& router, std::string method, std::string path) {
  Request request;
  request.method = std::move(method);
  request.path = std::move(path);
  Response out;
  router.dispatch(request, [&out](Response r) { out = std::move(r); });
  return out;
}

Router sample_router() {
  Router router;
  router.add("GET", "/v1/tenants", tag("list"));
  router.add("POST", "/v1/tenants", tag("create"));
  router.add("GET", "/v1/tenants/{t}/endpoints/{e}", tag("endpoint"));
  router.add("DELETE", "/v1/tenants/{t}/endpoints/{e}", tag("delete"));
  router.add("POST", "/v1/tenants/{t}/endpoints/{e}/dlq/retry", tag("retry_all"));
  router.add("POST", "/v1/tenants/{t}/endpoints/{e}/dlq/{event_id}/retry", tag("retry_one"));
  return router;
}

TEST(Router, MatchesLiteralPathsByMethod) {
  auto router = sample_router();
  EXPECT_EQ(run(router, "GET", "/v1/tenants").body, "list");
  EXPECT_EQ(run(router, "POST", "/v1/tenants").body, "create");
}

TEST(Router, CapturesPathParameters) {
  auto router = sample_router();
  EXPECT_EQ(run(router, "POST", "/v1/tenants/acme/endpoints/ep_1/dlq/evt_9/retry").body,
            "retry_one|e=ep_1|event_id=evt_9|t=acme");
  EXPECT_EQ(run(router, "POST", "/v1/tenants/acme/endpoints/ep_1/dlq/retry").body,
            "retry_all|e=ep_1|t=acme");
}

TEST(Router, PercentDecodesCaptures) {
  auto router = sample_router();
  EXPECT_EQ(run(router, "GET", "/v1/tenants/acme/endpoints/ep%5F1").body, "endpoint|e=ep_1|t=acme");
}

TEST(Router, UnknownPathIs404Json) {
  auto router = sample_router();
  auto response = run(router, "GET", "/v1/nothing");
  EXPECT_EQ(response.status, 404);
  auto body = boost::json::parse(response.body);
  EXPECT_EQ(body.at("error").at("code").as_string(), "not_found");
}

TEST(Router, EmptySegmentsAndTrailingSlashesDoNotMatch) {
  auto router = sample_router();
  EXPECT_EQ(run(router, "GET", "/v1/tenants/").status, 404);
  EXPECT_EQ(run(router, "GET", "/v1//tenants").status, 404);
  EXPECT_EQ(run(router, "GET", "/v1/tenants//endpoints/x").status, 404);
  EXPECT_EQ(run(router, "GET", "").status, 404);
}

TEST(Router, WrongMethodIs405WithAllow) {
  auto router = sample_router();
  auto response = run(router, "PUT", "/v1/tenants/acme/endpoints/ep_1");
  EXPECT_EQ(response.status, 405);
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].first, "Allow");
  EXPECT_EQ(response.headers[0].second, "GET, DELETE");
  auto body = boost::json::parse(response.body);
  EXPECT_EQ(body.at("error").at("code").as_string(), "method_not_allowed");
}

TEST(Router, ListsItsRoutes) {
  auto router = sample_router();
  ASSERT_EQ(router.routes().size(), 6u);
  EXPECT_EQ(router.routes()[2].pattern, "/v1/tenants/{t}/endpoints/{e}");
}

TEST(SplitPath, KeepsEmptySegments) {
  EXPECT_EQ(split_path("/").size(), 0u);
  EXPECT_EQ(split_path("/a/b").size(), 2u);
  auto parts = split_path("/a//b/");
  ASSERT_EQ(parts.size(), 4u);
  EXPECT_EQ(parts[1], "");
  EXPECT_EQ(parts[3], "");
}

TEST(Query, DecodesPairsAndIgnoresMalformedOnes) {
  auto query = parse_query("limit=10&cursor=a%2Bb&x=%zz&flag&sp=a+b");
  EXPECT_EQ(query.at("limit"), "10");
  EXPECT_EQ(query.at("cursor"), "a+b");
  EXPECT_EQ(query.count("x"), 0u);
  EXPECT_EQ(query.at("flag"), "");
  EXPECT_EQ(query.at("sp"), "a b");
}

TEST(PercentDecode, RefusesTruncatedEscapes) {
  EXPECT_FALSE(percent_decode("%", false));
  EXPECT_FALSE(percent_decode("%4", false));
  EXPECT_EQ(*percent_decode("%41", false), "A");
  EXPECT_EQ(*percent_decode("a+b", false), "a+b");
}

TEST(Request, HeaderLookupIsByLowerCaseName) {
  Request request;
  request.headers = {{"authorization", "Bearer x"}, {"x-a", "1"}, {"x-a", "2"}};
  EXPECT_EQ(request.header("authorization"), "Bearer x");
  EXPECT_EQ(request.header("x-a"), "1");
  EXPECT_EQ(request.header("missing"), "");
}

}  // namespace
}  // namespace sivo::api
