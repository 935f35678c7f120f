#pragma once
// An accepted event as kept in the `events` column family: its header and the
// envelope bytes rendered once at ingest (every attempt sends these bytes).

#include <string>

#include "engine/event_type.hpp"
#include "engine/time.hpp"

namespace sivo::storage {

struct StoredEvent {
  std::string tenant_id, id;
  engine::EventType type{};
  engine::UnixMillis ingested_at = 0;
  std::string envelope;

  bool operator==(const StoredEvent&) const = default;
};

}  // namespace sivo::storage
