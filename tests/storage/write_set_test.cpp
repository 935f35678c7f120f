// WriteSet::append keeps the projections (due, dlq, attempts ring, state) in
// step with the log; delete_endpoint removes exactly one endpoint's keys.

#include "storage/write_set.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include <rocksdb/table_properties.h>

#include "delivery_driver.hpp"
#include "storage/keys.hpp"
#include "temp_store.hpp"

namespace sivo::storage {
namespace {

using engine::DeliveryStatus;
using testing::DeliveryDriver;

class DeliveryProjections : public testing::StoreTest {};

TEST_F(DeliveryProjections, ASevenAttemptSeriesMovesTheDueKeyThenDeadLettersWithTheEnvelope) {
  DeliveryDriver ep(store(), "ep_1");
  const engine::UnixMillis t0 = 1'700'000'000'000;
  const std::string envelope = R"({"id":"evt_1","type":"call.created"})";
  ep.enqueue("evt_1", t0);
  ASSERT_EQ(store().due("ep_1", {}, t0, 10).size(), 1u);
  EXPECT_EQ(store().snapshot("ep_1").pending, 1u);

  const auto delays = ep.policy().delays();
  for (int attempt = 1; attempt <= 6; ++attempt) {
    const auto now = ep.state("evt_1").due_at;
    ep.fail("evt_1", now, 500, envelope);
    const auto next_due = now + delays[attempt - 1].count();
    EXPECT_EQ(store().first_due("ep_1", {}), (DueKey{next_due, "evt_1"})) << "attempt " << attempt;
    EXPECT_TRUE(store().due("ep_1", {}, next_due - 1, 10).empty()) << "not due before its time";
    const auto due = store().due("ep_1", {}, next_due, 10);
    ASSERT_EQ(due.size(), 1u) << "the old due key is gone, the new one is there";
    EXPECT_EQ(due[0].next_attempt, attempt + 1);
    EXPECT_EQ(store().recent_attempts("ep_1", 1)[0].outcome, "failed");
    EXPECT_TRUE(store().all_dead_letters("ep_1").empty());
  }

  ep.fail("evt_1", ep.state("evt_1").due_at, 503, envelope);
  EXPECT_FALSE(store().first_due("ep_1", {})) << "a dead delivery is not due";
  const auto dead = store().dead_letter("ep_1", "evt_1");
  ASSERT_TRUE(dead);
  EXPECT_EQ(dead->delivery.status, DeliveryStatus::dead);
  EXPECT_EQ(dead->delivery.last_status_code, 503);
  EXPECT_EQ(dead->delivery.attempts_in_series, 7);
  EXPECT_EQ(dead->envelope, envelope);
  // One log entry per decision: the Enqueued, then each attempt with what it led to.
  EXPECT_EQ(store().snapshot("ep_1"), (EndpointSnapshot{1 + 7, 7, 0, 1}));

  const auto attempts = store().recent_attempts("ep_1");
  ASSERT_EQ(attempts.size(), 7u);
  EXPECT_EQ(attempts[0].attempt, 7);
  EXPECT_EQ(attempts[0].outcome, "dead");
  EXPECT_EQ(attempts[0].status_code, 503);
  for (std::size_t i = 1; i < 7; ++i) {
    EXPECT_EQ(attempts[i].attempt, 7 - static_cast<int>(i)) << "newest first";
    EXPECT_EQ(attempts[i].outcome, "failed");
    EXPECT_EQ(attempts[i].type, engine::EventType::call_created);
    EXPECT_FALSE(attempts[i].test);
  }
}

TEST_F(DeliveryProjections, RequeuedLeavesTheDlqAndIsDueAgainThenDelivers) {
  DeliveryDriver ep(store(), "ep_1");
  ep.enqueue("evt_1", 1000);
  for (int i = 0; i < 7; ++i) ep.fail("evt_1", ep.state("evt_1").due_at);
  ASSERT_TRUE(store().dead_letter("ep_1", "evt_1"));

  const engine::UnixMillis retry_at = 99'000'000;
  ep.run("evt_1", engine::RetryDeadLetter{retry_at});
  EXPECT_FALSE(store().dead_letter("ep_1", "evt_1"));
  const auto due = store().due("ep_1", {}, retry_at, 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].next_attempt, 1);
  EXPECT_EQ(due[0].series, 1);
  EXPECT_EQ(store().snapshot("ep_1").pending, 1u);
  EXPECT_EQ(store().snapshot("ep_1").dead, 0u);

