#include "engine/event_filter.hpp"

#include <gtest/gtest.h>

namespace sivo::engine {
namespace {

std::vector<EventType> matched_by(const EventFilter& filter) {
  std::vector<EventType> matched;
  for (EventType type : all_event_types()) {
    if (filter.matches(type)) matched.push_back(type);
  }
  return matched;
}

TEST(EventFilter, EmptyListMatchesEverything) {
  const auto filter = EventFilter::parse({});
  ASSERT_TRUE(filter.ok());
  EXPECT_TRUE(filter->matches_all());
  EXPECT_EQ(matched_by(*filter).size(), kEventTypeCount);
  EXPECT_TRUE(filter->patterns().empty());
}

TEST(EventFilter, StarMatchesEverything) {
  const auto filter = EventFilter::parse({"*"});
  ASSERT_TRUE(filter.ok());
  EXPECT_TRUE(filter->matches_all());
  EXPECT_EQ(filter->patterns(), std::vector<std::string>{"*"});
}

TEST(EventFilter, AllIsTheSameAsNoFilter) {
  EXPECT_TRUE(EventFilter::all().matches_all());
  EXPECT_EQ(matched_by(EventFilter::all()).size(), kEventTypeCount);
}

TEST(EventFilter, ExactNamesMatchOnlyThemselves) {
  const auto filter = EventFilter::parse({"call.ended", "transcript.segment"});
  ASSERT_TRUE(filter.ok());
  EXPECT_EQ(matched_by(*filter),
            (std::vector<EventType>{EventType::call_ended, EventType::transcript_segment}));
  EXPECT_FALSE(filter->matches_all());
}

TEST(EventFilter, FamilyWildcardMatchesTheWholeFamily) {
  const auto filter = EventFilter::parse({"call.*"});
  ASSERT_TRUE(filter.ok());
  EXPECT_EQ(matched_by(*filter),
            (std::vector<EventType>{EventType::call_created, EventType::call_answered,
                                    EventType::call_transferred, EventType::call_ended,
                                    EventType::call_recorded}));
}

TEST(EventFilter, EveryFamilyWildcardIsKnown) {
  for (const char* family :
       {"call.*", "transcript.*", "queue.*", "agent.*", "ivr.*", "ai_agent.*"}) {
    const auto filter = EventFilter::parse({family});
    ASSERT_TRUE(filter.ok()) << family;
    EXPECT_FALSE(matched_by(*filter).empty()) << family;
  }
  EXPECT_EQ(matched_by(*EventFilter::parse({"ai_agent.*"})),
            std::vector<EventType>{EventType::ai_agent_completed});
  // "agent.*" is not a prefix match: ai_agent is its own family.
  EXPECT_FALSE(EventFilter::parse({"agent.*"})->matches(EventType::ai_agent_completed));
}

TEST(EventFilter, MixesWildcardsAndNames) {
  const auto filter = EventFilter::parse({"queue.*", "call.ended"});
  ASSERT_TRUE(filter.ok());
  EXPECT_EQ(matched_by(*filter),
            (std::vector<EventType>{EventType::call_ended, EventType::queue_entered,
                                    EventType::queue_abandoned}));
}

TEST(EventFilter, DropsDuplicatesKeepingFirstOrder) {
  const auto filter = EventFilter::parse({"call.ended", "call.*", "call.ended", "call.*"});
  ASSERT_TRUE(filter.ok());
  EXPECT_EQ(filter->patterns(), (std::vector<std::string>{"call.ended", "call.*"}));
}

TEST(EventFilter, CoveringEveryFamilyCountsAsMatchingAll) {
  const auto filter =
      EventFilter::parse({"call.*", "transcript.*", "queue.*", "agent.*", "ivr.*", "ai_agent.*"});
  ASSERT_TRUE(filter.ok());
  EXPECT_TRUE(filter->matches_all());
}

TEST(EventFilter, UnknownTypeIsAnErrorNamingTheValueAndTheCatalog) {
  const auto filter = EventFilter::parse({"call.ended", "foo.bar"});
  ASSERT_FALSE(filter.ok());
  EXPECT_EQ(filter.error().code, "invalid_event_type");
  const std::string& message = filter.error().message;
  EXPECT_NE(message.find("unknown event type \"foo.bar\" in filter; known types: "),
            std::string::npos);
  EXPECT_NE(message.find("ai_agent.completed"), std::string::npos);
}

TEST(EventFilter, RejectsUnknownFamiliesAndMalformedPatterns) {
  for (const char* bad : {"foo.*", ".*", "call", "call.", "call*", "*.ended", "**", "",
                          " call.ended", "CALL.ENDED", "call.ended.*"}) {
    const auto filter = EventFilter::parse({bad});
    ASSERT_FALSE(filter.ok()) << '"' << bad << '"';
    EXPECT_EQ(filter.error().code, "invalid_event_type");
  }
}

}  // namespace
}  // namespace sivo::engine
