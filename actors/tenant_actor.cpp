#include "actors/tenant_actor.hpp"

#include <iostream>
#include <map>
#include <unordered_set>

#include "actors/clock.hpp"
#include "actors/endpoint_actor.hpp"
#include "actors/messages.hpp"
#include "engine/event_filter.hpp"

namespace sivo::actors {
namespace {

using engine::UnixMillis;

// The event types an endpoint receives, one bit per EventType: all that
// fan-out needs of its record. A disabled endpoint, or one whose stored
// filter is damaged, receives nothing.
class Subscription {
 public:
  static Subscription of(const storage::EndpointRecord& record) {
    Subscription subscription;
    if (!record.enabled) return subscription;
    auto filter = engine::EventFilter::parse(record.event_types);
    if (!filter) {
      // Stored filters were validated by the API; a damaged one matches
      // nothing rather than everything.
      std::cerr << "sivo-webhooks: endpoint " << record.id
                << " has an invalid filter: " << filter.error().message << '\n';
      return subscription;
    }
    for (auto type : engine::all_event_types()) {
      if (filter->matches(type)) subscription.types_ |= bit_of(type);
    }
    return subscription;
  }

  bool wants(engine::EventType type) const { return (types_ & bit_of(type)) != 0; }

 private:
  static std::uint32_t bit_of(engine::EventType type) {
    return std::uint32_t{1} << static_cast<unsigned>(type);
  }
  std::uint32_t types_ = 0;
};

// An endpoint whose actor runs. `handed` counts the messages the tenant has
// sent to that actor or arranged for it (an ingest's `enqueued`, sent by the
// committer thread once the write is durable); the actor counts those it
// received. Equal counts in the actor's idle request prove nothing is on its
// way to it (see on_idle).
struct Awake {
  caf::actor actor;
  std::shared_ptr<EndpointLogGuard> log;  // its write position, shared with the actor
  std::uint64_t handed = 0;
};

// What the tenant keeps per endpoint. Asleep (no actor) it is this entry
// only; no write to its log is in flight then, so the stored snapshot is
// its write position.
struct EndpointEntry {
  Subscription subscription;
  std::unique_ptr<Awake> awake;  // null while asleep
};

struct TenantState {
  static inline const char* name = "sivo.tenant";

