// The endpoint lifecycle with the real runtime: an endpoint's actor runs only
// while it has work, stops after RuntimeOptions::endpoint_idle_after without
// any, and the next work starts it again. Nothing may be lost at either
// edge, and the endpoint's log keeps one writer.

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <thread>

#include "tests/actors/runtime_fixture.hpp"

namespace sivo::actors::testing {
namespace {

using namespace std::chrono_literals;
using engine::EventType;

class EndpointLifecycleTest : public RuntimeFixture {
 protected:
  RuntimeOptions options(std::chrono::milliseconds idle_after) {
    auto o = default_options();
    o.endpoint_idle_after = idle_after;
    return o;
  }

  bool all_asleep() {
    return eventually([&] { return runtime_->stats().endpoint_actors == 0; });
  }

  struct LogCounts {
    std::size_t enqueued = 0;
    std::size_t delivered = 0;
  };
  // The endpoint's log records, checking that each sequence number up to the
  // snapshot's next one holds exactly one record: a second writer would have
  // taken some numbers twice (and overwritten records).
  LogCounts log_counts(const std::string& endpoint_id) {
    LogCounts counts;
    std::uint64_t entries = 0;  // the records of one decision share an entry's seq
    store_->replay(endpoint_id, 0, [&](std::uint64_t seq, const engine::DeliveryRecord& record) {
      if (seq == entries)
        ++entries;
      else
        EXPECT_EQ(seq + 1, entries) << "neither this entry nor the next";
      if (std::holds_alternative<engine::Enqueued>(record)) ++counts.enqueued;
      if (std::holds_alternative<engine::Delivered>(record)) ++counts.delivered;
    });
    EXPECT_EQ(entries, store_->snapshot(endpoint_id).next_log_seq);
    return counts;
  }
};

TEST_F(EndpointLifecycleTest, ACreatedEndpointHasNoActorUntilWorkComes) {
  start(options(30s));
  create_tenant("acme");
  for (int i = 0; i < 20; ++i) create_endpoint("acme", receiver_->url());
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(runtime_->stats().endpoint_actors, 0u);
  EXPECT_EQ(runtime_->stats().endpoint_actor_starts, 0u);

  ingest("acme", {make_item("acme", EventType::call_created)});
  ASSERT_TRUE(receiver_->wait_for_requests(20, 10s));
  EXPECT_EQ(runtime_->stats().endpoint_actor_starts, 20u);
}

TEST_F(EndpointLifecycleTest, AnEndpointWhoseActorStoppedGetsTheNextEvent) {
  start(options(50ms));
  create_tenant("acme");
  auto endpoint = create_endpoint("acme", receiver_->url());
  auto first = make_item("acme", EventType::call_created);
  ingest("acme", {first});
  ASSERT_TRUE(receiver_->wait_for_requests(1, 5s));
  ASSERT_TRUE(all_asleep());

  auto second = make_item("acme", EventType::call_ended);
  EXPECT_EQ(ingest("acme", {second})[0].endpoints, 1u);
  ASSERT_TRUE(receiver_->wait_for_requests(2, 5s));
  EXPECT_EQ(receiver_->requests()[1].header("X-Sivo-Event-Id"), second.event_id);
  EXPECT_EQ(runtime_->stats().endpoint_actor_starts, 2u);
  ASSERT_TRUE(all_asleep());
  EXPECT_EQ(store_->snapshot(endpoint.id).pending, 0u);
  const auto counts = log_counts(endpoint.id);
  EXPECT_EQ(counts.enqueued, 2u);
  EXPECT_EQ(counts.delivered, 2u);
}

TEST_F(EndpointLifecycleTest, ARetryDueLaterFiresWhileTheEndpointIsOtherwiseIdle) {
  auto o = options(20ms);
  o.retry_policy = *engine::RetryPolicy::parse("1500ms,1500ms");
  start(o);
  create_tenant("acme");
  create_endpoint("acme", receiver_->url());
  receiver_->reply_statuses({503, 200});
  ingest("acme", {make_item("acme", EventType::call_created)});
  ASSERT_TRUE(receiver_->wait_for_requests(1, 5s));

  // Long past the idle period, the retry's timer keeps the actor.
  std::this_thread::sleep_for(700ms);
  EXPECT_EQ(receiver_->request_count(), 1u);
  EXPECT_EQ(runtime_->stats().endpoint_actors, 1u);

  ASSERT_TRUE(receiver_->wait_for_requests(2, 5s));
  const auto requests = receiver_->requests();
  EXPECT_GE(requests[1].steady_at - requests[0].steady_at, 1499ms);
  EXPECT_EQ(requests[1].header("X-Sivo-Delivery-Attempt"), "2");
  ASSERT_TRUE(all_asleep());
  EXPECT_EQ(runtime_->stats().endpoint_actor_starts, 1u);
}

// The handover race: with a 1 ms idle period, actors keep asking to stop
// while several threads ingest events that fan out to them. Every endpoint
// must receive every event exactly once, and each log must stay gapless.
// The threads go on past kMinEventsPerThread until the actors have stopped
// and started again often enough (a slower build, e.g. under ASan, keeps
// them busy longer between the gaps).
TEST_F(EndpointLifecycleTest, EventsEnqueuedWhileActorsStopAreNotLost) {
  start(options(1ms));
  create_tenant("acme");
  constexpr int kEndpoints = 6, kThreads = 3, kMinEventsPerThread = 80, kMaxEventsPerThread = 400;
  std::vector<storage::EndpointRecord> endpoints;
  for (int i = 0; i < kEndpoints; ++i) {
    endpoints.push_back(create_endpoint("acme", receiver_->url("/e" + std::to_string(i))));
  }
  const auto raced_enough = [&] {
    return runtime_->stats().endpoint_actor_starts > static_cast<std::uint64_t>(3 * kEndpoints);
  };

  std::vector<std::thread> threads;
  std::mutex ids_mutex;
  std::set<std::string> sent;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 random(t);
      for (int i = 0; i < kMaxEventsPerThread && (i < kMinEventsPerThread || !raced_enough()); ++i) {
        auto item = make_item("acme", EventType::transcript_segment);
        {
          std::lock_guard lock(ids_mutex);
          sent.insert(item.event_id);
        }
        ingest("acme", {item});
        // Gaps around the time an actor needs to go idle and ask to sleep.
        std::this_thread::sleep_for(std::chrono::microseconds(random() % 20000));
      }
    });
  }
  for (auto& thread : threads) thread.join();

  const std::size_t total = kEndpoints * sent.size();
  ASSERT_TRUE(receiver_->wait_for_requests(total, 30s)) << receiver_->request_count();
  std::this_thread::sleep_for(200ms);                          // a duplicate would come by now
  std::map<std::string, std::multiset<std::string>> received;  // path -> event ids
  for (const auto& request : receiver_->requests()) {
    received[request.target].insert(request.header("X-Sivo-Event-Id").value_or(""));
  }
  ASSERT_EQ(received.size(), static_cast<std::size_t>(kEndpoints));
  for (const auto& [path, ids] : received) {
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), sent) << path;
    EXPECT_EQ(ids.size(), sent.size()) << path << " received duplicates";
  }
  ASSERT_TRUE(all_asleep());
  for (const auto& endpoint : endpoints) {
    EXPECT_EQ(store_->snapshot(endpoint.id).pending, 0u);
    const auto counts = log_counts(endpoint.id);
    EXPECT_EQ(counts.enqueued, sent.size());
    EXPECT_EQ(counts.delivered, sent.size());
  }
  // The race was run: the actors stopped and started again many times.
  const auto starts = runtime_->stats().endpoint_actor_starts;
  std::cout << "[ measure  ] " << starts << " actor starts for " << kEndpoints << " endpoints\n";
  EXPECT_GT(starts, static_cast<std::uint64_t>(2 * kEndpoints));
}

