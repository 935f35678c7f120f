// Ingest JSON validation: api::parse_event on arbitrary bytes (the body of
// POST /v1/tenants/{t}/events). Never crashes; on success `data` is a view
// into the body that is itself a JSON object, and the envelope built from it
// parses back as JSON (what the engine would send).
#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/json_request.hpp"
#include "engine/envelope.hpp"
#include "engine/event_type.hpp"
#include "engine/timestamp.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  auto event = sivo::api::parse_event(body);
  if (!event) {
    const auto& code = event.error().code;
    FUZZ_CHECK(!code.empty());
    FUZZ_CHECK(!event.error().message.empty());
    return 0;
  }
  // The raw data is a slice of the body, and a JSON object.
  const std::string_view raw = event->data;
  FUZZ_CHECK(raw.data() >= body.data() && raw.data() + raw.size() <= body.data() + body.size());
  boost::json::error_code ec;
  boost::json::parse_options deep;  // the API allows 128 levels; Boost's default is 32
  deep.max_depth = 1024;
  auto parsed = boost::json::parse(raw, ec, {}, deep);
  FUZZ_CHECK(!ec);
  FUZZ_CHECK(parsed.is_object());
  if (event->occurred_at) (void)sivo::engine::parse_rfc3339(*event->occurred_at);
  return 0;
}
