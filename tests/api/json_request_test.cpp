#include "api/json_request.hpp"

#include <gtest/gtest.h>

#include <random>

namespace sivo::api {
namespace {

TEST(JsonObject, ReadsTypedFields) {
  auto body = JsonObject::parse(
      R"({"url":"https://x","enabled":false,"event_types":["call.*"],"n":5,"extra":{"a":1}})");
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ(*body->required_string("url"), "https://x");
  EXPECT_EQ(body->optional_bool("enabled")->value(), false);
  EXPECT_EQ(body->optional_string_array("event_types")->value(), std::vector<std::string>{"call.*"});
  EXPECT_EQ(body->optional_int("n")->value(), 5);
  EXPECT_FALSE(body->optional_string("missing")->has_value());
  EXPECT_TRUE(body->has("extra"));
  EXPECT_FALSE(body->has("missing"));
}

TEST(JsonObject, WrongTypesAre422NamingTheField) {
  auto body = JsonObject::parse(R"({"url":5,"enabled":"yes","event_types":["a",1],"n":1.5})");
  ASSERT_TRUE(body);
  auto url = body->required_string("url");
  ASSERT_FALSE(url);
  EXPECT_EQ(url.error().code, "invalid_field");
  EXPECT_EQ(url.error().message, "field \"url\" must be a string");
  EXPECT_EQ(body->optional_bool("enabled").error().message, "field \"enabled\" must be a boolean");
  EXPECT_EQ(body->optional_string_array("event_types").error().message,
            "field \"event_types\" must be an array of strings");
  EXPECT_EQ(body->optional_int("n").error().message, "field \"n\" must be an integer");
}

TEST(JsonObject, MissingRequiredFieldIs422) {
  auto body = JsonObject::parse(R"({"url":null})");
  ASSERT_TRUE(body);
  EXPECT_EQ(body->required_string("url").error().message, "field \"url\" is required");
  EXPECT_EQ(body->required_string("id").error().message, "field \"id\" is required");
  EXPECT_TRUE(body->is_null("url"));
}

TEST(JsonObject, MalformedJsonIs400) {
  for (std::string_view text : {"", "{", "{\"a\":}", "{\"a\":1,}", "nul", "{} {}", "{\"a\":01}",
                                "{'a':1}", "\xef\xbb\xbf{}"}) {
    auto body = JsonObject::parse(text);
    ASSERT_FALSE(body) << text;
    EXPECT_EQ(body.error().code, "invalid_json") << text;
  }
}

TEST(JsonObject, InvalidUtf8Is400) {
  auto body = JsonObject::parse("{\"a\":\"\xff\xfe\"}");
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code, "invalid_json");
  EXPECT_EQ(body.error().message, "request body is not valid UTF-8");
}

TEST(JsonObject, DeepNestingIs400) {
  std::string deep(kMaxJsonDepth + 10, '[');
  deep += std::string(kMaxJsonDepth + 10, ']');
  std::string text = "{\"a\":" + deep + "}";
  auto body = JsonObject::parse(text);
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code, "invalid_json");
}

TEST(JsonObject, NonObjectBodyIs422) {
  auto body = JsonObject::parse("[1,2]");
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code, "invalid_field");
}

TEST(JsonObject, FirstOfDuplicateKeysCounts) {
  auto body = JsonObject::parse(R"({"url":"first","url":"second"})");
  ASSERT_TRUE(body);
  EXPECT_EQ(*body->required_string("url"), "first");
}

TEST(ParseEvent, PassesDataThroughByteForByte) {
  const std::string data = "{ \"b\" : 1.50, \"a\":[1, 2 ,3],\"s\":\"\\u00e9\\n\", \"n\":null }";
  const std::string body = "{\"type\":\"call.ended\",\n \"data\" :  " + data + "  \n, \"id\":\"e1\"}";
  auto event = parse_event(body);
  ASSERT_TRUE(event) << event.error().message;
  EXPECT_EQ(event->data, data);
  EXPECT_EQ(event->type, "call.ended");
  EXPECT_EQ(*event->id, "e1");
  EXPECT_FALSE(event->occurred_at);
  // A view into the caller's body, not a copy.
  EXPECT_GE(event->data.data(), body.data());
  EXPECT_LE(event->data.data() + event->data.size(), body.data() + body.size());
}

TEST(ParseEvent, DataAtTheEndOfTheBody) {
  const std::string body = R"({"type":"call.ended","data":{"x":{"y":[{}]}}})";
  auto event = parse_event(body);
  ASSERT_TRUE(event);
  EXPECT_EQ(event->data, R"({"x":{"y":[{}]}})");
}

TEST(ParseEvent, UsesTheFirstDataKeyLikeTheValidator) {
  auto event = parse_event(R"({"type":"call.ended","data":{"first":1},"data":{"second":2}})");
  ASSERT_TRUE(event);
  EXPECT_EQ(event->data, R"({"first":1})");
}

