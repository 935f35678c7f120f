#include "storage/store.hpp"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <fstream>

#include "delivery_driver.hpp"
#include "storage/keys.hpp"
#include "temp_store.hpp"

namespace sivo::storage {
namespace {

using testing::DeliveryDriver;
using testing::StoreTest;
using engine::EventType;

class StoreCatalog : public StoreTest {};

TenantRecord acme() { return TenantRecord{"acme", "Acme", 1000, "hash_acme"}; }

EndpointRecord endpoint(std::string id, std::string tenant) {
  EndpointRecord e;
  e.id = std::move(id);
  e.tenant_id = std::move(tenant);
  e.url = "https://example.com/" + e.id;
  e.event_types = {"call.*"};
  e.secret = "whsec_x";
  e.rate_limit_per_second = 10;
  return e;
}

TEST_F(StoreCatalog, OpensAnEmptyDirectoryAndAnswersNothing) {
  EXPECT_FALSE(store().tenant("acme"));
  EXPECT_TRUE(store().tenants().empty());
  EXPECT_TRUE(store().all_endpoints().empty());
  EXPECT_EQ(store().snapshot("ep_1"), EndpointSnapshot{});
  EXPECT_TRUE(store().write(WriteSet{}).ok());
}

TEST_F(StoreCatalog, TenantsEndpointsKeysAndSettingsSurviveAReopen) {
  WriteSet set;
  set.put_tenant(acme());
  set.put_tenant(TenantRecord{"globex", "Globex", 2000, "hash_globex"});
  set.put_api_key("hash_acme", "acme");
  set.put_api_key("hash_old", "acme");
  set.put_setting("retry_schedule", "1s,2s");
  set.put_endpoint(endpoint("ep_1", "acme"));
  set.put_endpoint(endpoint("ep_2", "acme"));
  set.put_endpoint(endpoint("ep_3", "globex"));
  write(std::move(set));
  WriteSet revoke;
  revoke.delete_api_key("hash_old");
  write(std::move(revoke));

  reopen();
  EXPECT_EQ(store().tenant("acme"), acme());
  EXPECT_EQ(store().tenants().size(), 2u);
  EXPECT_EQ(store().tenant_for_api_key("hash_acme"), "acme");
  EXPECT_FALSE(store().tenant_for_api_key("hash_old"));
  EXPECT_EQ(store().setting("retry_schedule"), "1s,2s");
  EXPECT_FALSE(store().setting("other"));
  EXPECT_EQ(store().endpoint("ep_1"), endpoint("ep_1", "acme"));
  EXPECT_EQ(store().endpoints_of("acme").size(), 2u);
  EXPECT_EQ(store().endpoints_of("globex").size(), 1u);
  EXPECT_EQ(store().all_endpoints().size(), 3u);
}

class StoreEvents : public StoreTest {
 protected:
  void put(std::string tenant, std::string id, engine::UnixMillis at) {
    WriteSet set;
    set.put_event(StoredEvent{tenant, id, EventType::call_ended, at, "{\"id\":\"" + id + "\"}"});
    write(std::move(set));
  }
};

TEST_F(StoreEvents, MultiGetAnswersEachIdInOrderAndOnlyWithinTheTenant) {
  put("acme", "evt_1", 10);
  put("acme", "evt_2", 20);
  put("globex", "evt_3", 30);
  const std::vector<std::string> ids = {"evt_2", "evt_missing", "evt_1", "evt_3"};
  const auto events = store().events("acme", ids);
  ASSERT_EQ(events.size(), 4u);
  ASSERT_TRUE(events[0]);
  EXPECT_EQ(*events[0], (StoredEvent{"acme", "evt_2", EventType::call_ended, 20, "{\"id\":\"evt_2\"}"}));
  EXPECT_FALSE(events[1]);
  ASSERT_TRUE(events[2]);
  EXPECT_EQ(events[2]->id, "evt_1");
  EXPECT_FALSE(events[3]) << "another tenant's event is invisible";
  EXPECT_EQ(store().event("globex", "evt_3")->ingested_at, 30);
}

TEST_F(StoreEvents, ReadEventsHandsOutEachStoredEventByItsIndex) {
  put("acme", "evt_1", 10);
  put("acme", "evt_2", 20);
  put("globex", "evt_3", 30);
  const std::vector<std::string_view> ids = {"evt_2", "evt_missing", "evt_1", "evt_3"};
  std::vector<std::pair<std::size_t, StoredEvent>> found;
  store().read_events("acme", ids, [&](std::size_t i, const StoredEventView& e) {
    found.emplace_back(i, StoredEvent{std::string(e.tenant_id), std::string(e.id), e.type,
                                      e.ingested_at, std::string(e.envelope)});
  });
  ASSERT_EQ(found.size(), 2u) << "neither a missing id nor another tenant's event";
  EXPECT_EQ(found[0].first, 0u);
  EXPECT_EQ(found[0].second,
            (StoredEvent{"acme", "evt_2", EventType::call_ended, 20, "{\"id\":\"evt_2\"}"}));
  EXPECT_EQ(found[1].first, 2u);
  EXPECT_EQ(found[1].second.id, "evt_1");
  EXPECT_EQ(found[1].second.envelope, "{\"id\":\"evt_1\"}");
}

TEST_F(StoreEvents, SeenAnswersFromTheDedupeKeys) {
  put("acme", "evt_1", 10);
  put("acme", "evt_2", 20);
  const std::vector<std::string> ids = {"evt_1", "evt_x", "evt_2"};
  EXPECT_EQ(store().seen("acme", ids), (std::vector<bool>{true, false, true}));
  EXPECT_EQ(store().seen("globex", ids), (std::vector<bool>{false, false, false}));
  reopen();
  EXPECT_EQ(store().seen("acme", ids), (std::vector<bool>{true, false, true}));
}

TEST_F(StoreEvents, EventsIngestedInAWindowComeOldestFirst) {
  put("acme", "evt_c", 300);
  put("acme", "evt_a", 100);
  put("acme", "evt_b", 200);
  put("acme", "evt_d", 400);
  put("globex", "evt_e", 250);
  const auto window = store().events_ingested("acme", 100, 400);
  ASSERT_EQ(window.size(), 3u);
  EXPECT_EQ(window[0].id, "evt_a");
  EXPECT_EQ(window[1].id, "evt_b");
  EXPECT_EQ(window[2].id, "evt_c");
  EXPECT_EQ(store().events_ingested("acme", 0, 1000, 2).size(), 2u);
}

class StoreReopen : public StoreTest {};

TEST_F(StoreReopen, SnapshotDueDlqAndAttemptsAreTheSameAfterAReopen) {
  DeliveryDriver ep(store(), "ep_1");
  ep.enqueue("evt_pending", 1000);
  ep.fail("evt_pending", 1000);
  ep.enqueue("evt_dead", 1000);
  for (int i = 0; i < 7; ++i) ep.fail("evt_dead", ep.state("evt_dead").due_at, 503, "{\"dead\":1}");
  ep.enqueue("evt_ok", 2000);
  ep.succeed("evt_ok", 2001);

  const auto snapshot = store().snapshot("ep_1");
  const auto due = store().due("ep_1", {}, INT64_MAX, 100);
  const auto dlq = store().all_dead_letters("ep_1");
  const auto attempts = store().recent_attempts("ep_1");
  reopen();
  EXPECT_EQ(store().snapshot("ep_1"), snapshot);
  EXPECT_EQ(snapshot.pending, 1u);
  EXPECT_EQ(snapshot.dead, 1u);
  EXPECT_EQ(snapshot.next_attempt_seq, 9u);
  EXPECT_EQ(store().due("ep_1", {}, INT64_MAX, 100), due);
  EXPECT_EQ(due.size(), 1u);
  EXPECT_EQ(dlq.size(), 1u);
  EXPECT_EQ(store().all_dead_letters("ep_1"), dlq);
  EXPECT_EQ(store().recent_attempts("ep_1"), attempts);
  EXPECT_EQ(attempts.size(), 9u);
}

TEST_F(StoreReopen, DeliveryTotalsSumEveryEndpointsSnapshot) {
  EXPECT_EQ(store().delivery_totals().pending, 0u);
  DeliveryDriver one(store(), "ep_1");
  one.enqueue("evt_a", 1000);
  one.enqueue("evt_b", 1000);
  one.enqueue("evt_dead", 1000);
  for (int i = 0; i < 7; ++i) one.fail("evt_dead", one.state("evt_dead").due_at, 503);
  DeliveryDriver two(store(), "ep_2");
  two.enqueue("evt_a", 1000);
  two.enqueue("evt_ok", 1000);
  two.succeed("evt_ok", 1001);
  reopen();
  const auto totals = store().delivery_totals();
  EXPECT_EQ(totals.pending, 3u);
  EXPECT_EQ(totals.dead, 1u);
}

}  // namespace
}  // namespace sivo::storage

