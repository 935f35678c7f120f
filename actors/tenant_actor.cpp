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

struct EndpointEntry {
  storage::EndpointRecord record;
  std::optional<engine::EventFilter> filter;  // nullopt: a damaged filter, matching nothing
  std::shared_ptr<EndpointLogGuard> log;
  caf::actor actor;
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

std::optional<engine::EventFilter> filter_of(const storage::EndpointRecord& record) {
  auto filter = engine::EventFilter::parse(record.event_types);
  if (filter) return *filter;
  // Stored filters were validated by the API; a damaged one matches nothing
  // rather than everything.
  std::cerr << "sivo-webhooks: endpoint " << record.id
            << " has an invalid filter: " << filter.error().message << '\n';
  return std::nullopt;
}

template <class Atom>
void forward(Self* self, Atom atom, const EndpointCommandPtr& cmd) {
  auto it = self->state.endpoints.find(cmd->endpoint_id);
  if (it != self->state.endpoints.end()) {
    self->send(it->second.actor, atom, cmd);
  } else if (cmd->done) {
    cmd->done(engine::Error{"not_found", "no such endpoint"});
  } else if (cmd->tested) {
    cmd->tested(TestDeliveryResult::failure("no such endpoint"));
  }
}

// `log` is the endpoint's write position; a new endpoint reads it from the
// store. A restarted one keeps the position its failed predecessor and this
// actor advanced: what they submitted may not be durable yet, so the stored
// snapshot can be behind, and its sequence numbers are already taken.
void start_endpoint(Self* self, storage::EndpointRecord record,
                    std::shared_ptr<EndpointLogGuard> log = nullptr) {
  auto& st = self->state;
  if (!log) log = std::make_shared<EndpointLogGuard>(record.id, st.services->store.snapshot(record.id));
  auto actor = spawn_endpoint_actor(self, {st.services, record, log});
  self->monitor(actor);
  auto filter = filter_of(record);
  const auto id = record.id;
  st.endpoints.insert_or_assign(
      id, EndpointEntry{std::move(record), std::move(filter), std::move(log), std::move(actor)});
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
  std::vector<const IngestItem*> accepted;
  std::size_t next_seen = 0;
  for (std::size_t i = 0; i < cmd.items.size(); ++i) {
    const auto& item = cmd.items[i];
    outcomes[i].event_id = item.event_id;
    if (!item.minted_id && (seen[next_seen++] || st.uncommitted.count(item.event_id) ||
                            !in_this_batch.insert(item.event_id).second)) {
      outcomes[i].duplicate = true;
      continue;
    }
    accepted.push_back(&item);
  }

  storage::WriteSet set;
  for (const auto* item : accepted) {
    set.put_event(
        storage::StoredEvent{st.tenant_id, item->event_id, item->type, now, *item->envelope});
  }
  // Fan-out: per matching endpoint, an Enqueued record per event.
  struct Target {
    EndpointEntry* endpoint;
    std::vector<WorkItem> work;
  };
  std::vector<Target> targets;
  for (auto& [id, endpoint] : st.endpoints) {
    if (!endpoint.record.enabled) continue;
    Target target{&endpoint, {}};
    for (const auto* item : accepted) {
      if (!endpoint.filter || !endpoint.filter->matches(item->type)) continue;
      engine::Delivery pending =
          engine::apply(engine::Delivery{}, engine::Enqueued{item->event_id, item->type, now});
      target.work.push_back(WorkItem{std::move(pending), item->envelope});
    }
    if (!target.work.empty()) targets.push_back(std::move(target));
  }
  std::map<std::string, std::size_t> fanout;  // event id -> endpoints
  std::vector<std::unique_lock<std::mutex>> locks;
  for (auto& target : targets) {
    locks.push_back(target.endpoint->log->lock());
    auto& log = target.endpoint->log->log_locked();
    for (const auto& work : target.work) {
      // The set keeps one state record per endpoint however many appends it holds.
      const engine::DeliveryRecord enqueued =
          engine::Enqueued{work.delivery.event_id, work.delivery.type, now};
      set.append(log, engine::Delivery{}, std::span(&enqueued, 1));
      ++fanout[work.delivery.event_id];
    }
  }
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    if (outcomes[i].duplicate) continue;
    auto it = fanout.find(outcomes[i].event_id);
    outcomes[i].endpoints = it == fanout.end() ? 0 : it->second;
  }

