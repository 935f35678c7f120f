// Duration parsing: engine::parse_duration ("250ms", "5s", "2m", "1h"). On
// success the value is positive and format_duration spells it so that it
// parses back to the same value (the header's stated round trip).
#include <cstdint>
#include <string_view>

#include "engine/duration.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto duration = sivo::engine::parse_duration(text);
  if (!duration) {
    FUZZ_CHECK(duration.error().code == "invalid_duration");
    return 0;
  }
  FUZZ_CHECK(duration->count() > 0);
  auto again = sivo::engine::parse_duration(sivo::engine::format_duration(*duration));
  FUZZ_CHECK(again);
  FUZZ_CHECK(*again == *duration);
  return 0;
}
