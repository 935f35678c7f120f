#include "storage/catalog_codec.hpp"

#include <boost/json.hpp>

namespace sivo::storage::codec {

namespace json = boost::json;

namespace {

std::optional<json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  json::value value = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

std::string str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return {};
  const auto& s = v->get_string();
  return std::string(s.data(), s.size());
}

std::int64_t i64(const json::object& o, std::string_view key, std::int64_t fallback = 0) {
  const auto* v = o.if_contains(key);
  if (!v) return fallback;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
  return fallback;
}

bool boolean(const json::object& o, std::string_view key, bool fallback) {
  const auto* v = o.if_contains(key);
  return v && v->is_bool() ? v->get_bool() : fallback;
}

json::string_view jv(std::string_view s) { return json::string_view(s.data(), s.size()); }

}  // namespace

std::string encode(const TenantRecord& t) {
  json::object o;
  o["v"] = 1;
  o["id"] = jv(t.id);
  o["name"] = jv(t.name);
  o["created_at"] = t.created_at;
  o["api_key_hash"] = jv(t.api_key_hash);
  return json::serialize(o);
}

std::optional<TenantRecord> decode_tenant(std::string_view text) {
  const auto o = parse_object(text);
  if (!o) return std::nullopt;
  TenantRecord t;
  t.id = str(*o, "id");
  t.name = str(*o, "name");
  t.created_at = i64(*o, "created_at");
  t.api_key_hash = str(*o, "api_key_hash");
  return t;
}

std::string encode(const EndpointRecord& e) {
  json::object o;
  o["v"] = 1;
  o["id"] = jv(e.id);
  o["tenant_id"] = jv(e.tenant_id);
  o["url"] = jv(e.url);
  o["description"] = jv(e.description);
  json::array types;
  for (const auto& type : e.event_types) types.emplace_back(jv(type));
  o["event_types"] = std::move(types);
  o["secret"] = jv(e.secret);
  o["enabled"] = e.enabled;
  o["disabled_reason"] = jv(e.disabled_reason);
  o["created_at"] = e.created_at;
  o["updated_at"] = e.updated_at;
  o["previous_secret"] = jv(e.previous_secret);
  o["previous_secret_expires_at"] = e.previous_secret_expires_at;
  if (e.rate_limit_per_second) o["rate_limit_per_second"] = *e.rate_limit_per_second;
  if (e.ordering_key) o["ordering_key"] = jv(*e.ordering_key);
  return json::serialize(o);
}

std::optional<EndpointRecord> decode_endpoint(std::string_view text) {
  const auto o = parse_object(text);
  if (!o) return std::nullopt;
  EndpointRecord e;
  e.id = str(*o, "id");
  e.tenant_id = str(*o, "tenant_id");
  e.url = str(*o, "url");
  e.description = str(*o, "description");
  if (const auto* types = o->if_contains("event_types"); types && types->is_array())
    for (const auto& type : types->get_array())
      if (type.is_string()) e.event_types.emplace_back(type.get_string().data(), type.get_string().size());
  e.secret = str(*o, "secret");
  e.enabled = boolean(*o, "enabled", true);
  e.disabled_reason = str(*o, "disabled_reason");
  e.created_at = i64(*o, "created_at");
  e.updated_at = i64(*o, "updated_at");
  e.previous_secret = str(*o, "previous_secret");
  e.previous_secret_expires_at = i64(*o, "previous_secret_expires_at");
  if (const auto* rate = o->if_contains("rate_limit_per_second"); rate && !rate->is_null())
    e.rate_limit_per_second = static_cast<std::uint32_t>(i64(*o, "rate_limit_per_second"));
  if (const auto* key = o->if_contains("ordering_key"); key && key->is_string())
    e.ordering_key = str(*o, "ordering_key");
  return e;
}

std::string encode_api_key(std::string_view tenant_id) {
  json::object o;
  o["v"] = 1;
  o["tenant_id"] = jv(tenant_id);
  return json::serialize(o);
}

std::optional<std::string> decode_api_key(std::string_view text) {
  const auto o = parse_object(text);
  if (!o || !o->contains("tenant_id")) return std::nullopt;
  return str(*o, "tenant_id");
}

std::string encode_setting(std::string_view value) {
  json::object o;
  o["v"] = 1;
  o["value"] = jv(value);
  return json::serialize(o);
}

std::optional<std::string> decode_setting(std::string_view text) {
  const auto o = parse_object(text);
  if (!o || !o->contains("value")) return std::nullopt;
  return str(*o, "value");
}

}  // namespace sivo::storage::codec
