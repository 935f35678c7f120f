#include "engine/event_type.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace sivo::engine {
namespace {

namespace json = boost::json;

// EVENTS.md, copied independently of the implementation.
struct ExpectedShape {
  std::string_view name;
  std::vector<std::string_view> fields;
};

const std::vector<ExpectedShape>& events_md() {
  static const std::vector<ExpectedShape> shapes = {
      {"call.created",
       {"call_id", "direction", "from", "to", "did", "channel", "created_at", "campaign_id"}},
      {"call.answered", {"call_id", "agent_id", "agent_name", "queue_id", "answered_at", "wait_s"}},
      {"call.transferred", {"call_id", "transfer_type", "from_agent_id", "to", "transferred_at"}},
      {"call.ended",
       {"call_id", "direction", "from", "to", "started_at", "answered_at", "ended_at", "duration_s",
        "billsec", "hangup_cause", "hangup_by", "queue_id", "agent_id", "disposition", "recorded"}},
      {"call.recorded",
       {"call_id", "recording_id", "url", "expires_at", "format", "duration_s", "size_bytes",
        "channels"}},
      {"transcript.segment",
       {"call_id", "segment_id", "seq", "speaker", "text", "start_ms", "end_ms", "language",
        "confidence", "is_final"}},
      {"transcript.completed", {"call_id", "language", "segments", "text", "summary", "sentiment"}},
      {"queue.entered",
       {"call_id", "queue_id", "queue_name", "position", "estimated_wait_s", "entered_at"}},
      {"queue.abandoned",
       {"call_id", "queue_id", "waited_s", "position_at_abandon", "abandoned_at"}},
      {"agent.status_changed",
       {"agent_id", "agent_name", "from_status", "to_status", "changed_at"}},
      {"agent.paused", {"agent_id", "reason", "paused_at", "expected_duration_s"}},
      {"ivr.completed",
       {"call_id", "flow_id", "flow_name", "path", "variables", "exit", "duration_s"}},
      {"ai_agent.completed",
       {"call_id", "ai_agent_id", "exit_reason", "turns", "duration_s", "handoff_queue_id",
        "summary", "captured"}},
  };
  return shapes;
}

json::object parse_sample(EventType type) {
  boost::system::error_code ec;
  const json::value value = json::parse(sample_data_of(type), ec);
  EXPECT_FALSE(ec) << name_of(type) << ": " << ec.message();
  EXPECT_TRUE(value.is_object()) << name_of(type);
  return value.is_object() ? value.as_object() : json::object{};
}

TEST(EventType, CatalogHasTheThirteenSeedTypesInOrder) {
  ASSERT_EQ(all_event_types().size(), events_md().size());
  for (std::size_t i = 0; i < events_md().size(); ++i) {
    EXPECT_EQ(name_of(all_event_types()[i]), events_md()[i].name);
  }
}

TEST(EventType, ParseIsTheInverseOfNameOf) {
  for (EventType type : all_event_types()) {
    EXPECT_EQ(parse_event_type(name_of(type)), type);
  }
}

TEST(EventType, ParseRejectsAnythingOutsideTheCatalog) {
  for (const char* bad : {"", "call", "call.*", "*", "Call.Created", "call.created ",
                          "call_created", "foo.bar", "call.created.x"}) {
    EXPECT_EQ(parse_event_type(bad), std::nullopt) << bad;
  }
}

TEST(EventType, FamilyIsTheNameBeforeTheDot) {
  for (EventType type : all_event_types()) {
    const std::string_view name = name_of(type);
    EXPECT_EQ(family_of(type), name.substr(0, name.find('.')));
  }
  EXPECT_EQ(family_of(EventType::ai_agent_completed), "ai_agent");
  EXPECT_EQ(family_of(EventType::transcript_segment), "transcript");
}

TEST(EventType, EveryTypeHasADescription) {
  std::set<std::string_view> seen;
  for (EventType type : all_event_types()) {
    EXPECT_FALSE(description_of(type).empty()) << name_of(type);
    EXPECT_TRUE(seen.insert(description_of(type)).second) << "duplicate description";
  }
}

TEST(EventType, EverySampleIsAJsonObjectWithExactlyTheEventsMdFields) {
  for (const auto& shape : events_md()) {
    const auto type = parse_event_type(shape.name);
    ASSERT_TRUE(type) << shape.name;
    const json::object data = parse_sample(*type);
    std::set<std::string> expected(shape.fields.begin(), shape.fields.end());
    std::set<std::string> actual;
    for (const auto& field : data) actual.emplace(field.key());
    EXPECT_EQ(actual, expected) << shape.name;
  }
}

// True when no whitespace appears outside string literals.
bool is_minified(std::string_view text) {
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;  // skip the escaped character
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      return false;
    }
  }
  return true;
}

