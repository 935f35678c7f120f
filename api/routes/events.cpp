// Ingest: POST /v1/tenants/{t}/events and POST /v1/tenants/{t}/events/batch.
//
// Each event is validated and its envelope rendered here, once; the Runtime
// stores it (one durable write per request) and answers only after the
// write is synced, so a 202 means the event cannot be lost.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <unordered_set>

#include "actors/runtime.hpp"
#include "api/error_response.hpp"
#include "api/json_request.hpp"
#include "api/json_response.hpp"
#include "api/routes/access.hpp"
#include "api/routes/routes.hpp"
#include "engine/envelope.hpp"
#include "engine/ids.hpp"
#include "engine/timestamp.hpp"

namespace sivo::api {

namespace {

// The seed's "body max 256 KB", applied to what a receiver would get.
constexpr std::size_t kMaxEnvelopeBytes = 262144;
constexpr std::size_t kMaxBatchEvents = 1000;

// A validated event ready for the Runtime, or why it is not.
engine::Result<actors::IngestItem> prepare(const std::string& tenant_id, const EventInput& input,
                                           engine::UnixMillis now) {
  auto type = engine::parse_event_type(input.type);
  if (!type) {
    return engine::Error{"invalid_event_type",
                         "unknown event type " + quote_value(input.type) + "; GET /v1/event-types lists them"};
  }
  std::string id;
  const bool minted_id = !input.id;
  if (input.id) {
    auto valid = engine::validate_event_id(*input.id);
    if (!valid) return valid.error();
    id = std::move(*valid);
  } else {
    id = engine::new_event_id(now);
  }
  engine::UnixMillis created_at = now;
  if (input.occurred_at) {
    auto parsed = engine::parse_rfc3339(*input.occurred_at);
    if (!parsed) {
      return engine::Error{"invalid_field", "field \"occurred_at\": " + parsed.error().message};
    }
    created_at = *parsed;
  }
  auto envelope = std::make_shared<std::string>(
      engine::render_envelope(engine::EventHeader{id, *type, tenant_id, created_at}, input.data));
  if (envelope->size() > kMaxEnvelopeBytes) {
    return engine::Error{"payload_too_large", "the event's envelope would be " +
                                                  std::to_string(envelope->size()) +
                                                  " bytes; the limit is " +
                                                  std::to_string(kMaxEnvelopeBytes)};
  }
  return actors::IngestItem{std::move(id), *type, std::move(envelope), minted_id};
}

void ingest_one(const ApiContext& ctx, const Request& request, Respond respond) {
  auto tenant = authorize_tenant(ctx, request, respond);
  if (!tenant) return;
  auto input = parse_event(request.body);
  if (!input) return respond(error_response(input.error()));
  auto item = prepare(tenant->id, *input, ctx.clock());
  if (!item) return respond(error_response(item.error()));

  std::vector<actors::IngestItem> items;
  items.push_back(std::move(*item));
  ctx.runtime.ingest(tenant->id, std::move(items),
                     [respond = std::move(respond)](std::vector<actors::IngestOutcome> outcomes) {
                       if (outcomes.empty()) {
                         return respond(error_response(503, "storage_unavailable",
                                                       "the event could not be stored"));
                       }
                       const auto& outcome = outcomes.front();
                       if (outcome.error) return respond(error_response(*outcome.error));
                       boost::json::object out;
                       out["id"] = outcome.event_id;
                       if (outcome.duplicate) {
                         out["duplicate"] = true;
                         out["endpoints"] = 0;
                         return respond(json_response(200, out));
                       }
                       out["endpoints"] = outcome.endpoints;
                       respond(json_response(202, out));
                     });
}

boost::json::object error_item(std::size_t index, const engine::Error& error) {
  boost::json::object item;
  item["index"] = index;
  item["status"] = status_for_code(error.code);
  item["error"] = boost::json::object{{"code", error.code}, {"message", error.message}};
  return item;
}

// 200 with one result per event, in request order: status 202 (stored),
// 200 (duplicate), 413 or 422 (rejected, with "error"). Rejected events do
// not stop the others; stored ones went in one durable write.
void ingest_batch(const ApiContext& ctx, const Request& request, Respond respond) {
  auto tenant = authorize_tenant(ctx, request, respond);
  if (!tenant) return;
  auto inputs = parse_event_batch(request.body, kMaxBatchEvents);
  if (!inputs) return respond(error_response(inputs.error()));

  const engine::UnixMillis now = ctx.clock();
  const std::size_t count = inputs->size();
  auto results = std::make_shared<std::vector<boost::json::object>>(count);
  std::vector<actors::IngestItem> items;
  std::vector<std::size_t> item_index;  // items[i] is event item_index[i] of the request
  std::unordered_set<std::string> ids;  // a repeated client id within the batch is a duplicate
  for (std::size_t i = 0; i < count; ++i) {
    auto& input = (*inputs)[i];
    if (!input) {
      (*results)[i] = error_item(i, input.error());
      continue;
    }
    auto item = prepare(tenant->id, *input, now);
    if (!item) {
      (*results)[i] = error_item(i, item.error());
      continue;
    }
    if (!item->minted_id && !ids.insert(item->event_id).second) {
      (*results)[i] = boost::json::object{
          {"index", i}, {"id", item->event_id}, {"status", 200}, {"duplicate", true}, {"endpoints", 0}};
      continue;
    }
    item_index.push_back(i);
    items.push_back(std::move(*item));
  }

  auto finish = [results](const Respond& respond) {
    boost::json::array out;
    out.reserve(results->size());
    for (auto& item : *results) out.push_back(std::move(item));
    respond(json_response(200, boost::json::object{{"items", std::move(out)}}));
  };
  if (items.empty()) return finish(respond);

  ctx.runtime.ingest(
      tenant->id, std::move(items),
      [results, item_index = std::move(item_index), finish, respond = std::move(respond)](
          std::vector<actors::IngestOutcome> outcomes) {
        if (outcomes.size() != item_index.size()) {
          return respond(error_response(503, "storage_unavailable", "the events could not be stored"));
        }
        for (std::size_t k = 0; k < outcomes.size(); ++k) {
          const auto& outcome = outcomes[k];
          // One durable write for the batch: if it failed, nothing was stored.
          if (outcome.error) return respond(error_response(*outcome.error));
          boost::json::object item;
          item["index"] = item_index[k];
          item["id"] = outcome.event_id;
          if (outcome.duplicate) {
            item["status"] = 200;
            item["duplicate"] = true;
            item["endpoints"] = 0;
          } else {
            item["status"] = 202;
            item["endpoints"] = outcome.endpoints;
          }
          (*results)[item_index[k]] = std::move(item);
        }
        finish(respond);
      });
}

}  // namespace

void add_event_routes(Router& router, const ApiContext& ctx) {
  const ApiContext* c = &ctx;
  router.add("POST", "/v1/tenants/{t}/events", [c](const Request& r, Respond d) { ingest_one(*c, r, std::move(d)); });
  router.add("POST", "/v1/tenants/{t}/events/batch", [c](const Request& r, Respond d) { ingest_batch(*c, r, std::move(d)); });
}

}  // namespace sivo::api
