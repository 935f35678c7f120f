#pragma once
// The admin token at start-up: the one given (--admin-token / SIVO_ADMIN_TOKEN),
// else the one generated at first start, of which only the SHA-256 digest is
// stored (setting "admin_token_sha256"). A token generated now is returned
// once so main can print it; it is never stored or shown again.

#include <optional>
#include <string>

#include "engine/error.hpp"

namespace sivo::actors {
class Runtime;
}

namespace sivo::api {

inline constexpr const char* kAdminTokenSetting = "admin_token_sha256";

struct AdminToken {
  std::string sha256;                    // what requests are compared against
  std::optional<std::string> generated;  // set only at the start that generated it
};

// Blocks until a newly generated digest is durably stored.
engine::Result<AdminToken> resolve_admin_token(const std::optional<std::string>& configured,
                                               actors::Runtime& runtime);

}  // namespace sivo::api