  std::shared_ptr<Services> services;
  std::string tenant_id;
  std::map<std::string, EndpointEntry> endpoints;  // by id: also the lock order
  // Ids in a write that is not durable yet: the store cannot see them, so a
  // duplicate arriving meanwhile is caught here.
  std::unordered_set<std::string> uncommitted;
};

using Self = caf::stateful_actor<TenantState>;

void spawn_actor(Self* self, Awake& awake, storage::EndpointRecord record) {
  awake.actor = spawn_endpoint_actor(self, {self->state.services, std::move(record), awake.log,
                                            caf::actor_cast<caf::actor>(self)});
  awake.handed = 0;
  self->monitor(awake.actor);
}

// The endpoint's actor, started if it sleeps (`record` when the caller has
// it, else read from the store). Null only if the store has lost the record.
Awake* wake(Self* self, const std::string& id, EndpointEntry& entry,
            std::optional<storage::EndpointRecord> record = std::nullopt) {
  if (entry.awake) return entry.awake.get();
  const auto& store = self->state.services->store;
  if (!record) record = store.endpoint(id);
  if (!record) {
    std::cerr << "sivo-webhooks: endpoint " << id << " is missing from the catalog\n";
    return nullptr;
  }
  auto awake = std::make_unique<Awake>();
  awake->log = std::make_shared<EndpointLogGuard>(id, store.snapshot(id));
  spawn_actor(self, *awake, std::move(*record));
  entry.awake = std::move(awake);
  return entry.awake.get();
}

template <class Atom, class Payload>
void hand(Self* self, Awake& awake, Atom atom, const Payload& payload) {
  ++awake.handed;
  self->send(awake.actor, atom, payload);
}

template <class Atom>
void forward(Self* self, Atom atom, const EndpointCommandPtr& cmd) {
  auto it = self->state.endpoints.find(cmd->endpoint_id);
  Awake* awake = it == self->state.endpoints.end() ? nullptr : wake(self, it->first, it->second);
  if (awake) {
    hand(self, *awake, atom, cmd);
  } else if (cmd->done) {
    cmd->done(engine::Error{"not_found", "no such endpoint"});
  } else if (cmd->tested) {
    cmd->tested(TestDeliveryResult::failure("no such endpoint"));
  }
}

// An endpoint actor that has had nothing to do for a while asks to sleep.
// Granted only if it is still this endpoint's actor and has received every
// message handed to it: then nothing is on its way to it, and, idle, it has
// no write in flight. From here on the tenant sends it nothing but `sleep`
// (work that comes later wakes a new actor), so it quits idle and the
// endpoint's log has one writer at a time.
void on_idle(Self* self, const std::string& endpoint_id, std::uint64_t received) {
  auto it = self->state.endpoints.find(endpoint_id);
  if (it == self->state.endpoints.end() || !it->second.awake) return;
  auto& awake = *it->second.awake;
  const bool current =
      awake.actor.address() == caf::actor_cast<caf::actor_addr>(self->current_sender());
  if (!current || awake.handed != received) return;
  self->demonitor(awake.actor);
  self->send(awake.actor, sleep_atom::value);
  it->second.awake.reset();
}

void on_ingest(Self* self, IngestCommand& cmd) {
  auto& st = self->state;
  const UnixMillis now = now_ms();
  // Only ids a client chose can repeat; a minted one skips the lookup.
  std::vector<std::string> chosen_ids;
  for (const auto& item : cmd.items)
    if (!item.minted_id) chosen_ids.push_back(item.event_id);
  const auto seen = chosen_ids.empty() ? std::vector<bool>{}
                                       : st.services->store.seen(st.tenant_id, chosen_ids);

  std::vector<IngestOutcome> outcomes(cmd.items.size());
  std::unordered_set<std::string> in_this_batch;
  std::vector<std::size_t> accepted;  // positions in cmd.items (and outcomes)
  std::size_t next_seen = 0;
  for (std::size_t i = 0; i < cmd.items.size(); ++i) {
    const auto& item = cmd.items[i];
    outcomes[i].event_id = item.event_id;
    if (!item.minted_id && (seen[next_seen++] || st.uncommitted.count(item.event_id) ||
                            !in_this_batch.insert(item.event_id).second)) {
      outcomes[i].duplicate = true;
      continue;
    }
    accepted.push_back(i);
  }

  storage::WriteSet set;
  for (const std::size_t i : accepted) {
    const auto& item = cmd.items[i];
    set.put_event(
        storage::StoredEventView{st.tenant_id, item.event_id, item.type, now, *item.envelope});
  }
  // Fan-out: per matching endpoint, an Enqueued record per event.
  struct Target {
    Awake* endpoint;
    std::vector<WorkItem> work;
  };
  std::vector<Target> targets;
  std::vector<std::size_t> wanted;  // positions in cmd.items of one endpoint's events
  for (auto& [id, endpoint] : st.endpoints) {
    wanted.clear();
    for (const std::size_t i : accepted)
      if (endpoint.subscription.wants(cmd.items[i].type)) wanted.push_back(i);
    if (wanted.empty()) continue;
    Target target{wake(self, id, endpoint), {}};
    if (!target.endpoint) continue;
    target.work.reserve(wanted.size());
    for (const std::size_t i : wanted) {
      const auto& item = cmd.items[i];
      engine::Delivery pending =
          engine::apply(engine::Delivery{}, engine::Enqueued{item.event_id, item.type, now});
      target.work.push_back(WorkItem{std::move(pending), item.envelope});
      ++outcomes[i].endpoints;
    }
    targets.push_back(std::move(target));
  }
  // Before the write is submitted (see EnvelopeCache), and only what some
  // endpoint will send.
  for (const std::size_t i : accepted)
    if (outcomes[i].endpoints > 0)
      st.services->envelopes.put(st.tenant_id, cmd.items[i].event_id, cmd.items[i].envelope);
  std::vector<std::unique_lock<std::mutex>> locks;
  for (auto& target : targets) {
    locks.push_back(target.endpoint->log->lock());
    auto& log = target.endpoint->log->log_locked();
    for (const auto& work : target.work) {
      // The set keeps one state record per endpoint however many appends it holds.
      const engine::DeliveryRecord enqueued =
          engine::Enqueued{work.delivery.event_id, work.delivery.type, now};
      set.append(log, engine::Delivery{}, std::span(&enqueued, 1));
    }
  }

  auto committed = std::make_shared<IngestCommitted>();
  for (const std::size_t i : accepted) {
    const auto& item = cmd.items[i];
    if (item.minted_id) continue;  // nobody knows it before the 202
    st.uncommitted.insert(item.event_id);
    committed->event_ids.push_back(item.event_id);
  }
  std::vector<std::pair<caf::actor, WorkBatch>> handoffs;
  std::uint64_t enqueued_count = 0;
  for (auto& target : targets) {
    enqueued_count += target.work.size();
    ++target.endpoint->handed;  // the committer thread sends it `enqueued` (or we learn it did not)
    handoffs.emplace_back(target.endpoint->actor,
                          std::make_shared<const std::vector<WorkItem>>(std::move(target.work)));
  }
  auto* counters = &st.services->counters;
  const std::size_t accepted_count = accepted.size();
  st.services->committer.submit(
      std::move(set),
      [self_handle = caf::actor_cast<caf::actor>(self), committed, handoffs = std::move(handoffs),
       outcomes = std::move(outcomes), done = std::move(cmd.done), counters, accepted_count,
       enqueued_count](const engine::Result<bool>& status) mutable {
        committed->ok = status.ok();
        if (status.ok()) {
          counters->ingested(accepted_count);
          counters->pending_delta(static_cast<std::int64_t>(enqueued_count));
          for (auto& [actor, batch] : handoffs) caf::anon_send(actor, enqueued_atom::value, batch);
        } else {
          for (auto& [actor, batch] : handoffs) committed->not_handed.push_back(std::move(actor));
          for (auto& outcome : outcomes) {
            if (!outcome.duplicate) {
              outcome.endpoints = 0;
              outcome.error = engine::Error{"storage_unavailable",
                                            "the event could not be stored durably; retry later"};
            }
          }
        }
        done(std::move(outcomes));
        // Minted ids only and a good write: nothing to forget or reload, so
        // the tenant is not woken again for this ingest.
        if (!committed->event_ids.empty() || !committed->ok)
          caf::anon_send(self_handle, committed_atom::value, IngestCommittedPtr(committed));
      });
  // The locks are released only now: see EndpointLogGuard's invariant.
}

// A new endpoint starts asleep (it has no work yet); an awake one follows
// the change; a sleeping one wakes if it was enabled with work waiting.
void on_update(Self* self, const EndpointUpdatePtr& update) {
  auto& st = self->state;
  const auto& record = update->record;
  auto [it, created] = st.endpoints.try_emplace(record.id);
  auto& entry = it->second;
  entry.subscription = Subscription::of(record);
  if (entry.awake) {
    hand(self, *entry.awake, endpoint_atom::value, update);
  } else if (!created && record.enabled && st.services->store.snapshot(record.id).pending > 0) {
    wake(self, record.id, entry, record);
  }
}

void on_delete(Self* self, const EndpointCommandPtr& cmd) {
  auto& st = self->state;
  auto it = st.endpoints.find(cmd->endpoint_id);
  Awake* awake = it == st.endpoints.end() ? nullptr : wake(self, it->first, it->second);
  if (!awake) {
    if (it != st.endpoints.end()) st.endpoints.erase(it);
    cmd->done(engine::Error{"not_found", "no such endpoint"});
    return;
  }
  // No fan-out reaches it from here on; the endpoint actor writes the
  // deletion after everything it (and we) submitted before, then quits.
  self->demonitor(awake->actor);
  self->send(awake->actor, delete_atom::value, cmd);
  st.endpoints.erase(it);
}

// A failed ingest write: no `enqueued` went to its targets, and the write
// positions taken for it are ahead of the disk.
void on_ingest_failed(Self* self, const IngestCommitted& committed) {
  auto& st = self->state;
  for (auto& [id, entry] : st.endpoints) {
    if (!entry.awake) continue;
    entry.awake->log->reload(st.services->store);
    for (const auto& actor : committed.not_handed) {
      if (actor == entry.awake->actor) --entry.awake->handed;
    }
  }
}

caf::behavior tenant_behavior(Self* self, std::shared_ptr<Services> services, std::string tenant_id,
                              std::vector<storage::EndpointRecord> endpoints) {
  auto& st = self->state;
  st.services = std::move(services);
  st.tenant_id = std::move(tenant_id);
  for (auto& record : endpoints) {
    const std::string id = record.id;
    auto& entry = st.endpoints[id];
    entry.subscription = Subscription::of(record);
    // Work left from before the restart (due now, or later: its actor keeps
    // the timer). Without any, the endpoint sleeps until something comes.
    if (record.enabled && st.services->store.snapshot(id).pending > 0) {
      wake(self, id, entry, std::move(record));
    }
  }
  // Supervision: an endpoint actor that fails is started again, on the same
  // write position, and rebuilds its window from the store; one that quit
  // (put to sleep, deleted, drained) is left alone.
  self->set_down_handler([self](caf::down_msg& down) {
    auto& st = self->state;
    for (auto& [id, entry] : st.endpoints) {
      if (!entry.awake || entry.awake->actor.address() != down.source) continue;
      if (down.reason && down.reason != caf::exit_reason::user_shutdown) {
        std::cerr << "sivo-webhooks: endpoint actor " << id << " failed ("
                  << self->system().render(down.reason) << "); restarting it from its log\n";
        if (auto record = st.services->store.endpoint(id)) {
          spawn_actor(self, *entry.awake, std::move(*record));
        } else {
          entry.awake.reset();
        }
      }
      return;
    }
  });
  return {
      [=](ingest_atom, const IngestCommandPtr& cmd) { on_ingest(self, *cmd); },
      [=](committed_atom, const IngestCommittedPtr& committed) {
        auto& st = self->state;
        for (const auto& id : committed->event_ids) st.uncommitted.erase(id);
        if (!committed->ok) on_ingest_failed(self, *committed);
      },
      [=](endpoint_atom, const EndpointUpdatePtr& update) { on_update(self, update); },
      [=](delete_atom, const EndpointCommandPtr& cmd) { on_delete(self, cmd); },
      [=](idle_atom, const std::string& endpoint_id, std::uint64_t received) {
        on_idle(self, endpoint_id, received);
      },
      [=](dlq_retry_atom atom, const EndpointCommandPtr& cmd) { forward(self, atom, cmd); },
      [=](dlq_all_atom atom, const EndpointCommandPtr& cmd) { forward(self, atom, cmd); },
      [=](test_atom atom, const EndpointCommandPtr& cmd) { forward(self, atom, cmd); },
      [=](drain_atom) {
        for (auto& [id, entry] : self->state.endpoints)
          if (entry.awake) self->send(entry.awake->actor, drain_atom::value);
      },
      [=](stop_atom) {
        for (auto& [id, entry] : self->state.endpoints)
          if (entry.awake) self->send(entry.awake->actor, stop_atom::value);
        self->quit();
      },
  };
}

}  // namespace

caf::actor spawn_tenant_actor(caf::local_actor* parent, std::shared_ptr<Services> services,
                              std::string tenant_id,
                              std::vector<storage::EndpointRecord> endpoints) {
  return parent->spawn(tenant_behavior, std::move(services), std::move(tenant_id),
                       std::move(endpoints));
}

}  // namespace sivo::actors
