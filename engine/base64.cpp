#include "engine/base64.hpp"

#include <array>
#include <cstdint>

namespace sivo::engine {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::uint8_t kInvalid = 0xff;

constexpr std::array<std::uint8_t, 256> make_decode_table() {
  std::array<std::uint8_t, 256> table{};
  for (auto& entry : table) entry = kInvalid;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::uint8_t>(i);
  }
  return table;
}

constexpr auto kDecodeTable = make_decode_table();

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  base64_append(out, bytes);
  return out;
}

void base64_append(std::string& out, std::string_view bytes) {
  out.reserve(out.size() + (bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t triple = (std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16) |
                                 (std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8) |
                                 std::uint32_t{static_cast<unsigned char>(bytes[i + 2])};
    out += kAlphabet[(triple >> 18) & 0x3f];
    out += kAlphabet[(triple >> 12) & 0x3f];
    out += kAlphabet[(triple >> 6) & 0x3f];
    out += kAlphabet[triple & 0x3f];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const std::uint32_t v = std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16;
    out += kAlphabet[(v >> 18) & 0x3f];
    out += kAlphabet[(v >> 12) & 0x3f];
    out += "==";
  } else if (rest == 2) {
    const std::uint32_t v = (std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16) |
                            (std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8);
    out += kAlphabet[(v >> 18) & 0x3f];
    out += kAlphabet[(v >> 12) & 0x3f];
    out += kAlphabet[(v >> 6) & 0x3f];
    out += '=';
  }
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++padding;

  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last_group = i + 4 == text.size();
    const std::size_t pad_here = last_group ? padding : 0;
    std::uint32_t group = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      std::uint8_t sextet = 0;
      if (j < 4 - pad_here) {
        sextet = kDecodeTable[static_cast<unsigned char>(text[i + j])];
        if (sextet == kInvalid) return std::nullopt;  // also catches a stray '='
      }
      group = (group << 6) | sextet;
    }
    // Bits that padding says are unused must be zero, else two spellings decode alike.
    if (pad_here == 1 && (group & 0xff) != 0) return std::nullopt;
    if (pad_here == 2 && (group & 0xffff) != 0) return std::nullopt;
    out += static_cast<char>((group >> 16) & 0xff);
    if (pad_here < 2) out += static_cast<char>((group >> 8) & 0xff);
    if (pad_here < 1) out += static_cast<char>(group & 0xff);
  }
  return out;
}

}  // namespace sivo::engine
