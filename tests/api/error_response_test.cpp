#include "api/error_response.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace sivo::api {
namespace {

TEST(ErrorResponse, RendersCodeAndMessageAsJson) {
  auto response = error_response(422, "invalid_field", "field \"url\" must be a string");
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body,
            R"({"error":{"code":"invalid_field","message":"field \"url\" must be a string"}})");
}

TEST(ErrorResponse, EscapesHostileMessages) {
  auto response = error_response(404, "not_found", std::string("no route for /\x01\"}\n\\", 10));
  auto body = boost::json::parse(response.body);
  EXPECT_EQ(body.at("error").at("message").as_string(), std::string("no route for /\x01\"}\n\\", 10));
}

TEST(ErrorResponse, MapsCodesToStatuses) {
  EXPECT_EQ(status_for_code("invalid_json"), 400);
  EXPECT_EQ(status_for_code("unauthorized"), 401);
  EXPECT_EQ(status_for_code("forbidden"), 403);
  EXPECT_EQ(status_for_code("not_found"), 404);
  EXPECT_EQ(status_for_code("conflict"), 409);
  EXPECT_EQ(status_for_code("payload_too_large"), 413);
  EXPECT_EQ(status_for_code("invalid_event_type"), 422);
  EXPECT_EQ(status_for_code("invalid_url"), 422);
  EXPECT_EQ(status_for_code("invalid_secret"), 422);
  EXPECT_EQ(status_for_code("rate_limited"), 429);
  EXPECT_EQ(status_for_code("storage_unavailable"), 503);
  EXPECT_EQ(status_for_code("endpoint_not_found"), 404);
  EXPECT_EQ(status_for_code("something_else"), 500);
}

TEST(ErrorResponse, FromEngineError) {
  auto response = error_response(engine::Error{"storage_unavailable", "disk full"});
  EXPECT_EQ(response.status, 503);
  auto body = boost::json::parse(response.body);
  EXPECT_EQ(body.at("error").at("code").as_string(), "storage_unavailable");
  EXPECT_EQ(body.at("error").at("message").as_string(), "disk full");
}

}  // namespace
}  // namespace sivo::api

namespace sivo::api {
namespace {

TEST(ErrorResponse, NeverEchoesHugeOrBinaryValues) {
  auto huge = error_response(422, "invalid_field", "bad value " + std::string(100000, 'x'));
  auto message = boost::json::parse(huge.body).at("error").at("message").as_string();
  EXPECT_LE(message.size(), kMaxErrorMessageBytes + 3);
  EXPECT_TRUE(std::string_view(message).ends_with("..."));

  auto binary = error_response(404, "not_found", std::string("tenant \"\xff\xc3\x28\xed\xa0\x80\" not found"));
  auto parsed = boost::json::parse(binary.body);  // valid JSON, valid UTF-8
  EXPECT_EQ(parsed.at("error").at("message").as_string(),
            "tenant \"\xef\xbf\xbd\xef\xbf\xbd(\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\" not found");
  EXPECT_EQ(error_response(400, "x", "caf\xc3\xa9 \xf0\x9f\x98\x80").body,
            "{\"error\":{\"code\":\"x\",\"message\":\"caf\xc3\xa9 \xf0\x9f\x98\x80\"}}");
}

TEST(ErrorResponse, QuotedValuesAreCut) {
  EXPECT_EQ(quote_value("call.ended"), "\"call.ended\"");
  EXPECT_EQ(quote_value(std::string(500, 't')), "\"" + std::string(100, 't') + "...\"");
}

}  // namespace
}  // namespace sivo::api
