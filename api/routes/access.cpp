#include "api/routes/access.hpp"

#include <chrono>

#include "api/error_response.hpp"
#include "storage/store.hpp"

namespace sivo::api {

engine::UnixMillis ApiContext::clock() const {
  if (now) return now();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<Principal> authenticate(const ApiContext& ctx, const Request& request,
                                      const Respond& respond) {
  auto principal = ctx.auth.authenticate(request);
  if (!principal) {
    const bool missing = request.header("authorization").empty();
    Response response = error_response(
        401, "unauthorized",
        missing ? "an Authorization: Bearer <token> header is required"
                : "the bearer token is not valid");
    response.headers.emplace_back("WWW-Authenticate", "Bearer");
    respond(std::move(response));
  }
  return principal;
}

std::optional<Principal> require_admin(const ApiContext& ctx, const Request& request,
                                       const Respond& respond) {
  auto principal = authenticate(ctx, request, respond);
  if (!principal) return std::nullopt;
  if (!principal->is_admin()) {
    respond(error_response(403, "forbidden", "this needs the admin token"));
    return std::nullopt;
  }
  return principal;
}

std::optional<storage::TenantRecord> authorize_tenant(const ApiContext& ctx, const Request& request,
                                                      const Respond& respond) {
  auto principal = authenticate(ctx, request, respond);
  if (!principal) return std::nullopt;
  const std::string_view tenant_id = request.param("t");
  std::optional<storage::TenantRecord> tenant;
  if (principal->is_admin()) {
    tenant = ctx.store.tenant(tenant_id);
  } else if (principal->may_access(tenant_id)) {
    tenant = *principal->tenant;  // its key was just checked against this record
  }
  if (!tenant) {
    respond(error_response(404, "not_found", "tenant " + quote_value(tenant_id) + " not found"));
  }
  return tenant;
}

std::optional<storage::EndpointRecord> find_endpoint(const ApiContext& ctx, const Request& request,
                                                     const Respond& respond) {
  auto tenant = authorize_tenant(ctx, request, respond);
  if (!tenant) return std::nullopt;
  const std::string_view endpoint_id = request.param("e");
  auto endpoint = ctx.store.endpoint(endpoint_id);
  if (!endpoint || endpoint->tenant_id != tenant->id) {
    respond(error_response(404, "not_found",
                           "endpoint " + quote_value(endpoint_id) + " not found"));
    return std::nullopt;
  }
  return endpoint;
}

}  // namespace sivo::api
