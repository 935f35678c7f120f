#include "engine/retry_policy.hpp"

#include <algorithm>

#include "engine/duration.hpp"

namespace sivo::engine {
namespace {

constexpr std::size_t kMaxDelays = 20;

Error invalid(std::string_view list, std::string_view why) {
  return Error{"invalid_retry_schedule",
               "invalid retry schedule \"" + std::string(list) + "\": " + std::string(why)};
}

}  // namespace

Result<RetryPolicy> RetryPolicy::parse(std::string_view list) {
  if (list.empty()) return invalid(list, "expected 1 to 20 comma-separated durations");

  std::vector<std::chrono::milliseconds> delays;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = list.find(',', start);
    const std::string_view item = list.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    auto delay = parse_duration(item);
    if (!delay) return invalid(list, delay.error().message);
    // parse_duration already refuses zero; kept because a zero delay would
    // turn a failing endpoint into a hot loop.
    if (delay->count() <= 0) return invalid(list, "every delay must be greater than zero");
    delays.push_back(*delay);
    if (delays.size() > kMaxDelays) return invalid(list, "at most 20 delays are allowed");
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return RetryPolicy(std::move(delays));
}

RetryPolicy RetryPolicy::seed_default() {
  using namespace std::chrono_literals;
  return RetryPolicy({5s, 30s, 2min, 10min, 1h, 6h});
}

std::optional<std::chrono::milliseconds> RetryPolicy::delay_after(int failed_attempt) const {
  if (failed_attempt < 1 || static_cast<std::size_t>(failed_attempt) > delays_.size()) {
    return std::nullopt;
  }
  return delays_[static_cast<std::size_t>(failed_attempt) - 1];
}

std::chrono::milliseconds RetryPolicy::longest_delay() const {
  if (delays_.empty()) return std::chrono::milliseconds(0);
  return *std::max_element(delays_.begin(), delays_.end());
}

std::string RetryPolicy::to_string() const {
  std::string out;
  for (const auto& delay : delays_) {
    if (!out.empty()) out += ',';
    out += format_duration(delay);
  }
  return out;
}

}  // namespace sivo::engine
