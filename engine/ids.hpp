#pragma once
// Identifiers. Ours are a prefix + ULID (48-bit millisecond time + 80 random
// bits, 26 lowercase Crockford base32 digits), so they sort by creation time
// both as strings and as RocksDB keys. Clients may bring their own event ids.

#include <optional>
#include <string>
#include <string_view>

#include "engine/error.hpp"
#include "engine/time.hpp"

namespace sivo::engine {

// "evt_" + ULID. Ids made by one process are strictly increasing, also within
// one millisecond and if `now` goes backwards (thread-safe).
std::string new_event_id(UnixMillis now);

// "ep_" + ULID, from the same monotonic sequence.
std::string new_endpoint_id(UnixMillis now);

// The millisecond time inside a 26-digit ULID; nullopt when it is not one.
std::optional<UnixMillis> ulid_time_of(std::string_view ulid);

// A client-supplied event id: 1 to 128 characters of [A-Za-z0-9_.:-]; the
// value comes back unchanged. Error{"invalid_event_id", ...} otherwise.
Result<std::string> validate_event_id(std::string_view id);

// [a-z0-9][a-z0-9-]{0,62}. Error{"invalid_tenant_id", ...} otherwise.
Result<std::string> validate_tenant_id(std::string_view id);

// "ep_" + a well-formed ULID: lets a router answer 404 without a lookup.
bool looks_like_endpoint_id(std::string_view id);

}  // namespace sivo::engine
