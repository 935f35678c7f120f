#pragma once
// The body every receiver gets. Rendered once at ingest and stored, so every
// attempt and every endpoint sends the same bytes (and thus the same signature).

#include <string>
#include <string_view>

#include "engine/event_type.hpp"
#include "engine/time.hpp"

namespace sivo::engine {

struct EventHeader {
  std::string id;
  EventType type{};
  std::string tenant_id;
  UnixMillis created_at = 0;
};

// Exactly {"id":...,"type":...,"tenant_id":...,"created_at":"<RFC 3339 ms>","data":<raw>}
// in that order, without spaces. `raw_data_json` is spliced verbatim: the
// caller has validated it as a JSON object.
std::string render_envelope(const EventHeader& header, std::string_view raw_data_json);

}  // namespace sivo::engine
