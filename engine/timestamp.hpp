#pragma once
// RFC 3339 times, the API's only spelling of a time. Pure arithmetic on the
// proleptic Gregorian calendar: no locale, no TZ database, no libc time calls.

#include <string>
#include <string_view>

#include "engine/error.hpp"
#include "engine/time.hpp"

namespace sivo::engine {

// UTC with exactly three fraction digits: "2026-11-26T10:00:00.123Z".
std::string format_rfc3339_millis(UnixMillis at);

// "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+hh:mm|-hh:mm)"; 't' and 'z' may be
// lowercase (RFC 3339 §5.6). Fractions beyond milliseconds are truncated;
// leap seconds (":60") are refused. Error{"invalid_timestamp", ...}.
Result<UnixMillis> parse_rfc3339(std::string_view text);

// Days since 1970-01-01 of a proleptic Gregorian date, and back.
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);
struct CivilDate {
  std::int64_t year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};
CivilDate civil_from_days(std::int64_t days);

}  // namespace sivo::engine
