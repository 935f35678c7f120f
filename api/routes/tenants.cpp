// POST /v1/tenants, GET /v1/tenants (admin) and GET /v1/me (anyone signed in).

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "actors/runtime.hpp"
#include "api/error_response.hpp"
#include "api/json_request.hpp"
#include "api/json_response.hpp"
#include "api/routes/access.hpp"
#include "api/routes/routes.hpp"
#include "engine/ids.hpp"
#include "engine/secret.hpp"
#include "engine/signature.hpp"
#include "storage/store.hpp"

namespace sivo::api {

namespace {

constexpr std::size_t kMaxTenantNameLength = 200;

boost::json::object tenant_json(const storage::TenantRecord& tenant) {
  boost::json::object out;
  out["id"] = tenant.id;
  out["name"] = tenant.name;
  out["created_at"] = time_value(tenant.created_at);
  return out;
}

void create_tenant(const ApiContext& ctx, const Request& request, Respond respond) {
  if (!require_admin(ctx, request, respond)) return;
  auto body = JsonObject::parse(request.body);
  if (!body) return respond(error_response(body.error()));
  auto id = body->required_string("id");
  if (!id) return respond(error_response(id.error()));
  auto valid_id = engine::validate_tenant_id(*id);
  if (!valid_id) return respond(error_response(valid_id.error()));
  auto name = body->optional_string("name");
  if (!name) return respond(error_response(name.error()));
  if (name->has_value() && (*name)->size() > kMaxTenantNameLength) {
    return respond(error_response(422, "invalid_field", "field \"name\" is longer than " +
                                                            std::to_string(kMaxTenantNameLength) +
                                                            " characters"));
  }
  auto lease = ctx.in_flight->try_acquire("tenant/" + *valid_id);
  if (!lease || ctx.store.tenant(*valid_id)) {
    return respond(error_response(409, "conflict", "tenant \"" + *valid_id + "\" already exists"));
  }

  const std::string api_key = engine::generate_api_key("sk_");
  storage::TenantRecord tenant;
  tenant.id = *valid_id;
  tenant.name = name->value_or(*valid_id);
  tenant.created_at = ctx.clock();
  tenant.api_key_hash = engine::sha256_hex(api_key);
  auto key_hash = tenant.api_key_hash;
  ctx.runtime.create_tenant(
      tenant, std::move(key_hash),
      [tenant, api_key, lease, respond = std::move(respond)](engine::Result<bool> result) mutable {
        lease.reset();  // stored (or not): the next create of this id sees the truth
        if (!result) return respond(error_response(result.error()));
        boost::json::object out = tenant_json(tenant);
        out["api_key"] = api_key;  // shown this once; only its digest is stored
        respond(json_response(201, out));
      });
}

void list_tenants(const ApiContext& ctx, const Request& request, Respond respond) {
  if (!require_admin(ctx, request, respond)) return;
  boost::json::array items;
  for (const auto& tenant : ctx.store.tenants()) items.push_back(tenant_json(tenant));
  respond(json_response(200, boost::json::object{{"items", std::move(items)}}));
}

void who_am_i(const ApiContext& ctx, const Request& request, Respond respond) {
  auto principal = authenticate(ctx, request, respond);
  if (!principal) return;
  boost::json::object out;
  if (principal->is_admin()) {
    out["role"] = "admin";
  } else {
    out["role"] = "tenant";
    out["tenant_id"] = principal->tenant_id;
  }
  respond(json_response(200, out));
}

}  // namespace

void add_tenant_routes(Router& router, const ApiContext& ctx) {
  const ApiContext* c = &ctx;
  router.add("POST", "/v1/tenants", [c](const Request& r, Respond d) { create_tenant(*c, r, std::move(d)); });
  router.add("GET", "/v1/tenants", [c](const Request& r, Respond d) { list_tenants(*c, r, std::move(d)); });
  router.add("GET", "/v1/me", [c](const Request& r, Respond d) { who_am_i(*c, r, std::move(d)); });
}

}  // namespace sivo::api
