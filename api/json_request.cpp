#include "api/json_request.hpp"

#include <simdjson.h>

namespace sivo::api {

namespace {

using engine::Error;
using engine::Result;

Error invalid_field(std::string message) { return Error{"invalid_field", std::move(message)}; }

std::string quoted(std::string_view name) {
  std::string out = "field \"";
  out += name;
  out += '"';
  return out;
}

Error parse_error(simdjson::error_code code) {
  switch (code) {
    case simdjson::UTF8_ERROR:
      return Error{"invalid_json", "request body is not valid UTF-8"};
    case simdjson::DEPTH_ERROR:
      return Error{"invalid_json", "request body is nested deeper than " +
                                       std::to_string(kMaxJsonDepth) + " levels"};
    case simdjson::EMPTY:
      return Error{"invalid_json", "request body is empty; a JSON object is expected"};
    default:
      return Error{"invalid_json",
                   std::string("request body is not valid JSON: ") + simdjson::error_message(code)};
  }
}

// The whole body, validated by the DOM parser (the complete check: structure,
// strings, numbers, UTF-8). It owns the padded copy the on-demand pass reads.
struct Document {
  simdjson::padded_string text;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
};

Result<std::unique_ptr<Document>> parse_document(std::string_view body) {
  auto doc = std::make_unique<Document>();
  doc->text = simdjson::padded_string(body);
  if (auto error = doc->parser.allocate(std::max<std::size_t>(body.size(), 64), kMaxJsonDepth)) {
    return Error{"invalid_json", std::string("cannot parse the body: ") + simdjson::error_message(error)};
  }
  auto parsed = doc->parser.parse(doc->text);
  if (parsed.error()) return parse_error(parsed.error());
  doc->root = parsed.value_unsafe();
  return doc;
}

// The first value of `name` in `object` (DOM at_key returns the first match).
std::optional<simdjson::dom::element> field(simdjson::dom::object object, std::string_view name) {
  auto found = object.at_key(name);
  if (found.error()) return std::nullopt;
  return found.value_unsafe();
}

Result<std::optional<std::string>> string_of(simdjson::dom::object object, std::string_view name) {
  auto value = field(object, name);
  if (!value || value->is_null()) return std::optional<std::string>{};
  std::string_view text;
  if (value->get_string().get(text)) return invalid_field(quoted(name) + " must be a string");
  return std::optional<std::string>(std::string(text));
}

Result<std::string> required_string_of(simdjson::dom::object object, std::string_view name) {
  auto value = field(object, name);
  if (!value || value->is_null()) return invalid_field(quoted(name) + " is required");
  std::string_view text;
  if (value->get_string().get(text)) return invalid_field(quoted(name) + " must be a string");
  return std::string(text);
}

// Trailing JSON whitespace after a value's last byte (on-demand's raw_json
// runs up to the next token).
std::string_view trim_trailing_whitespace(std::string_view text) {
  while (!text.empty()) {
    char c = text.back();
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
    text.remove_suffix(1);
  }
  return text;
}

// The raw text of the first field `name` of an on-demand object when it is
// an object; nullopt otherwise. `origin`/`body` map the view back into the
// caller's body.
std::optional<std::string_view> raw_object_field(simdjson::ondemand::object object,
                                                 std::string_view name, const char* origin,
                                                 std::string_view body) {
  for (auto entry : object) {
    if (entry.error()) return std::nullopt;
    simdjson::ondemand::field f = std::move(entry).value_unsafe();
    std::string_view key;
    if (f.unescaped_key().get(key)) return std::nullopt;
    if (key != name) continue;
    simdjson::ondemand::object inner;
    if (f.value().get_object().get(inner)) return std::nullopt;
    std::string_view raw;
    if (inner.raw_json().get(raw)) return std::nullopt;
    raw = trim_trailing_whitespace(raw);
    auto offset = static_cast<std::size_t>(raw.data() - origin);
    if (offset + raw.size() > body.size()) return std::nullopt;
    return body.substr(offset, raw.size());
  }
  return std::nullopt;
}

Result<EventInput> event_of(simdjson::dom::element element,
                            std::optional<std::string_view> raw_data) {
  simdjson::dom::object object;
  if (element.get_object().get(object)) return invalid_field("an event must be a JSON object");
  EventInput event;
  auto id = string_of(object, "id");
  if (!id) return id.error();
  event.id = std::move(*id);
  auto type = required_string_of(object, "type");
  if (!type) return type.error();
  event.type = std::move(*type);
  auto data = field(object, "data");
  if (!data || data->is_null()) return invalid_field(quoted("data") + " is required");
  if (!data->is_object()) return invalid_field(quoted("data") + " must be a JSON object");
  if (!raw_data) return invalid_field(quoted("data") + " could not be read");
  event.data = *raw_data;
  auto occurred_at = string_of(object, "occurred_at");
  if (!occurred_at) return occurred_at.error();
  event.occurred_at = std::move(*occurred_at);
  return event;
}

}  // namespace

// ---------------------------------------------------------------- JsonObject

struct JsonObject::Impl {
  std::unique_ptr<Document> document;
  simdjson::dom::object object;
};

JsonObject::JsonObject(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JsonObject::JsonObject(JsonObject&&) noexcept = default;
JsonObject& JsonObject::operator=(JsonObject&&) noexcept = default;
JsonObject::~JsonObject() = default;

Result<JsonObject> JsonObject::parse(std::string_view body) {
  auto document = parse_document(body);
  if (!document) return document.error();
  auto impl = std::make_unique<Impl>();
  impl->document = std::move(*document);
  if (impl->document->root.get_object().get(impl->object)) {
    return invalid_field("the request body must be a JSON object");
  }
  return JsonObject(std::move(impl));
}

bool JsonObject::has(std::string_view name) const { return field(impl_->object, name).has_value(); }

bool JsonObject::is_null(std::string_view name) const {
  auto value = field(impl_->object, name);
  return value && value->is_null();
}

Result<std::optional<std::string>> JsonObject::optional_string(std::string_view name) const {
  return string_of(impl_->object, name);
}

Result<std::string> JsonObject::required_string(std::string_view name) const {
  return required_string_of(impl_->object, name);
}

Result<std::optional<bool>> JsonObject::optional_bool(std::string_view name) const {
  auto value = field(impl_->object, name);
  if (!value || value->is_null()) return std::optional<bool>{};
  bool flag = false;
  if (value->get_bool().get(flag)) return invalid_field(quoted(name) + " must be a boolean");
  return std::optional<bool>(flag);
}

Result<std::optional<std::int64_t>> JsonObject::optional_int(std::string_view name) const {
  auto value = field(impl_->object, name);
  if (!value || value->is_null()) return std::optional<std::int64_t>{};
  std::int64_t number = 0;
  if (value->get_int64().get(number)) return invalid_field(quoted(name) + " must be an integer");
  return std::optional<std::int64_t>(number);
}

Result<std::optional<std::vector<std::string>>> JsonObject::optional_string_array(
    std::string_view name) const {
  auto value = field(impl_->object, name);
  if (!value || value->is_null()) return std::optional<std::vector<std::string>>{};
  simdjson::dom::array array;
  if (value->get_array().get(array)) {
    return invalid_field(quoted(name) + " must be an array of strings");
  }
  std::vector<std::string> out;
  for (auto element : array) {
    std::string_view text;
    if (element.get_string().get(text)) {
      return invalid_field(quoted(name) + " must be an array of strings");
    }
    out.emplace_back(text);
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

// -------------------------------------------------------------------- events

Result<EventInput> parse_event(std::string_view body) {
  auto document = parse_document(body);
  if (!document) return document.error();
  Document& doc = **document;
  if (!doc.root.is_object()) return invalid_field("the request body must be a JSON object");

  // The DOM pass proved the JSON valid; the on-demand pass only locates the
  // raw bytes of `data`.
  simdjson::ondemand::parser ondemand;  // depth and size were checked by the DOM pass
  simdjson::ondemand::document od;
  std::optional<std::string_view> raw;
  simdjson::ondemand::object root;
  if (!ondemand.iterate(doc.text).get(od) && !od.get_object().get(root)) {
    raw = raw_object_field(root, "data", doc.text.data(), body);
  }
  return event_of(doc.root, raw);
}

Result<std::vector<Result<EventInput>>> parse_event_batch(std::string_view body,
                                                          std::size_t max_items) {
  auto document = parse_document(body);
  if (!document) return document.error();
  Document& doc = **document;
  simdjson::dom::object root;
  if (doc.root.get_object().get(root)) {
    return invalid_field("the request body must be a JSON object");
  }
  auto events = field(root, "events");
  if (!events || events->is_null()) return invalid_field(quoted("events") + " is required");
  simdjson::dom::array items;
  if (events->get_array().get(items)) return invalid_field(quoted("events") + " must be an array");
  if (items.size() > max_items) {
    return invalid_field(quoted("events") + " holds " + std::to_string(items.size()) +
                         " events; a batch holds at most " + std::to_string(max_items));
  }

  // Raw `data` texts by index, from one on-demand pass over the same bytes.
  std::vector<std::optional<std::string_view>> raw(items.size());
  simdjson::ondemand::parser ondemand;  // depth and size were checked by the DOM pass
  simdjson::ondemand::document od;
  simdjson::ondemand::object od_root;
  if (!ondemand.iterate(doc.text).get(od) && !od.get_object().get(od_root)) {
    for (auto entry : od_root) {
      if (entry.error()) break;
      simdjson::ondemand::field f = std::move(entry).value_unsafe();
      std::string_view key;
      if (f.unescaped_key().get(key)) break;
      if (key != "events") continue;
      simdjson::ondemand::array array;
      if (f.value().get_array().get(array)) break;
      std::size_t index = 0;
      for (auto item : array) {
        if (item.error()) break;
        simdjson::ondemand::value value = std::move(item).value_unsafe();
        if (index >= raw.size()) break;
        simdjson::ondemand::object object;
        if (!value.get_object().get(object)) {
          raw[index] = raw_object_field(object, "data", doc.text.data(), body);
        }
        ++index;
      }
      break;
    }
  }

  std::vector<Result<EventInput>> out;
  out.reserve(items.size());
  std::size_t index = 0;
  for (auto item : items) {
    out.push_back(event_of(item, raw[index]));
    ++index;
  }
  return out;
}

}  // namespace sivo::api
