// GET /v1/event-types: the catalog, each type with a sample `data` object.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "api/json_response.hpp"
#include "api/routes/access.hpp"
#include "api/routes/routes.hpp"
#include "engine/event_type.hpp"

namespace sivo::api {

namespace {

// Rendered once: the catalog never changes while the process runs.
const std::string& catalog_body() {
  static const std::string body = [] {
    boost::json::array items;
    for (auto type : engine::all_event_types()) {
      boost::json::object item;
      item["name"] = engine::name_of(type);
      item["family"] = engine::family_of(type);
      item["description"] = engine::description_of(type);
      boost::system::error_code ec;
      auto sample = boost::json::parse(engine::sample_data_of(type), ec);
      item["sample"] = ec ? boost::json::value(boost::json::object{}) : std::move(sample);
      items.push_back(std::move(item));
    }
    return json_response(200, boost::json::object{{"items", std::move(items)}}).body;
  }();
  return body;
}

}  // namespace

void add_event_type_routes(Router& router, const ApiContext& ctx) {
  const ApiContext* c = &ctx;
  router.add("GET", "/v1/event-types", [c](const Request& request, Respond respond) {
    if (!authenticate(*c, request, respond)) return;
    Response response;
    response.body = catalog_body();
    respond(std::move(response));
  });
}

}  // namespace sivo::api
