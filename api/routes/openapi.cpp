// GET /v1/openapi.json: the OpenAPI 3 document of this API (docs/openapi.json,
// embedded at build time), no auth.

#include "api/openapi_document.hpp"
#include "api/routes/routes.hpp"

namespace sivo::api {

void add_openapi_routes(Router& router, const ApiContext&) {
  router.add("GET", "/v1/openapi.json", [](const Request&, Respond respond) {
    Response response;
    response.body = std::string(openapi_document());
    respond(std::move(response));
  });
}

}  // namespace sivo::api
