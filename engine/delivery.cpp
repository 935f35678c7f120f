#include "engine/delivery.hpp"

#include <algorithm>
#include <chrono>

namespace sivo::engine {
namespace {

using namespace std::chrono_literals;

// The start of a refusal's message: `delivery of event "<id>"`.
std::string delivery_of(const EventId& event_id) {
  return "delivery of event \"" + std::string(event_id) + "\"";
}

// A receiver's Retry-After may push the next attempt out to this, never further.
constexpr std::chrono::milliseconds kRetryAfterCeiling = 6h;

std::string_view status_name(DeliveryStatus status) {
  switch (status) {
    case DeliveryStatus::absent:
      return "absent";
    case DeliveryStatus::pending:
      return "pending";
    case DeliveryStatus::delivered:
      return "delivered";
    case DeliveryStatus::dead:
      return "dead";
  }
  return "unknown";
}

// The delay before the next attempt: the schedule's, moved later (within
// [scheduled, max(scheduled, 6 h)]) when the receiver asked via Retry-After.
std::chrono::milliseconds next_delay(std::chrono::milliseconds scheduled,
                                     std::int64_t retry_after_ms) {
  if (retry_after_ms < 0) return scheduled;
  return std::clamp(std::chrono::milliseconds(retry_after_ms), scheduled,
                    std::max(scheduled, kRetryAfterCeiling));
}

// Folds one record; `state` is already known to be about the record's event.
struct Applier {
  Delivery& state;

  void operator()(const Enqueued& record) {
    if (state.status != DeliveryStatus::absent) return;
    state.event_id = record.event_id;
    state.type = record.type;
    state.status = DeliveryStatus::pending;
    state.next_attempt = 1;
    state.series = 0;
    state.enqueued_at = record.at;
    state.due_at = record.at;
  }

  void operator()(const AttemptFinished& record) {
    if (state.status != DeliveryStatus::pending) return;
    state.last_status_code = record.outcome.status_code;
    state.last_error = record.outcome.error;
    state.attempts_in_series += 1;
  }

  void operator()(const RetryScheduled& record) {
    if (state.status != DeliveryStatus::pending) return;
    state.next_attempt = record.next_attempt;
    state.due_at = record.due_at;
  }

  void operator()(const Delivered& record) {
    if (state.status != DeliveryStatus::pending) return;
    state.status = DeliveryStatus::delivered;
    state.finished_at = record.at;
  }

  void operator()(const DeadLettered& record) {
    if (state.status != DeliveryStatus::pending) return;
    state.status = DeliveryStatus::dead;
    state.finished_at = record.at;
  }

  void operator()(const Requeued& record) {
    if (state.status != DeliveryStatus::dead) return;
    // last_status_code / last_error stay: they still describe the last attempt.
    state.status = DeliveryStatus::pending;
    state.series += 1;
    state.next_attempt = 1;
    state.attempts_in_series = 0;
    state.due_at = record.at;
    state.finished_at = 0;
  }
};

struct Decider {
  const Delivery& state;
  const RetryPolicy& policy;

  Result<std::vector<DeliveryRecord>> operator()(const Enqueue& command) const {
    // Enqueue is idempotent: a redelivered ingest must not restart a delivery.
    if (state.status != DeliveryStatus::absent) return std::vector<DeliveryRecord>{};
    return std::vector<DeliveryRecord>{Enqueued{command.event_id, command.type, command.now}};
  }

  Result<std::vector<DeliveryRecord>> operator()(const ReportAttempt& command) const {
    const AttemptOutcome& outcome = command.outcome;
    if (state.status != DeliveryStatus::pending) {
      return Error{"not_pending", delivery_of(state.event_id) + " is " +
                                      std::string(status_name(state.status)) +
                                      ", not pending; attempt " + std::to_string(outcome.attempt) +
                                      " cannot be reported"};
    }
    if (outcome.attempt != state.next_attempt) {
      // A late or duplicated report (e.g. from before a restart) must not
      // advance the series twice.
      return Error{"not_pending", delivery_of(state.event_id) + " awaits attempt " +
                                      std::to_string(state.next_attempt) + ", not attempt " +
                                      std::to_string(outcome.attempt)};
    }

    std::vector<DeliveryRecord> records;
    records.reserve(2);  // the attempt and what it led to, in one allocation
    records.emplace_back(AttemptFinished{state.event_id, outcome, command.now});
    if (outcome.succeeded()) {
      records.emplace_back(Delivered{state.event_id, command.now});
    } else if (const auto scheduled = policy.delay_after(outcome.attempt)) {
      const auto delay = next_delay(*scheduled, outcome.retry_after_ms);
      records.emplace_back(
          RetryScheduled{state.event_id, outcome.attempt + 1, command.now + delay.count()});
    } else {
      records.emplace_back(DeadLettered{state.event_id, command.now});
    }
    return records;
  }

  Result<std::vector<DeliveryRecord>> operator()(const RetryDeadLetter& command) const {
    if (state.status != DeliveryStatus::dead) {
      return Error{"not_dead", delivery_of(state.event_id) + " is " +
                                   std::string(status_name(state.status)) +
                                   ", not dead-lettered; only dead deliveries can be retried"};
    }
    return std::vector<DeliveryRecord>{Requeued{state.event_id, command.now}};
  }
};

}  // namespace

const EventId& event_id_of(const DeliveryRecord& record) {
  return std::visit([](const auto& r) -> const EventId& { return r.event_id; }, record);
}

Delivery apply(Delivery state, const DeliveryRecord& record) {
  // A record about another event is not a transition of this delivery.
  if (state.status != DeliveryStatus::absent && event_id_of(record) != state.event_id) return state;
  std::visit(Applier{state}, record);
  return state;
}

Result<std::vector<DeliveryRecord>> decide(const Delivery& state, const DeliveryCommand& command,
                                           const RetryPolicy& policy) {
  return std::visit(Decider{state, policy}, command);
}

Delivery replay(const std::vector<DeliveryRecord>& records) {
  Delivery state;
  for (const auto& record : records) state = apply(std::move(state), record);
  return state;
}

}  // namespace sivo::engine
