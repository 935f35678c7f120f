// Hostile and malformed requests over real HTTP against the real engine: deep
// nesting, invalid UTF-8, huge strings, wrong types, duplicate keys, unknown
// fields, wrong methods, missing or malformed auth. Each one: a 4xx with the
// JSON error shape and the right code, the server still answering, and no
// partial state (no tenant, endpoint or event half-made).

#include <thread>

#include "tests/api/api_fixture.hpp"

namespace sivo::test_api {
namespace {

using boost::json::object;
using boost::json::serialize;

class BadInputTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    key_ = create_tenant("acme");
  }

  // Nothing beyond the fixture's tenant "acme": no other tenant, no endpoint,
  // no event in the last hour.
  void expect_untouched(const std::string& what) {
    EXPECT_EQ(store_->tenants().size(), 1u) << what;
    EXPECT_TRUE(store_->endpoints_of("acme").empty()) << what;
    EXPECT_TRUE(store_->events_ingested("acme", 0, INT64_MAX).empty()) << what;
    EXPECT_EQ(client().get("/healthz").status, 200) << what;
  }

  void expect_error(const HttpResponse& r, int status, const std::string& code, const std::string& what) {
    EXPECT_EQ(r.status, status) << what << ": " << r.body.substr(0, 300);
    EXPECT_EQ(error_code_of(r), code) << what;
  }

  std::string key_;
};

std::string nested(int depth, const std::string& open, const std::string& close) {
  std::string s;
  for (int i = 0; i < depth; ++i) s += open;
  s += "1";
  for (int i = 0; i < depth; ++i) s += close;
  return s;
}

TEST_F(BadInputTest, DeepNestingIs400Everywhere) {
  const std::string deep_object = nested(200, R"({"a":)", "}");
  const std::string deep_array = nested(100000, "[", "]");  // 200 KB of brackets
  expect_error(client().post("/v1/tenants/acme/events",
                             R"({"id":"deep1","type":"call.ended","data":{"x":)" + deep_object + "}}", key_),
               400, "invalid_json", "deep object in data");
  expect_error(client().post("/v1/tenants/acme/events",
                             R"({"id":"deep2","type":"call.ended","data":{"x":)" + deep_array + "}}", key_),
               400, "invalid_json", "deep array in data");
  expect_error(client().post("/v1/tenants/acme/events/batch",
                             R"({"events":[{"id":"deep3","type":"call.ended","data":)" + deep_object + "}]}", key_),
               400, "invalid_json", "deep object in a batch");
  expect_error(client().post("/v1/tenants/acme/endpoints",
                             R"({"url":")" + receiver_.url() + R"(","x":)" + deep_array + "}", key_),
               400, "invalid_json", "deep array in an endpoint");
  expect_error(client().post("/v1/tenants", R"({"id":"t2","x":)" + deep_object + "}", kAdminToken), 400,
               "invalid_json", "deep object in a tenant");
  // 128 levels is the documented limit: just under it is fine.
  EXPECT_EQ(client().post("/v1/tenants/acme/events",
                          R"({"id":"ok-depth","type":"call.ended","data":)" + nested(120, R"({"a":)", "}") + "}",
                          key_).status,
            202);
  EXPECT_TRUE(store_->event("acme", "ok-depth"));
  EXPECT_FALSE(store_->event("acme", "deep1"));
  EXPECT_FALSE(store_->event("acme", "deep2"));
  EXPECT_FALSE(store_->event("acme", "deep3"));
  EXPECT_EQ(store_->tenants().size(), 1u);
  EXPECT_TRUE(store_->endpoints_of("acme").empty());
}

TEST_F(BadInputTest, InvalidUtf8Is400InEveryField) {
  const std::vector<std::string> bad = {"\xc3\x28", "\xff", "\xed\xa0\x80" /* a surrogate */,
                                        "\xf4\x90\x80\x80" /* > U+10FFFF */, "\xc0\xaf" /* overlong '/' */};
  for (const auto& b : bad) {
    expect_error(client().post("/v1/tenants/acme/events",
                               "{\"id\":\"u1\",\"type\":\"call.ended\",\"data\":{\"s\":\"" + b + "\"}}", key_),
                 400, "invalid_json", "utf-8 in data");
    expect_error(client().post("/v1/tenants/acme/events", "{\"id\":\"u" + b + "\",\"type\":\"call.ended\",\"data\":{}}", key_),
                 400, "invalid_json", "utf-8 in id");
    expect_error(client().post("/v1/tenants/acme/endpoints",
                               "{\"url\":\"" + receiver_.url() + "\",\"description\":\"" + b + "\"}", key_),
                 400, "invalid_json", "utf-8 in description");
    expect_error(client().post("/v1/tenants", "{\"id\":\"t" + b + "\"}", kAdminToken), 400, "invalid_json",
                 "utf-8 in tenant id");
    // A lone surrogate escape is valid JSON syntax but not a character.
  }
  expect_untouched("invalid utf-8");
}

