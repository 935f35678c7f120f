#include "storage/keys.hpp"

#include <gtest/gtest.h>

#include "appended.hpp"

namespace sivo::storage {
namespace {

TEST(Keys, IntegersAreBigEndianSoByteOrderIsNumericOrder) {
  EXPECT_LT(keys::log("ep", 255), keys::log("ep", 256));
  EXPECT_LT(keys::log("ep", 1), keys::log("ep", 1ull << 40));
  EXPECT_LT(keys::due("ep", 999, "evt_z"), keys::due("ep", 1000, "evt_a"));
  EXPECT_LT(keys::due("ep", 1000, "evt_a"), keys::due("ep", 1000, "evt_b"));
}

TEST(Keys, AnOwnersKeysLieWithinItsPrefixRangeAndNoOtherOwnersDo) {
  for (const auto& key : {keys::log("ep_1", 0), keys::log("ep_1", UINT64_MAX), keys::due("ep_1", INT64_MAX, "zz"),
                          keys::dlq("ep_1", "evt"), keys::attempt("ep_1", 7)}) {
    EXPECT_GE(key, keys::prefix("ep_1"));
    EXPECT_LT(key, keys::prefix_end("ep_1"));
  }
  for (const auto& other : {keys::log("ep_10", 0), keys::log("ep_", 0), keys::dlq("ep_1x", "a")}) {
    EXPECT_TRUE(other < keys::prefix("ep_1") || other >= keys::prefix_end("ep_1")) << other;
  }
}

TEST(Keys, PartsAreReadBack) {
  EXPECT_EQ(keys::seq_of(keys::log("ep", 123456789)), 123456789u);
  const std::string key = keys::due("ep", 1700000000123, "evt_1");
  const auto due = keys::parse_due(key);
  ASSERT_TRUE(due);
  EXPECT_EQ(due->due_at, 1700000000123);
  EXPECT_EQ(due->event_id, "evt_1");
  EXPECT_EQ(keys::owner_of(keys::dlq("ep_9", "evt")), "ep_9");
  EXPECT_EQ(keys::rest_of(keys::event("t1", "evt_2")), "evt_2");
}

TEST(Keys, AnAppendedKeyIsTheSameBytesAfterWhatTheBufferHeld) {
  using testing::appended;
  EXPECT_EQ(appended([](std::string& o) { keys::append_event(o, "t1", "evt_2"); }),
            keys::event("t1", "evt_2"));
  EXPECT_EQ(appended([](std::string& o) { keys::append_log(o, "ep", 1ull << 40); }),
            keys::log("ep", 1ull << 40));
  EXPECT_EQ(appended([](std::string& o) { keys::append_attempt(o, "ep", 7); }),
            keys::attempt("ep", 7));
  EXPECT_EQ(appended([](std::string& o) { keys::append_due(o, "ep", 1700000000123, "evt_1"); }),
            keys::due("ep", 1700000000123, "evt_1"));
  EXPECT_EQ(appended([](std::string& o) { keys::append_due(o, "ep", -5, "evt_1"); }),
            keys::due("ep", 0, "evt_1"))
      << "a due time before the epoch is stored as 0";
  EXPECT_EQ(appended([](std::string& o) { keys::append_dlq(o, "ep", "evt_3"); }),
            keys::dlq("ep", "evt_3"));
  EXPECT_EQ(appended([](std::string& o) { keys::append_state(o, "ep"); }), keys::state("ep"));
}

TEST(Keys, CatalogKeysAreTypedByTheirFirstByte) {
  EXPECT_EQ(keys::tenant("acme"), std::string("t\0acme", 6));
  EXPECT_EQ(keys::endpoint("ep"), std::string("e\0ep", 4));
  EXPECT_EQ(keys::api_key("ab"), std::string("k\0ab", 4));
  EXPECT_EQ(keys::setting("x"), std::string("s\0x", 3));
}

}  // namespace
}  // namespace sivo::storage
