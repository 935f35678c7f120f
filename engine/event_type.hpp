#pragma once
// The event catalog of the seed: 13 types, each with a realistic sample
// `data` object (used by the tester, GET /v1/event-types and the dashboard).

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace sivo::engine {

enum class EventType : std::uint8_t {
  call_created,
  call_answered,
  call_transferred,
  call_ended,
  call_recorded,
  transcript_segment,
  transcript_completed,
  queue_entered,
  queue_abandoned,
  agent_status_changed,
  agent_paused,
  ivr_completed,
  ai_agent_completed,
};

inline constexpr std::size_t kEventTypeCount = 13;

// Every type, in catalog order.
const std::array<EventType, kEventTypeCount>& all_event_types();

// "call.created" etc.
std::string_view name_of(EventType type);

// The inverse of name_of; nullopt for anything outside the catalog.
std::optional<EventType> parse_event_type(std::string_view name);

// The family of a type: "call" for "call.created".
std::string_view family_of(EventType type);

// One line a human reads in the dashboard: "Call ended, with the full CDR".
std::string_view description_of(EventType type);

// A compact JSON object (valid, minified) shaped like what the platform sends.
std::string_view sample_data_of(EventType type);

}  // namespace sivo::engine