TEST(ParseEvent, DataMustBeAnObject) {
  for (std::string_view body : {R"({"type":"call.ended","data":[1]})", R"({"type":"call.ended","data":"x"})",
                                R"({"type":"call.ended"})", R"({"type":"call.ended","data":null})"}) {
    auto event = parse_event(body);
    ASSERT_FALSE(event) << body;
    EXPECT_EQ(event.error().code, "invalid_field") << body;
  }
  EXPECT_EQ(parse_event(R"({"type":"call.ended","data":[1]})").error().message,
            "field \"data\" must be a JSON object");
}

TEST(ParseEvent, TypeIdAndOccurredAtMustBeStrings) {
  EXPECT_EQ(parse_event(R"({"type":1,"data":{}})").error().message, "field \"type\" must be a string");
  EXPECT_EQ(parse_event(R"({"data":{}})").error().message, "field \"type\" is required");
  EXPECT_EQ(parse_event(R"({"type":"a","id":7,"data":{}})").error().message,
            "field \"id\" must be a string");
  EXPECT_EQ(parse_event(R"({"type":"a","occurred_at":true,"data":{}})").error().message,
            "field \"occurred_at\" must be a string");
}

TEST(ParseEvent, InvalidJsonInsideDataIs400) {
  auto event = parse_event(R"({"type":"call.ended","data":{"a":tru}})");
  ASSERT_FALSE(event);
  EXPECT_EQ(event.error().code, "invalid_json");
}

TEST(ParseEventBatch, JudgesEachItemOnItsOwn) {
  const std::string body =
      R"({"events":[{"type":"call.ended","data":{"i":0}}, 5, {"type":"x","data":[]},)"
      R"(  {"id":"b","type":"call.created","data": {"i" : 3}  }]})";
  auto batch = parse_event_batch(body, 1000);
  ASSERT_TRUE(batch) << batch.error().message;
  ASSERT_EQ(batch->size(), 4u);
  ASSERT_TRUE((*batch)[0]);
  EXPECT_EQ((*batch)[0]->data, R"({"i":0})");
  ASSERT_FALSE((*batch)[1]);
  EXPECT_EQ((*batch)[1].error().message, "an event must be a JSON object");
  ASSERT_FALSE((*batch)[2]);
  ASSERT_TRUE((*batch)[3]);
  EXPECT_EQ((*batch)[3]->data, R"({"i" : 3})");
  EXPECT_EQ(*(*batch)[3]->id, "b");
}

TEST(ParseEventBatch, RefusesTooManyEvents) {
  std::string body = R"({"events":[)";
  for (int i = 0; i < 4; ++i) body += std::string(i ? "," : "") + R"({"type":"a","data":{}})";
  body += "]}";
  auto batch = parse_event_batch(body, 3);
  ASSERT_FALSE(batch);
  EXPECT_EQ(batch.error().code, "invalid_field");
  EXPECT_TRUE(parse_event_batch(body, 4));
}

TEST(ParseEventBatch, EventsMustBeAnArray) {
  EXPECT_EQ(parse_event_batch(R"({"events":{}})", 10).error().message, "field \"events\" must be an array");
  EXPECT_EQ(parse_event_batch(R"({})", 10).error().message, "field \"events\" is required");
  EXPECT_EQ(parse_event_batch(R"({"events":[)", 10).error().code, "invalid_json");
}

}  // namespace
}  // namespace sivo::api

namespace sivo::api {
namespace {

// Mutated event bodies: parse_event either refuses them or returns a `data`
// that is itself a complete JSON object inside the body.
TEST(ParseEvent, MutatedBodiesNeverYieldBrokenData) {
  std::mt19937 random(777);
  const std::string valid =
      R"({"id":"e1","type":"call.ended","data":{"a":[1,2,{"b":"c\u00e9"}],"n":-1.5e3,"t":true},"occurred_at":"2026-11-26T10:00:00Z"})";
  for (int i = 0; i < 5000; ++i) {
    std::string body = valid;
    for (int k = 0; k < 1 + static_cast<int>(random() % 3); ++k) {
      std::size_t at = random() % body.size();
      const char alphabet[] = "{}[]\",:\\ 0123456789eE.-+truefalsn\xff\xc3";
      char c = alphabet[random() % (sizeof alphabet - 1)];
      switch (random() % 3) {
        case 0: body[at] = c; break;
        case 1: body.erase(at, 1); break;
        default: body.insert(at, 1, c);
      }
      if (body.empty()) body = "{";
    }
    auto event = parse_event(body);
    if (!event) continue;
    ASSERT_FALSE(event->data.empty()) << body;
    EXPECT_EQ(event->data.front(), '{') << body;
    EXPECT_EQ(event->data.back(), '}') << body;
    EXPECT_TRUE(JsonObject::parse(event->data)) << body;
  }
}

}  // namespace
}  // namespace sivo::api
