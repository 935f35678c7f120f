#pragma once
// The root of the supervisor tree: one tenant actor per tenant, started from
// the store at start-up and whenever a tenant is created; it routes every
// command to its tenant and restarts a tenant actor that fails.

#include <caf/fwd.hpp>

#include <memory>

#include "actors/services.hpp"

namespace sivo::actors {

caf::actor spawn_root_actor(caf::actor_system& system, std::shared_ptr<Services> services);

}  // namespace sivo::actors
