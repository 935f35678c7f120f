#include "engine/timestamp.hpp"

#include <cstdint>
#include <cstdio>

namespace sivo::engine {
namespace {

constexpr std::int64_t kMillisPerDay = 86'400'000;

// Floor division, so times before 1970 land on the right day.
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

bool is_leap_year(std::int64_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

unsigned days_in_month(std::int64_t year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

// Reads exactly `count` digits at `pos` (advancing it); false if any is not a digit.
bool read_digits(std::string_view text, std::size_t& pos, std::size_t count, int& value) {
  if (pos + count > text.size()) return false;
  value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  pos += count;
  return true;
}

bool expect(std::string_view text, std::size_t& pos, char wanted) {
  if (pos >= text.size() || text[pos] != wanted) return false;
  ++pos;
  return true;
}

Error invalid(std::string_view text) {
  return Error{"invalid_timestamp", "invalid timestamp \"" + std::string(text) +
                                        "\": expected RFC 3339, e.g. 2026-11-26T10:00:00.123Z"};
}

}  // namespace

// Howard Hinnant's algorithms (http://howardhinnant.github.io/date_algorithms.html).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = floor_div(year, 400);
  const auto year_of_era = static_cast<unsigned>(year - era * 400);  // [0, 399]
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

CivilDate civil_from_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = floor_div(days, 146097);
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);  // [0, 146096]
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned mp = (5 * day_of_year + 2) / 153;
  const unsigned day = day_of_year - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year =
      static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2 ? 1 : 0);
  return {year, month, day};
}

std::string format_rfc3339_millis(UnixMillis at) {
  const std::int64_t days = floor_div(at, kMillisPerDay);
  std::int64_t millis_of_day = at - days * kMillisPerDay;
  const CivilDate date = civil_from_days(days);
  const auto hour = static_cast<int>(millis_of_day / 3'600'000);
  millis_of_day %= 3'600'000;
  const auto minute = static_cast<int>(millis_of_day / 60'000);
  millis_of_day %= 60'000;
  const auto second = static_cast<int>(millis_of_day / 1000);
  const auto millis = static_cast<int>(millis_of_day % 1000);

  if (date.year < 0 || date.year > 9999) {  // not an RFC 3339 year: spelled out all the same
    char buffer[48];
    const int length = std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ",
                                     static_cast<long long>(date.year), date.month, date.day, hour,
                                     minute, second, millis);
    return std::string(buffer, static_cast<std::size_t>(length));
  }
  // Every event's envelope carries one: digits into a template, not
  // snprintf (~3,400 instructions a call, 3 % of a single-event POST).
  std::string text = "0000-00-00T00:00:00.000Z";
  auto put = [&text](std::size_t at, std::size_t width, std::int64_t value) {
    for (std::size_t i = at + width; i-- > at; value /= 10)
      text[i] = static_cast<char>('0' + value % 10);
  };
  put(0, 4, date.year);
  put(5, 2, date.month);
  put(8, 2, date.day);
  put(11, 2, hour);
  put(14, 2, minute);
  put(17, 2, second);
  put(20, 3, millis);
  return text;
}

Result<UnixMillis> parse_rfc3339(std::string_view text) {
  std::size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(text, pos, 4, year) || !expect(text, pos, '-') ||
      !read_digits(text, pos, 2, month) || !expect(text, pos, '-') ||
      !read_digits(text, pos, 2, day)) {
    return invalid(text);
  }
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't')) return invalid(text);
  ++pos;
  if (!read_digits(text, pos, 2, hour) || !expect(text, pos, ':') ||
      !read_digits(text, pos, 2, minute) || !expect(text, pos, ':') ||
      !read_digits(text, pos, 2, second)) {
    return invalid(text);
  }
  if (month < 1 || month > 12 || day < 1 ||
      static_cast<unsigned>(day) > days_in_month(year, static_cast<unsigned>(month)) || hour > 23 ||
      minute > 59 || second > 59) {
    return invalid(text);
  }

  int millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t fraction_digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (fraction_digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++fraction_digits;
      ++pos;
    }
    if (fraction_digits == 0) return invalid(text);
    for (std::size_t i = fraction_digits; i < 3; ++i) millis *= 10;
  }

  std::int64_t offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int offset_hour = 0, offset_minute = 0;
    if (!read_digits(text, pos, 2, offset_hour) || !expect(text, pos, ':') ||
        !read_digits(text, pos, 2, offset_minute) || offset_hour > 23 || offset_minute > 59) {
      return invalid(text);
    }
    offset_minutes = sign * (offset_hour * 60 + offset_minute);
  } else {
    return invalid(text);
  }
  if (pos != text.size()) return invalid(text);

  const std::int64_t days =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const std::int64_t local_millis =
      days * kMillisPerDay + ((hour * 60 + minute) * 60 + second) * std::int64_t{1000} + millis;
  // The local time minus its offset from UTC is UTC. An offset can carry a
  // time at the edge of the 4-digit years out of them ("0000-01-01T00:00:00+01:00"
  // is in year -1 in UTC); such an instant has no RFC 3339 UTC spelling, so
  // format_rfc3339_millis could not write it back: refused (found by fuzzing).
  const std::int64_t utc = local_millis - offset_minutes * 60'000;
  static const std::int64_t kFirst = days_from_civil(0, 1, 1) * kMillisPerDay;
  static const std::int64_t kEnd = days_from_civil(10000, 1, 1) * kMillisPerDay;
  if (utc < kFirst || utc >= kEnd) return invalid(text);
  return utc;
}

}  // namespace sivo::engine
