#pragma once
// The engine's running core, as the HTTP API and main see it: the CAF actor
// system (root -> tenant -> endpoint actors), the group committer and the
// HTTPS client. Every operation is asynchronous: it returns at once and calls
// `done` exactly once, from an engine thread (callers post back to their own).
// This header stays free of CAF and Beast so the API compiles without them.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/error.hpp"
#include "engine/event_type.hpp"
#include "engine/retry_policy.hpp"
#include "storage/store.hpp"

namespace sivo::actors {

struct RuntimeOptions {
  engine::RetryPolicy retry_policy = engine::RetryPolicy::seed_default();
  std::chrono::milliseconds attempt_timeout{10000};
  std::string ca_file;
  bool allow_private_networks = false;
  std::size_t endpoint_concurrency = 32;  // attempts in flight per endpoint
  // An endpoint actor with nothing to do stops after this long (the next
  // work starts it again), so an idle endpoint costs no actor.
  std::chrono::milliseconds endpoint_idle_after{std::chrono::seconds(30)};
  // CAF's worker threads; 0 = half the hardware threads, at least one. The
  // actors decide and hand off: sockets run on the HTTPS client's and the
  // API server's own threads, writes on the committer's. On 2 cores one
  // worker delivered 1.02-1.38x more than two in 7 side-by-side pairs of
  // bench (a): a second one mostly added wake-ups that preempt the HTTPS
  // thread. No actor turn is long (a DLQ retry-all goes a chunk per turn).
  std::size_t scheduler_threads = 0;
  // The HTTPS client's threads; 0 = one per hardware thread. Endpoint URLs
  // are dealt out to them in turn, also those sharing one receiver. On 2
  // cores two threads delivered 1.14-1.29x (median 1.22) of one in 5
  // side-by-side pairs of bench (a) (bench/README.md): the one thread was
  // the busiest stage, and the second takes up the time the cores sat idle
  // while the stages waited for each other.
  std::size_t https_threads = 0;
  // The most recently ingested envelopes kept in memory (EnvelopeCache), so
  // that endpoints working off a backlog do not each read the same body from
  // the store. Sized for a few seconds of heavy ingest.
  std::size_t envelope_cache_bytes = 8 << 20;
  // Store::purge_expired runs this long after start, then at this interval.
  std::chrono::milliseconds retention_first_run{std::chrono::minutes(1)};
  std::chrono::milliseconds retention_interval{std::chrono::hours(1)};
};

// One event as the API accepted it: validated, envelope already rendered.
struct IngestItem {
  std::string event_id;  // valid (engine::validate_event_id): it becomes an EventId
  engine::EventType type{};
  std::shared_ptr<const std::string> envelope;  // the exact body every attempt sends
  // The engine made the id for this request (the client sent none): no
  // stored or pending event can have it (a ULID: this process's sequence
  // plus 80 random bits), and nobody can repeat it before it is durable, so
  // the dedupe lookup is skipped for it.
  bool minted_id = false;
};

struct IngestOutcome {
  std::string event_id;
  bool duplicate = false;
  std::size_t endpoints = 0;  // how many endpoints it fanned out to
  std::optional<engine::Error> error;  // "storage_unavailable" when the durable write failed
};

struct TestDeliveryResult {
  bool ok = false;
  int status_code = 0;
  std::int64_t latency_ms = 0;
  std::string error;
  std::string event_id;
  std::shared_ptr<const std::string> payload;  // what was sent

  static TestDeliveryResult failure(std::string error) {
    TestDeliveryResult r;
    r.error = std::move(error);
    return r;
  }
};

struct RuntimeStats {
  std::uint64_t events_ingested = 0;
  std::uint64_t attempts_delivered = 0;
  std::uint64_t attempts_failed = 0;
  std::uint64_t attempts_dead = 0;
  std::uint64_t pending = 0;
  std::uint64_t dead = 0;
  std::uint64_t endpoint_actors = 0;        // endpoints awake now (the others cost no actor)
  std::uint64_t endpoint_actor_starts = 0;  // times an endpoint woke (or was started)
  std::vector<std::uint64_t> latency_buckets;  // counts per Runtime::latency_bucket_bounds_ms()
  std::uint64_t latency_sum_ms = 0;
  // Group commit (storage::Committer): merged writes, the syncs among them,
  // and the sets they carried; sets per sync is the batching factor.
  std::uint64_t store_writes = 0;
  std::uint64_t store_syncs = 0;
  std::uint64_t store_write_sets = 0;
};

class Runtime {
 public:
  // Spawns an actor per tenant in `store`, and one per endpoint that has
  // pending deliveries, which resume.
  Runtime(RuntimeOptions options, storage::Store& store);
  ~Runtime();  // stop(), then frees the actor system
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // Stops accepting, lets in-flight attempts end briefly, stops every actor
  // and writes what was already submitted. Afterwards the Runtime is inert
  // (nothing runs, nothing writes) and only its destructor may be called.
  void stop();

  storage::Store& store();

  template <class T>
  using Done = std::function<void(engine::Result<T>)>;

  // Catalog changes: durably written, then the actor tree follows.
  void create_tenant(storage::TenantRecord tenant, std::string api_key_hash, Done<bool> done);
  void put_endpoint(storage::EndpointRecord endpoint, Done<bool> done);  // create or update
  void delete_endpoint(std::string tenant_id, std::string endpoint_id, Done<bool> done);
  void put_setting(std::string name, std::string value, Done<bool> done);

  // Ingest: one durable WriteBatch for all items, then delivery starts.
  void ingest(std::string tenant_id, std::vector<IngestItem> items,
              std::function<void(std::vector<IngestOutcome>)> done);

  // Dead-letter queue: a fresh attempt series for one event or for all.
  void retry_dead_letter(std::string tenant_id, std::string endpoint_id, std::string event_id,
                         Done<bool> done);
  void retry_all_dead_letters(std::string tenant_id, std::string endpoint_id,
                              Done<std::size_t> done);

  // The built-in tester: a synthetic signed event of `type`, sent now.
  void send_test_event(std::string tenant_id, std::string endpoint_id, engine::EventType type,
                       std::function<void(TestDeliveryResult)> done);

  RuntimeStats stats() const;
  static const std::vector<double>& latency_bucket_bounds_ms();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sivo::actors
