// Batch ingest parsing: api::parse_event_batch on arbitrary bytes (the body of
// POST /v1/tenants/{t}/events/batch). Never crashes; never returns more items
// than the cap; every accepted item's `data` is a slice of the body that
// parses as a JSON object.
#include <boost/json.hpp>
#include <cstdint>
#include <string>

#include "api/json_request.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  constexpr std::size_t kCap = 16;  // small, so the "too many items" path is reachable
  auto batch = sivo::api::parse_event_batch(body, kCap);
  if (!batch) {
    FUZZ_CHECK(!batch.error().code.empty());
    return 0;
  }
  FUZZ_CHECK(batch->size() <= kCap);
  for (const auto& item : *batch) {
    if (!item) {
      FUZZ_CHECK(!item.error().code.empty());
      continue;
    }
    const std::string_view raw = item->data;
    FUZZ_CHECK(raw.data() >= body.data() && raw.data() + raw.size() <= body.data() + body.size());
    boost::json::error_code ec;
    boost::json::parse_options deep;  // the API allows 128 levels; Boost's default is 32
  deep.max_depth = 1024;
  auto parsed = boost::json::parse(raw, ec, {}, deep);
    FUZZ_CHECK(!ec && parsed.is_object());
  }
  return 0;
}
