#include "actors/runtime.hpp"

#include <pthread.h>
#include <sched.h>

#include <caf/all.hpp>
#include <thread>

#include "actors/messages.hpp"
#include "actors/retention_actor.hpp"
#include "actors/root_actor.hpp"
#include "actors/services.hpp"

namespace sivo::actors {

namespace {

// How long a shutdown lets in-flight attempts finish; what is still running
// then resumes after the restart (its due key is still on disk).
constexpr auto kDrainGrace = std::chrono::seconds(3);

std::function<void(engine::Result<std::size_t>)> as_bool(Runtime::Done<bool> done) {
  return [done = std::move(done)](engine::Result<std::size_t> r) {
    if (r)
      done(true);
    else
      done(r.error());
  };
}

// Every thread of the runtime runs under SCHED_BATCH: the actors' (a turn
// takes every result and message that has arrived), the committer's (a group
// commit merges every set that has queued) and the HTTPS client's (a wake-up
// sends every request queued and reads every response that has arrived).
// Woken, such a thread runs on an idle core, or else waits for the running
// thread's slice instead of preempting it, and then finds more work waiting.
// Only the API server's threads, which answer the platform's POSTs, keep the
// default policy and go first. What it did to context switches, the rate
// and the tail on 2 cores shared with the receiver: docs/DESIGN.md
// ("Scheduling policy") and bench/README.md, 2026-11-28.
void run_as_batch_thread() {
  sched_param unused{};
  pthread_setschedparam(pthread_self(), SCHED_BATCH, &unused);  // if refused, the default stays
}

class BatchThreads final : public caf::thread_hook {
 public:
  void init(caf::actor_system&) override {}
  void thread_started() override { run_as_batch_thread(); }
  void thread_terminates() override {}
};

// A thread count: the one the options chose, or else one per
// `hardware_threads_each` hardware threads, at least one.
std::size_t thread_count(std::size_t chosen, unsigned hardware_threads_each) {
  if (chosen != 0) return chosen;
  return std::max(1u, std::thread::hardware_concurrency() / hardware_threads_each);
}

}  // namespace

struct Runtime::Impl {
  Impl(RuntimeOptions opts, storage::Store& s)
      : options(std::move(opts)),
        store(s),
        committer(std::make_unique<storage::Committer>(s, run_as_batch_thread)),
        client(std::make_unique<HttpsClient>(HttpsClientOptions{
            .ca_file = options.ca_file,
            .allow_private_networks = options.allow_private_networks,
            .attempt_timeout = options.attempt_timeout,
            .io_threads = static_cast<int>(thread_count(options.https_threads, 1)),
            .on_thread_start = run_as_batch_thread,
        })),
        envelopes(options.envelope_cache_bytes) {
    const auto totals = store.delivery_totals();
    counters.pending_delta(static_cast<std::int64_t>(totals.pending));
    counters.dead_delta(static_cast<std::int64_t>(totals.dead));
    services = std::make_shared<Services>(
        Services{store, *committer, *client, options, counters, envelopes});
    config.set("scheduler.max-threads", thread_count(options.scheduler_threads, 2));
    // A shared queue parks idle workers instead of spinning: the HTTPS and
    // API threads need those cores on a small machine.
    config.set("scheduler.policy", caf::atom("sharing"));
    config.add_thread_hook<BatchThreads>();
    system = std::make_unique<caf::actor_system>(config);
    root = spawn_root_actor(*system, services);
    retention = spawn_retention_actor(*system, store, options.retention_first_run,
                                      options.retention_interval);
  }

  ~Impl() {
    stop();
    system.reset();
  }

