#include "storage/keys.hpp"

#include <algorithm>

#include "engine/event_id.hpp"

namespace sivo::storage::keys {

namespace {
constexpr char kSep = '\0';

// Each key is appended by one function; the string forms reserve its final
// size first, so that building one is a single allocation.
template <class Append, class... Parts>
std::string built(std::size_t size, Append&& append, const Parts&... parts) {
  std::string key;
  key.reserve(size);
  append(key, parts...);
  return key;
}

void append_two_part(std::string& out, std::string_view a, std::string_view b) {
  out.append(a);
  out.push_back(kSep);
  out.append(b);
}

void append_with_u64(std::string& out, std::string_view owner, std::uint64_t value) {
  out.append(owner);
  out.push_back(kSep);
  put_u64(out, value);
}

std::string two_part(std::string_view a, std::string_view b) {
  return built(a.size() + 1 + b.size(), append_two_part, a, b);
}

std::string with_byte(std::string_view owner, char byte) {
  std::string key;
  key.reserve(owner.size() + 1);
  key.append(owner).push_back(byte);
  return key;
}
}  // namespace

void put_u64(std::string& out, std::uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(value >> shift));
}

std::uint64_t get_u64(std::string_view bytes) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < 8 && i < bytes.size(); ++i)
    value = (value << 8) | static_cast<std::uint8_t>(bytes[i]);
  return value;
}

std::string tenant(std::string_view id) { return two_part("t", id); }
std::string endpoint(std::string_view id) { return two_part("e", id); }
std::string tenant_endpoints(std::string_view tenant_id) { return prefix(two_part("x", tenant_id)); }
std::string tenant_endpoint(std::string_view tenant_id, std::string_view endpoint_id) {
  return tenant_endpoints(tenant_id).append(endpoint_id);
}
std::string api_key(std::string_view hash) { return two_part("k", hash); }
std::string setting(std::string_view name) { return two_part("s", name); }

void append_event(std::string& out, std::string_view tenant_id, std::string_view event_id) {
  append_two_part(out, tenant_id, event_id);
}
void append_log(std::string& out, std::string_view endpoint_id, std::uint64_t seq) {
  append_with_u64(out, endpoint_id, seq);
}
void append_attempt(std::string& out, std::string_view endpoint_id, std::uint64_t seq) {
  append_with_u64(out, endpoint_id, seq);
}
void append_due(std::string& out, std::string_view endpoint_id, engine::UnixMillis due_at,
                std::string_view event_id) {
  const auto at = static_cast<std::uint64_t>(std::max<engine::UnixMillis>(due_at, 0));
  append_with_u64(out, endpoint_id, at);
  out.push_back(kSep);
  out.append(event_id);
}
void append_dlq(std::string& out, std::string_view endpoint_id, std::string_view event_id) {
  append_two_part(out, endpoint_id, event_id);
}
void append_state(std::string& out, std::string_view endpoint_id) { out.append(endpoint_id); }

std::string event(std::string_view tenant_id, std::string_view event_id) {
  return built(tenant_id.size() + 1 + event_id.size(), append_event, tenant_id, event_id);
}
std::string log(std::string_view endpoint_id, std::uint64_t seq) {
  return built(endpoint_id.size() + 9, append_log, endpoint_id, seq);
}
std::string attempt(std::string_view endpoint_id, std::uint64_t seq) {
  return built(endpoint_id.size() + 9, append_attempt, endpoint_id, seq);
}
std::string due(std::string_view endpoint_id, engine::UnixMillis due_at,
                std::string_view event_id) {
  const std::size_t size = endpoint_id.size() + 10 + event_id.size();
  return built(size, append_due, endpoint_id, due_at, event_id);
}
std::string dlq(std::string_view endpoint_id, std::string_view event_id) {
  return built(endpoint_id.size() + 1 + event_id.size(), append_dlq, endpoint_id, event_id);
}
std::string state(std::string_view endpoint_id) { return std::string(endpoint_id); }

std::string prefix(std::string_view owner) { return with_byte(owner, kSep); }

std::string prefix_end(std::string_view owner) { return with_byte(owner, '\x01'); }

std::string_view owner_of(std::string_view key) { return key.substr(0, key.find(kSep)); }

std::string_view rest_of(std::string_view key) {
  const auto sep = key.find(kSep);
  return sep == std::string_view::npos ? std::string_view{} : key.substr(sep + 1);
}

std::optional<std::uint64_t> seq_of(std::string_view key) {
  const auto rest = rest_of(key);
  if (rest.size() != 8) return std::nullopt;
  return get_u64(rest);
}

std::optional<DueParts> parse_due(std::string_view key) {
  const auto rest = rest_of(key);
  if (rest.size() < 9 || rest[8] != kSep || rest.size() - 9 > engine::kMaxEventIdLength)
    return std::nullopt;
  return DueParts{static_cast<engine::UnixMillis>(get_u64(rest)), rest.substr(9)};
}

}  // namespace sivo::storage::keys
