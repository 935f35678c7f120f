#pragma once
// One actor per tenant: it supervises the tenant's endpoint actors and fans
// every ingested event out to the endpoints whose filter matches, in ONE
// durable write (the bodies, the dedupe keys and an Enqueued record in each
// matching endpoint's log) before the ingest is acknowledged.
//
// An endpoint's actor runs only while it has work: the tenant starts it for
// work (fan-out, a command, pending deliveries at start-up, re-enabling) and
// lets it stop once it has been idle for RuntimeOptions::endpoint_idle_after
// (the handshake is in tenant_actor.cpp, on_idle). A sleeping endpoint costs
// the tenant a map entry: its id and the event types it receives.

#include <caf/fwd.hpp>

#include <memory>
#include <string>
#include <vector>

#include "actors/services.hpp"
#include "storage/catalog_records.hpp"

namespace sivo::actors {

caf::actor spawn_tenant_actor(caf::local_actor* parent, std::shared_ptr<Services> services,
                              std::string tenant_id,
                              std::vector<storage::EndpointRecord> endpoints);

}  // namespace sivo::actors
