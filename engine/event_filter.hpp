#pragma once
// An endpoint's subscription: which event types it receives. Patterns are
// exact names ("call.ended"), family wildcards ("call.*") or "*"; an empty
// list means every type.

#include <cstdint>
#include <string>
#include <vector>

#include "engine/error.hpp"
#include "engine/event_type.hpp"

namespace sivo::engine {

class EventFilter {
 public:
  // Error{"invalid_event_type", ...} naming the first unknown pattern and the
  // known types. Duplicates are dropped; the order of first appearance is kept.
  static Result<EventFilter> parse(const std::vector<std::string>& patterns);

  // The filter of an endpoint that gave none: every type.
  static EventFilter all();

  bool matches(EventType type) const;

  // The patterns as given (deduplicated), for storing and showing back.
  const std::vector<std::string>& patterns() const { return patterns_; }

  // True when every catalog type passes (empty list, "*", or patterns that
  // happen to cover the whole catalog).
  bool matches_all() const;

 private:
  EventFilter(std::vector<std::string> patterns, std::uint32_t mask)
      : patterns_(std::move(patterns)), mask_(mask) {}

  std::vector<std::string> patterns_;
  std::uint32_t mask_ = 0;  // bit i set: the type with enum value i matches
};

}  // namespace sivo::engine
