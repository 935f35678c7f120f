#include "engine/envelope.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace sivo::engine {
namespace {

constexpr UnixMillis kCreatedAt = 1'795'687'200'123;  // 2026-11-26T10:00:00.123Z

EventHeader call_ended_header() {
  return EventHeader{"evt_01jdq8x4z9k3m2n7p5r6t8v0w1", EventType::call_ended, "acme", kCreatedAt};
}

TEST(RenderEnvelope, ProducesTheExactDocumentedBytes) {
  EXPECT_EQ(render_envelope(call_ended_header(), R"({"call_id":"call_1"})"),
            R"({"id":"evt_01jdq8x4z9k3m2n7p5r6t8v0w1","type":"call.ended","tenant_id":"acme",)"
            R"("created_at":"2026-11-26T10:00:00.123Z","data":{"call_id":"call_1"}})");
}

TEST(RenderEnvelope, IsByteStable) {
  const std::string data(sample_data_of(EventType::call_ended));
  const std::string first = render_envelope(call_ended_header(), data);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(render_envelope(call_ended_header(), data), first);
}

TEST(RenderEnvelope, SplicesDataVerbatimIncludingWhitespace) {
  const std::string data = "{ \"b\" : 2,\n  \"a\" : [ 1 , 1.0e0 ] }";
  const std::string body = render_envelope(call_ended_header(), data);
  EXPECT_TRUE(body.ends_with(",\"data\":" + data + "}"));
}

TEST(RenderEnvelope, EscapesOddClientIds) {
  EventHeader header = call_ended_header();
  header.id = "ord\"er\\42\n";
  const std::string body = render_envelope(header, "{}");
  EXPECT_TRUE(body.starts_with(R"({"id":"ord\"er\\42\n","type")")) << body;
  const boost::json::value parsed = boost::json::parse(body);
  EXPECT_EQ(parsed.at("id").as_string(), header.id);
}

TEST(RenderEnvelope, IsValidJsonWithTheFieldsInOrder) {
  for (EventType type : all_event_types()) {
    EventHeader header = call_ended_header();
    header.type = type;
    const std::string body = render_envelope(header, sample_data_of(type));
    const boost::json::value parsed = boost::json::parse(body);
    const auto& object = parsed.as_object();
    ASSERT_EQ(object.size(), 5u);
    const char* expected_keys[] = {"id", "type", "tenant_id", "created_at", "data"};
    std::size_t i = 0;
    for (const auto& field : object) EXPECT_EQ(field.key(), expected_keys[i++]);
    EXPECT_EQ(object.at("type").as_string(), name_of(type));
    EXPECT_EQ(object.at("data"), boost::json::parse(sample_data_of(type)));
  }
}

}  // namespace
}  // namespace sivo::engine
