#pragma once
// Who a request comes from: `Authorization: Bearer <token>`. The admin token
// may do everything; a tenant's API key only touches its own tenant. Only
// SHA-256 digests of tokens are kept (in memory for the admin token, in the
// store for API keys), and digests are compared in constant time.

#include <optional>
#include <string>
#include <string_view>

#include "api/request.hpp"

namespace sivo::storage {
class Store;
}

namespace sivo::api {

struct Principal {
  enum class Role { admin, tenant };
  Role role = Role::tenant;
  std::string tenant_id;  // for Role::tenant

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
  std::string admin_token_sha256_;
  const storage::Store& store_;
};

}  // namespace sivo::api