TEST_F(EndpointLifecycleTest, ARestartWakesOnlyEndpointsWithPendingWork) {
  auto o = options(20ms);
  o.retry_policy = *engine::RetryPolicy::parse("1s,1s");
  start(o);
  create_tenant("acme");
  test_support::HttpsReceiver other(ca_.issue());
  auto busy = create_endpoint("acme", receiver_->url(), {"call.*"});
  create_endpoint("acme", other.url(), {"agent.*"});
  receiver_->reply_statuses({500, 200});
  auto item = make_item("acme", EventType::call_ended);
  ingest("acme", {item});
  ASSERT_TRUE(receiver_->wait_for_requests(1, 5s));
  ASSERT_TRUE(eventually([&] { return store_->recent_attempts(busy.id).size() == 1; }));

  restart(o);
  EXPECT_EQ(runtime_->stats().pending, 1u);
  EXPECT_TRUE(eventually([&] { return runtime_->stats().endpoint_actor_starts == 1; }));
  ASSERT_TRUE(receiver_->wait_for_requests(2, 5s));
  EXPECT_EQ(receiver_->requests()[1].header("X-Sivo-Delivery-Attempt"), "2");
  EXPECT_EQ(receiver_->requests()[1].body, *item.envelope);
  ASSERT_TRUE(all_asleep());
  EXPECT_EQ(runtime_->stats().endpoint_actor_starts, 1u);
  EXPECT_EQ(runtime_->stats().pending, 0u);
  EXPECT_EQ(other.request_count(), 0u);
}

