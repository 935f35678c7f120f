// Retry schedule parsing: engine::RetryPolicy::parse (--retry-schedule).
// On success: 1..20 positive delays, max_attempts = delays + 1, and the
// canonical spelling parses back to the same schedule.
#include <cstdint>
#include <string_view>

#include "engine/retry_policy.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto policy = sivo::engine::RetryPolicy::parse(text);
  if (!policy) return 0;
  const auto delays = policy->delays();
  FUZZ_CHECK(!delays.empty() && delays.size() <= 20);
  FUZZ_CHECK(policy->max_attempts() == static_cast<int>(delays.size()) + 1);
  for (auto d : delays) FUZZ_CHECK(d.count() > 0);
  for (int attempt = 1; attempt < policy->max_attempts(); ++attempt)
    FUZZ_CHECK(policy->delay_after(attempt).has_value());
  FUZZ_CHECK(!policy->delay_after(policy->max_attempts()).has_value());
  auto again = sivo::engine::RetryPolicy::parse(policy->to_string());
  FUZZ_CHECK(again);
  FUZZ_CHECK(again->to_string() == policy->to_string());
  FUZZ_CHECK(again->delays().size() == delays.size());
  for (std::size_t i = 0; i < delays.size(); ++i) FUZZ_CHECK(again->delays()[i] == delays[i]);
  return 0;
}