  // Everything of the destructor but freeing the actor system: afterwards no
  // thread of the Runtime runs or writes.
  void stop() {
    if (stopped) return;
    stopped = true;
    caf::anon_send(root, drain_atom::value);
    const auto deadline = std::chrono::steady_clock::now() + kDrainGrace;
    while (std::chrono::steady_clock::now() < deadline) {
      const auto s = client->stats();
      if (s.attempts_started == s.attempts_finished) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    caf::anon_send(root, stop_atom::value);
    caf::anon_send(retention, stop_atom::value);
    root = nullptr;
    retention = nullptr;
    system->await_all_actors_done();
    client.reset();     // abandons what is still in flight (resumed after restart)
    committer.reset();  // writes everything already submitted
    services.reset();
  }

  template <class Atom>
  void send_to_root(Atom atom, EndpointCommandPtr cmd) {
    caf::anon_send(root, atom, std::move(cmd));
  }

  RuntimeOptions options;
  storage::Store& store;
  RuntimeCounters counters;
  std::unique_ptr<storage::Committer> committer;
  std::unique_ptr<HttpsClient> client;
  EnvelopeCache envelopes;
  std::shared_ptr<Services> services;
  caf::actor_system_config config;
  std::unique_ptr<caf::actor_system> system;
  caf::actor root;
  caf::actor retention;
  bool stopped = false;
};

Runtime::Runtime(RuntimeOptions options, storage::Store& store)
    : impl_(std::make_unique<Impl>(std::move(options), store)) {}

Runtime::~Runtime() = default;

void Runtime::stop() { impl_->stop(); }

storage::Store& Runtime::store() { return impl_->store; }

void Runtime::create_tenant(storage::TenantRecord tenant, std::string api_key_hash,
                            Done<bool> done) {
  tenant.api_key_hash = api_key_hash;
  storage::WriteSet set;
  set.put_tenant(tenant);
  set.put_api_key(api_key_hash, tenant.id);
  impl_->committer->submit(std::move(set), [root = impl_->root, id = tenant.id,
                                            done = std::move(done)](const engine::Result<bool>& r) {
    if (r) caf::anon_send(root, tenant_atom::value, id);
    done(r);
  });
}

void Runtime::put_endpoint(storage::EndpointRecord endpoint, Done<bool> done) {
  storage::WriteSet set;
  set.put_endpoint(endpoint);
  auto update = std::make_shared<const EndpointUpdate>(EndpointUpdate{std::move(endpoint)});
  impl_->committer->submit(std::move(set), [root = impl_->root, update,
                                            done = std::move(done)](const engine::Result<bool>& r) {
    // The actor tree hears of it before the caller does, so an ingest that
    // follows the answer already fans out to this endpoint.
    if (r) caf::anon_send(root, endpoint_atom::value, EndpointUpdatePtr(update));
    done(r);
  });
}

void Runtime::delete_endpoint(std::string tenant_id, std::string endpoint_id, Done<bool> done) {
  auto cmd = std::make_shared<EndpointCommand>();
  cmd->tenant_id = std::move(tenant_id);
  cmd->endpoint_id = std::move(endpoint_id);
  cmd->done = as_bool(std::move(done));
  impl_->send_to_root(delete_atom::value, std::move(cmd));
}

void Runtime::put_setting(std::string name, std::string value, Done<bool> done) {
  storage::WriteSet set;
  set.put_setting(name, value);
  impl_->committer->submit(std::move(set),
                           [done = std::move(done)](const engine::Result<bool>& r) { done(r); });
}

void Runtime::ingest(std::string tenant_id, std::vector<IngestItem> items,
                     std::function<void(std::vector<IngestOutcome>)> done) {
  auto cmd = std::make_shared<IngestCommand>(
      IngestCommand{std::move(tenant_id), std::move(items), std::move(done)});
  caf::anon_send(impl_->root, ingest_atom::value, std::move(cmd));
}

void Runtime::retry_dead_letter(std::string tenant_id, std::string endpoint_id,
                                std::string event_id, Done<bool> done) {
  auto cmd = std::make_shared<EndpointCommand>();
  cmd->tenant_id = std::move(tenant_id);
  cmd->endpoint_id = std::move(endpoint_id);
  cmd->event_id = std::move(event_id);
  cmd->done = as_bool(std::move(done));
  impl_->send_to_root(dlq_retry_atom::value, std::move(cmd));
}

void Runtime::retry_all_dead_letters(std::string tenant_id, std::string endpoint_id,
                                     Done<std::size_t> done) {
  auto cmd = std::make_shared<EndpointCommand>();
  cmd->tenant_id = std::move(tenant_id);
  cmd->endpoint_id = std::move(endpoint_id);
  cmd->done = std::move(done);
  impl_->send_to_root(dlq_all_atom::value, std::move(cmd));
}

void Runtime::send_test_event(std::string tenant_id, std::string endpoint_id,
                              engine::EventType type,
                              std::function<void(TestDeliveryResult)> done) {
  auto cmd = std::make_shared<EndpointCommand>();
  cmd->tenant_id = std::move(tenant_id);
  cmd->endpoint_id = std::move(endpoint_id);
  cmd->type = type;
  cmd->tested = std::move(done);
  impl_->send_to_root(test_atom::value, std::move(cmd));
}

RuntimeStats Runtime::stats() const {
  RuntimeStats stats = impl_->counters.snapshot();
  const auto commits = impl_->committer->stats();
  stats.store_writes = commits.batches;
  stats.store_syncs = commits.syncs;
  stats.store_write_sets = commits.sets;
  return stats;
}

const std::vector<double>& Runtime::latency_bucket_bounds_ms() {
  static const std::vector<double> bounds(RuntimeCounters::kLatencyBoundsMs.begin(),
                                          RuntimeCounters::kLatencyBoundsMs.end());
  return bounds;
}

}  // namespace sivo::actors