TEST(EventType, SamplesAreMinified) {
  EXPECT_FALSE(is_minified(R"({"a": 1})"));
  EXPECT_TRUE(is_minified(R"({"a":"b c"})"));
  for (EventType type : all_event_types()) {
    EXPECT_TRUE(is_minified(sample_data_of(type))) << name_of(type);
  }
}

bool is_rfc3339_utc(const json::value& value) {
  if (!value.is_string()) return false;
  const std::string_view text = value.as_string();
  // "2026-11-26T10:00:00.123Z"
  return text.size() == 24 && text[4] == '-' && text[7] == '-' && text[10] == 'T' &&
         text[13] == ':' && text[16] == ':' && text[19] == '.' && text.back() == 'Z';
}

bool is_e164(const json::value& value) {
  if (!value.is_string()) return false;
  const std::string_view text = value.as_string();
  if (text.size() < 8 || text.size() > 16 || text[0] != '+' || text[1] == '0') return false;
  return text.substr(1).find_first_not_of("0123456789") == std::string_view::npos;
}

TEST(EventType, SampleTimesAreRfc3339UtcAndNumbersE164) {
  for (EventType type : all_event_types()) {
    const json::object data = parse_sample(type);
    for (const auto& field : data) {
      const std::string_view key = field.key();
      if (key.ends_with("_at") && !field.value().is_null()) {
        EXPECT_TRUE(is_rfc3339_utc(field.value())) << name_of(type) << "." << key;
      }
    }
  }
  const json::object created = parse_sample(EventType::call_created);
  EXPECT_TRUE(is_e164(created.at("from")));
  EXPECT_TRUE(is_e164(created.at("to")));
  EXPECT_TRUE(is_e164(created.at("did")));
  const json::object ended = parse_sample(EventType::call_ended);
  EXPECT_TRUE(is_e164(ended.at("from")));
  EXPECT_TRUE(is_e164(ended.at("to")));
}

TEST(EventType, SampleValuesHaveTheDocumentedTypes) {
  const json::object ended = parse_sample(EventType::call_ended);
  EXPECT_TRUE(ended.at("duration_s").is_int64());
  EXPECT_TRUE(ended.at("billsec").is_int64());
  EXPECT_TRUE(ended.at("recorded").is_bool());
  EXPECT_TRUE(ended.at("call_id").as_string().starts_with("call_"));

  const json::object recorded = parse_sample(EventType::call_recorded);
  EXPECT_TRUE(recorded.at("url").as_string().starts_with("https://"));

  const json::object transferred = parse_sample(EventType::call_transferred);
  EXPECT_TRUE(transferred.at("to").as_object().contains("kind"));

  const json::object segment = parse_sample(EventType::transcript_segment);
  EXPECT_TRUE(segment.at("seq").is_int64());
  EXPECT_TRUE(segment.at("is_final").is_bool());
  const double confidence = segment.at("confidence").as_double();
  EXPECT_GE(confidence, 0.0);
  EXPECT_LE(confidence, 1.0);
  EXPECT_LT(segment.at("start_ms").as_int64(), segment.at("end_ms").as_int64());

  EXPECT_TRUE(parse_sample(EventType::ivr_completed).at("variables").is_object());
  EXPECT_TRUE(parse_sample(EventType::ivr_completed).at("path").is_array());
  EXPECT_TRUE(parse_sample(EventType::ai_agent_completed).at("captured").is_object());

  const std::set<std::string_view> exit_reasons = {"resolved", "transferred_to_human",
                                                   "caller_hung_up", "error", "timeout"};
  EXPECT_TRUE(exit_reasons.contains(
      parse_sample(EventType::ai_agent_completed).at("exit_reason").as_string()));
}

}  // namespace
}  // namespace sivo::engine
