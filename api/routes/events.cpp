// Ingest: POST /v1/tenants/{t}/events and POST /v1/tenants/{t}/events/batch.
//
// Each event is validated and its envelope rendered here, once; the Runtime
// stores it (one durable write per request) and answers only after the
// write is synced, so a 202 means the event cannot be lost.

#include <optional>
#include <unordered_set>

#include "actors/runtime.hpp"
#include "api/error_response.hpp"
#include "api/json_request.hpp"
#include "api/json_response.hpp"
#include "api/routes/access.hpp"
#include "api/routes/routes.hpp"
#include "engine/envelope.hpp"
#include "engine/ids.hpp"
#include "engine/json_writer.hpp"
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
    return engine::Error{"invalid_event_type", "unknown event type " + quote_value(input.type) +
                                                   "; GET /v1/event-types lists them"};
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
    return engine::Error{"payload_too_large",
                         "the event's envelope would be " + std::to_string(envelope->size()) +
                             " bytes; the limit is " + std::to_string(kMaxEnvelopeBytes)};
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
  ctx.runtime.ingest(
      tenant->id, std::move(items),
      [respond = std::move(respond)](std::vector<actors::IngestOutcome> outcomes) {
        if (outcomes.empty()) {
          return respond(
              error_response(503, "storage_unavailable", "the event could not be stored"));
        }
        const auto& outcome = outcomes.front();
        if (outcome.error) return respond(error_response(*outcome.error));
        engine::JsonWriter out;
        out.begin_object().key("id").string(outcome.event_id);
        if (outcome.duplicate) out.key("duplicate").boolean(true);
        out.key("endpoints").number(outcome.duplicate ? 0 : outcome.endpoints).end_object();
        respond(json_response(outcome.duplicate ? 200 : 202, std::move(out)));
      });
}

// One event's result in a batch response, rendered once the whole batch is
// known: streamed into the body, with no JSON object per event.
struct BatchResult {
  int status = 0;  // 202 stored, 200 duplicate, 413 or 422 rejected
  std::string id;  // empty when rejected
  std::size_t endpoints = 0;
  std::optional<engine::Error> error;  // why it was rejected
};

BatchResult rejected(const engine::Error& error) {
  return {status_for_code(error.code), {}, 0, error};
}

// {"items":[...]}, each item in request order: "index", then "id", "status"
// and "duplicate" or "endpoints", or "status" and "error" for a rejected one.
Response batch_response(const std::vector<BatchResult>& results) {
  engine::JsonWriter out;
  out.reserve(64 + 96 * results.size());
  out.begin_object().key("items").begin_array();
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    out.begin_object().key("index").number(i);
    if (r.error) {
      out.key("status").number(r.status);
      out.key("error").begin_object();
      out.key("code").string(r.error->code).key("message").string(r.error->message);
      out.end_object();
    } else {
      out.key("id").string(r.id).key("status").number(r.status);
      if (r.status == 200) out.key("duplicate").boolean(true);
      out.key("endpoints").number(r.endpoints);
    }
    out.end_object();
  }
  out.end_array().end_object();
  return json_response(200, std::move(out));
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
  auto results = std::make_shared<std::vector<BatchResult>>(count);
  std::vector<actors::IngestItem> items;
  std::vector<std::size_t> item_index;  // items[i] is event item_index[i] of the request
  std::unordered_set<std::string> ids;  // a repeated client id within the batch is a duplicate
  for (std::size_t i = 0; i < count; ++i) {
    auto& input = (*inputs)[i];
    if (!input) {
      (*results)[i] = rejected(input.error());
      continue;
    }
    auto item = prepare(tenant->id, *input, now);
    if (!item) {
      (*results)[i] = rejected(item.error());
      continue;
    }
    if (!item->minted_id && !ids.insert(item->event_id).second) {
      (*results)[i] = BatchResult{200, item->event_id, 0, std::nullopt};
      continue;
    }
    item_index.push_back(i);
    items.push_back(std::move(*item));
  }

  if (items.empty()) return respond(batch_response(*results));

  ctx.runtime.ingest(
      tenant->id, std::move(items),
      [results, item_index = std::move(item_index),
       respond = std::move(respond)](std::vector<actors::IngestOutcome> outcomes) {
        if (outcomes.size() != item_index.size()) {
          return respond(
              error_response(503, "storage_unavailable", "the events could not be stored"));
        }
        for (std::size_t k = 0; k < outcomes.size(); ++k) {
          auto& outcome = outcomes[k];
          // One durable write for the batch: if it failed, nothing was stored.
          if (outcome.error) return respond(error_response(*outcome.error));
          (*results)[item_index[k]] =
              outcome.duplicate
                  ? BatchResult{200, std::move(outcome.event_id), 0, std::nullopt}
                  : BatchResult{202, std::move(outcome.event_id), outcome.endpoints, std::nullopt};
        }
        respond(batch_response(*results));
      });
}

}  // namespace

void add_event_routes(Router& router, const ApiContext& ctx) {
  const ApiContext* c = &ctx;
  router.add("POST", "/v1/tenants/{t}/events",
             [c](const Request& r, Respond d) { ingest_one(*c, r, std::move(d)); });
  router.add("POST", "/v1/tenants/{t}/events/batch",
             [c](const Request& r, Respond d) { ingest_batch(*c, r, std::move(d)); });
}

}  // namespace sivo::api