TEST_F(BadInputTest, HugeStringsAre4xxNotCrashes) {
  const std::string mb(900 * 1024, 'x');  // under the 1 MiB body limit of non-ingest routes
  auto id = client().post("/v1/tenants/acme/events",
                          R"({"id":")" + std::string(200 * 1024, 'i') + R"(","type":"call.ended","data":{}})", key_);
  EXPECT_EQ(id.status, 422) << "a 200 KiB event id";
  auto type = client().post("/v1/tenants/acme/events",
                            R"({"type":")" + std::string(200 * 1024, 't') + R"(","data":{}})", key_);
  expect_error(type, 422, "invalid_event_type", "a 200 KiB type");
  EXPECT_LT(type.body.size(), 64u * 1024) << "the error echoes the whole huge value";
  EXPECT_EQ(client().post("/v1/tenants/acme/endpoints",
                          serialize(object{{"url", receiver_.url()}, {"description", mb}}), key_).status,
            422);
  EXPECT_EQ(client().post("/v1/tenants/acme/endpoints",
                          serialize(object{{"url", "https://h.example/" + mb}}), key_).status,
            422);
  EXPECT_EQ(client().post("/v1/tenants", serialize(object{{"id", mb}}), kAdminToken).status, 422);
  EXPECT_EQ(client().post("/v1/tenants", serialize(object{{"id", "t3"}, {"name", mb}}), kAdminToken).status, 422);
  auto secret = client().post("/v1/tenants/acme/endpoints",
                              serialize(object{{"url", receiver_.url()}, {"secret", "whsec_" + mb}}), key_);
  EXPECT_EQ(secret.status, 422);
  EXPECT_EQ(secret.body.find(mb.substr(0, 1000)), std::string::npos) << "the error echoes the secret";
  auto token = client().get("/v1/tenants/acme/endpoints", std::string(8 * 1024, 'k'));
  expect_error(token, 401, "unauthorized", "an 8 KiB token");
  expect_untouched("huge strings");
}

