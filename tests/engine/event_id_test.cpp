#include "engine/event_id.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <string_view>

#include "engine/ids.hpp"

namespace sivo::engine {
namespace {

TEST(EventId, HoldsEveryIdValidationAccepts) {
  const std::string longest(kMaxEventIdLength, 'x');
  ASSERT_TRUE(validate_event_id(longest).ok());
  const EventId id(longest);
  EXPECT_EQ(id.size(), kMaxEventIdLength);
  EXPECT_EQ(id.view(), longest);
  EXPECT_TRUE(EventId().empty());
}

TEST(EventId, RefusesALongerIdRatherThanCuttingIt) {
  const std::string too_long(kMaxEventIdLength + 1, 'x');
  EXPECT_FALSE(validate_event_id(too_long).ok());
  EXPECT_THROW(EventId{too_long}, std::length_error);
}

TEST(EventId, ComparesAndOrdersAsItsCharacters) {
  const EventId a("evt_a");
  EXPECT_EQ(a, EventId("evt_a"));
  EXPECT_EQ(a, std::string("evt_a"));
  EXPECT_EQ("evt_a", a);
  EXPECT_NE(a, EventId("evt_a2"));
  EXPECT_LT(EventId("evt"), a) << "a prefix orders first, as in a key";
  EXPECT_LT(a, EventId("evt_b"));
  EXPECT_LT(EventId("evt_B"), a) << "byte order, as RocksDB compares keys";
  const std::string too_long(kMaxEventIdLength + 1, 'x');
  EXPECT_NE(a, too_long) << "compared as it is, not converted";
  EXPECT_LT(a, too_long);
  EXPECT_EQ(a, std::string_view("evt_a"));

  EventId copy = a;
  copy = EventId("evt_other");
  EXPECT_EQ(a, "evt_a") << "a copy is its own";
}

}  // namespace
}  // namespace sivo::engine