namespace sivo::storage {
namespace {

class StoreOpen : public testing::StoreTest {};

TEST_F(StoreOpen, ADirectoryWithAFamilyOfALaterBuildStillOpens) {
  close();
  {
    testing::RawDb raw(options().dir);
    rocksdb::ColumnFamilyHandle* future = nullptr;
    ASSERT_TRUE(raw.db().CreateColumnFamily({}, "from_the_future", &future).ok());
    raw.db().DestroyColumnFamilyHandle(future);
  }
  reopen();
  WriteSet set;
  set.put_setting("x", "y");
  write(std::move(set));
  EXPECT_EQ(store().setting("x"), "y");
}

// A store written before the per-tenant endpoint index: the records are
// there, their index keys are not (removed here with RocksDB directly).
TEST_F(StoreOpen, EndpointsOfAStoreWithoutTheIndexAreIndexedOnOpen) {
  WriteSet set;
  set.put_tenant(acme());
  set.put_endpoint(endpoint("ep_1", "acme"));
  set.put_endpoint(endpoint("ep_2", "acme"));
  write(std::move(set));
  close();
  {
    testing::RawDb raw(options().dir);
    auto* catalog = raw.handle(Cf::catalog);
    for (const auto* id : {"ep_1", "ep_2"}) {
      ASSERT_TRUE(raw.db().Delete(rocksdb::WriteOptions(), catalog, keys::tenant_endpoint("acme", id)).ok());
    }
    ASSERT_TRUE(raw.db().Delete(rocksdb::WriteOptions(), catalog, keys::setting("catalog.endpoint_index")).ok());
  }
  reopen();
  EXPECT_EQ(store().endpoint_ids_of("acme"), (std::vector<std::string>{"ep_1", "ep_2"}));
  reopen();  // once is enough: nothing changes on the next open
  EXPECT_EQ(store().endpoint_ids_of("acme"), (std::vector<std::string>{"ep_1", "ep_2"}));
}

TEST_F(StoreOpen, AnUnusableDirectoryIsStorageUnavailable) {
  const auto file = dir_.path() / "a_file";
  std::ofstream(file) << "not a directory";
  StoreOptions o;
  o.dir = file / "db";
  const auto opened = Store::open(o);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, "storage_unavailable");
}

}  // namespace
}  // namespace sivo::storage
