#include "api/api_service.hpp"

#include "actors/runtime.hpp"
#include "api/routes/routes.hpp"

namespace sivo::api {

ApiService::ApiService(actors::Runtime& runtime, std::string admin_token_sha256,
                       ApiServiceOptions options)
    : auth_(std::move(admin_token_sha256), runtime.store()),
      context_{runtime, runtime.store(), auth_, options.allow_private_networks, options.clock},
      router_(make_router(context_)),
      server_(options.server, router_) {}

}  // namespace sivo::api
