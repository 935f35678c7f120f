// Retention: old log records, dedupe keys and bodies go; what a pending or
// dead-lettered delivery still needs stays.

#include <gtest/gtest.h>

#include "delivery_driver.hpp"
#include "temp_store.hpp"

namespace sivo::storage {
namespace {

using namespace std::chrono_literals;
using testing::DeliveryDriver;

constexpr engine::UnixMillis kHour = 3'600'000;

class Retention : public testing::StoreTest {
 protected:
  Retention() {
    day_retention_ = options();
    day_retention_.retention = 24h;
    reopen(day_retention_);
    for (const char* id : {"ep_1", "ep_2"}) {
      EndpointRecord e;
      e.id = id;
      e.tenant_id = "acme";
      WriteSet set;
      set.put_endpoint(e);
      write(std::move(set));
    }
  }
  void ingest(const std::string& id, engine::UnixMillis at) {
    WriteSet set;
    set.put_event(StoredEvent{"acme", id, engine::EventType::call_created, at, "body of " + id});
    write(std::move(set));
  }
  StoreOptions day_retention_;
  bool has_body(const std::string& id) { return store().event("acme", id).has_value(); }
  bool has_dedupe(const std::string& id) {
    const std::string ids[] = {id};
    return store().seen("acme", ids)[0];
  }
};

TEST_F(Retention, PurgesOldDeliveredLogsAndBodiesButKeepsWhatPendingAndDeadDeliveriesNeed) {
  DeliveryDriver ep1(store(), "ep_1");
  DeliveryDriver ep2(store(), "ep_2");
  // day 1: one delivered, one still pending (endpoint down), one dead
  ingest("evt_delivered", 1 * kHour);
  ep1.enqueue("evt_delivered", 1 * kHour);
  ep1.succeed("evt_delivered", 1 * kHour + 10);                    // ep_1 seq 1 (2 records)
  ingest("evt_pending", 2 * kHour);
  ep1.enqueue("evt_pending", 2 * kHour);                           // ep_1 seq 2
  ep1.fail("evt_pending", 2 * kHour);                              // ep_1 seq 3 (2 records)
  ingest("evt_dead", 3 * kHour);
  ep2.enqueue("evt_dead", 3 * kHour);
  for (int i = 0; i < 7; ++i) ep2.fail("evt_dead", ep2.state("evt_dead").due_at, 500, "body of evt_dead");
  // day 2: recent traffic
  ingest("evt_recent", 40 * kHour);
  ep1.enqueue("evt_recent", 40 * kHour);
  ep1.succeed("evt_recent", 40 * kHour + 5);
  ep2.enqueue("evt_recent", 40 * kHour);
  ep2.succeed("evt_recent", 40 * kHour + 5);
  const auto ep1_entries = store().snapshot("ep_1").next_log_seq;
  const auto ep2_entries = store().snapshot("ep_2").next_log_seq;
  ASSERT_EQ(ep1_entries, 6u);
  ASSERT_EQ(ep2_entries, 10u);  // the dead one: 1 + 7 entries (15 records)

  const auto report = store().purge_expired(48 * kHour);  // cutoff: hour 24

  EXPECT_FALSE(has_body("evt_delivered"));
  EXPECT_FALSE(has_dedupe("evt_delivered"));
  EXPECT_TRUE(has_body("evt_pending")) << "a pending delivery still sends this body";
  EXPECT_TRUE(has_dedupe("evt_pending"));
  EXPECT_TRUE(has_body("evt_dead")) << "a DLQ retry sends it again";
  EXPECT_EQ(store().dead_letter("ep_2", "evt_dead")->envelope, "body of evt_dead");
  EXPECT_TRUE(has_body("evt_recent"));
  EXPECT_TRUE(has_dedupe("evt_recent"));
  EXPECT_EQ(report.event_bodies, 1u);
  EXPECT_EQ(report.dedupe_keys, 1u);
  EXPECT_EQ(report.kept_bodies, 2u);

  // ep_1: the delivered prefix (seq 0..1) goes; the log stops at the pending
  // delivery's first entry, so it still folds the pending delivery.
  std::vector<std::uint64_t> seqs;
  store().replay("ep_1", 0, [&](std::uint64_t seq, const auto&) { seqs.push_back(seq); });
  EXPECT_EQ(seqs, (std::vector<std::uint64_t>{2, 3, 3, 4, 5, 5}));
  // ep_2: the dead delivery's records are old and it is not pending: they go
  // (the DLQ entry is its snapshot); the recent ones stay.
  std::vector<std::uint64_t> seqs2;
  store().replay("ep_2", 0, [&](std::uint64_t seq, const auto&) { seqs2.push_back(seq); });
  EXPECT_EQ(seqs2, (std::vector<std::uint64_t>{8, 9, 9}));
  EXPECT_EQ(report.log_records, 3u + 15u);  // records, not entries

  // projections untouched
  EXPECT_TRUE(store().first_due("ep_1", {}));
  EXPECT_EQ(store().snapshot("ep_1").pending, 1u);
  EXPECT_EQ(store().snapshot("ep_2").dead, 1u);

  // the pending delivery finishes: the next purge takes the rest of the old ones
  ep1.succeed("evt_pending", 49 * kHour);
  reopen(day_retention_);
  const auto second = store().purge_expired(49 * kHour);
  EXPECT_FALSE(has_body("evt_pending"));
  EXPECT_FALSE(has_dedupe("evt_pending"));
  EXPECT_EQ(second.event_bodies, 1u);
  EXPECT_EQ(second.log_records, 3u);  // seq 3..5 (hours 2); the recent ones stay
  EXPECT_EQ(store().purge_expired(49 * kHour).log_records, 0u) << "idempotent";
}

}  // namespace
}  // namespace sivo::storage
