#include "engine/ids.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>

namespace sivo::engine {
namespace {

constexpr std::string_view kCrockford = "0123456789abcdefghjkmnpqrstvwxyz";
constexpr std::size_t kUlidLength = 26;
constexpr std::size_t kTimeDigits = 10;
constexpr std::uint64_t kMaxUlidTime = (std::uint64_t{1} << 48) - 1;

// 80 random bits, most significant byte first.
using Entropy = std::array<std::uint8_t, 10>;

int crockford_value(char c) {
  const auto pos = kCrockford.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

std::string encode_ulid(std::uint64_t time_ms, const Entropy& entropy) {
  std::string out(kUlidLength, '0');
  for (std::size_t i = 0; i < kTimeDigits; ++i) {
    out[kTimeDigits - 1 - i] = kCrockford[time_ms & 0x1f];
    time_ms >>= 5;
  }
  // 80 bits = 16 digits of 5 bits, read from the top.
  std::size_t bit = 0;
  for (std::size_t digit = 0; digit < 16; ++digit) {
    int value = 0;
    for (int k = 0; k < 5; ++k, ++bit) {
      const int b = (entropy[bit / 8] >> (7 - bit % 8)) & 1;
      value = (value << 1) | b;
    }
    out[kTimeDigits + digit] = kCrockford[static_cast<std::size_t>(value)];
  }
  return out;
}

// Adds one to the 80-bit number; false when it wrapped around to zero.
bool increment(Entropy& entropy) {
  for (std::size_t i = entropy.size(); i-- > 0;) {
    if (++entropy[i] != 0) return true;
  }
  return false;
}

void draw(Entropy& entropy) {
  if (RAND_bytes(entropy.data(), static_cast<int>(entropy.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed: no secure randomness available");
  }
}

// One sequence for the whole process, so event and endpoint ids never repeat.
UlidGenerator& process_sequence() {
  static UlidGenerator instance;
  return instance;
}

bool is_event_id_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == ':' || c == '-';
}

bool is_tenant_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

}  // namespace

std::string UlidGenerator::next(UnixMillis now) {
  const std::uint64_t requested =
      now <= 0 ? 0 : std::min<std::uint64_t>(static_cast<std::uint64_t>(now), kMaxUlidTime);
  std::lock_guard lock(mutex_);
  if (!started_ || requested > last_time_) {
    last_time_ = requested;
    draw(last_entropy_);
    // Keep the top bit clear so that ~2^79 increments fit in this millisecond.
    last_entropy_[0] &= 0x7f;
    started_ = true;
  } else if (!increment(last_entropy_)) {
    // 2^79 ids in one millisecond cannot happen; stay monotonic regardless.
    last_time_ = std::min(last_time_ + 1, kMaxUlidTime);
  }
  return encode_ulid(last_time_, last_entropy_);
}

std::string new_event_id(UnixMillis now) { return "evt_" + process_sequence().next(now); }

std::string new_endpoint_id(UnixMillis now) { return "ep_" + process_sequence().next(now); }

std::optional<UnixMillis> ulid_time_of(std::string_view ulid) {
  if (ulid.size() != kUlidLength) return std::nullopt;
  for (char c : ulid) {
    if (crockford_value(c) < 0) return std::nullopt;
  }
  // 26 digits hold 130 bits; a ULID is 128, so the first digit is at most 7.
  if (crockford_value(ulid[0]) > 7) return std::nullopt;
  std::uint64_t time_ms = 0;
  for (std::size_t i = 0; i < kTimeDigits; ++i) {
    time_ms = (time_ms << 5) | static_cast<std::uint64_t>(crockford_value(ulid[i]));
  }
  return static_cast<UnixMillis>(time_ms);
}

Result<std::string> validate_event_id(std::string_view id) {
  if (id.empty()) return Error{"invalid_event_id", "event id must not be empty"};
  if (id.size() > kMaxEventIdLength) {
    return Error{"invalid_event_id", "event id is " + std::to_string(id.size()) +
                                         " characters long; at most " +
                                         std::to_string(kMaxEventIdLength) + " are allowed"};
  }
  for (char c : id) {
    if (!is_event_id_char(c)) {
      return Error{"invalid_event_id", "invalid event id \"" + std::string(id) +
                                           "\": only letters, digits and _ . : - are allowed"};
    }
  }
  return std::string(id);
}

Result<std::string> validate_tenant_id(std::string_view id) {
  constexpr std::size_t kMaxLength = 63;
  const auto invalid = [&] {
    return Error{"invalid_tenant_id", "invalid tenant id \"" + std::string(id) +
                                          "\": expected 1 to 63 characters of a-z, 0-9 and '-', "
                                          "starting with a letter or digit"};
  };
  if (id.empty() || id.size() > kMaxLength || id[0] == '-') return invalid();
  for (char c : id) {
    if (!is_tenant_char(c)) return invalid();
  }
  return std::string(id);
}

bool looks_like_endpoint_id(std::string_view id) {
  constexpr std::string_view kPrefix = "ep_";
  return id.starts_with(kPrefix) && ulid_time_of(id.substr(kPrefix.size())).has_value();
}

}  // namespace sivo::engine