// Commands reach a sleeping endpoint: the DLQ retry and the tester.
TEST_F(EndpointLifecycleTest, ASleepingEndpointAnswersCommands) {
  auto o = options(20ms);
  o.retry_policy = *engine::RetryPolicy::parse("100ms");
  start(o);
  create_tenant("acme");
  auto endpoint = create_endpoint("acme", receiver_->url());
  receiver_->reply_statuses({503, 503, 200});
  auto dead = make_item("acme", EventType::call_created);
  ingest("acme", {dead});
  ASSERT_TRUE(
      eventually([&] { return store_->dead_letter(endpoint.id, dead.event_id).has_value(); }));
  ASSERT_TRUE(all_asleep());

  ASSERT_TRUE(retry_dead_letter("acme", endpoint.id, dead.event_id).ok());
  ASSERT_TRUE(receiver_->wait_for_requests(3, 5s));
  EXPECT_EQ(receiver_->requests()[2].header("X-Sivo-Event-Id"), dead.event_id);
  ASSERT_TRUE(eventually([&] { return !store_->dead_letter(endpoint.id, dead.event_id); }));
  ASSERT_TRUE(all_asleep());

  std::promise<TestDeliveryResult> tested;
  auto tested_future = tested.get_future();
  runtime_->send_test_event("acme", endpoint.id, EventType::agent_paused,
                            [&](TestDeliveryResult r) { tested.set_value(std::move(r)); });
  EXPECT_TRUE(await(tested_future).ok);
  EXPECT_EQ(receiver_->request_count(), 4u);
  ASSERT_TRUE(all_asleep());
  EXPECT_EQ(runtime_->stats().endpoint_actor_starts, 3u);
}

// A disabled endpoint sleeps with its pending retry on disk, and the retry
// runs once the endpoint is enabled again.
TEST_F(EndpointLifecycleTest, ADisabledEndpointSleepsWithItsBacklogAndResumesWhenEnabled) {
  auto o = options(20ms);
  o.retry_policy = *engine::RetryPolicy::parse("500ms");
  start(o);
  create_tenant("acme");
  auto endpoint = create_endpoint("acme", receiver_->url());
  receiver_->reply_statuses({503, 200});
  auto item = make_item("acme", EventType::call_created);
  ingest("acme", {item});
  ASSERT_TRUE(receiver_->wait_for_requests(1, 5s));
  auto disabled = endpoint;
  disabled.enabled = false;
  put_endpoint(disabled);

  ASSERT_TRUE(all_asleep());
  std::this_thread::sleep_for(800ms);  // past the retry's due time
  EXPECT_EQ(receiver_->request_count(), 1u);
  EXPECT_EQ(store_->snapshot(endpoint.id).pending, 1u);

  put_endpoint(endpoint);
  ASSERT_TRUE(receiver_->wait_for_requests(2, 5s));
  EXPECT_EQ(receiver_->requests()[1].header("X-Sivo-Event-Id"), item.event_id);
  EXPECT_EQ(receiver_->requests()[1].header("X-Sivo-Delivery-Attempt"), "2");
  ASSERT_TRUE(all_asleep());
  EXPECT_TRUE(eventually([&] { return store_->snapshot(endpoint.id).pending == 0; }));
}

}  // namespace
}  // namespace sivo::actors::testing
