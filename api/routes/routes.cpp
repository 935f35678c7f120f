#include "api/routes/routes.hpp"

namespace sivo::api {

Router make_router(const ApiContext& ctx) {
  Router router;
  add_health_routes(router, ctx);
  add_metrics_routes(router, ctx);
  add_openapi_routes(router, ctx);
  add_tenant_routes(router, ctx);
  add_event_type_routes(router, ctx);
  add_endpoint_routes(router, ctx);
  add_event_routes(router, ctx);
  add_delivery_routes(router, ctx);
  add_dlq_routes(router, ctx);
  add_tester_routes(router, ctx);
  add_dashboard_routes(router, ctx);
  return router;
}

}  // namespace sivo::api
