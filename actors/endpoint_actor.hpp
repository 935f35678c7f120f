#pragma once
// One actor per endpoint: it owns the endpoint's delivery log. It keeps a
// bounded window of due work in memory (the backlog stays in RocksDB's due
// index), sends up to `endpoint_concurrency` attempts at once through the
// HTTPS client, decides each result with engine::decide, and appends the
// records (with their projections) through the group committer. One timer
// wakes it when its earliest future retry falls due.
//
// It lives while it has work: once it has nothing loaded, in flight or
// unacknowledged and no timer for RuntimeOptions::endpoint_idle_after, it
// asks its tenant to let it sleep, and quits when told to (tenant_actor.cpp).

#include <caf/actor.hpp>

#include <memory>

#include "actors/endpoint_log_guard.hpp"
#include "actors/services.hpp"
#include "storage/catalog_records.hpp"

namespace sivo::actors {

struct EndpointActorConfig {
  std::shared_ptr<Services> services;
  storage::EndpointRecord record;
  std::shared_ptr<EndpointLogGuard> log;
  caf::actor tenant;  // asked before it stops for lack of work
};

caf::actor spawn_endpoint_actor(caf::local_actor* parent, EndpointActorConfig config);

}  // namespace sivo::actors
