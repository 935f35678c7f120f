#pragma once
// What every actor of one Runtime shares: the store, the group committer, the
// HTTPS client, the settings, the counters and the recent envelopes. Owned by
// the Runtime, which outlives every actor it spawns.

#include "actors/envelope_cache.hpp"
#include "actors/https_client.hpp"
#include "actors/runtime.hpp"
#include "actors/runtime_stats.hpp"
#include "storage/committer.hpp"
#include "storage/store.hpp"

namespace sivo::actors {

struct Services {
  storage::Store& store;
  storage::Committer& committer;
  HttpsClient& client;
  RuntimeOptions options;
  RuntimeCounters& counters;
  EnvelopeCache& envelopes;
};

}  // namespace sivo::actors
