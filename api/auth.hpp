#pragma once
// Who a request comes from: `Authorization: Bearer <token>`. The admin token
// may do everything; a tenant's API key only touches its own tenant. Only
// SHA-256 digests of tokens are kept (in memory for the admin token, in the
// store for API keys), and digests are compared in constant time.

#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "api/request.hpp"
#include "storage/catalog_records.hpp"

namespace sivo::storage {
class Store;
}

namespace sivo::api {

struct Principal {
  enum class Role { admin, tenant };
  Role role = Role::tenant;
  std::string tenant_id;  // for Role::tenant
  std::shared_ptr<const storage::TenantRecord> tenant;  // for Role::tenant: its record

  bool is_admin() const { return role == Role::admin; }
  // True when this principal may touch `tenant_id`'s resources.
  bool may_access(std::string_view tenant) const { return is_admin() || tenant_id == tenant; }
};

// The token of "Bearer <token>" (scheme case-insensitive); nullopt otherwise.
std::optional<std::string_view> bearer_token(std::string_view authorization);

class Authenticator {
 public:
  Authenticator(std::string admin_token_sha256, const storage::Store& store)
      : admin_token_sha256_(std::move(admin_token_sha256)), store_(store) {}

  // nullopt for a missing, malformed or unknown token (401).
  std::optional<Principal> authenticate(const Request& request) const;

 private:
  std::shared_ptr<const storage::TenantRecord> tenant_of_key(const std::string& digest) const;

  std::string admin_token_sha256_;
  const storage::Store& store_;
  // The tenants of the API keys seen so far, by the key's digest. No route
  // rotates or deletes an API key or a tenant, so a digest that named a
  // tenant once names it for the life of the process: the store is read once
  // per key instead of on every request. A route that rotates or deletes
  // keys must evict them here. Only valid keys enter, so it holds at most
  // one entry per tenant.
  mutable std::shared_mutex known_mutex_;
  mutable std::unordered_map<std::string, std::shared_ptr<const storage::TenantRecord>> known_;
};

}  // namespace sivo::api
