#pragma once
// The key spaces of the store, one RocksDB column family each (see
// docs/DESIGN.md, "storage/"). The numeric order is the order of the handles.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sivo::storage {

enum class Cf : std::uint8_t {
  catalog,   // tenants, endpoints, API keys, settings (JSON)
  events,    // <tenant>|<event_id> -> header + envelope
  dedupe,    // <tenant>|<event_id> -> ingested_at
  log,       // <endpoint>|<seq> -> the DeliveryRecords of one decision
  due,       // <endpoint>|<due_at>|<event_id> -> the pending Delivery
  dlq,       // <endpoint>|<event_id> -> the dead Delivery + envelope
  attempts,  // <endpoint>|<seq> -> one AttemptRow (ring of the last 100)
  state,     // <endpoint> -> EndpointSnapshot
};

inline constexpr std::size_t kCfCount = 8;

inline constexpr std::array<std::string_view, kCfCount> kCfNames = {
    "catalog", "events", "dedupe", "log", "due", "dlq", "attempts", "state"};

constexpr std::string_view name_of(Cf cf) { return kCfNames[static_cast<std::size_t>(cf)]; }

}  // namespace sivo::storage
