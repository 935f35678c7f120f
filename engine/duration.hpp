#pragma once
// Durations as operators type them: "250ms", "5s", "2m", "1h". Used by
// --retry-schedule and --attempt-timeout.

#include <chrono>
#include <string>
#include <string_view>

#include "engine/error.hpp"

namespace sivo::engine {

// A positive integer followed by one unit (ms, s, m, h), nothing else: no sign,
// no spaces, no fractions. Error{"invalid_duration", ...} names the value.
Result<std::chrono::milliseconds> parse_duration(std::string_view text);

// The canonical spelling in the largest unit that divides it exactly:
// 120000 ms -> "2m", 1500 ms -> "1500ms". parse_duration(format_duration(d)) == d.
std::string format_duration(std::chrono::milliseconds duration);

}  // namespace sivo::engine