  auto committed = std::make_shared<IngestCommitted>();
  for (const auto* item : accepted) {
    if (item->minted_id) continue;  // nobody knows it before the 202
    st.uncommitted.insert(item->event_id);
    committed->event_ids.push_back(item->event_id);
  }
  std::vector<std::pair<caf::actor, WorkBatch>> handoffs;
  std::uint64_t enqueued_count = 0;
  for (auto& target : targets) {
    enqueued_count += target.work.size();
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

caf::behavior tenant_behavior(Self* self, std::shared_ptr<Services> services, std::string tenant_id,
                              std::vector<storage::EndpointRecord> endpoints) {
  self->state.services = std::move(services);
  self->state.tenant_id = std::move(tenant_id);
  for (auto& record : endpoints) start_endpoint(self, std::move(record));
  // Supervision: an endpoint actor that fails is started again from its
  // log; one that quit (deleted, drained) is left alone.
  self->set_down_handler([self](caf::down_msg& down) {
    auto& st = self->state;
    for (auto& [id, endpoint] : st.endpoints) {
      if (endpoint.actor.address() != down.source) continue;
      if (down.reason && down.reason != caf::exit_reason::user_shutdown) {
        std::cerr << "sivo-webhooks: endpoint actor " << id << " failed ("
                  << self->system().render(down.reason) << "); restarting it from its log\n";
        start_endpoint(self, endpoint.record, endpoint.log);
      }
      return;
    }
  });
  return {
      [=](ingest_atom, const IngestCommandPtr& cmd) { on_ingest(self, *cmd); },
      [=](committed_atom, const IngestCommittedPtr& committed) {
        auto& st = self->state;
        for (const auto& id : committed->event_ids) st.uncommitted.erase(id);
        if (!committed->ok) {
          for (auto& [id, endpoint] : st.endpoints) endpoint.log->reload(st.services->store);
        }
      },
      [=](endpoint_atom, const EndpointUpdatePtr& update) {
        auto& st = self->state;
        auto it = st.endpoints.find(update->record.id);
        if (it == st.endpoints.end()) {
          start_endpoint(self, update->record);
          return;
        }
        it->second.record = update->record;
        it->second.filter = filter_of(update->record);
        self->send(it->second.actor, endpoint_atom::value, update);
      },
      [=](delete_atom, const EndpointCommandPtr& cmd) {
        auto& st = self->state;
        auto it = st.endpoints.find(cmd->endpoint_id);
        if (it == st.endpoints.end()) {
          cmd->done(engine::Error{"not_found", "no such endpoint"});
          return;
        }
        // No fan-out reaches it from here on; the endpoint actor writes the
        // deletion after everything it (and we) submitted before.
        self->demonitor(it->second.actor);
        self->send(it->second.actor, delete_atom::value, cmd);
        st.endpoints.erase(it);
      },
      [=](dlq_retry_atom atom, const EndpointCommandPtr& cmd) { forward(self, atom, cmd); },
      [=](dlq_all_atom atom, const EndpointCommandPtr& cmd) { forward(self, atom, cmd); },
      [=](test_atom atom, const EndpointCommandPtr& cmd) { forward(self, atom, cmd); },
      [=](drain_atom) {
        for (auto& [id, endpoint] : self->state.endpoints)
          self->send(endpoint.actor, drain_atom::value);
      },
      [=](stop_atom) {
        for (auto& [id, endpoint] : self->state.endpoints)
          self->send(endpoint.actor, stop_atom::value);
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
