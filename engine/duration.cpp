#include "engine/duration.hpp"

#include <array>
#include <cstdint>
#include <limits>

namespace sivo::engine {
namespace {

struct Unit {
  std::string_view suffix;
  std::int64_t millis;
};

// Largest first, so format_duration picks the largest exact unit.
constexpr std::array<Unit, 4> kUnits{{{"h", 3'600'000}, {"m", 60'000}, {"s", 1'000}, {"ms", 1}}};

Error invalid(std::string_view text, std::string_view why) {
  return Error{"invalid_duration", "invalid duration \"" + std::string(text) + "\": " +
                                       std::string(why) + " (expected e.g. 250ms, 5s, 2m, 1h)"};
}

}  // namespace

Result<std::chrono::milliseconds> parse_duration(std::string_view text) {
  if (text.empty()) return invalid(text, "empty");

  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0) return invalid(text, "must start with a positive integer");

  const std::string_view suffix = text.substr(digits);
  const Unit* unit = nullptr;
  for (const auto& candidate : kUnits) {
    if (candidate.suffix == suffix) unit = &candidate;
  }
  if (unit == nullptr) return invalid(text, "unknown or missing unit");

  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  std::int64_t value = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    const int digit = text[i] - '0';
    if (value > (kMax - digit) / 10) return invalid(text, "too large");
    value = value * 10 + digit;
  }
  if (value == 0) return invalid(text, "must be greater than zero");
  if (value > kMax / unit->millis) return invalid(text, "too large");
  return std::chrono::milliseconds(value * unit->millis);
}

std::string format_duration(std::chrono::milliseconds duration) {
  const std::int64_t millis = duration.count();
  if (millis == 0) return "0ms";
  // Work on the magnitude as unsigned so INT64_MIN has one too.
  const bool negative = millis < 0;
  const std::uint64_t magnitude = negative ? std::uint64_t{0} - static_cast<std::uint64_t>(millis)
                                           : static_cast<std::uint64_t>(millis);
  for (const auto& unit : kUnits) {
    const auto per_unit = static_cast<std::uint64_t>(unit.millis);
    if (magnitude % per_unit == 0) {
      return (negative ? "-" : "") + std::to_string(magnitude / per_unit) +
             std::string(unit.suffix);
    }
  }
  return {};  // unreachable: every value is a whole number of ms
}

}  // namespace sivo::engine
