#include "engine/delivery_headers.hpp"

#include <charconv>
#include <iterator>
#include <string>

namespace sivo::engine {

HeaderBlock delivery_headers(const DeliveryHeaderInput& in) {
  const std::string timestamp = std::to_string(in.timestamp_s);
  // Room for every line (names, separators and the short values take under
  // 256 bytes; "sha256=" + 64 hex digits; "v1," + 44 base64 digits per
  // secret), so that the block is allocated once and the signatures are
  // written straight into it.
  constexpr std::size_t kSignatures = 71 + 2 * (47 + 1);
  HeaderBlock headers;
  headers.reserve(256 + 2 * in.event_id.size() + kSignatures);
  char attempt[16];
  const auto attempt_end = std::to_chars(std::begin(attempt), std::end(attempt), in.attempt).ptr;
  headers.add("X-Sivo-Event-Id", in.event_id);
  headers.add("X-Sivo-Event-Type", name_of(in.type));
  headers.add("X-Sivo-Timestamp", timestamp);
  headers.add("X-Sivo-Delivery-Attempt",
              std::string_view(attempt, static_cast<std::size_t>(attempt_end - attempt)));
  headers.add_written("X-Sivo-Signature",
                      [&](std::string& out) { append_sivo_signature(out, in.sivo_digest); });
  headers.add("webhook-id", in.event_id);
  headers.add("webhook-timestamp", timestamp);
  headers.add_written("webhook-signature", [&](std::string& out) {
    append_standard_webhooks_signature(out, in.secret->standard_key, in.event_id, in.timestamp_s,
                                       in.body);
    if (in.previous_secret != nullptr) {
      out += ' ';
      append_standard_webhooks_signature(out, in.previous_secret->standard_key, in.event_id,
                                         in.timestamp_s, in.body);
    }
  });
  return headers;
}

}  // namespace sivo::engine
