// Group commit: one writer merges what queued during the previous sync.

#include "storage/committer.hpp"

#include <gtest/gtest.h>
#include <pthread.h>

#include <atomic>
#include <chrono>
#include <future>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

#include "faulty_file_system.hpp"
#include "temp_store.hpp"

namespace sivo::storage {
namespace {

class GroupCommit : public testing::StoreTest {};

WriteSet one_event(const std::string& id) {
  WriteSet set;
  set.put_event(StoredEvent{"acme", id, engine::EventType::call_created, 1, std::string(1024, 'e')});
  return set;
}

TEST_F(GroupCommit, ConcurrentSubmittersAreAllAcknowledgedOnceAndDurable) {
  constexpr int kThreads = 8, kPerThread = 400;
  std::atomic<int> acknowledged{0}, failed{0};
  std::vector<std::atomic<int>> calls(kThreads * kPerThread);
  std::uint64_t syncs = 0;
  {
    Committer committer(store());
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          const int n = t * kPerThread + i;
          committer.submit(one_event("evt_" + std::to_string(n)), [&, n](const engine::Result<bool>& r) {
            ++calls[n];
            ++(r.ok() ? acknowledged : failed);
          });
        }
      });
    for (auto& thread : threads) thread.join();
    syncs = committer.stats().syncs;
  }  // the destructor writes and acknowledges what is still queued
  EXPECT_EQ(acknowledged, kThreads * kPerThread);
  EXPECT_EQ(failed, 0);
  for (const auto& c : calls) EXPECT_EQ(c, 1);
  EXPECT_LT(syncs, static_cast<std::uint64_t>(kThreads * kPerThread));

  reopen();
  std::vector<std::string> ids;
  for (int n = 0; n < kThreads * kPerThread; ++n) ids.push_back("evt_" + std::to_string(n));
  const auto seen = store().seen("acme", ids);
  EXPECT_EQ(std::count(seen.begin(), seen.end(), true), kThreads * kPerThread);
}

// Like an ingest: each submitter waits for its acknowledgement before the next.
TEST_F(GroupCommit, SubmittersWaitingForTheirAckShareSyncs) {
  constexpr int kThreads = 16, kPerThread = 100;
  Committer committer(store());
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::promise<bool> acked;
        committer.submit(one_event("evt_" + std::to_string(t) + "_" + std::to_string(i)),
                         [&](const engine::Result<bool>& r) { acked.set_value(r.ok()); });
        EXPECT_TRUE(acked.get_future().get());
      }
    });
  for (auto& thread : threads) thread.join();
  const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto stats = committer.stats();
  std::cout << "[ group commit ] " << stats.sets << " sets in " << stats.batches << " batches, " << stats.syncs
            << " syncs (" << static_cast<double>(stats.sets) / static_cast<double>(stats.syncs)
            << " sets/sync), " << elapsed << " s, " << static_cast<double>(stats.sets) / elapsed << " sets/s\n";
  EXPECT_EQ(stats.sets, static_cast<std::uint64_t>(kThreads * kPerThread));
  EXPECT_EQ(stats.batches, stats.syncs);
  EXPECT_LT(stats.syncs, stats.sets) << "sets queued during a sync share the next one";
}

