// RFC 3339 parsing: engine::parse_rfc3339 (occurred_at, query bounds). On
// success the UTC millisecond spelling parses back to the same instant, and
// the calendar helpers agree with each other on that day.
#include <cstdint>
#include <string_view>

#include "engine/timestamp.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto at = sivo::engine::parse_rfc3339(text);
  if (!at) {
    FUZZ_CHECK(at.error().code == "invalid_timestamp");
    return 0;
  }
  const auto formatted = sivo::engine::format_rfc3339_millis(*at);
  auto again = sivo::engine::parse_rfc3339(formatted);
  FUZZ_CHECK(again);
  FUZZ_CHECK(*again == *at);
  std::int64_t days = *at / 86'400'000;
  if (*at % 86'400'000 < 0) --days;
  const auto civil = sivo::engine::civil_from_days(days);
  FUZZ_CHECK(civil.month >= 1 && civil.month <= 12 && civil.day >= 1 && civil.day <= 31);
  FUZZ_CHECK(sivo::engine::days_from_civil(civil.year, civil.month, civil.day) == days);
  return 0;
}
