#include "engine/retry_policy.hpp"

#include <gtest/gtest.h>

namespace sivo::engine {
namespace {

using namespace std::chrono_literals;

TEST(RetryPolicy, SeedDefaultIsTheSeedsSchedule) {
  const auto policy = RetryPolicy::seed_default();
  EXPECT_EQ(policy.to_string(), "5s,30s,2m,10m,1h,6h");
  EXPECT_EQ(policy.max_attempts(), 7);
  EXPECT_EQ(policy.delay_after(1), 5s);
  EXPECT_EQ(policy.delay_after(2), 30s);
  EXPECT_EQ(policy.delay_after(3), 2min);
  EXPECT_EQ(policy.delay_after(4), 10min);
  EXPECT_EQ(policy.delay_after(5), 1h);
  EXPECT_EQ(policy.delay_after(6), 6h);
}

TEST(RetryPolicy, NoDelayAfterTheLastAttemptOrBeforeTheFirst) {
  const auto policy = RetryPolicy::seed_default();
  EXPECT_EQ(policy.delay_after(7), std::nullopt);
  EXPECT_EQ(policy.delay_after(100), std::nullopt);
  EXPECT_EQ(policy.delay_after(0), std::nullopt);
  EXPECT_EQ(policy.delay_after(-1), std::nullopt);
}

TEST(RetryPolicy, ParsesTheSeedSpellingToTheSameSchedule) {
  const auto parsed = RetryPolicy::parse("5s,30s,2m,10m,1h,6h");
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(std::ranges::equal(parsed->delays(), RetryPolicy::seed_default().delays()));
}

TEST(RetryPolicy, ParsesAShortTestSchedule) {
  const auto parsed = RetryPolicy::parse("100ms,200ms");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->max_attempts(), 3);
  EXPECT_EQ(parsed->delay_after(2), 200ms);
  EXPECT_EQ(parsed->delay_after(3), std::nullopt);
  EXPECT_EQ(parsed->to_string(), "100ms,200ms");
}

TEST(RetryPolicy, ToStringIsCanonical) {
  EXPECT_EQ(RetryPolicy::parse("5000ms,120s,60m")->to_string(), "5s,2m,1h");
}

TEST(RetryPolicy, LongestDelayIsTheMaximumNotTheLast) {
  EXPECT_EQ(RetryPolicy::seed_default().longest_delay(), 6h);
  EXPECT_EQ(RetryPolicy::parse("1h,5s")->longest_delay(), 1h);
}

TEST(RetryPolicy, AcceptsOneToTwentyDelays) {
  std::string twenty = "1s";
  for (int i = 1; i < 20; ++i) twenty += ",1s";
  EXPECT_TRUE(RetryPolicy::parse("1s").ok());
  EXPECT_EQ(RetryPolicy::parse(twenty)->max_attempts(), 21);
  EXPECT_FALSE(RetryPolicy::parse(twenty + ",1s").ok());
}

TEST(RetryPolicy, RejectsMalformedLists) {
  for (const char* bad :
       {"", ",", "5s,", ",5s", "5s,,30s", "5s, 30s", "0s", "5s,0ms", "5s;30s", "-5s", "5"}) {
    const auto parsed = RetryPolicy::parse(bad);
    ASSERT_FALSE(parsed.ok()) << '"' << bad << '"';
    EXPECT_EQ(parsed.error().code, "invalid_retry_schedule");
  }
}

}  // namespace
}  // namespace sivo::engine
