#include "api/admin_token.hpp"

#include <future>

#include "actors/runtime.hpp"
#include "engine/secret.hpp"
#include "engine/signature.hpp"
#include "storage/store.hpp"

namespace sivo::api {

engine::Result<AdminToken> resolve_admin_token(const std::optional<std::string>& configured,
                                               actors::Runtime& runtime) {
  if (configured) return AdminToken{engine::sha256_hex(*configured), std::nullopt};
  if (auto stored = runtime.store().setting(kAdminTokenSetting); stored && !stored->empty()) {
    return AdminToken{*stored, std::nullopt};
  }
  std::string token = engine::generate_admin_token();
  std::string digest = engine::sha256_hex(token);
  auto written = std::make_shared<std::promise<engine::Result<bool>>>();
  auto done = written->get_future();
  runtime.put_setting(kAdminTokenSetting, digest, [written](engine::Result<bool> result) {
    written->set_value(std::move(result));
  });
  auto result = done.get();
  if (!result) return result.error();
  return AdminToken{std::move(digest), std::move(token)};
}

}  // namespace sivo::api
