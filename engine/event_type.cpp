#include "engine/event_type.hpp"

namespace sivo::engine {
namespace {

struct CatalogEntry {
  EventType type;
  std::string_view name;
  std::string_view family;
  std::string_view description;
  std::string_view sample_data;
};

// The samples carry exactly the fields of EVENTS.md, with values shaped like
// what the platform sends (E.164 numbers, RFC 3339 UTC times, prefixed ids),
// because receivers build their parsers against the tester's output.
// One call (call_01JDQ8X4Z9K3M2N7P5R6T8V0W1) threads through all of them.
constexpr std::array<CatalogEntry, kEventTypeCount> kCatalog{
    {
        {EventType::call_created, "call.created", "call", "New call, inbound or outbound",
         R"({"call_id":"call_01JDQ8X4Z9K3M2N7P5R6T8V0W1","direction":"inbound","from":"+5511987654321","to":"+551130001000","did":"+551130001000","channel":"pstn","created_at":"2026-11-26T10:00:00.123Z","campaign_id":null})"},
        {EventType::call_answered, "call.answered", "call", "An agent accepted the call",
         R"({"call_id":"call_01JDQ8X4Z9K3M2N7P5R6T8V0W1","agent_id":"agt_01JDQ7ZB3M8W5F2H6K9N4P1Q7R","agent_name":"Mariana Costa","queue_id":"q_01JDQ7Y2C5V8B1N4M7K0J3H6G9","answered_at":"2026-11-26T10:00:42.510Z","wait_s":38})"},
        {EventType::call_transferred, "call.transferred", "call",
         "The call was transferred (blind, attended or three-way)",
         R"({"call_id":"call_01JDQ8X4Z9K3M2N7P5R6T8V0W1","transfer_type":"attended","from_agent_id":"agt_01JDQ7ZB3M8W5F2H6K9N4P1Q7R","to":{"kind":"queue","id":"q_01JDQ7Y9T2R5E8W1Q4A7S0D3F6"},"transferred_at":"2026-11-26T10:04:17.002Z"})"},
        {EventType::call_ended, "call.ended", "call", "Call ended, with the full CDR",
         R"({"call_id":"call_01JDQ8X4Z9K3M2N7P5R6T8V0W1","direction":"inbound","from":"+5511987654321","to":"+551130001000","started_at":"2026-11-26T10:00:00.123Z","answered_at":"2026-11-26T10:00:42.510Z","ended_at":"2026-11-26T10:07:55.870Z","duration_s":475,"billsec":433,"hangup_cause":"NORMAL_CLEARING","hangup_by":"caller","queue_id":"q_01JDQ7Y2C5V8B1N4M7K0J3H6G9","agent_id":"agt_01JDQ7ZB3M8W5F2H6K9N4P1Q7R","disposition":"resolved","recorded":true})"},
        {EventType::call_recorded, "call.recorded", "call",
         "The call's recording is available at a pre-signed URL",
         R"({"call_id":"call_01JDQ8X4Z9K3M2N7P5R6T8V0W1","recording_id":"rec_01JDQ9A6B3C8D1E4F7G0H2J5K8","url":"https://recordings.sivo.example/rec_01JDQ9A6B3C8D1E4F7G0H2J5K8.mp3?X-Amz-Expires=86400&X-Amz-Signature=3f9a7c2e","expires_at":"2026-11-27T10:08:10.000Z","format":"mp3","duration_s":433,"size_bytes":6928640,"channels":2})"},
        {EventType::transcript_segment, "transcript.segment", "transcript",
         "A live transcription segment",
         R"({"call_id":"call_01JDQ8X4Z9K3M2N7P5R6T8V0W1","segment_id":"seg_01JDQ8Z1M4N7P0Q3R6S9T2V5W8","seq":12,"speaker":"customer","text":"Meu pedido ainda não chegou, pode verificar?","start_ms":61240,"end_ms":64980,"language":"pt-BR","confidence":0.94,"is_final":true})"},
        {EventType::transcript_completed, "transcript.completed",
         "transcript", "The final, consolidated transcript of a call", R"({"call_id":"call_01JDQ8X4Z9K3M2N7P5R6T8V0W1","language":"pt-BR","segments":58,"text":"agent: Olá, aqui é a Mariana, como posso ajudar?\ncustomer: Meu pedido ainda não chegou, pode verificar?","summary":"Customer asked about a late order; agent confirmed a new delivery date.","sentiment":"neutral"})"},
        {EventType::queue_entered, "queue.entered", "queue", "A call entered an ACD queue",
         R"({"call_id":"call_01JDQ8X4Z9K3M2N7P5R6T8V0W1","queue_id":"q_01JDQ7Y2C5V8B1N4M7K0J3H6G9","queue_name":"Support - Portuguese","position":3,"estimated_wait_s":45,"entered_at":"2026-11-26T10:00:04.300Z"})"},
        {EventType::queue_abandoned, "queue.abandoned", "queue",
         "The caller hung up before being answered",
         R"({"call_id":"call_01JDQ9C2D5F8G1H4J7K0M3N6P9","queue_id":"q_01JDQ7Y2C5V8B1N4M7K0J3H6G9","waited_s":127,"position_at_abandon":2,"abandoned_at":"2026-11-26T10:12:09.415Z"})"},
        {EventType::agent_status_changed, "agent.status_changed", "agent",
         "An agent's status changed (available, on call, on break, logged out)",
         R"({"agent_id":"agt_01JDQ7ZB3M8W5F2H6K9N4P1Q7R","agent_name":"Mariana Costa","from_status":"available","to_status":"on_call","changed_at":"2026-11-26T10:00:42.510Z"})"},
        {EventType::agent_paused, "agent.paused", "agent", "An agent paused, with a reason",
         R"({"agent_id":"agt_01JDQ7ZB3M8W5F2H6K9N4P1Q7R","reason":"lunch","paused_at":"2026-11-26T12:00:05.000Z","expected_duration_s":3600})"},
        {EventType::ivr_completed, "ivr.completed", "ivr",
         "An IVR flow finished, with the captured variables",
         R"({"call_id":"call_01JDQ8X4Z9K3M2N7P5R6T8V0W1","flow_id":"flow_01JDQ6K8L1M4N7P0Q3R6S9T2V5","flow_name":"Main menu","path":["welcome","language_select","main_menu","order_status","transfer_support"],"variables":{"language":"pt-BR","menu_choice":"2","order_number":"482913"},"exit":"transferred","duration_s":34})"},
        {EventType::ai_agent_completed, "ai_agent.completed", "ai_agent",
         "An AI agent conversation finished, with its exit reason",
         R"({"call_id":"call_01JDQ8X4Z9K3M2N7P5R6T8V0W1","ai_agent_id":"aia_01JDQ5H3J6K9M2N5P8Q1R4S7T0","exit_reason":"transferred_to_human","turns":9,"duration_s":96,"handoff_queue_id":"q_01JDQ7Y2C5V8B1N4M7K0J3H6G9","summary":"Caller wants to reschedule a delivery; needs a human to approve a fee waiver.","captured":{"order_number":"482913","preferred_date":"2026-11-28"}})"},
    }};

// entry_of indexes the catalog by the enum's value.
constexpr bool catalog_is_in_enum_order() {
  for (std::size_t i = 0; i < kCatalog.size(); ++i) {
    if (static_cast<std::size_t>(kCatalog[i].type) != i) return false;
  }
  return true;
}
static_assert(catalog_is_in_enum_order());

// A value outside the enum (a corrupt byte cast to EventType) reads as this
// empty entry instead of past the end of the catalog.
constexpr CatalogEntry kOutsideCatalog{EventType{}, "", "", "", "{}"};

const CatalogEntry& entry_of(EventType type) {
  const auto index = static_cast<std::size_t>(type);
  return index < kCatalog.size() ? kCatalog[index] : kOutsideCatalog;
}

}  // namespace

const std::array<EventType, kEventTypeCount>& all_event_types() {
  static constexpr std::array<EventType, kEventTypeCount> kAll = [] {
    std::array<EventType, kEventTypeCount> all{};
    for (std::size_t i = 0; i < kEventTypeCount; ++i) all[i] = kCatalog[i].type;
    return all;
  }();
  return kAll;
}

std::string_view name_of(EventType type) { return entry_of(type).name; }

std::optional<EventType> parse_event_type(std::string_view name) {
  for (const auto& entry : kCatalog) {
    if (entry.name == name) return entry.type;
  }
  return std::nullopt;
}

std::string_view family_of(EventType type) { return entry_of(type).family; }

std::string_view description_of(EventType type) { return entry_of(type).description; }

std::string_view sample_data_of(EventType type) { return entry_of(type).sample_data; }

}  // namespace sivo::engine
