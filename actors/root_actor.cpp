#include "actors/root_actor.hpp"

#include <iostream>
#include <map>

#include "actors/messages.hpp"
#include "actors/tenant_actor.hpp"

namespace sivo::actors {
namespace {

struct RootState {
  static inline const char* name = "sivo.root";
  std::shared_ptr<Services> services;
  std::map<std::string, caf::actor> tenants;
};

using Self = caf::stateful_actor<RootState>;

caf::actor& start_tenant(Self* self, const std::string& tenant_id) {
  auto& st = self->state;
  auto actor =
      spawn_tenant_actor(self, st.services, tenant_id, st.services->store.endpoints_of(tenant_id));
  self->monitor(actor);
  return st.tenants.insert_or_assign(tenant_id, std::move(actor)).first->second;
}

caf::actor* find_tenant(Self* self, const std::string& tenant_id) {
  auto it = self->state.tenants.find(tenant_id);
  return it == self->state.tenants.end() ? nullptr : &it->second;
}

template <class Atom>
void forward(Self* self, Atom atom, const EndpointCommandPtr& cmd) {
  if (auto* tenant = find_tenant(self, cmd->tenant_id)) {
    self->send(*tenant, atom, cmd);
  } else if (cmd->done) {
    cmd->done(engine::Error{"not_found", "no such tenant"});
  } else if (cmd->tested) {
    cmd->tested(TestDeliveryResult::failure("no such tenant"));
  }
}

caf::behavior root_behavior(Self* self, std::shared_ptr<Services> services) {
  self->state.services = std::move(services);
  for (const auto& tenant : self->state.services->store.tenants()) start_tenant(self, tenant.id);
  self->set_down_handler([self](caf::down_msg& down) {
    for (auto& [id, actor] : self->state.tenants) {
      if (actor.address() != down.source) continue;
      if (down.reason && down.reason != caf::exit_reason::user_shutdown) {
        std::cerr << "sivo-webhooks: tenant actor " << id << " failed ("
                  << self->system().render(down.reason) << "); restarting it from the store\n";
        start_tenant(self, id);
      }
      return;
    }
  });
  return {
      [=](tenant_atom, const std::string& tenant_id) {
        if (!find_tenant(self, tenant_id)) start_tenant(self, tenant_id);
      },
      [=](ingest_atom atom, const IngestCommandPtr& cmd) {
        if (auto* tenant = find_tenant(self, cmd->tenant_id)) {
          self->send(*tenant, atom, cmd);
          return;
        }
        std::vector<IngestOutcome> outcomes(cmd->items.size());
        for (std::size_t i = 0; i < outcomes.size(); ++i) {
          outcomes[i].event_id = cmd->items[i].event_id;
          outcomes[i].error = engine::Error{"not_found", "no such tenant"};
        }
        cmd->done(std::move(outcomes));
      },
      [=](endpoint_atom atom, const EndpointUpdatePtr& update) {
        auto* tenant = find_tenant(self, update->record.tenant_id);
        self->send(tenant ? *tenant : start_tenant(self, update->record.tenant_id), atom, update);
      },
      [=](delete_atom atom, const EndpointCommandPtr& cmd) { forward(self, atom, cmd); },
      [=](dlq_retry_atom atom, const EndpointCommandPtr& cmd) { forward(self, atom, cmd); },
      [=](dlq_all_atom atom, const EndpointCommandPtr& cmd) { forward(self, atom, cmd); },
      [=](test_atom atom, const EndpointCommandPtr& cmd) { forward(self, atom, cmd); },
      [=](drain_atom atom) {
        for (auto& [id, tenant] : self->state.tenants) self->send(tenant, atom);
      },
      [=](stop_atom atom) {
        for (auto& [id, tenant] : self->state.tenants) {
          self->demonitor(tenant);
          self->send(tenant, atom);
        }
        self->quit();
      },
  };
}

}  // namespace

caf::actor spawn_root_actor(caf::actor_system& system, std::shared_ptr<Services> services) {
  return system.spawn(root_behavior, std::move(services));
}

}  // namespace sivo::actors
