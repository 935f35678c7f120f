#pragma once
// Lowercase hex: signatures ("sha256=" + hex), API key digests, generated
// keys and tokens, and the \u00XX escapes of JSON strings.

#include <span>
#include <string>

namespace sivo::engine {

// Two digits per byte, appended to `out` (e.g. after a prefix, without a
// second string).
void hex_append(std::string& out, std::span<const unsigned char> bytes);
std::string hex_encode(std::span<const unsigned char> bytes);

}  // namespace sivo::engine
