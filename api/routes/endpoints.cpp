// Endpoints of a tenant: POST/GET /v1/tenants/{t}/endpoints and
// GET/PATCH/DELETE /v1/tenants/{t}/endpoints/{e}.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "actors/runtime.hpp"
#include "api/error_response.hpp"
#include "api/json_request.hpp"
#include "api/json_response.hpp"
#include "api/routes/access.hpp"
#include "api/routes/routes.hpp"
#include "engine/address_policy.hpp"
#include "engine/endpoint_url.hpp"
#include "engine/event_filter.hpp"
#include "engine/ids.hpp"
#include "engine/secret.hpp"
#include "storage/store.hpp"

namespace sivo::api {

namespace {

constexpr std::size_t kMaxDescriptionLength = 1024;
constexpr std::size_t kMaxEndpointsPerTenant = 1000;

boost::json::object endpoint_json(const storage::EndpointRecord& endpoint) {
  boost::json::object out;
  out["id"] = endpoint.id;
  out["tenant_id"] = endpoint.tenant_id;
  out["url"] = endpoint.url;
  out["description"] = endpoint.description;
  boost::json::array types;
  for (const auto& pattern : endpoint.event_types) types.emplace_back(pattern);
  out["event_types"] = std::move(types);
  out["enabled"] = endpoint.enabled;
  out["disabled_reason"] = string_or_null(endpoint.disabled_reason);
  out["secret"] = endpoint.secret;
  out["created_at"] = time_value(endpoint.created_at);
  out["updated_at"] = time_value(endpoint.updated_at);
  return out;
}

// https only; a literal private address (or localhost) is refused up front
// unless the operator allows private networks (the connect-time check is the
// one that counts: names can resolve anywhere).
engine::Result<std::string> checked_url(const ApiContext& ctx, const std::string& url) {
  auto parsed = engine::parse_endpoint_url(url);
  if (!parsed) return parsed.error();
  if (!ctx.allow_private_networks && engine::is_forbidden_literal_host(parsed->host)) {
    return engine::Error{"invalid_url", "endpoint URL host \"" + parsed->host +
                                            "\" is a loopback, private or link-local address, "
                                            "which this engine does not deliver to"};
  }
  return url;
}

engine::Result<std::vector<std::string>> checked_filter(const std::vector<std::string>& patterns) {
  auto filter = engine::EventFilter::parse(patterns);
  if (!filter) return filter.error();
  return filter->patterns();
}

std::optional<engine::Error> checked_description(const std::string& description) {
  if (description.size() > kMaxDescriptionLength) {
    return engine::Error{"invalid_field", "field \"description\" is longer than " +
                                              std::to_string(kMaxDescriptionLength) + " bytes"};
  }
  return std::nullopt;
}

void save(const ApiContext& ctx, storage::EndpointRecord endpoint, int status, Respond respond,
          InFlightKeys::Lease lease = nullptr) {
  ctx.runtime.put_endpoint(endpoint, [endpoint, status, lease, respond = std::move(respond)](
                                         engine::Result<bool> result) mutable {
    lease.reset();
    if (!result) return respond(error_response(result.error()));
    respond(json_response(status, endpoint_json(endpoint)));
  });
}

void create_endpoint(const ApiContext& ctx, const Request& request, Respond respond) {
  auto tenant = authorize_tenant(ctx, request, respond);
  if (!tenant) return;
  auto body = JsonObject::parse(request.body);
  if (!body) return respond(error_response(body.error()));

  auto url = body->required_string("url");
  if (!url) return respond(error_response(url.error()));
  auto description = body->optional_string("description");
  if (!description) return respond(error_response(description.error()));
  auto event_types = body->optional_string_array("event_types");
  if (!event_types) return respond(error_response(event_types.error()));
  auto secret = body->optional_string("secret");
  if (!secret) return respond(error_response(secret.error()));
  auto enabled = body->optional_bool("enabled");
  if (!enabled) return respond(error_response(enabled.error()));

  storage::EndpointRecord endpoint;
  auto valid_url = checked_url(ctx, *url);
  if (!valid_url) return respond(error_response(valid_url.error()));
  endpoint.url = std::move(*valid_url);
  endpoint.description = description->value_or("");
  if (auto error = checked_description(endpoint.description)) return respond(error_response(*error));
  auto filter = checked_filter(event_types->value_or(std::vector<std::string>{}));
  if (!filter) return respond(error_response(filter.error()));
  endpoint.event_types = std::move(*filter);
  if (secret->has_value()) {
    auto valid_secret = engine::validate_endpoint_secret(**secret);
    if (!valid_secret) return respond(error_response(valid_secret.error()));
    endpoint.secret = std::move(*valid_secret);
  } else {
    endpoint.secret = engine::generate_endpoint_secret();
  }
  endpoint.enabled = enabled->value_or(true);
  if (ctx.store.endpoint_ids_of(tenant->id).size() >= kMaxEndpointsPerTenant) {
    return respond(error_response(422, "too_many_endpoints",
                                  "a tenant has at most " + std::to_string(kMaxEndpointsPerTenant) +
                                      " endpoints"));
  }

  const engine::UnixMillis now = ctx.clock();
  endpoint.id = engine::new_endpoint_id(now);
  if (ctx.store.endpoint(endpoint.id)) {
    return respond(error_response(409, "conflict", "endpoint id collision; try again"));
  }
  endpoint.tenant_id = tenant->id;
  endpoint.created_at = now;
  endpoint.updated_at = now;
  save(ctx, std::move(endpoint), 201, std::move(respond));
}

void list_endpoints(const ApiContext& ctx, const Request& request, Respond respond) {
  auto tenant = authorize_tenant(ctx, request, respond);
  if (!tenant) return;
  boost::json::array items;
  for (const auto& endpoint : ctx.store.endpoints_of(tenant->id)) {
    items.push_back(endpoint_json(endpoint));
  }
  respond(json_response(200, boost::json::object{{"items", std::move(items)}}));
}

void get_endpoint(const ApiContext& ctx, const Request& request, Respond respond) {
  auto endpoint = find_endpoint(ctx, request, respond);
  if (!endpoint) return;
  respond(json_response(200, endpoint_json(*endpoint)));
}

// The endpoint (find_endpoint's checks) read again under a lease on it: 409
// while another PATCH or DELETE of the same endpoint is being written.
std::optional<storage::EndpointRecord> lease_endpoint(const ApiContext& ctx, const Request& request,
                                                      const Respond& respond,
                                                      InFlightKeys::Lease& lease) {
  auto endpoint = find_endpoint(ctx, request, respond);
  if (!endpoint) return std::nullopt;
  lease = ctx.in_flight->try_acquire("endpoint/" + endpoint->id);
  if (!lease) {
    respond(error_response(409, "conflict",
                           "another change to this endpoint is in progress; try again"));
    return std::nullopt;
  }
  auto current = ctx.store.endpoint(endpoint->id);
  if (!current || current->tenant_id != endpoint->tenant_id) {
    respond(error_response(404, "not_found", "endpoint \"" + endpoint->id + "\" not found"));
    return std::nullopt;
  }
  return current;
}

void patch_endpoint(const ApiContext& ctx, const Request& request, Respond respond) {
  InFlightKeys::Lease lease;
  auto endpoint = lease_endpoint(ctx, request, respond, lease);
  if (!endpoint) return;
  auto body = JsonObject::parse(request.body);
  if (!body) return respond(error_response(body.error()));

  if (body->has("url")) {
    auto url = body->required_string("url");
    if (!url) return respond(error_response(url.error()));
    auto valid_url = checked_url(ctx, *url);
    if (!valid_url) return respond(error_response(valid_url.error()));
    endpoint->url = std::move(*valid_url);
  }
  if (body->has("description")) {  // null clears it
    auto description = body->optional_string("description");
    if (!description) return respond(error_response(description.error()));
    endpoint->description = description->value_or("");
    if (auto error = checked_description(endpoint->description)) {
      return respond(error_response(*error));
    }
  }
  if (body->has("event_types")) {  // null or [] means every type
    auto event_types = body->optional_string_array("event_types");
    if (!event_types) return respond(error_response(event_types.error()));
    auto filter = checked_filter(event_types->value_or(std::vector<std::string>{}));
    if (!filter) return respond(error_response(filter.error()));
    endpoint->event_types = std::move(*filter);
  }
  if (body->has("enabled")) {
    auto enabled = body->optional_bool("enabled");
    if (!enabled) return respond(error_response(enabled.error()));
    if (enabled->has_value()) {
      endpoint->enabled = **enabled;
      if (endpoint->enabled) endpoint->disabled_reason.clear();
    }
  }
  endpoint->updated_at = std::max(ctx.clock(), endpoint->created_at);
  save(ctx, std::move(*endpoint), 200, std::move(respond), std::move(lease));
}

void delete_endpoint(const ApiContext& ctx, const Request& request, Respond respond) {
  InFlightKeys::Lease lease;
  auto endpoint = lease_endpoint(ctx, request, respond, lease);
  if (!endpoint) return;
  ctx.runtime.delete_endpoint(endpoint->tenant_id, endpoint->id,
                              [lease, respond = std::move(respond)](engine::Result<bool> result) mutable {
                                lease.reset();
                                if (!result) return respond(error_response(result.error()));
                                Response response;
                                response.status = 204;
                                respond(std::move(response));
                              });
}

}  // namespace

void add_endpoint_routes(Router& router, const ApiContext& ctx) {
  const ApiContext* c = &ctx;
  const std::string collection = "/v1/tenants/{t}/endpoints";
  const std::string item = collection + "/{e}";
  router.add("POST", collection, [c](const Request& r, Respond d) { create_endpoint(*c, r, std::move(d)); });
  router.add("GET", collection, [c](const Request& r, Respond d) { list_endpoints(*c, r, std::move(d)); });
  router.add("GET", item, [c](const Request& r, Respond d) { get_endpoint(*c, r, std::move(d)); });
  router.add("PATCH", item, [c](const Request& r, Respond d) { patch_endpoint(*c, r, std::move(d)); });
  router.add("DELETE", item, [c](const Request& r, Respond d) { delete_endpoint(*c, r, std::move(d)); });
}

}  // namespace sivo::api
