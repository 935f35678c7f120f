#include "engine/event_filter.hpp"

#include <algorithm>
#include <optional>

namespace sivo::engine {
namespace {

static_assert(kEventTypeCount <= 32, "the filter's mask is 32 bits wide");

constexpr std::uint32_t kAllTypes = (std::uint32_t{1} << kEventTypeCount) - 1;

std::uint32_t bit_of(EventType type) { return std::uint32_t{1} << static_cast<unsigned>(type); }

// The types one pattern selects; nullopt when it names nothing in the catalog.
std::optional<std::uint32_t> mask_of(std::string_view pattern) {
  if (pattern == "*") return kAllTypes;
  if (pattern.size() > 2 && pattern.ends_with(".*")) {
    const std::string_view family = pattern.substr(0, pattern.size() - 2);
    std::uint32_t mask = 0;
    for (EventType type : all_event_types()) {
      if (family_of(type) == family) mask |= bit_of(type);
    }
    if (mask == 0) return std::nullopt;
    return mask;
  }
  if (auto type = parse_event_type(pattern)) return bit_of(*type);
  return std::nullopt;
}

std::string known_types_list() {
  std::string list;
  for (EventType type : all_event_types()) {
    if (!list.empty()) list += ", ";
    list += name_of(type);
  }
  return list;
}

}  // namespace

Result<EventFilter> EventFilter::parse(const std::vector<std::string>& patterns) {
  if (patterns.empty()) return all();

  std::vector<std::string> unique;
  std::uint32_t mask = 0;
  for (const auto& pattern : patterns) {
    const auto selected = mask_of(pattern);
    if (!selected) {
      return Error{"invalid_event_type",
                   "unknown event type \"" + pattern + "\" in filter; known types: " +
                       known_types_list() + " (or a family wildcard such as \"call.*\", or \"*\")"};
    }
    mask |= *selected;
    if (std::find(unique.begin(), unique.end(), pattern) == unique.end()) unique.push_back(pattern);
  }
  return EventFilter(std::move(unique), mask);
}

EventFilter EventFilter::all() { return EventFilter({}, kAllTypes); }

bool EventFilter::matches(EventType type) const {
  if (static_cast<std::size_t>(type) >= kEventTypeCount) return false;
  return (mask_ & bit_of(type)) != 0;
}

bool EventFilter::matches_all() const { return mask_ == kAllTypes; }

}  // namespace sivo::engine
