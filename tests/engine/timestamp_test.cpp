#include "engine/timestamp.hpp"

#include <gtest/gtest.h>

namespace sivo::engine {
namespace {

// `date -u -d 2026-11-26T10:00:00Z +%s` = 1795687200
constexpr UnixMillis kExample = 1'795'687'200'123;

TEST(FormatRfc3339Millis, FormatsUtcWithThreeFractionDigits) {
  EXPECT_EQ(format_rfc3339_millis(kExample), "2026-11-26T10:00:00.123Z");
  EXPECT_EQ(format_rfc3339_millis(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339_millis(951'782'400'000), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339_millis(4'102'444'799'999), "2099-12-31T23:59:59.999Z");
}

TEST(FormatRfc3339Millis, HandlesTimesBeforeTheEpoch) {
  EXPECT_EQ(format_rfc3339_millis(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_rfc3339_millis(-86'400'000), "1969-12-31T00:00:00.000Z");
}

// The first and last instants of the four-digit years, and beyond them.
TEST(FormatRfc3339Millis, SpellsTheEdgesOfTheFourDigitYearsAndYearsBeyond) {
  constexpr UnixMillis kYear0 = -62'167'219'200'000;     // 0000-01-01T00:00:00Z
  constexpr UnixMillis kYear10000 = 253'402'300'800'000;  // 10000-01-01T00:00:00Z
  EXPECT_EQ(format_rfc3339_millis(kYear0), "0000-01-01T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339_millis(kYear10000 - 1), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(format_rfc3339_millis(kYear0 - 1), "-001-12-31T23:59:59.999Z");
  EXPECT_EQ(format_rfc3339_millis(kYear10000), "10000-01-01T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339_millis(kYear10000 + 37'230'045), "10000-01-01T10:20:30.045Z");
}

// Instants spread over the four-digit years, each field at every width.
TEST(FormatRfc3339Millis, EveryFieldIsZeroPaddedToItsWidth) {
  EXPECT_EQ(format_rfc3339_millis(-61'851'600'000'000 + 86'399'999), "0010-01-01T23:59:59.999Z");
  EXPECT_EQ(format_rfc3339_millis(-59'011'459'200'000 + 3'723'004), "0100-01-01T01:02:03.004Z");
  EXPECT_EQ(format_rfc3339_millis(1'000'000'000'050), "2001-09-09T01:46:40.050Z");
  for (UnixMillis at = -62'167'219'200'000; at < 253'402'300'800'000; at += 7'777'777'777'777)
    EXPECT_EQ(*parse_rfc3339(format_rfc3339_millis(at)), at) << format_rfc3339_millis(at);
}

TEST(ParseRfc3339, ReadsUtc) {
  EXPECT_EQ(*parse_rfc3339("2026-11-26T10:00:00.123Z"), kExample);
  EXPECT_EQ(*parse_rfc3339("2026-11-26T10:00:00Z"), kExample - 123);
  EXPECT_EQ(*parse_rfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*parse_rfc3339("2026-11-26t10:00:00.123z"), kExample);
}

TEST(ParseRfc3339, AppliesOffsets) {
  EXPECT_EQ(*parse_rfc3339("2026-11-26T07:00:00.123-03:00"), kExample);
  EXPECT_EQ(*parse_rfc3339("2026-11-26T15:30:00.123+05:30"), kExample);
  EXPECT_EQ(*parse_rfc3339("2026-11-26T10:00:00.123+00:00"), kExample);
  EXPECT_EQ(*parse_rfc3339("2026-11-27T00:00:00.123+14:00"), kExample);
}

TEST(ParseRfc3339, ReadsFractionsOfAnyLengthTruncatingToMillis) {
  EXPECT_EQ(*parse_rfc3339("2026-11-26T10:00:00.1Z"), kExample - 23);
  EXPECT_EQ(*parse_rfc3339("2026-11-26T10:00:00.12Z"), kExample - 3);
  EXPECT_EQ(*parse_rfc3339("2026-11-26T10:00:00.123999999Z"), kExample);
}

TEST(ParseRfc3339, RoundTripsFormat) {
  for (UnixMillis at : {UnixMillis{0}, kExample, UnixMillis{951'782'400'000},
                        UnixMillis{253'402'300'799'999}, UnixMillis{-1}}) {
    EXPECT_EQ(*parse_rfc3339(format_rfc3339_millis(at)), at) << format_rfc3339_millis(at);
  }
}

TEST(ParseRfc3339, RejectsMalformedAndImpossibleTimes) {
  for (const char* bad : {"",
                          "2026-11-26",
                          "2026-11-26T10:00:00",
                          "2026-11-26 10:00:00Z",
                          "2026-11-26T10:00Z",
                          "2026-13-01T00:00:00Z",
                          "2026-00-01T00:00:00Z",
                          "2026-02-29T00:00:00Z",
                          "2026-04-31T00:00:00Z",
                          "2026-11-26T24:00:00Z",
                          "2026-11-26T10:60:00Z",
                          "2026-11-26T10:00:60Z",
                          "2026-11-26T10:00:00.Z",
                          "2026-11-26T10:00:00+0300",
                          "2026-11-26T10:00:00+24:00",
                          "2026-11-26T10:00:00Z ",
                          " 2026-11-26T10:00:00Z",
                          "26-11-26T10:00:00Z",
                          "2026-1-26T10:00:00Z",
                          "2026-11-26T10:00:00ZZ",
                          "2026-11-26T10:00:00.123456789012345678901234567890Zx",
                          "yesterday"}) {
    const auto parsed = parse_rfc3339(bad);
    ASSERT_FALSE(parsed.ok()) << '"' << bad << '"';
    EXPECT_EQ(parsed.error().code, "invalid_timestamp");
  }
}

TEST(ParseRfc3339, AcceptsLeapDays) {
  EXPECT_TRUE(parse_rfc3339("2024-02-29T00:00:00Z").ok());
  EXPECT_TRUE(parse_rfc3339("2000-02-29T00:00:00Z").ok());
  EXPECT_FALSE(parse_rfc3339("1900-02-29T00:00:00Z").ok());
}

TEST(CivilDays, AgreeWithEachOtherAcrossCenturies) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11'017);
  for (std::int64_t days = -800'000; days <= 800'000; days += 37) {
    const CivilDate date = civil_from_days(days);
    ASSERT_EQ(days_from_civil(date.year, date.month, date.day), days);
  }
}

}  // namespace
}  // namespace sivo::engine

// Found by tests/fuzz/fuzz_timestamp: an offset at the edge of the 4-digit
// years gave an instant format_rfc3339_millis cannot spell ("-001-..." or
// "10000-..."), which would have reached an envelope's created_at.
TEST(Rfc3339, AnOffsetThatLeavesTheFourDigitYearsIsRefused) {
  using sivo::engine::parse_rfc3339;
  EXPECT_FALSE(parse_rfc3339("0000-01-01T00:00:00+23:59"));
  EXPECT_FALSE(parse_rfc3339("9999-12-31T23:59:59.999-00:01"));
  EXPECT_TRUE(parse_rfc3339("0000-01-01T00:00:00Z"));
  EXPECT_TRUE(parse_rfc3339("0000-01-01T00:00:00-01:00"));
  EXPECT_TRUE(parse_rfc3339("9999-12-31T23:59:59.999Z"));
  EXPECT_TRUE(parse_rfc3339("9999-12-31T23:59:59.999+01:00"));
  for (const char* text : {"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999+01:00",
                           "0000-01-01T00:00:00-01:00"}) {
    auto at = parse_rfc3339(text);
    ASSERT_TRUE(at) << text;
    EXPECT_EQ(*parse_rfc3339(sivo::engine::format_rfc3339_millis(*at)), *at) << text;
  }
}
