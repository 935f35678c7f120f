#pragma once
// The API's route table: one add_* per resource file in this folder.

#include <string>
#include <vector>

#include "api/router.hpp"
#include "api/routes/context.hpp"

namespace sivo::actors {
struct RuntimeStats;
}

namespace sivo::api {

void add_tenant_routes(Router& router, const ApiContext& ctx);      // tenants.cpp
void add_event_type_routes(Router& router, const ApiContext& ctx);  // event_types.cpp
void add_endpoint_routes(Router& router, const ApiContext& ctx);    // endpoints.cpp
void add_event_routes(Router& router, const ApiContext& ctx);       // events.cpp
void add_delivery_routes(Router& router, const ApiContext& ctx);    // deliveries.cpp
void add_dlq_routes(Router& router, const ApiContext& ctx);         // dlq.cpp
void add_tester_routes(Router& router, const ApiContext& ctx);      // tester.cpp
void add_health_routes(Router& router, const ApiContext& ctx);      // health.cpp
void add_metrics_routes(Router& router, const ApiContext& ctx);     // metrics.cpp
void add_openapi_routes(Router& router, const ApiContext& ctx);     // openapi.cpp
void add_dashboard_routes(Router& router, const ApiContext& ctx);   // dashboard.cpp

// The Prometheus text of GET /metrics.
std::string render_metrics(const actors::RuntimeStats& stats, const std::vector<double>& bounds_ms);

// Every route above. `ctx` must outlive the router.
Router make_router(const ApiContext& ctx);

}  // namespace sivo::api
