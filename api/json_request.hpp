#pragma once
// Request bodies, parsed and validated with simdjson. Any malformed JSON,
// invalid UTF-8 or nesting deeper than kMaxJsonDepth is 400 ("invalid_json");
// a field of the wrong type is 422 ("invalid_field") with a message naming
// it. Unknown fields are ignored. For duplicate keys the first one counts.
// This header stays free of simdjson so that route files compile fast.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/error.hpp"

namespace sivo::api {

inline constexpr std::size_t kMaxJsonDepth = 128;

// A request body that is a JSON object.
class JsonObject {
 public:
  // 400 for malformed JSON, 422 when the top level is not an object.
  static engine::Result<JsonObject> parse(std::string_view body);

  JsonObject(JsonObject&&) noexcept;
  JsonObject& operator=(JsonObject&&) noexcept;
  ~JsonObject();

  bool has(std::string_view name) const;  // present, null included
  bool is_null(std::string_view name) const;

  // Absent or null -> nullopt; any other non-string -> 422.
  engine::Result<std::optional<std::string>> optional_string(std::string_view name) const;
  engine::Result<std::string> required_string(std::string_view name) const;
  engine::Result<std::optional<bool>> optional_bool(std::string_view name) const;
  engine::Result<std::optional<std::int64_t>> optional_int(std::string_view name) const;
  // An array whose every element is a string.
  engine::Result<std::optional<std::vector<std::string>>> optional_string_array(
      std::string_view name) const;

 private:
  struct Impl;
  explicit JsonObject(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// One event as the platform posts it: {"id"?, "type", "data", "occurred_at"?}.
struct EventInput {
  std::optional<std::string> id;
  std::string type;
  std::string_view data;  // the raw text of the `data` object, byte-exact, inside the body
  std::optional<std::string> occurred_at;
};

// A single-event ingest body. `data` must be a JSON object (422 otherwise);
// the returned view points into `body`.
engine::Result<EventInput> parse_event(std::string_view body);

// A batch body {"events":[...]}: the body as a whole must be valid JSON (400)
// holding an "events" array of at most `max_items` (422); each item is then
// judged on its own (an item that is not a valid event is a per-item 422).
engine::Result<std::vector<engine::Result<EventInput>>> parse_event_batch(std::string_view body,
                                                                          std::size_t max_items);

}  // namespace sivo::api
