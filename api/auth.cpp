#include "api/auth.hpp"

#include "engine/ascii.hpp"
#include "engine/signature.hpp"
#include "storage/store.hpp"

namespace sivo::api {

std::optional<std::string_view> bearer_token(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer";
  if (authorization.size() <= kScheme.size() + 1) return std::nullopt;
  if (!engine::starts_with_ignoring_ascii_case(authorization, kScheme)) return std::nullopt;
  if (authorization[kScheme.size()] != ' ') return std::nullopt;
  std::string_view token = authorization.substr(kScheme.size() + 1);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
  if (token.empty() || token.size() > 512) return std::nullopt;
  return token;
}

std::optional<Principal> Authenticator::authenticate(const Request& request) const {
  auto token = bearer_token(request.header("authorization"));
  if (!token) return std::nullopt;
  const std::string digest = engine::sha256_hex(*token);
  if (!admin_token_sha256_.empty() && engine::constant_time_equals(digest, admin_token_sha256_)) {
    return Principal{Principal::Role::admin, {}, {}};
  }
  auto tenant = tenant_of_key(digest);
  if (!tenant) return std::nullopt;
  return Principal{Principal::Role::tenant, tenant->id, std::move(tenant)};
}

std::shared_ptr<const storage::TenantRecord> Authenticator::tenant_of_key(const std::string& digest) const {
  {
    std::shared_lock lock(known_mutex_);
    if (auto it = known_.find(digest); it != known_.end()) return it->second;
  }
  auto tenant_id = store_.tenant_for_api_key(digest);
  if (!tenant_id) return nullptr;
  auto tenant = store_.tenant(*tenant_id);
  if (!tenant || !engine::constant_time_equals(tenant->api_key_hash, digest)) return nullptr;
  auto record = std::make_shared<const storage::TenantRecord>(std::move(*tenant));
  std::unique_lock lock(known_mutex_);
  known_.emplace(digest, record);
  return record;
}

}  // namespace sivo::api
