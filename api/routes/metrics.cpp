// GET /metrics: Prometheus text format (0.0.4), no auth, no per-tenant or
// per-endpoint labels (bounded cardinality).

#include <cstdio>
#include <string>

#include "actors/runtime.hpp"
#include "api/routes/routes.hpp"

namespace sivo::api {

namespace {

// One sample: `name{labels} value`. The value is already formatted.
void sample(std::string& out, std::string_view name, std::string_view labels,
            std::string_view value) {
  out += name;
  if (!labels.empty()) {
    out += '{';
    out += labels;
    out += '}';
  }
  out += ' ';
  out += value;
  out += '\n';
}

void line(std::string& out, std::string_view name, std::string_view labels, double value) {
  char number[64];
  std::snprintf(number, sizeof number, "%.17g", value);
  sample(out, name, labels, number);
}

void line(std::string& out, std::string_view name, std::string_view labels, std::uint64_t value) {
  sample(out, name, labels, std::to_string(value));
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

// A metric of one unlabelled sample: its header and its value.
void single_sample(std::string& out, std::string_view name, std::string_view type,
                   std::string_view help, std::uint64_t value) {
  header(out, name, type, help);
  line(out, name, "", value);
}

std::string bound_label(double bound) {
  char text[64];
  std::snprintf(text, sizeof text, "le=\"%g\"", bound);
  return text;
}

}  // namespace

std::string render_metrics(const actors::RuntimeStats& stats, const std::vector<double>& bounds) {
  std::string out;
  single_sample(out, "sivo_events_ingested_total", "counter", "Events accepted (202), duplicates excluded.",
                stats.events_ingested);

  header(out, "sivo_attempts_total", "counter", "Delivery attempts by outcome.");
  line(out, "sivo_attempts_total", "outcome=\"delivered\"", stats.attempts_delivered);
  line(out, "sivo_attempts_total", "outcome=\"failed\"", stats.attempts_failed);
  line(out, "sivo_attempts_total", "outcome=\"dead\"", stats.attempts_dead);

  header(out, "sivo_attempt_latency_ms", "histogram", "Delivery attempt latency in milliseconds.");
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (i < stats.latency_buckets.size()) cumulative += stats.latency_buckets[i];
    line(out, "sivo_attempt_latency_ms_bucket", bound_label(bounds[i]), cumulative);
  }
  std::uint64_t total = 0;
  for (auto count : stats.latency_buckets) total += count;
  line(out, "sivo_attempt_latency_ms_bucket", "le=\"+Inf\"", total);
  line(out, "sivo_attempt_latency_ms_sum", "", static_cast<double>(stats.latency_sum_ms));
  line(out, "sivo_attempt_latency_ms_count", "", total);

  single_sample(out, "sivo_pending_deliveries", "gauge", "Deliveries waiting for their next attempt.",
                stats.pending);
  single_sample(out, "sivo_dead_letters", "gauge", "Deliveries in dead-letter queues.", stats.dead);
  single_sample(out, "sivo_endpoint_actors", "gauge",
                "Endpoints whose actor is running (the others are idle and cost no actor).",
                stats.endpoint_actors);

  single_sample(out, "sivo_store_writes_total", "counter", "Merged writes to the store (group commits).",
                stats.store_writes);
  single_sample(out, "sivo_store_syncs_total", "counter", "Writes that synced the write-ahead log.",
                stats.store_syncs);
  single_sample(out, "sivo_store_write_sets_total", "counter",
                "Atomic write sets (an ingest, an attempt's result, ...) carried by those writes.",
                stats.store_write_sets);
  return out;
}

void add_metrics_routes(Router& router, const ApiContext& ctx) {
  const ApiContext* c = &ctx;
  router.add("GET", "/metrics", [c](const Request&, Respond respond) {
    Response response;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = render_metrics(c->runtime.stats(), actors::Runtime::latency_bucket_bounds_ms());
    respond(std::move(response));
  });
}

}  // namespace sivo::api
