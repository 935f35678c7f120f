#pragma once
// The seed's schedule: after failed attempt N (1..6) the next attempt is due
// 5 s, 30 s, 2 min, 10 min, 1 h, 6 h later; when attempt 7 fails the delivery
// is dead-lettered. The delays are a setting (--retry-schedule) so tests and
// operators can shorten them; the default is always the seed's.

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/error.hpp"

namespace sivo::engine {

class RetryPolicy {
 public:
  // "5s,30s,2m,10m,1h,6h": 1 to 20 comma-separated durations (units ms, s, m, h).
  static Result<RetryPolicy> parse(std::string_view list);
  static RetryPolicy seed_default();

  // The delay before the next attempt after `failed_attempt` (1-based) failed;
  // nullopt when that was the last attempt of the series.
  std::optional<std::chrono::milliseconds> delay_after(int failed_attempt) const;

  // The longest delay of the schedule. (decide() caps a receiver's Retry-After
  // at max(scheduled delay, 6 h), as API.md §6 fixes, not at this.)
  std::chrono::milliseconds longest_delay() const;

  // 1 + the number of delays: 7 for the seed's schedule.
  int max_attempts() const { return static_cast<int>(delays_.size()) + 1; }
  std::span<const std::chrono::milliseconds> delays() const { return delays_; }

  // The canonical spelling, e.g. "5s,30s,2m,10m,1h,6h".
  std::string to_string() const;

 private:
  explicit RetryPolicy(std::vector<std::chrono::milliseconds> delays)
      : delays_(std::move(delays)) {}
  std::vector<std::chrono::milliseconds> delays_;
};

}  // namespace sivo::engine