TEST_F(BadInputTest, WrongTypesAre422NamingTheField) {
  const std::vector<std::pair<std::string, std::string>> events = {
      {R"({"id":5,"type":"call.ended","data":{}})", "id"},
      {R"({"id":"w1","type":7,"data":{}})", "type"},
      {R"({"id":"w2","type":["call.ended"],"data":{}})", "type"},
      {R"({"id":"w3","type":"call.ended","data":"{}"})", "data"},
      {R"({"id":"w4","type":"call.ended","data":null})", "data"},
      {R"({"id":"w5","type":"call.ended","data":{},"occurred_at":1700000000})", "occurred_at"},
      {R"({"id":null,"type":null,"data":{}})", "type"},
  };
  for (const auto& [body, field] : events) {
    auto r = client().post("/v1/tenants/acme/events", body, key_);
    EXPECT_EQ(r.status, 422) << body;
    EXPECT_NE(r.body.find(field), std::string::npos) << body << " -> " << r.body;
  }
  for (const auto& body : {R"({"events":{}})", R"({"events":"x"})", R"({"events":null})", R"({})"}) {
    EXPECT_EQ(client().post("/v1/tenants/acme/events/batch", body, key_).status, 422) << body;
  }
  for (const auto& body :
       {R"({"url":5})", R"({"url":["https://a.example/"]})", R"({"url":"https://a.example/","event_types":"call.*"})",
        R"({"url":"https://a.example/","event_types":[1]})", R"({"url":"https://a.example/","enabled":"true"})",
        R"({"url":"https://a.example/","description":{}})", R"({"url":"https://a.example/","secret":5})"}) {
    EXPECT_EQ(client().post("/v1/tenants/acme/endpoints", body, key_).status, 422) << body;
  }
  for (const auto& body : {R"({"id":5})", R"({"id":"t4","name":5})", R"({"id":["t5"]})", R"(["t6"])", R"("t7")", "7", "null"}) {
    EXPECT_EQ(client().post("/v1/tenants", body, kAdminToken).status, 422) << body;
  }
  expect_untouched("wrong types");
}

TEST_F(BadInputTest, DuplicateKeysTakeTheFirstAndUnknownFieldsAreIgnored) {
  auto r = client().post("/v1/tenants/acme/events",
                         R"({"id":"dup1","type":"call.ended","type":"bogus.type","data":{"a":1},"data":{"b":2},"extra":[1,{"x":null}]})",
                         key_);
  ASSERT_EQ(r.status, 202) << r.body;
  auto stored = store_->event("acme", "dup1");
  ASSERT_TRUE(stored);
  EXPECT_NE(stored->envelope.find(R"("data":{"a":1})"), std::string::npos) << stored->envelope;
  EXPECT_EQ(stored->envelope.find("bogus"), std::string::npos);
  // The first wins also when the first is the bad one.
  EXPECT_EQ(client().post("/v1/tenants/acme/events",
                          R"({"id":"dup2","type":"bogus.type","type":"call.ended","data":{}})", key_).status,
            422);
  EXPECT_FALSE(store_->event("acme", "dup2"));
  auto endpoint = client().post("/v1/tenants/acme/endpoints",
                                R"({"url":")" + receiver_.url("/first") + R"(","url":"https://second.example/","unknown":true,"secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw","secret":"bad"})",
                                key_);
  ASSERT_EQ(endpoint.status, 201) << endpoint.body;
  EXPECT_EQ(endpoint.json().at("url").as_string(), receiver_.url("/first"));
  EXPECT_EQ(endpoint.json().as_object().count("unknown"), 0u);
}

TEST_F(BadInputTest, WrongMethodsAre405WithAllowAndChangeNothing) {
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"PUT", "/v1/tenants"}, {"DELETE", "/v1/tenants"}, {"GET", "/v1/tenants/acme/events"},
           {"PUT", "/v1/tenants/acme/events"}, {"GET", "/v1/tenants/acme/events/batch"},
           {"PUT", "/v1/tenants/acme/endpoints"}, {"POST", "/healthz"}, {"TRACE", "/v1/tenants"},
           {"OPTIONS", "/v1/tenants/acme/endpoints"}}) {
    auto r = client().request(method, path, R"({"id":"via-wrong-method","type":"call.ended","data":{}})", key_);
    EXPECT_EQ(r.status, 405) << method << " " << path << ": " << r.body;
    EXPECT_FALSE(r.header("Allow").empty()) << method << " " << path;
  }
  auto odd = client().raw("BREW /v1/tenants HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", std::chrono::seconds(3));
  EXPECT_NE(odd.find(" 405 "), std::string::npos) << odd.substr(0, 200);
  expect_untouched("wrong methods");
}

TEST_F(BadInputTest, MissingOrMalformedAuthIs401) {
  const std::string path = "/v1/tenants/acme/events";
  const std::string body = R"({"id":"auth-x","type":"call.ended","data":{}})";
  const std::vector<std::string> headers = {
      "",                               // absent (below: no header at all)
      "Bearer",                         // no token
      "Bearer ",                        // empty token
      "Bearer  " + key_,                // two spaces
      "Basic " + key_,                  // another scheme
      "Token " + key_,
      key_,                             // no scheme
      "Bearer " + key_ + " extra",      // trailing junk
      "Bearer " + key_.substr(0, key_.size() - 1),  // one character short
      "Bearer " + key_ + "0",           // one character long
      "Bearer sk_" + std::string(64, '0'),
      "Bearer \t" + key_,
  };
  for (const auto& h : headers) {
    std::vector<std::pair<std::string, std::string>> extra;
    if (!h.empty()) extra.emplace_back("Authorization", h);
    auto r = client().request("POST", path, body, {}, extra);
    if (h == "Bearer  " + key_ || h == "Bearer \t" + key_) {
      // Extra whitespace around the token may be tolerated; never a crash, never another tenant.
      EXPECT_TRUE(r.status == 401 || r.status == 202) << "[" << h << "] " << r.status;
      if (r.status == 202) store_->event("acme", "auth-x");
      continue;
    }
    expect_error(r, 401, "unauthorized", "[" + h + "]");
    EXPECT_FALSE(r.header("WWW-Authenticate").empty()) << h;
  }
  EXPECT_EQ(store_->tenants().size(), 1u);
  EXPECT_EQ(client().get("/healthz").status, 200);
}

}  // namespace
}  // namespace sivo::test_api
