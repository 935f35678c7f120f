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
// announcement, as the actor does: every result reaches it exactly once, in
// each pusher's order, and none is left in the inbox.
TEST(AttemptInbox, EveryResultIsTakenOnceWhenOnlyAnnouncementsTriggerTakes) {
  AttemptInbox inbox;
  constexpr int kPushers = 4;
  constexpr int kEach = 20000;
  std::mutex mutex;
  std::condition_variable announced;
  int announcements = 0;
  bool pushers_done = false;

  std::map<std::string, std::vector<engine::UnixMillis>> received;
  std::thread taker([&] {
    std::vector<AttemptDone> batch;
    for (;;) {
      {
        std::unique_lock lock(mutex);
        announced.wait(lock, [&] { return announcements > 0 || pushers_done; });
        if (announcements == 0) return;
        --announcements;
      }
      batch = inbox.take(std::move(batch));
      for (const auto& done : batch)
        received[std::string(done.key.event_id.view())].push_back(done.key.due_at);
    }
  });

  std::vector<std::thread> pushers;
  for (int p = 0; p < kPushers; ++p) {
    pushers.emplace_back([&, p] {
      const std::string id = "evt_" + std::to_string(p);
      for (int i = 0; i < kEach; ++i) {
        if (inbox.push(result_of(id, i))) {
          std::lock_guard lock(mutex);
          ++announcements;
          announced.notify_one();
        }
      }
    });
  }
  for (auto& t : pushers) t.join();
  {
    std::lock_guard lock(mutex);
    pushers_done = true;
  }
  announced.notify_one();
  taker.join();

  EXPECT_TRUE(inbox.take({}).empty());
  ASSERT_EQ(received.size(), static_cast<std::size_t>(kPushers));
  for (const auto& [id, order] : received) {
    ASSERT_EQ(order.size(), static_cast<std::size_t>(kEach)) << id;
    for (int i = 0; i < kEach; ++i) ASSERT_EQ(order[i], i) << id;
  }
}

}  // namespace
}  // namespace sivo::actors
