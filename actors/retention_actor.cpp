#include "actors/retention_actor.hpp"

#include <iostream>

#include "actors/clock.hpp"
#include "actors/messages.hpp"

namespace sivo::actors {
namespace {

caf::behavior retention_behavior(caf::event_based_actor* self, storage::Store* store,
                                 std::chrono::milliseconds first_run,
                                 std::chrono::milliseconds interval) {
  self->delayed_send(self, first_run, purge_atom::value);
  return {
      [=](purge_atom) {
        const auto report = store->purge_expired(now_ms());
        if (report.log_records || report.event_bodies || report.dedupe_keys) {
          std::cerr << "sivo-webhooks: retention removed " << report.log_records << " log records, "
                    << report.event_bodies << " event bodies and " << report.dedupe_keys
                    << " dedupe keys (" << report.kept_bodies
                    << " old bodies kept for pending or dead deliveries)\n";
        }
        self->delayed_send(self, interval, purge_atom::value);
      },
      [=](stop_atom) { self->quit(); },
  };
}

}  // namespace

caf::actor spawn_retention_actor(caf::actor_system& system, storage::Store& store,
                                 std::chrono::milliseconds first_run,
                                 std::chrono::milliseconds interval) {
  return system.spawn<caf::detached>(retention_behavior, &store, first_run, interval);
}

}  // namespace sivo::actors
