#include "engine/delivery_headers.hpp"

#include <charconv>
#include <iterator>
#include <string>

namespace sivo::engine {

HeaderBlock delivery_headers(const DeliveryHeaderInput& in) {
  const std::string timestamp = std::to_string(in.timestamp_s);
  std::string standard_signature =
      standard_webhooks_signature(in.secret->standard_key, in.event_id, in.timestamp_s, in.body);
  if (in.previous_secret != nullptr) {
    standard_signature += ' ';
    standard_signature += standard_webhooks_signature(in.previous_secret->standard_key, in.event_id,
                                                      in.timestamp_s, in.body);
  }
  // Room for every line (names, separators and the short values take under
  // 256 bytes), so that the block is allocated once.
  HeaderBlock headers;
  headers.reserve(256 + 2 * in.event_id.size() + in.sivo_signature.size() +
                  standard_signature.size());
  char attempt[16];
  const auto attempt_end = std::to_chars(std::begin(attempt), std::end(attempt), in.attempt).ptr;
  headers.add("X-Sivo-Event-Id", in.event_id);
  headers.add("X-Sivo-Event-Type", name_of(in.type));
  headers.add("X-Sivo-Timestamp", timestamp);
  headers.add("X-Sivo-Delivery-Attempt",
              std::string_view(attempt, static_cast<std::size_t>(attempt_end - attempt)));
  headers.add("X-Sivo-Signature", in.sivo_signature);
  headers.add("webhook-id", in.event_id);
  headers.add("webhook-timestamp", timestamp);
  headers.add("webhook-signature", standard_signature);
  return headers;
}

}  // namespace sivo::engine
