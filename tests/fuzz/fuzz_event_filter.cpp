// Filter parsing: engine::EventFilter::parse on a list of patterns taken from
// the input (one per line, as an endpoint's event_types array). On success the
// patterns are deduplicated, matches() is consistent with matches_all(), and
// parsing the stored patterns again gives the same filter.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/event_filter.hpp"
#include "engine/event_type.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> patterns;
  std::string current;
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == '\n') {
      patterns.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(static_cast<char>(data[i]));
    }
  }
  if (size > 0) patterns.push_back(std::move(current));
  auto filter = sivo::engine::EventFilter::parse(patterns);
  if (!filter) {
    FUZZ_CHECK(filter.error().code == "invalid_event_type");
    return 0;
  }
  FUZZ_CHECK(filter->patterns().size() <= patterns.size());
  bool all = true;
  for (auto type : sivo::engine::all_event_types()) all = all && filter->matches(type);
  FUZZ_CHECK(all == filter->matches_all());
  auto again = sivo::engine::EventFilter::parse(filter->patterns());
  FUZZ_CHECK(again);
  FUZZ_CHECK(again->patterns() == filter->patterns());
  for (auto type : sivo::engine::all_event_types())
    FUZZ_CHECK(again->matches(type) == filter->matches(type));
  return 0;
}
