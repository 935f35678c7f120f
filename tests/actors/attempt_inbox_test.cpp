#include "actors/attempt_inbox.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sivo::actors {
namespace {

AttemptDone result_of(const std::string& event_id, engine::UnixMillis n) {
  AttemptDone done;
  done.key = storage::DueKey{n, event_id};
  done.result.status_code = 200;
  return done;
}

TEST(AttemptInbox, OnlyThePushIntoAnEmptyInboxAnnouncesIt) {
  AttemptInbox inbox;
  EXPECT_TRUE(inbox.push(result_of("evt_a", 1)));
  EXPECT_FALSE(inbox.push(result_of("evt_a", 2)));
  EXPECT_FALSE(inbox.push(result_of("evt_b", 3)));

  const auto taken = inbox.take({});
  ASSERT_EQ(taken.size(), 3u);
  EXPECT_EQ(taken[0].key.due_at, 1);
  EXPECT_EQ(taken[1].key.due_at, 2);
  EXPECT_EQ(taken[2].key.event_id, "evt_b");

  EXPECT_TRUE(inbox.take({}).empty());
  EXPECT_TRUE(inbox.push(result_of("evt_c", 4)));  // empty again: announced again
}

TEST(AttemptInbox, TheSpareBatchIsEmptiedAndReused) {
  AttemptInbox inbox;
  std::vector<AttemptDone> batch;
  for (int round = 0; round < 3; ++round) {
    inbox.push(result_of("evt_a", round));
    batch = inbox.take(std::move(batch));
    ASSERT_EQ(batch.size(), 1u);  // the previous round's result is not handed out again
    EXPECT_EQ(batch[0].key.due_at, round);
  }
}

// Pushers on several threads, and a taker that only takes when it holds an
// announcement, as the actor does. After each burst, once every
// announcement is handled, the inbox is empty (a burst of one push checks
// that a lone result announces itself), and in the end every result has
// reached the taker exactly once, in each pusher's order.
TEST(AttemptInbox, EveryResultIsTakenOnceWhenOnlyAnnouncementsTriggerTakes) {
  AttemptInbox inbox;
  std::mutex mutex;
  std::condition_variable changed;
  int unhandled = 0;  // announcements sent and not yet handled
  bool stopping = false;
  std::map<std::string, std::vector<engine::UnixMillis>> received;

  std::thread taker([&] {
    std::vector<AttemptDone> batch;
    std::unique_lock lock(mutex);
    for (;;) {
      changed.wait(lock, [&] { return unhandled > 0 || stopping; });
      if (unhandled == 0) return;
      lock.unlock();
      batch = inbox.take(std::move(batch));
      lock.lock();
      for (const auto& done : batch)
        received[std::string(done.key.event_id.view())].push_back(done.key.due_at);
      --unhandled;
      changed.notify_all();
    }
  });

  constexpr int kPushers = 4;
  std::vector<engine::UnixMillis> pushed(kPushers, 0);
  int unannounced_after = -1;  // the first burst that left a result unannounced
  for (int burst = 0; burst < 200 && unannounced_after < 0; ++burst) {
    const int pushers = 1 + burst % kPushers;
    const int each = burst % 3 == 0 ? 1 : 500;
    std::vector<std::thread> threads;
    for (int p = 0; p < pushers; ++p) {
      threads.emplace_back([&, p] {
        const std::string id = "evt_" + std::to_string(p);
        for (int i = 0; i < each; ++i) {
          if (!inbox.push(result_of(id, pushed[p]++))) continue;
          std::lock_guard lock(mutex);
          ++unhandled;
          changed.notify_all();
        }
      });
    }
    for (auto& t : threads) t.join();
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return unhandled == 0; });
    if (!inbox.take({}).empty()) unannounced_after = burst;
  }
  {
    std::lock_guard lock(mutex);
    stopping = true;
  }
  changed.notify_all();
  taker.join();

  ASSERT_EQ(unannounced_after, -1) << "a result of that burst was never announced";
  ASSERT_EQ(received.size(), static_cast<std::size_t>(kPushers));
  for (int p = 0; p < kPushers; ++p) {
    const auto& order = received["evt_" + std::to_string(p)];
    ASSERT_EQ(order.size(), static_cast<std::size_t>(pushed[p])) << p;
    for (std::size_t i = 0; i < order.size(); ++i)
      ASSERT_EQ(order[i], static_cast<engine::UnixMillis>(i)) << p;
  }
}

}  // namespace
}  // namespace sivo::actors
