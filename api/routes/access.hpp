#pragma once
// Who may touch what. Each check either returns what it found or answers the
// request itself (and returns nullopt), so a handler reads:
//
//   auto endpoint = find_endpoint(ctx, request, respond);
//   if (!endpoint) return;
//
// A tenant key on another tenant's path gets 404, exactly like a tenant that
// does not exist, so a key learns nothing about other tenants.

#include <optional>

#include "api/auth.hpp"
#include "api/request.hpp"
#include "api/routes/context.hpp"
#include "storage/catalog_records.hpp"

namespace sivo::api {

// 401 when the bearer token is missing or unknown.
std::optional<Principal> authenticate(const ApiContext& ctx, const Request& request,
                                      const Respond& respond);

// 401, or 403 for a tenant key.
std::optional<Principal> require_admin(const ApiContext& ctx, const Request& request,
                                       const Respond& respond);

// The tenant of path parameter {t}: 401, or 404 when it does not exist or
// belongs to someone else.
std::optional<storage::TenantRecord> authorize_tenant(const ApiContext& ctx, const Request& request,
                                                      const Respond& respond);

// The endpoint of path parameters {t}/{e}: authorize_tenant, then 404 when the
// endpoint does not exist or is another tenant's.
std::optional<storage::EndpointRecord> find_endpoint(const ApiContext& ctx, const Request& request,
                                                     const Respond& respond);

}  // namespace sivo::api
