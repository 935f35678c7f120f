#pragma once
// Standard base64 (RFC 4648 §4, with '=' padding). Endpoint secrets are
// "whsec_" + base64, and Standard Webhooks signatures are base64 too.

#include <optional>
#include <string>
#include <string_view>

namespace sivo::engine {

std::string base64_encode(std::string_view bytes);
// The same, appended to `out` (e.g. after a prefix, without a second string).
void base64_append(std::string& out, std::string_view bytes);

// Strict: only the standard alphabet, length a multiple of 4, padding only at
// the end, and unused trailing bits zero (so every input has one spelling).
// nullopt for anything else.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace sivo::engine
