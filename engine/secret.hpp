#pragma once
// Secrets and tokens: endpoint signing secrets ("whsec_" + base64, the
// Standard Webhooks form), tenant API keys and the admin token. Randomness
// comes from OpenSSL's CSPRNG; generation is the one impure corner of the
// engine, kept here so everything else stays deterministic.

#include <string>
#include <string_view>

#include "engine/error.hpp"

namespace sivo::engine {

// "whsec_" + standard base64 of 32 random bytes.
std::string generate_endpoint_secret();

// A client-chosen secret must be "whsec_" + strict base64 of 24 to 64 bytes;
// the value comes back unchanged. Error{"invalid_secret", ...} otherwise.
Result<std::string> validate_endpoint_secret(std::string_view secret);

// prefix + 64 lowercase hex digits (32 random bytes), e.g. "sk_3f9a...".
std::string generate_api_key(std::string_view prefix);

// "sivo_admin_" + 64 lowercase hex digits (32 random bytes).
std::string generate_admin_token();

}  // namespace sivo::engine
