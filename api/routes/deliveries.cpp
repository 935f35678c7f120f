// GET /v1/tenants/{t}/endpoints/{e}/deliveries: the last 100 attempts, newest first.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/json_response.hpp"
#include "api/routes/access.hpp"
#include "api/routes/routes.hpp"
#include "storage/store.hpp"

namespace sivo::api {

namespace {

constexpr std::size_t kRecentAttempts = 100;

boost::json::object attempt_json(const storage::AttemptRow& row) {
  boost::json::object out;
  out["event_id"] = row.event_id;
  out["event_type"] = engine::name_of(row.type);
  out["attempt"] = row.attempt;
  out["status_code"] = status_code_or_null(row.status_code);
  out["latency_ms"] = row.latency_ms;
  out["error"] = string_or_null(row.error);
  out["at"] = time_value(row.at);
  out["outcome"] = row.outcome;
  out["test"] = row.test;
  return out;
}

void list_deliveries(const ApiContext& ctx, const Request& request, Respond respond) {
  auto endpoint = find_endpoint(ctx, request, respond);
  if (!endpoint) return;
  boost::json::array items;
  for (const auto& row : ctx.store.recent_attempts(endpoint->id, kRecentAttempts)) {
    items.push_back(attempt_json(row));
  }
  respond(json_response(200, boost::json::object{{"items", std::move(items)}}));
}

}  // namespace

void add_delivery_routes(Router& router, const ApiContext& ctx) {
  const ApiContext* c = &ctx;
  router.add("GET", "/v1/tenants/{t}/endpoints/{e}/deliveries",
             [c](const Request& r, Respond d) { list_deliveries(*c, r, std::move(d)); });
}

}  // namespace sivo::api