  ep.succeed("evt_1", retry_at + 5);
  EXPECT_FALSE(store().first_due("ep_1", {}));
  EXPECT_EQ(store().recent_attempts("ep_1", 1)[0].outcome, "delivered");
  EXPECT_EQ(store().snapshot("ep_1").pending, 0u);
}

// A due key's deletion meets its put in the flush and both vanish: the due
// family keeps the pending deliveries' keys and no tombstone of the rest
// (which would be flushed, then compacted again and again down the levels).
TEST_F(DeliveryProjections, AFlushKeepsNoTraceOfDueKeysThatCameAndWent) {
  DeliveryDriver ep(store(), "ep_1");
  const engine::UnixMillis t0 = 1'700'000'000'000;
  for (int i = 0; i < 200; ++i) ep.enqueue("evt_" + std::to_string(i), t0);
  for (int i = 0; i < 200; ++i) {
    const std::string id = "evt_" + std::to_string(i);
    if (i % 4 == 0) continue;  // still due at t0
    ep.fail(id, t0 + 10);      // its key moves to the retry's due time
    if (i % 4 == 1) continue;  // still due, at the retry's time
    ep.succeed(id, ep.state(id).due_at);
  }
  ASSERT_EQ(store().snapshot("ep_1").pending, 100u);
  close();

  testing::RawDb raw(dir_.path() / "db");  // opening it replays the WAL
  ASSERT_TRUE(raw.db().Flush(rocksdb::FlushOptions(), raw.handle(Cf::due)).ok());
  rocksdb::TablePropertiesCollection tables;
  ASSERT_TRUE(raw.db().GetPropertiesOfAllTables(raw.handle(Cf::due), &tables).ok());
  ASSERT_FALSE(tables.empty());
  std::uint64_t entries = 0, deletions = 0;
  for (const auto& [file, properties] : tables) {
    entries += properties->num_entries;
    deletions += properties->num_deletions;
  }
  EXPECT_EQ(deletions, 0u);
  EXPECT_EQ(entries, 100u) << "the pending deliveries' keys, and nothing else";
  EXPECT_EQ(raw.count_keys(Cf::due, keys::prefix("ep_1")), 100u);
}

TEST_F(DeliveryProjections, TheLogReplaysIntoTheSameStateTheProjectionsHold) {
  DeliveryDriver ep(store(), "ep_1");
  ep.enqueue("evt_1", 1000);
  ep.fail("evt_1", 1000);
  ep.enqueue("evt_2", 1001);
  ep.succeed("evt_2", 1002);
  std::map<std::string, engine::Delivery> folded;
  std::vector<std::uint64_t> seqs;
  const auto count =
      store().replay("ep_1", 0, [&](std::uint64_t seq, const engine::DeliveryRecord& record) {
        seqs.push_back(seq);
        const std::string id(engine::event_id_of(record));
        folded[id] = engine::apply(folded[id], record);
      });
  EXPECT_EQ(count, 6u);
  // One entry per decision: an attempt's AttemptFinished and what it led to share one.
  EXPECT_EQ(seqs, (std::vector<std::uint64_t>{0, 1, 1, 2, 3, 3}));
  EXPECT_EQ(store().snapshot("ep_1").next_log_seq, 4u);
  EXPECT_EQ(folded["evt_1"], ep.state("evt_1"));
  EXPECT_EQ(folded["evt_2"], ep.state("evt_2"));
  EXPECT_EQ(store().due("ep_1", {}, INT64_MAX, 10).at(0), ep.state("evt_1"));
  EXPECT_EQ(store().replay("ep_1", 3, [](auto, const auto&) {}), 2u);
}

TEST_F(DeliveryProjections, ASetWithManyAppendsWritesTheEndpointsSnapshotOnce) {
  DeliveryDriver ep1(store(), "ep_1");
  DeliveryDriver ep2(store(), "ep_2");
  WriteSet set;
  for (int i = 0; i < 5; ++i) {
    ep1.decide_into(set, "evt_" + std::to_string(i), engine::Enqueue{"evt_" + std::to_string(i), engine::EventType::call_created, 1000});
  }
  ep2.decide_into(set, "evt_0", engine::Enqueue{"evt_0", engine::EventType::call_created, 1000});
  // Per append a log record and a due key; one snapshot per endpoint.
  EXPECT_EQ(set.op_count(), 6u * 2 + 2);
  ASSERT_TRUE(store().write(std::move(set)).ok());
  EXPECT_EQ(store().snapshot("ep_1"), ep1.log().snapshot) << "the snapshot of the last append";
  EXPECT_EQ(store().snapshot("ep_1").pending, 5u);
  EXPECT_EQ(store().snapshot("ep_2"), ep2.log().snapshot);

  // A deletion in the same set comes after the appends before it, and an
  // append after it writes its own snapshot after the deletion.
  WriteSet again;
  ep1.decide_into(again, "evt_5", engine::Enqueue{"evt_5", engine::EventType::call_created, 1000});
  again.delete_endpoint("acme", "ep_1");
  DeliveryDriver fresh(store(), "ep_1");
  fresh.log().snapshot = {};
  fresh.decide_into(again, "evt_9", engine::Enqueue{"evt_9", engine::EventType::call_created, 2000});
  ASSERT_TRUE(store().write(std::move(again)).ok());
  EXPECT_EQ(store().snapshot("ep_1"), fresh.log().snapshot);
  EXPECT_EQ(store().snapshot("ep_1").pending, 1u);
}

TEST_F(DeliveryProjections, TheAttemptsRingKeepsExactlyTheLast100NewestFirst) {
  DeliveryDriver ep(store(), "ep_1");
  for (int i = 0; i < 230; ++i) {
    WriteSet set;
    set.record_test_attempt(ep.log(), AttemptRow{"evt_t" + std::to_string(i), engine::EventType::call_created, 1,
                                                 200, i, "", i, "delivered", false});
    write(std::move(set));
  }
  ep.enqueue("evt_real", 5000);
  ep.fail("evt_real", 5000);  // row 231

  reopen();
  const auto rows = store().recent_attempts("ep_1", 1000);
  ASSERT_EQ(rows.size(), 100u);
  EXPECT_EQ(rows[0].event_id, "evt_real");
  EXPECT_FALSE(rows[0].test);
  EXPECT_EQ(rows[1].event_id, "evt_t229");
  EXPECT_TRUE(rows[1].test) << "a tester row is marked as such";
  EXPECT_EQ(rows[99].event_id, "evt_t131");
  EXPECT_EQ(store().recent_attempts("ep_1", 5).size(), 5u);
  EXPECT_EQ(store().snapshot("ep_1").next_attempt_seq, 231u);
  // Row 200 deleted those before row 101: rows 101-230 are stored.
  close();
  EXPECT_EQ(testing::RawDb(options().dir).count_keys(Cf::attempts, keys::prefix("ep_1")), 130u);
}

TEST_F(DeliveryProjections, DeadLettersPageByEventIdWithAnOpaqueCursor) {
  DeliveryDriver ep(store(), "ep_1");
  for (const char* id : {"evt_c", "evt_a", "evt_e", "evt_b", "evt_d"}) {
    ep.enqueue(id, 1000);
    for (int i = 0; i < 7; ++i) ep.fail(id, ep.state(id).due_at, 500, std::string("body of ") + id);
  }
  std::vector<std::string> seen;
  std::optional<std::string> cursor;
  int pages = 0;
  do {
    const auto page = store().dead_letters("ep_1", cursor, 2);
    for (const auto& entry : page.items) {
      seen.emplace_back(entry.delivery.event_id);
      EXPECT_EQ(entry.envelope, "body of " + std::string(entry.delivery.event_id));
    }
    cursor = page.next_cursor;
    ++pages;
  } while (cursor);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, (std::vector<std::string>{"evt_a", "evt_b", "evt_c", "evt_d", "evt_e"}));
  EXPECT_EQ(store().all_dead_letters("ep_1").size(), 5u);
  EXPECT_FALSE(store().dead_letters("ep_1", std::nullopt, 5).next_cursor);
}

