// The dead-letter queue of an endpoint: list (paged), retry one, retry all,
// export as a JSON file with the full payloads.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <charconv>

#include "actors/runtime.hpp"
#include "api/error_response.hpp"
#include "api/json_response.hpp"
#include "api/routes/access.hpp"
#include "api/routes/routes.hpp"
#include "storage/store.hpp"

namespace sivo::api {

namespace {

constexpr std::size_t kDefaultPageSize = 100;
constexpr std::size_t kMaxPageSize = 1000;

boost::json::object dead_letter_json(const storage::DlqEntry& entry) {
  const auto& delivery = entry.delivery;
  boost::json::object out;
  out["event_id"] = delivery.event_id.view();
  out["event_type"] = engine::name_of(delivery.type);
  out["attempts"] = delivery.attempts_in_series;
  out["last_status_code"] = status_code_or_null(delivery.last_status_code);
  out["last_error"] = string_or_null(delivery.last_error);
  out["dead_at"] = time_value(delivery.finished_at);
  return out;
}

// ?limit=1..1000 (default 100); anything else is 422.
engine::Result<std::size_t> page_size(const Request& request) {
  auto text = request.query_value("limit");
  if (!text || text->empty()) return kDefaultPageSize;
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value < 1 || value > kMaxPageSize) {
    return engine::Error{"invalid_field", "query parameter \"limit\" must be an integer from 1 to " +
                                              std::to_string(kMaxPageSize)};
  }
  return value;
}

void list_dead_letters(const ApiContext& ctx, const Request& request, Respond respond) {
  auto endpoint = find_endpoint(ctx, request, respond);
  if (!endpoint) return;
  auto limit = page_size(request);
  if (!limit) return respond(error_response(limit.error()));
  std::optional<std::string> cursor;
  if (auto text = request.query_value("cursor"); text && !text->empty()) cursor = std::string(*text);

  auto page = ctx.store.dead_letters(endpoint->id, cursor, *limit);
  boost::json::array items;
  for (const auto& entry : page.items) items.push_back(dead_letter_json(entry));
  boost::json::object out{{"items", std::move(items)}};
  if (page.next_cursor) {
    out["next_cursor"] = *page.next_cursor;
  } else {
    out["next_cursor"] = nullptr;
  }
  respond(json_response(200, out));
}

void retry_one(const ApiContext& ctx, const Request& request, Respond respond) {
  auto endpoint = find_endpoint(ctx, request, respond);
  if (!endpoint) return;
  std::string event_id(request.param("event_id"));
  ctx.runtime.retry_dead_letter(
      endpoint->tenant_id, endpoint->id, event_id,
      [event_id, respond = std::move(respond)](engine::Result<bool> result) {
        if (!result) {
          const auto& error = result.error();
          if (status_for_code(error.code) == 500 || error.code == "not_dead") {
            return respond(error_response(404, "not_found",
                                          "event " + quote_value(event_id) +
                                              " is not in this endpoint's dead-letter queue"));
          }
          return respond(error_response(error));
        }
        respond(json_response(202, boost::json::object{{"event_id", event_id}, {"count", 1}}));
      });
}

void retry_all(const ApiContext& ctx, const Request& request, Respond respond) {
  auto endpoint = find_endpoint(ctx, request, respond);
  if (!endpoint) return;
  ctx.runtime.retry_all_dead_letters(
      endpoint->tenant_id, endpoint->id,
      [respond = std::move(respond)](engine::Result<std::size_t> result) {
        if (!result) return respond(error_response(result.error()));
        respond(json_response(202, boost::json::object{{"count", *result}}));
      });
}

// The envelope as a JSON value (it was rendered by us, so it parses; a
// damaged one is passed on as a string rather than dropped).
boost::json::value payload_json(const std::string& envelope) {
  boost::system::error_code ec;
  auto parsed = boost::json::parse(envelope, ec);
  if (ec) return boost::json::string(envelope);
  return parsed;
}

void export_dead_letters(const ApiContext& ctx, const Request& request, Respond respond) {
  auto endpoint = find_endpoint(ctx, request, respond);
  if (!endpoint) return;
  boost::json::array items;
  for (const auto& entry : ctx.store.all_dead_letters(endpoint->id)) {
    boost::json::object item = dead_letter_json(entry);
    item["payload"] = payload_json(entry.envelope);
    items.push_back(std::move(item));
  }
  boost::json::object out;
  out["endpoint_id"] = endpoint->id;
  out["tenant_id"] = endpoint->tenant_id;
  out["exported_at"] = time_value(ctx.clock());
  out["items"] = std::move(items);
  Response response = json_response(200, out);
  // Endpoint ids are [a-z0-9_] (ep_ + ULID), safe inside the quoted filename.
  response.headers.emplace_back("Content-Disposition",
                                "attachment; filename=\"dlq-" + endpoint->id + ".json\"");
  respond(std::move(response));
}

}  // namespace

void add_dlq_routes(Router& router, const ApiContext& ctx) {
  const ApiContext* c = &ctx;
  const std::string dlq = "/v1/tenants/{t}/endpoints/{e}/dlq";
  router.add("GET", dlq, [c](const Request& r, Respond d) { list_dead_letters(*c, r, std::move(d)); });
  router.add("POST", dlq + "/retry", [c](const Request& r, Respond d) { retry_all(*c, r, std::move(d)); });
  router.add("GET", dlq + "/export", [c](const Request& r, Respond d) { export_dead_letters(*c, r, std::move(d)); });
  router.add("POST", dlq + "/{event_id}/retry", [c](const Request& r, Respond d) { retry_one(*c, r, std::move(d)); });
}

}  // namespace sivo::api
