// GET /healthz: liveness, no auth (load balancers and orchestrators call it).

#include "api/routes/routes.hpp"

namespace sivo::api {

void add_health_routes(Router& router, const ApiContext&) {
  router.add("GET", "/healthz", [](const Request&, Respond respond) {
    Response response;
    response.body = R"({"status":"ok"})";
    respond(std::move(response));
  });
}

}  // namespace sivo::api
