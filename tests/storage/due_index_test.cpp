// The due index: pending deliveries in (due_at, event_id) order.

#include <gtest/gtest.h>
#include <rocksdb/slice_transform.h>

#include "delivery_driver.hpp"
#include "storage/keys.hpp"
#include "storage/memtable_insert_hint.hpp"
#include "temp_store.hpp"

namespace sivo::storage {
namespace {

class DueIndex : public testing::StoreTest {
 protected:
  // Pending deliveries due at the given times (enqueued at those times).
  void enqueue_at(std::initializer_list<std::pair<const char*, engine::UnixMillis>> items) {
    testing::DeliveryDriver ep(store(), "ep_1");
    for (const auto& [id, at] : items) ep.enqueue(id, at);
  }
  static std::vector<std::string> ids(const std::vector<engine::Delivery>& deliveries) {
    std::vector<std::string> out;
    for (const auto& d : deliveries) out.emplace_back(d.event_id);
    return out;
  }
};

TEST_F(DueIndex, ReturnsPendingDeliveriesInTimeOrderUpToNow) {
  enqueue_at({{"evt_d", 400}, {"evt_a", 100}, {"evt_c", 300}, {"evt_b2", 200}, {"evt_b1", 200}});
  EXPECT_EQ(ids(store().due("ep_1", {}, 1000, 10)),
            (std::vector<std::string>{"evt_a", "evt_b1", "evt_b2", "evt_c", "evt_d"}));
  EXPECT_EQ(ids(store().due("ep_1", {}, 200, 10)), (std::vector<std::string>{"evt_a", "evt_b1", "evt_b2"}))
      << "due_at == now is due";
  EXPECT_TRUE(store().due("ep_1", {}, 99, 10).empty());
  EXPECT_EQ(ids(store().due("ep_1", {}, 1000, 2)), (std::vector<std::string>{"evt_a", "evt_b1"}));
}

TEST_F(DueIndex, StartsAtFromInclusive) {
  enqueue_at({{"evt_a", 100}, {"evt_b1", 200}, {"evt_b2", 200}, {"evt_c", 300}});
  EXPECT_EQ(ids(store().due("ep_1", DueKey{200, "evt_b2"}, 1000, 10)), (std::vector<std::string>{"evt_b2", "evt_c"}));
  EXPECT_EQ(ids(store().due("ep_1", DueKey{200, ""}, 1000, 10)),
            (std::vector<std::string>{"evt_b1", "evt_b2", "evt_c"}));
  EXPECT_TRUE(store().due("ep_1", DueKey{301, ""}, 1000, 10).empty());
  EXPECT_TRUE(store().due("ep_1", DueKey{500, ""}, 400, 10).empty()) << "from beyond now";
}

// A scan's cursor sits just past the last key it passed: after that key and
// before every greater one, whatever its id.
TEST_F(DueIndex, APastPositionStartsRightAfterItsKey) {
  enqueue_at({{"evt_a", 100}, {"evt_a0", 100}, {"evt_b", 100}, {"evt_c", 200}});
  const DueKey after_a{100, "evt_a", /*past=*/true};
  EXPECT_LT((DueKey{100, "evt_a"}), after_a);
  EXPECT_LT(after_a, (DueKey{100, "evt_a0"}));
  EXPECT_EQ(ids(store().due("ep_1", after_a, 1000, 10)),
            (std::vector<std::string>{"evt_a0", "evt_b", "evt_c"}));
  EXPECT_EQ(store().first_due("ep_1", after_a), (DueKey{100, "evt_a0"}));
  EXPECT_EQ(ids(store().due("ep_1", DueKey{100, "evt_b", true}, 1000, 10)),
            (std::vector<std::string>{"evt_c"}));
  EXPECT_FALSE(store().first_due("ep_1", DueKey{200, "evt_c", true}));
}

TEST_F(DueIndex, FirstDueLooksPastNowAndStaysWithinTheEndpoint) {
  enqueue_at({{"evt_a", 100}, {"evt_b", 5000}});
  testing::DeliveryDriver other(store(), "ep_2");
  other.enqueue("evt_x", 1);
  EXPECT_EQ(store().first_due("ep_1", {}), (DueKey{100, "evt_a"}));
  EXPECT_EQ(store().first_due("ep_1", DueKey{100, "evt_a\x01"}), (DueKey{5000, "evt_b"}));
  EXPECT_FALSE(store().first_due("ep_1", DueKey{5001, ""}));
  EXPECT_FALSE(store().first_due("ep_3", {}));
  EXPECT_EQ(ids(store().due("ep_2", {}, 10, 10)), (std::vector<std::string>{"evt_x"}));
}

// The due family's insert hint (memtable_insert_hint.cpp): one per endpoint,
// and none for where an endpoint's removal starts.
TEST(OwnerInsertHint, IsTheEndpointOfADueKeyAndLeavesTheRemovalsBeginOut) {
  const auto hint = owner_insert_hint();
  for (const auto& key : {keys::due("ep_1", 100, "evt_a"), keys::due("ep_1", 0, "e"),
                          keys::due("ep_1", 1LL << 40, "evt_z")}) {
    ASSERT_TRUE(hint->InDomain(key));
    EXPECT_EQ(hint->Transform(key).ToString(), keys::prefix("ep_1"));
  }
  EXPECT_FALSE(hint->InDomain(keys::prefix("ep_1"))) << "the begin of delete_endpoint's range";
  EXPECT_FALSE(hint->InDomain("ep_1"));
}

// Writes to the due index around an endpoint's removal, all in one memtable:
// in RocksDB 7.8 a range deletion that took an insert hint would corrupt the
// skip list for the next insert of that endpoint (Debian's build aborts).
TEST_F(DueIndex, StaysWholeAroundAnEndpointsRemoval) {
  auto id = [](int i) { return "evt_" + std::to_string(1000 + i); };
  testing::DeliveryDriver kept(store(), "ep_1"), removed(store(), "ep_2");
  for (int i = 0; i < 200; ++i) {
    kept.enqueue(id(i), 1000 + i);
    removed.enqueue(id(i), 1000 + i);
  }
  for (int i = 0; i < 100; ++i) kept.succeed(id(i), 2000);

  WriteSet removal;
  removal.delete_endpoint("acme", "ep_2");
  ASSERT_TRUE(store().write(std::move(removal)).ok());
  EXPECT_TRUE(store().due("ep_2", {}, 10'000, 10).empty());

  testing::DeliveryDriver after(store(), "ep_2");  // the same owner, written again
  for (int i = 200; i < 250; ++i) {
    kept.enqueue(id(i), 3000 + i);
    after.enqueue(id(i), 3000 + i);
  }
  std::vector<std::string> kept_ids, after_ids;
  for (int i = 100; i < 250; ++i) kept_ids.push_back(id(i));
  for (int i = 200; i < 250; ++i) after_ids.push_back(id(i));
  EXPECT_EQ(ids(store().due("ep_1", {}, 10'000, 1000)), kept_ids);
  EXPECT_EQ(ids(store().due("ep_2", {}, 10'000, 1000)), after_ids);
}

}  // namespace
}  // namespace sivo::storage
