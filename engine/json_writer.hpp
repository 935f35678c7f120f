#pragma once
// A small streaming JSON writer into a std::string. Every JSON byte the
// engine produces goes through it, so strings are always escaped and commas
// always right; nothing is built by concatenation.
//
// The caller is responsible for a well-formed sequence (key before each value
// inside an object, balanced begin/end); the writer only tracks commas.

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace sivo::engine {

class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();

  JsonWriter& key(std::string_view name);

  // Escapes quotes, backslashes and control characters (as \n, \t... or
  // \u00XX); valid UTF-8 passes through, invalid bytes become U+FFFD.
  JsonWriter& string(std::string_view value);

  template <std::integral T>
  requires(!std::same_as<T, bool>) JsonWriter& number(T value) {
    if constexpr (std::is_signed_v<T>) {
      return signed_integer(static_cast<std::int64_t>(value));
    } else {
      return unsigned_integer(static_cast<std::uint64_t>(value));
    }
  }
  // Shortest round-trip spelling; NaN and infinities (not JSON) become null.
  JsonWriter& number(double value);

  JsonWriter& boolean(bool value);
  JsonWriter& null();

  // Splices JSON the caller has already validated, byte for byte (e.g. an
  // event's `data` as the platform posted it).
  JsonWriter& raw(std::string_view prevalidated_json);

  const std::string& str() const& { return out_; }
  std::string str() && { return std::move(out_); }

  void reserve(std::size_t bytes) { out_.reserve(bytes); }

 private:
  JsonWriter& signed_integer(std::int64_t value);
  JsonWriter& unsigned_integer(std::uint64_t value);
  // Writes the comma a value needs, unless it follows a key or opens a container.
  void before_value();
  JsonWriter& open(char bracket);
  JsonWriter& close(char bracket);

  std::string out_;
  // One entry per open container: whether it still has no element.
  std::vector<bool> empty_container_;
  bool after_key_ = false;
};

// `value` as a quoted, escaped JSON string.
std::string json_quote(std::string_view value);

}  // namespace sivo::engine
