#pragma once
// The headers a receiver gets on every attempt (API.md section 1), beside
// Content-Type and User-Agent which the HTTPS client sets. The signatures
// depend only on the secret and the body (and, for Standard Webhooks, the id
// and timestamp), so the same event is signed identically on every retry.

#include <cstdint>
#include <string_view>

#include "engine/event_type.hpp"
#include "engine/header_block.hpp"
#include "engine/signature.hpp"

namespace sivo::engine {

struct DeliveryHeaderInput {
  std::string_view event_id;
  EventType type{};
  int attempt = 1;
  std::int64_t timestamp_s = 0;      // unix seconds of this attempt
  // HMAC-SHA256 of the body with the whole secret (X-Sivo-Signature),
  // computed once per (event, secret): secret->sivo_key.sign({body}).
  Sha256Digest sivo_digest{};
  // For the Standard Webhooks signature, prepared once per endpoint secret.
  const SigningSecret* secret = nullptr;
  // During a rotation, also signed with; may be null.
  const SigningSecret* previous_secret = nullptr;
  std::string_view body;
};

HeaderBlock delivery_headers(const DeliveryHeaderInput& input);

}  // namespace sivo::engine
