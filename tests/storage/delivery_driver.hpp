#pragma once
// Drives one endpoint's deliveries the way its actor will: decide a command
// against the current state with engine::decide, append the records with
// WriteSet::append, write, then fold.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "engine/delivery.hpp"
#include "engine/retry_policy.hpp"
#include "storage/store.hpp"

namespace sivo::storage::testing {

class DeliveryDriver {
 public:
  DeliveryDriver(Store& store, std::string endpoint_id)
      : store_(&store), log_{endpoint_id, store.snapshot(endpoint_id)} {}

  // Decides `command` for the delivery of `event_id` and appends its records to `set`.
  std::vector<engine::DeliveryRecord> decide_into(WriteSet& set, const std::string& event_id,
                                                  const engine::DeliveryCommand& command,
                                                  std::string_view envelope = "{\"id\":\"body\"}") {
    auto& state = states_[event_id];
    auto decided = engine::decide(state, command, policy_);
    EXPECT_TRUE(decided.ok()) << (decided.ok() ? "" : decided.error().message);
    if (!decided.ok()) return {};
    set.append(log_, state, decided.value(), envelope);
    for (const auto& record : decided.value()) state = engine::apply(std::move(state), record);
    return decided.value();
  }

  // The same, written at once.
  std::vector<engine::DeliveryRecord> run(const std::string& event_id, const engine::DeliveryCommand& command,
                                          std::string_view envelope = "{\"id\":\"body\"}") {
    WriteSet set;
    auto records = decide_into(set, event_id, command, envelope);
    const auto written = store_->write(std::move(set));
    EXPECT_TRUE(written.ok()) << (written.ok() ? "" : written.error().message);
    return records;
  }

  void enqueue(const std::string& event_id, engine::UnixMillis now,
               engine::EventType type = engine::EventType::call_created) {
    run(event_id, engine::Enqueue{event_id, type, now});
  }
  void fail(const std::string& event_id, engine::UnixMillis now, int status = 500,
            std::string_view envelope = "{\"id\":\"body\"}") {
    run(event_id,
        engine::ReportAttempt{engine::AttemptOutcome{state(event_id).next_attempt, status, 25, "http " + std::to_string(status)}, now},
        envelope);
  }
  void succeed(const std::string& event_id, engine::UnixMillis now) {
    run(event_id, engine::ReportAttempt{engine::AttemptOutcome{state(event_id).next_attempt, 200, 12, ""}, now});
  }

  const engine::Delivery& state(const std::string& event_id) { return states_[event_id]; }
  EndpointLog& log() { return log_; }
  const engine::RetryPolicy& policy() const { return policy_; }

 private:
  Store* store_;
  EndpointLog log_;
  engine::RetryPolicy policy_ = engine::RetryPolicy::seed_default();
  std::map<std::string, engine::Delivery> states_;
};

}  // namespace sivo::storage::testing
