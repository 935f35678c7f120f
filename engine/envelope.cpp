#include "engine/envelope.hpp"

#include "engine/json_writer.hpp"
#include "engine/timestamp.hpp"

namespace sivo::engine {

std::string render_envelope(const EventHeader& header, std::string_view raw_data_json) {
  JsonWriter writer;
  // The fixed fields are ~120 bytes; one allocation for the common case.
  writer.reserve(raw_data_json.size() + header.id.size() + header.tenant_id.size() + 128);
  writer.begin_object()
      .key("id")
      .string(header.id)
      .key("type")
      .string(name_of(header.type))
      .key("tenant_id")
      .string(header.tenant_id)
      .key("created_at")
      .string(format_rfc3339_millis(header.created_at))
      .key("data")
      .raw(raw_data_json)
      .end_object();
  return std::move(writer).str();
}

}  // namespace sivo::engine
