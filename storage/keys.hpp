#pragma once
// Key encoding. A key is its owner id (tenant or endpoint, never containing
// 0x00), a 0x00 separator, then the parts; integers are 8-byte big-endian so
// byte order is numeric order. All keys of one owner lie in
// [prefix(owner), prefix_end(owner)).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/time.hpp"

namespace sivo::storage::keys {

// catalog
std::string tenant(std::string_view tenant_id);      // "t|<tenant>"
std::string endpoint(std::string_view endpoint_id);  // "e|<endpoint>"
// The index of a tenant's endpoints, so listing one tenant's reads only its
// own: "x|<tenant>|<endpoint>" (empty value); tenant_endpoints() is its prefix.
std::string tenant_endpoint(std::string_view tenant_id, std::string_view endpoint_id);
std::string tenant_endpoints(std::string_view tenant_id);  // "x|<tenant>|"
std::string api_key(std::string_view key_hash);      // "k|<sha256 hex>"
std::string setting(std::string_view name);          // "s|<name>"

// events and dedupe: "<tenant>|<event_id>"
std::string event(std::string_view tenant_id, std::string_view event_id);

// per endpoint
std::string log(std::string_view endpoint_id, std::uint64_t seq);
std::string due(std::string_view endpoint_id, engine::UnixMillis due_at,
                std::string_view event_id);  // due_at < 0 is stored as 0
std::string dlq(std::string_view endpoint_id, std::string_view event_id);
std::string attempt(std::string_view endpoint_id, std::uint64_t seq);
std::string state(std::string_view endpoint_id);

// The same keys appended to `out`: a write set builds all of its keys and
// values in one buffer, not in a string each (several per delivery).
void append_event(std::string& out, std::string_view tenant_id, std::string_view event_id);
void append_log(std::string& out, std::string_view endpoint_id, std::uint64_t seq);
void append_due(std::string& out, std::string_view endpoint_id, engine::UnixMillis due_at,
                std::string_view event_id);
void append_dlq(std::string& out, std::string_view endpoint_id, std::string_view event_id);
void append_attempt(std::string& out, std::string_view endpoint_id, std::uint64_t seq);
void append_state(std::string& out, std::string_view endpoint_id);

std::string prefix(std::string_view owner);      // owner + 0x00
std::string prefix_end(std::string_view owner);  // owner + 0x01: just past every key of owner

// The owner part of a key (up to the first 0x00), and what follows the separator.
std::string_view owner_of(std::string_view key);
std::string_view rest_of(std::string_view key);

// "<owner>|<u64>" keys (log, attempts); nullopt if malformed.
std::optional<std::uint64_t> seq_of(std::string_view key);

struct DueParts {
  engine::UnixMillis due_at = 0;
  std::string_view event_id;
};
// nullopt if malformed, also for an event id longer than any the engine accepts.
std::optional<DueParts> parse_due(std::string_view key);

void put_u64(std::string& out, std::uint64_t value);
std::uint64_t get_u64(std::string_view eight_bytes);

}  // namespace sivo::storage::keys
