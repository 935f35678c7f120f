#pragma once
// Identifiers. Ours are a prefix + ULID (48-bit millisecond time + 80 random
// bits, 26 lowercase Crockford base32 digits), so they sort by creation time
// both as strings and as RocksDB keys. Clients may bring their own event ids.

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "engine/error.hpp"
#include "engine/event_id.hpp"
#include "engine/time.hpp"

namespace sivo::engine {

// A monotonic ULID source: within one millisecond (or when `now` steps back)
// it increments the previous value instead of drawing new random bits, so
// every ULID it returns is greater than the one before. Thread-safe.
class UlidGenerator {
 public:
  UlidGenerator() = default;
  UlidGenerator(const UlidGenerator&) = delete;
  UlidGenerator& operator=(const UlidGenerator&) = delete;

  // 26 lowercase Crockford base32 digits; `now` is clamped to 0..2^48-1.
  std::string next(UnixMillis now);

 private:
  std::mutex mutex_;
  bool started_ = false;
  std::uint64_t last_time_ = 0;
  std::array<std::uint8_t, 10> last_entropy_{};  // 80 bits, most significant first
};

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
