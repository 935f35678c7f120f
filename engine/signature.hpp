#pragma once
// How a receiver knows a delivery came from us: HMAC-SHA256 over the exact
// body bytes. Two spellings are sent: the seed's X-Sivo-Signature and the
// Standard Webhooks webhook-signature (API.md §6).

#include <cstdint>
#include <string>
#include <string_view>

namespace sivo::engine {

// Lowercase hex of HMAC-SHA256(key, message).
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

// "sha256=" + hmac_sha256_hex(secret, body). The key is the whole secret
// string, "whsec_" prefix included, because that is what the seed's Node.js
// snippet (createHmac('sha256', WEBHOOK_SECRET)) does with it.
std::string sivo_signature(std::string_view secret, std::string_view body);

// "v1," + base64(HMAC-SHA256(key, "{msg_id}.{timestamp_s}.{body}")) where the
// key is the base64-decoded part after "whsec_", as Standard Webhooks
// libraries expect. A secret whose tail is not valid base64 falls back to its
// raw bytes (validate_endpoint_secret refuses such secrets up front).
std::string standard_webhooks_signature(std::string_view secret, std::string_view msg_id,
                                        std::int64_t timestamp_s, std::string_view body);

// Compares in time independent of where the inputs differ, so a forger cannot
// learn a signature byte by byte. Different lengths compare unequal.
bool constant_time_equals(std::string_view a, std::string_view b);

// Lowercase hex of SHA-256(bytes): API keys are stored only as this digest.
std::string sha256_hex(std::string_view bytes);

}  // namespace sivo::engine
