// After a failed write the store refuses writes without reaching RocksDB,
// and takes them again by itself once the device does: fail, then succeed,
// with a WAL that really fails (tests/storage/faulty_file_system.hpp). What
// was acknowledged is there after a reopen; what was refused is not.

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "faulty_file_system.hpp"
#include "temp_store.hpp"

namespace sivo::storage {
namespace {

using namespace std::chrono_literals;
using testing::FaultyFileSystem;

class WriteRecovery : public testing::StoreTest {
 protected:
  WriteRecovery() { reopen(faulty()); }
  StoreOptions faulty() const {
    auto o = options();
    o.env = FaultyFileSystem::env_of(fs_);
    return o;
  }

  engine::Result<bool> put(const std::string& event_id) {
    WriteSet set;
    set.put_event(StoredEvent{"acme", event_id, engine::EventType::call_created, 1, "{}"});
    return store().write(std::move(set));
  }
  bool stored(const std::string& event_id) { return store().event("acme", event_id).has_value(); }

  // Writes `event_id` until it is acknowledged; how long that took.
  std::chrono::milliseconds put_until_acknowledged(const std::string& event_id,
                                                   std::chrono::milliseconds limit = 10s) {
    const auto start = std::chrono::steady_clock::now();
    while (!put(event_id).ok()) {
      if (std::chrono::steady_clock::now() - start > limit) {
        ADD_FAILURE() << event_id << " still refused after " << limit.count() << " ms";
        break;
      }
      std::this_thread::sleep_for(20ms);
    }
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  }

  std::shared_ptr<FaultyFileSystem> fs_ = std::make_shared<FaultyFileSystem>();
};

TEST_F(WriteRecovery, AFullWalIsRefusedWithoutTouchingItAgainAndTakesWritesOnceSpaceReturns) {
  ASSERT_TRUE(put("acked-1").ok());
  ASSERT_TRUE(put("acked-2").ok());

  fs_->fail_wal_after(10, FaultyFileSystem::Fault::no_space);  // torn: 10 bytes of the record land
  const auto failed = put("refused-1");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, "storage_unavailable");
  const int calls_at_failure = fs_->failed_calls();
  EXPECT_GE(calls_at_failure, 1);

  // Refused at once, without a WAL append: the writer RocksDB holds is broken.
  for (int i = 2; i <= 20; ++i) EXPECT_FALSE(put("refused-" + std::to_string(i)).ok());
  EXPECT_EQ(fs_->failed_calls(), calls_at_failure);
  auto health = store().write_health();
  EXPECT_TRUE(health.failed);
  EXPECT_EQ(health.failures, 1u);
  EXPECT_EQ(health.refused, 19u);

  // Still full after the resume interval: a resume is tried and fails (the
  // new WAL refuses too), still nothing stored.
  std::this_thread::sleep_for(Store::kResumeInterval + 50ms);
  EXPECT_FALSE(put("refused-21").ok());
  EXPECT_TRUE(store().write_health().failed);

  fs_->heal();
  // RocksDB's no-space recovery looks every 5 s; the gate asks every 500 ms.
  const auto took = put_until_acknowledged("acked-3");
  std::cout << "[ recovery ] writes taken again " << took.count() << " ms after the WAL healed\n";
  health = store().write_health();
  EXPECT_FALSE(health.failed);
  EXPECT_GE(health.recoveries, 1u);
  ASSERT_TRUE(put("acked-4").ok());

  for (const auto* id : {"acked-1", "acked-2", "acked-3", "acked-4"}) EXPECT_TRUE(stored(id)) << id;
  for (int i = 1; i <= 21; ++i) EXPECT_FALSE(stored("refused-" + std::to_string(i))) << i;

  reopen(faulty());
  for (const auto* id : {"acked-1", "acked-2", "acked-3", "acked-4"}) EXPECT_TRUE(stored(id)) << id;
  for (int i = 1; i <= 21; ++i) EXPECT_FALSE(stored("refused-" + std::to_string(i))) << i;
  EXPECT_TRUE(put("acked-5").ok());
}

// The first write of a fresh store fails: nothing in the memtables, so the
// resume has nothing to flush; the store must still come back and must not
// write through the failed WAL writer again.
TEST_F(WriteRecovery, AFailureOnAnEmptyStoreRecoversToo) {
  fs_->fail_wal_after(0, FaultyFileSystem::Fault::no_space);
  EXPECT_FALSE(put("refused-1").ok());
  EXPECT_FALSE(put("refused-2").ok());
  fs_->heal();
  put_until_acknowledged("acked-1");
  ASSERT_TRUE(put("acked-2").ok());
  reopen(faulty());
  EXPECT_TRUE(stored("acked-1"));
  EXPECT_TRUE(stored("acked-2"));
  EXPECT_FALSE(stored("refused-1"));
  EXPECT_FALSE(stored("refused-2"));
}

// A device error (EIO, not ENOSPC) is fatal to RocksDB 7.8: Resume() refuses
// it. The store keeps answering storage_unavailable, without crashing and
// without touching the WAL; a restart (reopen) brings it back.
TEST_F(WriteRecovery, ADeviceErrorIsRefusedUntilARestart) {
  ASSERT_TRUE(put("acked-1").ok());
  fs_->fail_wal_after(0, FaultyFileSystem::Fault::device_error);
  EXPECT_FALSE(put("refused-1").ok());
  const int calls_at_failure = fs_->failed_calls();
  fs_->heal();
  std::this_thread::sleep_for(Store::kResumeInterval + 50ms);
  EXPECT_FALSE(put("refused-2").ok());
  EXPECT_EQ(fs_->failed_calls(), calls_at_failure);
  EXPECT_TRUE(store().write_health().failed);

  reopen(faulty());
  EXPECT_TRUE(stored("acked-1"));
  EXPECT_FALSE(stored("refused-1"));
  EXPECT_FALSE(stored("refused-2"));
  EXPECT_TRUE(put("acked-2").ok());
}

}  // namespace
}  // namespace sivo::storage
