#include "engine/ids.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <thread>

namespace sivo::engine {
namespace {

constexpr UnixMillis kNow = 1'795'687'200'123;  // 2026-11-26T10:00:00.123Z

bool is_lower_crockford(std::string_view text) {
  return text.find_first_not_of("0123456789abcdefghjkmnpqrstvwxyz") == std::string_view::npos;
}

TEST(NewEventId, IsEvtAndATwentySixDigitUlid) {
  const std::string id = new_event_id(kNow);
  ASSERT_TRUE(id.starts_with("evt_"));
  EXPECT_EQ(id.size(), 4u + 26u);
  EXPECT_TRUE(is_lower_crockford(id.substr(4)));
}

TEST(NewEventId, IsNeverOlderThanNow) {
  // The process-wide sequence may already be past `now` (other tests ran
  // with later times); it never goes below it.
  const UnixMillis far_future = 4'102'444'800'000;  // 2100-01-01
  EXPECT_GE(*ulid_time_of(new_event_id(kNow).substr(4)), kNow);
  EXPECT_GE(*ulid_time_of(new_event_id(far_future).substr(4)), far_future);
}

TEST(NewEventId, StrictlyIncreasesAcrossCallsAndKinds) {
  const std::string event = new_event_id(kNow);
  const std::string endpoint = new_endpoint_id(kNow);
  const std::string next_event = new_event_id(kNow);
  EXPECT_LT(event.substr(4), endpoint.substr(3));
  EXPECT_LT(endpoint.substr(3), next_event.substr(4));
}

TEST(UlidGenerator, CarriesTheTimeItWasMadeAt) {
  UlidGenerator generator;
  EXPECT_EQ(ulid_time_of(generator.next(kNow)), kNow);
  EXPECT_EQ(ulid_time_of(generator.next(kNow + 1)), kNow + 1);
  UlidGenerator from_epoch;
  EXPECT_EQ(ulid_time_of(from_epoch.next(0)), 0);
  UlidGenerator negative;
  EXPECT_EQ(ulid_time_of(negative.next(-5)), 0);
}

TEST(UlidGenerator, SortsByTime) {
  UlidGenerator generator;
  const std::string earlier = generator.next(kNow);
  const std::string later = generator.next(kNow + 1);
  EXPECT_LT(earlier, later);
  EXPECT_EQ(earlier.size(), 26u);
  EXPECT_TRUE(is_lower_crockford(earlier));
}

TEST(UlidGenerator, StrictlyIncreasesWithinOneMillisecond) {
  UlidGenerator generator;
  std::string previous = generator.next(kNow);
  for (int i = 0; i < 10'000; ++i) {
    const std::string next = generator.next(kNow);
    ASSERT_LT(previous, next);
    ASSERT_EQ(ulid_time_of(next), kNow);
    previous = next;
  }
}

TEST(UlidGenerator, StaysIncreasingWhenTheClockStepsBack) {
  UlidGenerator generator;
  const std::string before = generator.next(kNow + 1'000);
  const std::string after = generator.next(kNow);  // clock stepped back a second
  EXPECT_LT(before, after);
  EXPECT_EQ(ulid_time_of(after), kNow + 1'000);
}

TEST(UlidGenerator, DrawsFreshRandomnessEachMillisecond) {
  UlidGenerator first;
  UlidGenerator second;
  // Same time, independent generators: the 80 random bits differ.
  EXPECT_NE(first.next(kNow), second.next(kNow));
}

TEST(UlidGenerator, IsUniqueAndOrderedAcrossThreads) {
  UlidGenerator generator;
  std::mutex mutex;
  std::set<std::string> ids;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      std::vector<std::string> mine;
      for (int i = 0; i < 2'000; ++i) mine.push_back(generator.next(kNow));
      // Each thread sees its own ids in increasing order.
      EXPECT_TRUE(std::is_sorted(mine.begin(), mine.end()));
      std::lock_guard lock(mutex);
      ids.insert(mine.begin(), mine.end());
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ids.size(), 8'000u);
}

TEST(NewEndpointId, IsEpAndAUlid) {
  const std::string id = new_endpoint_id(kNow);
  ASSERT_TRUE(id.starts_with("ep_"));
  EXPECT_EQ(id.size(), 3u + 26u);
  EXPECT_TRUE(looks_like_endpoint_id(id));
  EXPECT_GE(*ulid_time_of(id.substr(3)), kNow);
}

TEST(UlidTimeOf, DecodesTheSpecExample) {
  // The reference implementation's example: decodeTime("01ARYZ6S41TSV4RRFFQ69G5FAV").
  EXPECT_EQ(ulid_time_of("01aryz6s41tsv4rrffq69g5fav"), 1469918176385);
}

TEST(UlidTimeOf, RejectsWhatIsNotAUlid) {
  EXPECT_EQ(ulid_time_of(""), std::nullopt);
  EXPECT_EQ(ulid_time_of("01arz3ndektsv4rrffq69g5fa"), std::nullopt);    // 25 digits
  EXPECT_EQ(ulid_time_of("01arz3ndektsv4rrffq69g5fav0"), std::nullopt);  // 27 digits
  EXPECT_EQ(ulid_time_of("01arz3ndektsv4rrffq69g5fau"), std::nullopt);   // 'u' is not Crockford
  EXPECT_EQ(ulid_time_of("01ARZ3NDEKTSV4RRFFQ69G5FAV"), std::nullopt);   // we write lowercase
  EXPECT_EQ(ulid_time_of("81arz3ndektsv4rrffq69g5fav"), std::nullopt);   // above 2^128
}

TEST(LooksLikeEndpointId, NeedsThePrefixAndAUlid) {
  EXPECT_TRUE(looks_like_endpoint_id("ep_01arz3ndektsv4rrffq69g5fav"));
  EXPECT_FALSE(looks_like_endpoint_id("01arz3ndektsv4rrffq69g5fav"));
  EXPECT_FALSE(looks_like_endpoint_id("evt_01arz3ndektsv4rrffq69g5fav"));
  EXPECT_FALSE(looks_like_endpoint_id("ep_"));
  EXPECT_FALSE(looks_like_endpoint_id("ep_../../etc/passwd"));
}

TEST(ValidateEventId, AcceptsClientIdsOfTheAllowedCharacters) {
  for (const char* good : {"a", "evt_123", "order:42", "call_01J.seg-7", "A-Z_a.z:0-9"}) {
    const auto validated = validate_event_id(good);
    ASSERT_TRUE(validated.ok()) << good;
    EXPECT_EQ(*validated, good);
  }
  EXPECT_TRUE(validate_event_id(std::string(128, 'x')).ok());
}

TEST(ValidateEventId, RejectsEmptyLongAndOddCharacters) {
  for (const std::string& bad : {std::string(""), std::string(129, 'x'), std::string("a b"),
                                 std::string("a/b"), std::string("é"), std::string("a\nb"),
                                 std::string("a\"b"), std::string("a|b"), std::string("a\0b", 3)}) {
    const auto validated = validate_event_id(bad);
    ASSERT_FALSE(validated.ok()) << bad;
    EXPECT_EQ(validated.error().code, "invalid_event_id");
  }
}

TEST(ValidateTenantId, FollowsTheApiPattern) {
  for (const char* good : {"acme", "a", "0", "acme-corp-2", "9lives"}) {
    EXPECT_TRUE(validate_tenant_id(good).ok()) << good;
  }
  EXPECT_TRUE(validate_tenant_id(std::string(63, 'a')).ok());
  for (const std::string& bad :
       {std::string(""), std::string(64, 'a'), std::string("-acme"), std::string("Acme"),
        std::string("acme_corp"), std::string("acme corp"), std::string("acme.corp"),
        std::string("acmé")}) {
    const auto validated = validate_tenant_id(bad);
    ASSERT_FALSE(validated.ok()) << bad;
    EXPECT_EQ(validated.error().code, "invalid_tenant_id");
  }
  EXPECT_NE(validate_tenant_id("Acme").error().message.find("\"Acme\""), std::string::npos);
}

}  // namespace
}  // namespace sivo::engine
