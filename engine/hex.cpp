#include "engine/hex.hpp"

namespace sivo::engine {

// The digits are written into room made once: appending them one by one
// checked the string's capacity per character (~1,000 instructions for a
// 32-byte digest, every attempt).
void hex_append(std::string& out, std::span<const unsigned char> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  const std::size_t at = out.size();
  out.resize(at + bytes.size() * 2);
  char* hex = out.data() + at;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    hex[2 * i] = kDigits[bytes[i] >> 4];
    hex[2 * i + 1] = kDigits[bytes[i] & 0x0f];
  }
}

std::string hex_encode(std::span<const unsigned char> bytes) {
  std::string hex;
  hex_append(hex, bytes);
  return hex;
}

}  // namespace sivo::engine
