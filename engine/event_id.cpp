#include "engine/event_id.hpp"

#include <algorithm>
#include <stdexcept>

namespace sivo::engine {

EventId::EventId(std::string_view id) {
  if (id.size() > kMaxEventIdLength)
    throw std::length_error("an event id is at most " + std::to_string(kMaxEventIdLength) +
                            " characters long");
  std::copy(id.begin(), id.end(), chars_.begin());
  size_ = static_cast<std::uint8_t>(id.size());
}

}  // namespace sivo::engine
