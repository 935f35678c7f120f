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
  return {
      {"X-Sivo-Event-Id", std::string(in.event_id)},
      {"X-Sivo-Event-Type", std::string(name_of(in.type))},
      {"X-Sivo-Timestamp", timestamp},
      {"X-Sivo-Delivery-Attempt", std::to_string(in.attempt)},
      {"X-Sivo-Signature", std::string(in.sivo_signature)},
      {"webhook-id", std::string(in.event_id)},
      {"webhook-timestamp", timestamp},
      {"webhook-signature", std::move(standard_signature)},
  };
}

}  // namespace sivo::engine
