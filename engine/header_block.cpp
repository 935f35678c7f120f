#include "engine/header_block.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "engine/ascii.hpp"

namespace sivo::engine {
namespace {

// memchr is vectorised; a loop over the characters was ~5 instructions per
// header byte, paid for every header of every attempt.
bool has_forbidden_char(std::string_view s) {
  if (s.empty()) return false;  // memchr wants a real pointer, even for no bytes
  for (char c : {'\r', '\n', '\0'})
    if (std::memchr(s.data(), c, s.size()) != nullptr) return true;
  return false;
}

// RFC 9110's tchar: what a field name is made of, as a table (one load per
// character: every name of every attempt is checked).
constexpr std::array<bool, 256> kTokenChars = [] {
  std::array<bool, 256> table{};
  for (char c = 'a'; c <= 'z'; ++c) table[static_cast<unsigned char>(c)] = true;
  for (char c = 'A'; c <= 'Z'; ++c) table[static_cast<unsigned char>(c)] = true;
  for (char c = '0'; c <= '9'; ++c) table[static_cast<unsigned char>(c)] = true;
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) table[static_cast<unsigned char>(c)] = true;
  return table;
}();

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return kTokenChars[static_cast<unsigned char>(c)];
  });
}

bool set_by_the_client(std::string_view name) {
  static constexpr std::array<std::string_view, 6> kNames = {
      "Host", "User-Agent", "Content-Type", "Content-Length", "Transfer-Encoding", "Connection"};
  return std::any_of(kNames.begin(), kNames.end(),
                     [&](std::string_view n) { return equals_ignoring_ascii_case(n, name); });
}

}  // namespace

void HeaderBlock::add(std::string_view name, std::string_view value) {
  add_written(name, [value](std::string& out) { out.append(value); });
}

bool HeaderBlock::admits(std::string_view name, std::string_view value) {
  if (is_token(name) && !has_forbidden_char(value) && !set_by_the_client(name)) return true;
  if (!refused_)
    refused_ = has_forbidden_char(name) ? std::string("(unprintable)") : std::string(name);
  return false;
}

}  // namespace sivo::engine
