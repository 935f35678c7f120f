#include "engine/duration.hpp"

#include <gtest/gtest.h>

namespace sivo::engine {
namespace {

using namespace std::chrono_literals;

TEST(ParseDuration, ReadsEachUnit) {
  EXPECT_EQ(*parse_duration("250ms"), 250ms);
  EXPECT_EQ(*parse_duration("5s"), 5s);
  EXPECT_EQ(*parse_duration("2m"), 2min);
  EXPECT_EQ(*parse_duration("6h"), 6h);
  EXPECT_EQ(*parse_duration("90s"), 90s);
}

TEST(ParseDuration, RejectsWhatIsNotAPositiveIntegerWithAUnit) {
  for (const char* bad : {"", "5", "s", "-5s", "+5s", "0s", "0ms", "1.5s", " 5s", "5s ", "5 s",
                          "5sec", "5S", "5d", "5mss", "ms5", "0x10s", "5s,"}) {
    const auto result = parse_duration(bad);
    ASSERT_FALSE(result.ok()) << '"' << bad << '"';
    EXPECT_EQ(result.error().code, "invalid_duration");
  }
}

TEST(ParseDuration, RejectsValuesThatOverflowMilliseconds) {
  EXPECT_FALSE(parse_duration("9223372036854775808ms").ok());
  EXPECT_FALSE(parse_duration("99999999999999999999999s").ok());
  EXPECT_FALSE(parse_duration("2562047788015216h").ok());
  EXPECT_TRUE(parse_duration("9223372036854775807ms").ok());
}

TEST(ParseDuration, ErrorNamesTheValue) {
  EXPECT_NE(parse_duration("5x").error().message.find("\"5x\""), std::string::npos);
}

TEST(FormatDuration, PicksTheLargestExactUnit) {
  EXPECT_EQ(format_duration(120000ms), "2m");
  EXPECT_EQ(format_duration(5s), "5s");
  EXPECT_EQ(format_duration(6h), "6h");
  EXPECT_EQ(format_duration(90s), "90s");
  EXPECT_EQ(format_duration(1500ms), "1500ms");
  EXPECT_EQ(format_duration(0ms), "0ms");
  EXPECT_EQ(format_duration(-30s), "-30s");
}

TEST(FormatDuration, RoundTripsThroughParse) {
  for (std::chrono::milliseconds d :
       {1ms, 999ms, 1000ms, 1000ms * 61, 3600'000ms, 7200001ms, 48'000ms * 3600}) {
    EXPECT_EQ(*parse_duration(format_duration(d)), d) << format_duration(d);
  }
}

}  // namespace
}  // namespace sivo::engine
