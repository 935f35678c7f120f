#include "api/routes/in_flight.hpp"

#include <gtest/gtest.h>

namespace sivo::api {
namespace {

TEST(InFlightKeys, OneLeasePerKeyUntilReleased) {
  auto keys = std::make_shared<InFlightKeys>();
  auto first = keys->try_acquire("endpoint/ep_1");
  ASSERT_TRUE(first);
  EXPECT_FALSE(keys->try_acquire("endpoint/ep_1"));
  auto other = keys->try_acquire("endpoint/ep_2");
  EXPECT_TRUE(other);
  auto copy = first;
  first.reset();
  EXPECT_FALSE(keys->try_acquire("endpoint/ep_1"));  // a copy still holds it
  copy.reset();
  EXPECT_TRUE(keys->try_acquire("endpoint/ep_1"));
}

TEST(InFlightKeys, ALeaseKeepsItsTableAlive) {
  auto keys = std::make_shared<InFlightKeys>();
  auto lease = keys->try_acquire("tenant/acme");
  keys.reset();
  lease.reset();  // must not touch freed memory (ASan would say)
  SUCCEED();
}

}  // namespace
}  // namespace sivo::api
