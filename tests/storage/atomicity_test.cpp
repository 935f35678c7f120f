// A WriteSet is all-or-nothing, proven with a WAL that really fails: the
// device accepts part of the batch's bytes and then errors (a torn write).

#include <gtest/gtest.h>

#include "delivery_driver.hpp"
#include "faulty_file_system.hpp"
#include "temp_store.hpp"

namespace sivo::storage {
namespace {

using testing::FaultyFileSystem;

class Atomicity : public testing::StoreTest {
 protected:
  Atomicity() {
    fs_ = std::make_shared<FaultyFileSystem>();
    reopen(faulty());
  }
  StoreOptions faulty() const {
    auto o = options();
    o.env = FaultyFileSystem::env_of(fs_);
    return o;
  }
  std::shared_ptr<FaultyFileSystem> fs_;
};

TEST_F(Atomicity, AWriteTornHalfwayLeavesNoneOfTheSetAfterReopen) {
  WriteSet before;
  before.put_tenant(TenantRecord{"acme", "Acme", 1, "h"});
  before.put_event(StoredEvent{"acme", "evt_before", engine::EventType::call_created, 1, "kept"});
  write(std::move(before));

  // One set touching five families: catalog, events, dedupe, log, due, state.
  WriteSet set;
  set.put_tenant(TenantRecord{"globex", "Globex", 2, "g"});
  for (int i = 0; i < 200; ++i)
    set.put_event(StoredEvent{"acme", "evt_" + std::to_string(i), engine::EventType::call_ended, 2,
                              std::string(1000, 'x')});
  EndpointLog log{"ep_1", {}};
  const engine::DeliveryRecord enqueued = engine::Enqueued{"evt_0", engine::EventType::call_ended, 2};
  set.append(log, engine::Delivery{}, std::span(&enqueued, 1));
  const auto half = static_cast<std::int64_t>(set.byte_size() / 2);

  fs_->fail_wal_after(half);
  const auto result = store().write(std::move(set));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "storage_unavailable");
  EXPECT_GE(fs_->torn_appends(), 1) << "part of the batch reached the WAL file";

  close();
  fs_->heal();
  reopen(faulty());
  EXPECT_TRUE(store().tenant("acme"));
  EXPECT_TRUE(store().event("acme", "evt_before"));
  EXPECT_FALSE(store().tenant("globex"));
  const std::vector<std::string> ids = {"evt_0", "evt_100", "evt_199"};
  EXPECT_EQ(store().seen("acme", ids), (std::vector<bool>{false, false, false}));
  EXPECT_FALSE(store().event("acme", "evt_199"));
  EXPECT_FALSE(store().first_due("ep_1", {}));
  EXPECT_EQ(store().snapshot("ep_1"), EndpointSnapshot{});
  EXPECT_EQ(store().replay("ep_1", 0, [](auto, const auto&) {}), 0u);

  // and the store works again afterwards
  WriteSet after;
  after.put_tenant(TenantRecord{"initech", "Initech", 3, "i"});
  write(std::move(after));
  reopen(faulty());
  EXPECT_TRUE(store().tenant("initech"));
}

}  // namespace
}  // namespace sivo::storage
