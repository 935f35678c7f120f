#pragma once
// The delivery state machine of one (event, endpoint), event-sourced:
// the log holds DeliveryRecords, `apply` folds them into a Delivery, and
// `decide` turns a command into the records to append. Storage projects the
// same records into its indexes, so the log alone rebuilds every state.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "engine/error.hpp"
#include "engine/event_id.hpp"
#include "engine/event_type.hpp"
#include "engine/retry_policy.hpp"
#include "engine/time.hpp"

namespace sivo::engine {

// What one HTTPS attempt came to.
struct AttemptOutcome {
  int attempt = 1;                   // 1-based within the current series
  int status_code = 0;               // 0 when no HTTP response was received
  std::int64_t latency_ms = 0;       // from the start of the attempt to its end
  std::string error;                 // empty on success; "timeout", "blocked: private address", ...
  std::int64_t retry_after_ms = -1;  // a receiver's Retry-After on 429/503, -1 if none

  bool succeeded() const { return status_code >= 200 && status_code <= 299 && error.empty(); }
};

// --- records (the log) ---
struct Enqueued {
  EventId event_id;
  EventType type{};
  UnixMillis at = 0;
};
struct AttemptFinished {
  EventId event_id;
  AttemptOutcome outcome;
  UnixMillis at = 0;
};
struct RetryScheduled {
  EventId event_id;
  int next_attempt = 2;
  UnixMillis due_at = 0;
};
struct Delivered {
  EventId event_id;
  UnixMillis at = 0;
};
struct DeadLettered {
  EventId event_id;
  UnixMillis at = 0;
};
// A dead delivery sent back for a fresh series (DLQ retry): attempt 1, due now.
struct Requeued {
  EventId event_id;
  UnixMillis at = 0;
};

using DeliveryRecord =
    std::variant<Enqueued, AttemptFinished, RetryScheduled, Delivered, DeadLettered, Requeued>;

// --- state (the fold) ---
enum class DeliveryStatus : std::uint8_t { absent, pending, delivered, dead };

struct Delivery {
  EventId event_id;
  EventType type{};
  DeliveryStatus status = DeliveryStatus::absent;
  int next_attempt = 1;  // the attempt number the next try carries
  int series = 0;        // 0 for the first series, +1 per Requeued
  UnixMillis enqueued_at = 0;
  UnixMillis due_at = 0;  // when pending: when the next attempt is due
  int last_status_code = 0;
  std::string last_error;
  int attempts_in_series = 0;  // attempts finished in the current series
  UnixMillis finished_at = 0;  // when delivered or dead

  bool operator==(const Delivery&) const = default;
};

// The event a record belongs to.
const EventId& event_id_of(const DeliveryRecord& record);

Delivery apply(Delivery state, const DeliveryRecord& record);

// --- commands ---
struct Enqueue {
  EventId event_id;
  EventType type{};
  UnixMillis now = 0;
};
struct ReportAttempt {
  AttemptOutcome outcome;
  UnixMillis now = 0;
};
struct RetryDeadLetter {
  UnixMillis now = 0;
};
using DeliveryCommand = std::variant<Enqueue, ReportAttempt, RetryDeadLetter>;

// The records a command produces. Errors: "not_pending" (a report for a
// delivery that is not pending, or for another attempt number), "not_dead"
// (a DLQ retry of a delivery that is not dead). Enqueue of a delivery that
// already exists yields no records (idempotent).
Result<std::vector<DeliveryRecord>> decide(const Delivery& state, const DeliveryCommand& command,
                                           const RetryPolicy& policy);

// Fold a whole log from the empty state.
Delivery replay(const std::vector<DeliveryRecord>& records);

}  // namespace sivo::engine
