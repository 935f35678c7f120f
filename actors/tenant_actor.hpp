#pragma once
// One actor per tenant: it supervises the tenant's endpoint actors and fans
// every ingested event out to the endpoints whose filter matches, in ONE
// durable write (the bodies, the dedupe keys and an Enqueued record in each
// matching endpoint's log) before the ingest is acknowledged.

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
