#pragma once
// An accepted event as kept in the `events` column family: its header and the
// envelope bytes rendered once at ingest (every attempt sends these bytes).

#include <string>
#include <string_view>

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

// The same fields, borrowed: what a write needs, so that storing an event
// does not first copy its envelope into a StoredEvent.
struct StoredEventView {
  std::string_view tenant_id, id;
  engine::EventType type{};
  engine::UnixMillis ingested_at = 0;
  std::string_view envelope;

  StoredEventView(std::string_view tenant_id, std::string_view id, engine::EventType type,
                  engine::UnixMillis ingested_at, std::string_view envelope)
      : tenant_id(tenant_id), id(id), type(type), ingested_at(ingested_at), envelope(envelope) {}
  // Implicit: a StoredEvent can be written wherever its view can.
  StoredEventView(const StoredEvent& e)
      : StoredEventView(e.tenant_id, e.id, e.type, e.ingested_at, e.envelope) {}
};

}  // namespace sivo::storage