class TenantEndpoints : public testing::StoreTest {};

TEST_F(TenantEndpoints, ListsOnlyThatTenantsEndpointsThroughItsIndex) {
  // "acme" is a prefix of "acme-2": the separator must keep them apart.
  for (auto [tenant, id] : {std::pair{"acme", "ep_a"}, {"acme-2", "ep_b"}, {"acme", "ep_c"}}) {
    EndpointRecord record;
    record.id = id;
    record.tenant_id = tenant;
    WriteSet set;
    set.put_endpoint(record);
    write(std::move(set));
  }
  reopen();
  EXPECT_EQ(store().endpoint_ids_of("acme"), (std::vector<std::string>{"ep_a", "ep_c"}));
  const auto endpoints = store().endpoints_of("acme-2");
  ASSERT_EQ(endpoints.size(), 1u);
  EXPECT_EQ(endpoints[0].id, "ep_b");
  EXPECT_TRUE(store().endpoints_of("nobody").empty());
}

class DeleteEndpoint : public testing::StoreTest {};

TEST_F(DeleteEndpoint, RemovesEveryKeyOfTheEndpointAndNothingOfAnother) {
  // "ep_1" is a prefix of "ep_10": the separator must keep them apart.
  for (const char* id : {"ep_1", "ep_10"}) {
    EndpointRecord record;
    record.id = id;
    record.tenant_id = "acme";
    WriteSet set;
    set.put_endpoint(record);
    write(std::move(set));
    DeliveryDriver ep(store(), id);
    ep.enqueue("evt_pending", 1000);
    ep.fail("evt_pending", 1000);
    ep.enqueue("evt_dead", 1000);
    for (int i = 0; i < 7; ++i) ep.fail("evt_dead", ep.state("evt_dead").due_at);
  }
  const auto other_snapshot = store().snapshot("ep_10");

  WriteSet set;
  set.delete_endpoint("acme", "ep_1");
  write(std::move(set));
  reopen();

  EXPECT_FALSE(store().endpoint("ep_1"));
  EXPECT_EQ(store().endpoint_ids_of("acme"), std::vector<std::string>{"ep_10"});
  EXPECT_EQ(store().snapshot("ep_1"), EndpointSnapshot{});
  EXPECT_FALSE(store().first_due("ep_1", {}));
  EXPECT_TRUE(store().all_dead_letters("ep_1").empty());
  EXPECT_TRUE(store().recent_attempts("ep_1").empty());
  EXPECT_EQ(store().replay("ep_1", 0, [](auto, const auto&) {}), 0u);

  EXPECT_TRUE(store().endpoint("ep_10"));
  EXPECT_EQ(store().snapshot("ep_10"), other_snapshot);
  EXPECT_TRUE(store().first_due("ep_10", {}));
  EXPECT_EQ(store().all_dead_letters("ep_10").size(), 1u);
  EXPECT_EQ(store().recent_attempts("ep_10").size(), 8u);
  std::set<std::uint64_t> entries;
  store().replay("ep_10", 0, [&](std::uint64_t seq, const auto&) { entries.insert(seq); });
  EXPECT_EQ(entries.size(), other_snapshot.next_log_seq);
}

}  // namespace
}  // namespace sivo::storage
