// POST /v1/tenants/{t}/endpoints/{e}/test {"type"}: the built-in tester sends
// a synthetic, signed event of that type now and reports what happened. It
// answers 200 also when the receiver failed (then "ok" is false).

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "actors/runtime.hpp"
#include "api/error_response.hpp"
#include "api/json_request.hpp"
#include "api/json_response.hpp"
#include "api/routes/access.hpp"
#include "api/routes/routes.hpp"

namespace sivo::api {

namespace {

constexpr std::string_view kDefaultTestType = "call.created";

void send_test(const ApiContext& ctx, const Request& request, Respond respond) {
  auto endpoint = find_endpoint(ctx, request, respond);
  if (!endpoint) return;
  std::optional<std::string> type_name;
  if (!request.body.empty()) {
    auto body = JsonObject::parse(request.body);
    if (!body) return respond(error_response(body.error()));
    auto type = body->optional_string("type");
    if (!type) return respond(error_response(type.error()));
    type_name = std::move(*type);
  }
  const std::string name = type_name.value_or(std::string(kDefaultTestType));
  auto type = engine::parse_event_type(name);
  if (!type) {
    return respond(error_response(422, "invalid_event_type",
                                  "unknown event type " + quote_value(name) + "; GET /v1/event-types lists them"));
  }
  ctx.runtime.send_test_event(
      endpoint->tenant_id, endpoint->id, *type,
      [respond = std::move(respond)](actors::TestDeliveryResult result) {
        boost::json::object out;
        out["ok"] = result.ok;
        out["status_code"] = status_code_or_null(result.status_code);
        out["latency_ms"] = result.latency_ms;
        out["error"] = string_or_null(result.error);
        out["event_id"] = result.event_id;
        if (result.payload) {
          boost::system::error_code ec;
          auto payload = boost::json::parse(*result.payload, ec);
          out["payload"] = ec ? boost::json::value(boost::json::string(*result.payload))
                              : std::move(payload);
        } else {
          out["payload"] = nullptr;
        }
        respond(json_response(200, out));
      });
}

}  // namespace

void add_tester_routes(Router& router, const ApiContext& ctx) {
  const ApiContext* c = &ctx;
  router.add("POST", "/v1/tenants/{t}/endpoints/{e}/test",
             [c](const Request& r, Respond d) { send_test(*c, r, std::move(d)); });
}

}  // namespace sivo::api
