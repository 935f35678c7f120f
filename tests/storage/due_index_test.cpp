// The due index: pending deliveries in (due_at, event_id) order.

#include <gtest/gtest.h>

#include "delivery_driver.hpp"
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

}  // namespace
}  // namespace sivo::storage
