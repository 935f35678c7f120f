// Supervision: an endpoint actor that fails is restarted from the store by
// its tenant actor, and nothing is lost. Real Runtime, RocksDB and HTTPS
// receiver; the actor fails while it has deliveries waiting, attempts in
// flight and writes not yet durable, with ingest going on at that moment.
//
// How the actor is made to fail, without a hook in production code: a
// command whose answer the endpoint actor gives synchronously, from inside
// its own message handler (a DLQ retry of an event that is not dead letters
// "not_found"), carries a callback that throws. The exception leaves the
// handler, CAF ends the actor with an error (sec::runtime_error), just as
// any bug in a handler would, and the tenant actor gets a down message with
// that reason. The test checks the tenant actor's restart line on stderr,
// so it fails if the actor did not actually die.

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "tests/actors/runtime_fixture.hpp"

namespace sivo::actors::testing {
namespace {

using namespace std::chrono_literals;
using engine::EventType;

struct Crash : std::runtime_error {
  Crash() : std::runtime_error("the test makes the endpoint actor fail") {}
};

class SupervisionTest : public RuntimeFixture {
 protected:
  // Makes the endpoint actor of `endpoint_id` fail; returns once it has
  // answered (and therefore thrown).
  void crash_endpoint_actor(const std::string& tenant, const std::string& endpoint_id) {
    std::promise<void> answered;
    auto f = answered.get_future();
    runtime_->retry_dead_letter(tenant, endpoint_id, "evt_not_a_dead_letter",
                                [&answered](engine::Result<bool> r) {
                                  EXPECT_FALSE(r.ok());
                                  answered.set_value();
                                  throw Crash();
                                });
    ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
  }
};

// The endpoint's log, folded per event, checked record by record against
// the delivery state machine: every record a legal next step.
struct LogCheck {
  std::uint64_t records = 0;
  std::uint64_t entries = 0;  // distinct seqs: one per decision
  std::vector<std::string> problems;
  std::map<std::string, engine::Delivery> deliveries;
};

LogCheck check_log(const storage::Store& store, const std::string& endpoint_id) {
  LogCheck check;
  store.replay(endpoint_id, 0, [&](std::uint64_t seq, const engine::DeliveryRecord& record) {
    ++check.records;
    // The records of one decision share their entry's seq.
    if (seq == check.entries)
      ++check.entries;
    else if (seq + 1 != check.entries)
      check.problems.push_back("seq " + std::to_string(seq) + " where " +
                               std::to_string(check.entries) + " was next");
    const std::string id(engine::event_id_of(record));
    auto& state = check.deliveries[id];
    const bool legal = std::visit(
        [&](const auto& r) {
          using R = std::decay_t<decltype(r)>;
          if constexpr (std::is_same_v<R, engine::Enqueued>)
            return state.status == engine::DeliveryStatus::absent;
          else if constexpr (std::is_same_v<R, engine::AttemptFinished>)
            return state.status == engine::DeliveryStatus::pending &&
                   r.outcome.attempt == state.next_attempt;
          else if constexpr (std::is_same_v<R, engine::Requeued>)
            return state.status == engine::DeliveryStatus::dead;
          else
            return state.status == engine::DeliveryStatus::pending;
        },
        record);
    if (!legal) check.problems.push_back("seq " + std::to_string(seq) + ": illegal record for " + id);
    state = engine::apply(state, record);
  });
  return check;
}

TEST_F(SupervisionTest, AnEndpointActorThatFailsMidStreamIsRestartedAndLosesNothing) {
  auto options = default_options();
  options.endpoint_concurrency = 4;  // most deliveries wait in the due index, a few in flight
  start(options);
  create_tenant("acme");
  auto endpoint = create_endpoint("acme", receiver_->url());
  // Slow answers keep attempts in flight; the first attempt of every other
  // event fails, so retries are scheduled too.
  receiver_->reply_with([](const test_support::ReceivedRequest& request) {
    const auto id = request.header("X-Sivo-Event-Id").value_or("");
    const bool fail = request.header("X-Sivo-Delivery-Attempt") == "1" && !id.empty() &&
                      (id.back() % 2 == 0);
    auto reply = test_support::Reply::slow(100ms, fail ? 500 : 200);
    return reply;
  });

  std::set<std::string> acknowledged;
  std::mutex acknowledged_mutex;
  auto ingest_batches = [&](int batches, int size) {
    for (int b = 0; b < batches; ++b) {
      std::vector<IngestItem> items;
      for (int i = 0; i < size; ++i) items.push_back(make_item("acme", EventType::call_ended));
      for (const auto& outcome : ingest("acme", std::move(items))) {
        ASSERT_FALSE(outcome.error) << outcome.error->message;
        std::lock_guard lock(acknowledged_mutex);
        acknowledged.insert(outcome.event_id);
      }
    }
  };
  ingest_batches(10, 10);
  ASSERT_TRUE(receiver_->wait_for_requests(8, 10s));
  ASSERT_GT(store_->snapshot(endpoint.id).pending, 50u) << "the actor has work waiting";

  // Ingest keeps going while the actor fails: writes the tenant actor
  // submitted for it are still in the committer when it is restarted.
  std::thread more([&] { ingest_batches(10, 10); });
  ::testing::internal::CaptureStderr();
  crash_endpoint_actor("acme", endpoint.id);
  more.join();
  ASSERT_TRUE(eventually([&] { return store_->snapshot(endpoint.id).pending == 0; }, 60s))
      << store_->snapshot(endpoint.id).pending << " deliveries still pending";
  const std::string stderr_text = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(stderr_text.find("endpoint actor " + endpoint.id + " failed"), std::string::npos)
      << "the actor did not fail: " << stderr_text;
  EXPECT_NE(stderr_text.find("restarting it from its log"), std::string::npos) << stderr_text;

  // Every acknowledged event reached the receiver, at least once.
  ASSERT_EQ(acknowledged.size(), 200u);
  std::set<std::string> received;
  std::size_t requests = 0;
  for (const auto& request : receiver_->requests()) {
    ++requests;
    received.insert(request.header("X-Sivo-Event-Id").value_or(""));
  }
  for (const auto& id : acknowledged) EXPECT_TRUE(received.count(id)) << id << " never delivered";

  // The log is whole and every delivery in it ended delivered; the
  // projections agree with it.
  const auto log = check_log(*store_, endpoint.id);
  for (const auto& problem : log.problems) ADD_FAILURE() << problem;
  EXPECT_EQ(log.deliveries.size(), 200u);
  for (const auto& [id, delivery] : log.deliveries) {
    EXPECT_TRUE(acknowledged.count(id)) << id;
    EXPECT_EQ(delivery.status, engine::DeliveryStatus::delivered) << id;
  }
  const auto snapshot = store_->snapshot(endpoint.id);
  EXPECT_EQ(snapshot.next_log_seq, log.entries);
  EXPECT_EQ(snapshot.pending, 0u);
  EXPECT_EQ(snapshot.dead, 0u);
  EXPECT_FALSE(store_->first_due(endpoint.id, {}));
  EXPECT_EQ(runtime_->stats().pending, 0u);
  std::size_t failed_first = 0;  // events whose first attempt the receiver failed: two requests each
  for (const auto& id : acknowledged) failed_first += id.back() % 2 == 0;
  std::cout << "[ supervision ] 200 events, " << requests << " requests, "
            << requests - 200 - failed_first << " of them re-sends after the restart, "
            << log.records << " log records\n";
}

}  // namespace
}  // namespace sivo::actors::testing
