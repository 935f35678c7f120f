#pragma once
// Retention on a schedule: a detached actor (its own thread, so a long purge
// never holds up a scheduler worker) that runs Store::purge_expired shortly
// after start-up and then every `interval`.

#include <caf/fwd.hpp>

#include <chrono>

#include "storage/store.hpp"

namespace sivo::actors {

caf::actor spawn_retention_actor(caf::actor_system& system, storage::Store& store,
                                 std::chrono::milliseconds first_run,
                                 std::chrono::milliseconds interval);

}  // namespace sivo::actors
