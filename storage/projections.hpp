#pragma once
// The per-endpoint projections of the delivery log (due index, DLQ, attempts
// ring, snapshot) and the endpoint's write position. They are written in the
// same WriteBatch as the log records they follow from (see write_set.hpp).

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/delivery.hpp"
#include "engine/event_type.hpp"
#include "engine/time.hpp"

namespace sivo::storage {

using engine::UnixMillis;

// The attempts ring's size: the last this many attempts per endpoint.
inline constexpr std::size_t kAttemptRingSize = 100;

// One row of GET .../deliveries (the ring keeps the last 100 per endpoint).
struct AttemptRow {
  std::string event_id;
  engine::EventType type{};
  int attempt = 1;
  int status_code = 0;  // 0 = no HTTP response
  std::int64_t latency_ms = 0;
  std::string error;
  UnixMillis at = 0;
  std::string outcome;  // "delivered" | "failed" | "dead"
  bool test = false;    // the built-in tester's attempt

  bool operator==(const AttemptRow&) const = default;
};

// A dead-lettered delivery (delivery.status == dead) with its own copy of the body.
struct DlqEntry {
  engine::Delivery delivery;
  std::string envelope;

  bool operator==(const DlqEntry&) const = default;
};

struct DlqPage {
  std::vector<DlqEntry> items;
  std::optional<std::string> next_cursor;  // opaque; absent on the last page
};

// The endpoint's counters, stored in the `state` family after every append.
struct EndpointSnapshot {
  std::uint64_t next_log_seq = 0;
  std::uint64_t next_attempt_seq = 0;
  std::uint64_t pending = 0;  // deliveries in the due index
  std::uint64_t dead = 0;     // deliveries in the DLQ

  bool operator==(const EndpointSnapshot&) const = default;
};

// Pending and dead deliveries summed over every endpoint (the gauges at start-up).
struct DeliveryTotals {
  std::uint64_t pending = 0;
  std::uint64_t dead = 0;
};

// The endpoint's write position, owned by the endpoint's single writer (its
// actor). WriteSet::append advances it while it builds a set; if that set's
// write then fails, the owner restores the copy it held before.
struct EndpointLog {
  std::string endpoint_id;
  EndpointSnapshot snapshot;
};

// A position in an endpoint's due index; DueKey{} is the start. A key with
// `past` set is the position just after that key (a scan's cursor): it
// orders after the key and before every greater one, as the key's bytes with
// a NUL appended do in the index (event ids contain none).
struct DueKey {
  UnixMillis due_at = 0;
  engine::EventId event_id;
  bool past = false;

  std::strong_ordering operator<=>(const DueKey&) const = default;
};

}  // namespace sivo::storage