// Small groups are acknowledged by the writing thread, large ones by the
// second thread; a slow callback of a large group holds back the callbacks of
// every later group, so they still come in submission order.
TEST_F(GroupCommit, CallbacksComeInSubmissionOrderWhicheverThreadRunsThem) {
  auto big = [](int n) {
    WriteSet set;
    for (int k = 0; k < 300; ++k) set.put_event(StoredEvent{"acme", "evt_" + std::to_string(n) + "_" + std::to_string(k),
                                                            engine::EventType::call_created, 1, "{}"});
    return set;
  };
  constexpr int kSets = 300;
  std::mutex mutex;
  std::vector<int> order;
  std::set<std::thread::id> threads;
  {
    Committer committer(store());
    for (int n = 0; n < kSets; ++n) {
      const bool large = n % 50 == 0;
      committer.submit(large ? big(n) : one_event("evt_" + std::to_string(n)),
                       [&, n, large](const engine::Result<bool>& r) {
                         EXPECT_TRUE(r.ok());
                         if (large) std::this_thread::sleep_for(std::chrono::milliseconds(2));
                         std::lock_guard lock(mutex);
                         order.push_back(n);
                         threads.insert(std::this_thread::get_id());
                       });
      // Groups of every size, and pauses in which the second thread goes idle.
      if (n % 7 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      if (n % 25 == 24) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  ASSERT_EQ(order.size(), static_cast<std::size_t>(kSets));
  for (int n = 0; n < kSets; ++n) EXPECT_EQ(order[n], n);
  EXPECT_EQ(threads.size(), 2u) << "both threads acknowledged some groups";
}

// The runtime sets the committer's scheduling through this hook: it must run
// on both of the committer's threads, before either does any work.
TEST_F(GroupCommit, OnThreadStartRunsOnTheWriterAndTheAcknowledger) {
  std::mutex mutex;
  std::set<std::string> started_on;
  {
    Committer committer(store(), [&] {
      char name[16] = {};
      pthread_getname_np(pthread_self(), name, sizeof name);
      std::lock_guard lock(mutex);
      started_on.insert(name);
    });
    std::promise<void> written;
    committer.submit(one_event("evt_1"), [&](const engine::Result<bool>&) { written.set_value(); });
    written.get_future().wait();
  }
  EXPECT_EQ(started_on, (std::set<std::string>{"sivo-ack", "sivo-commit"}));
}

TEST_F(GroupCommit, EmptySetsAreAcknowledgedWithoutAWrite) {
  Committer committer(store());
  std::atomic<int> done{0};
  committer.submit(WriteSet{}, [&](const engine::Result<bool>& r) {
    EXPECT_TRUE(r.ok());
    ++done;
  });
  while (done < 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(committer.stats().syncs, 0u);
  EXPECT_EQ(committer.stats().sets, 1u);
}

// Counted at the file system: the WAL is synced for a set that needs it and
// for none of those that allow_unsynced(), which still reach RocksDB (a
// reopen, like a restart after a process crash, finds them).
TEST_F(GroupCommit, OnlySetsThatNeedItSyncTheWal) {
  auto fs = std::make_shared<testing::FaultyFileSystem>();
  auto o = options();
  o.env = testing::FaultyFileSystem::env_of(fs);
  reopen(o);
  auto submit_and_wait = [](Committer& committer, WriteSet set) {
    std::promise<bool> acked;
    committer.submit(std::move(set), [&](const engine::Result<bool>& r) { acked.set_value(r.ok()); });
    return acked.get_future().get();
  };
  {
    Committer committer(store());
    const int syncs_before = fs->wal_syncs();
    for (int i = 0; i < 20; ++i) {
      auto set = one_event("evt_relaxed_" + std::to_string(i));
      set.allow_unsynced();
      ASSERT_TRUE(submit_and_wait(committer, std::move(set)));
    }
    EXPECT_EQ(fs->wal_syncs(), syncs_before);
    EXPECT_EQ(committer.stats().batches, 20u);
    EXPECT_EQ(committer.stats().syncs, 0u);

    ASSERT_TRUE(submit_and_wait(committer, one_event("evt_synced")));
    EXPECT_EQ(fs->wal_syncs(), syncs_before + 1);
    EXPECT_EQ(committer.stats().syncs, 1u);
  }
  reopen(o);
  const std::vector<std::string> ids = {"evt_relaxed_0", "evt_relaxed_19", "evt_synced"};
  EXPECT_EQ(store().seen("acme", ids), (std::vector<bool>{true, true, true}));
}

class GroupCommitFailure : public testing::StoreTest {};

TEST_F(GroupCommitFailure, AFailedWriteReachesEveryCallbackAndTheCommitterKeepsRunning) {
  auto fs = std::make_shared<testing::FaultyFileSystem>();
  auto o = options();
  o.env = testing::FaultyFileSystem::env_of(fs);
  reopen(o);
  {
    Committer committer(store());
    std::atomic<int> ok{0}, answered{0};
    committer.submit(one_event("evt_good"), [&](const engine::Result<bool>& r) {
      ok += r.ok();
      ++answered;
    });
    while (answered < 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ASSERT_EQ(ok, 1);

    fs->fail_wal_after(0);
    std::atomic<int> errors{0}, calls{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < 50; ++i)
          committer.submit(one_event("evt_bad_" + std::to_string(t) + "_" + std::to_string(i)),
                           [&](const engine::Result<bool>& r) {
                             ++calls;
                             if (!r.ok() && r.error().code == "storage_unavailable") ++errors;
                           });
      });
    for (auto& thread : threads) thread.join();
    while (calls < 200) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_EQ(errors, 200) << "nothing is acknowledged that is not durable";
    EXPECT_EQ(committer.stats().sets, 201u);
  }
  close();
  fs->heal();
  reopen(o);
  const std::vector<std::string> ids = {"evt_good", "evt_bad_0_0", "evt_bad_3_49"};
  EXPECT_EQ(store().seen("acme", ids), (std::vector<bool>{true, false, false}));
}

}  // namespace
}  // namespace sivo::storage
