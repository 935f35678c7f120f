#include "engine/json_writer.hpp"

#include <charconv>
#include <cmath>
#include <span>

#include "engine/hex.hpp"

namespace sivo::engine {
namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

// Length of the well-formed UTF-8 sequence starting at text[pos], or 0 if the
// bytes there are not one (RFC 3629: no overlongs, no surrogates, <= U+10FFFF).
std::size_t utf8_sequence_length(std::string_view text, std::size_t pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[pos + i]); };
  const auto is_continuation = [](unsigned char b) { return (b & 0xC0) == 0x80; };
  const unsigned char lead = byte(0);
  const std::size_t left = text.size() - pos;

  if (lead >= 0xC2 && lead <= 0xDF) {
    return left >= 2 && is_continuation(byte(1)) ? 2 : 0;
  }
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (left < 3 || !is_continuation(byte(1)) || !is_continuation(byte(2))) return 0;
    if (lead == 0xE0 && byte(1) < 0xA0) return 0;   // overlong
    if (lead == 0xED && byte(1) >= 0xA0) return 0;  // UTF-16 surrogate
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (left < 4 || !is_continuation(byte(1)) || !is_continuation(byte(2)) ||
        !is_continuation(byte(3))) {
      return 0;
    }
    if (lead == 0xF0 && byte(1) < 0x90) return 0;   // overlong
    if (lead == 0xF4 && byte(1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

// Printable ASCII other than the two JSON escapes itself: it goes out as it is.
bool stands_for_itself(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x20 && u < 0x80 && c != '"' && c != '\\';
}

void append_escaped(std::string& out, std::string_view value) {
  out += '"';
  std::size_t pos = 0;
  while (pos < value.size()) {
    // A run of such characters (most of any id, name or timestamp) goes in
    // with one append: character by character, every string of every
    // envelope and answer paid a capacity check per byte.
    std::size_t run = pos;
    while (run < value.size() && stands_for_itself(value[run])) ++run;
    if (run != pos) {
      out.append(value.data() + pos, run - pos);
      pos = run;
      continue;
    }
    const auto c = static_cast<unsigned char>(value[pos]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:  // a control character with no short escape (printable ASCII went in runs)
          out += "\\u00";
          hex_append(out, std::span(&c, 1));
      }
      ++pos;
      continue;
    }
    const std::size_t length = utf8_sequence_length(value, pos);
    if (length == 0) {
      // Emitting the byte as is would make the whole document invalid JSON.
      out += kReplacementCharacter;
      ++pos;
    } else {
      out.append(value.substr(pos, length));
      pos += length;
    }
  }
  out += '"';
}

}  // namespace

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!empty_container_.empty()) {
    if (!empty_container_.back()) out_ += ',';
    empty_container_.back() = false;
  }
}

JsonWriter& JsonWriter::open(char bracket) {
  before_value();
  out_ += bracket;
  empty_container_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::close(char bracket) {
  out_ += bracket;
  if (!empty_container_.empty()) empty_container_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::begin_object() { return open('{'); }
JsonWriter& JsonWriter::end_object() { return close('}'); }
JsonWriter& JsonWriter::begin_array() { return open('['); }
JsonWriter& JsonWriter::end_array() { return close(']'); }

JsonWriter& JsonWriter::key(std::string_view name) {
  before_value();
  append_escaped(out_, name);
  out_ += ':';
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view value) {
  before_value();
  append_escaped(out_, value);
  return *this;
}

namespace {
template <class Integer>
void append_integer(std::string& out, Integer value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}
}  // namespace

JsonWriter& JsonWriter::signed_integer(std::int64_t value) {
  before_value();
  append_integer(out_, value);
  return *this;
}

JsonWriter& JsonWriter::unsigned_integer(std::uint64_t value) {
  before_value();
  append_integer(out_, value);
  return *this;
}

JsonWriter& JsonWriter::number(double value) {
  if (!std::isfinite(value)) return null();
  before_value();
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out_.append(buffer, result.ptr);
  return *this;
}

JsonWriter& JsonWriter::boolean(bool value) {
  before_value();
  out_ += value ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view prevalidated_json) {
  before_value();
  out_.append(prevalidated_json);
  return *this;
}

std::string json_quote(std::string_view value) {
  std::string out;
  out.reserve(value.size() + 2);
  append_escaped(out, value);
  return out;
}

}  // namespace sivo::engine
