#include "engine/delivery_headers.hpp"

namespace sivo::engine {

HeaderList delivery_headers(const DeliveryHeaderInput& in) {
  const std::string timestamp = std::to_string(in.timestamp_s);
  std::string standard_signature =
      standard_webhooks_signature(in.secret->standard_key, in.event_id, in.timestamp_s, in.body);
  if (in.previous_secret != nullptr) {
    standard_signature += ' ';
    standard_signature += standard_webhooks_signature(in.previous_secret->standard_key, in.event_id,
                                                      in.timestamp_s, in.body);
  }
  // Emplaced, not a braced list: an initializer_list's elements are const,
  // so each of its strings would be allocated a second time by the copy.
  HeaderList headers;
  headers.reserve(8);
  headers.emplace_back("X-Sivo-Event-Id", in.event_id);
  headers.emplace_back("X-Sivo-Event-Type", name_of(in.type));
  headers.emplace_back("X-Sivo-Timestamp", timestamp);
  headers.emplace_back("X-Sivo-Delivery-Attempt", std::to_string(in.attempt));
  headers.emplace_back("X-Sivo-Signature", in.sivo_signature);
  headers.emplace_back("webhook-id", in.event_id);
  headers.emplace_back("webhook-timestamp", timestamp);
  headers.emplace_back("webhook-signature", std::move(standard_signature));
  return headers;
}

}  // namespace sivo::engine
