#pragma once
// An event id held inline. A delivery's id is copied between its records,
// its state, its due key and the messages of each attempt, several times per
// attempt; at 30 characters ("evt_" + ULID) and up to 128 (client ids) it
// does not fit std::string's 15 inline bytes, and each of those copies was
// an allocation (bench (i)). Copying this one is a fixed-size memcpy.

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace sivo::engine {

// validate_event_id refuses longer ids, so every id the engine accepts fits.
inline constexpr std::size_t kMaxEventIdLength = 128;

class EventId {
 public:
  EventId() = default;
  // Implicit, as ids arrive as strings from requests, keys and tests alike.
  // Throws std::length_error beyond kMaxEventIdLength: callers holding
  // unchecked bytes (the stored-record decoders) check the length first.
  EventId(std::string_view id);
  EventId(const char* id) : EventId(std::string_view(id)) {}
  EventId(const std::string& id) : EventId(std::string_view(id)) {}

  std::string_view view() const noexcept { return {chars_.data(), size_}; }
  operator std::string_view() const noexcept { return view(); }
  const char* data() const noexcept { return chars_.data(); }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

  friend bool operator==(const EventId& a, const EventId& b) noexcept {
    return a.view() == b.view();
  }
  friend std::strong_ordering operator<=>(const EventId& a, const EventId& b) noexcept {
    return a.view() <=> b.view();
  }
  // Against the other spellings of a string (literals, std::string,
  // string_view) as they are: an exact match, so that neither side is
  // converted (which C++20's reversed comparisons would find ambiguous),
  // and an id too long for an EventId compares unequal instead of throwing.
  template <class Text>
    requires std::is_convertible_v<const Text&, std::string_view> &&
             (!std::is_same_v<Text, EventId>)
  friend bool operator==(const EventId& a, const Text& b) noexcept {
    return a.view() == std::string_view(b);
  }
  template <class Text>
    requires std::is_convertible_v<const Text&, std::string_view> &&
             (!std::is_same_v<Text, EventId>)
  friend std::strong_ordering operator<=>(const EventId& a, const Text& b) noexcept {
    return a.view() <=> std::string_view(b);
  }

 private:
  std::uint8_t size_ = 0;
  std::array<char, kMaxEventIdLength> chars_{};
};

}  // namespace sivo::engine
