#pragma once
// Retention: what Store::purge_expired(now) removes. With cutoff = now -
// StoreOptions::retention:
//  - log: per endpoint, the oldest records whose time is before the cutoff, up
//    to (not including) the first record of a delivery that is still pending,
//    so the log still folds every pending delivery; the projections (due,
//    dlq, state) are the snapshot that covers the rest.
//  - dedupe: keys ingested before the cutoff (the dedupe window = retention).
//  - events: bodies ingested before the cutoff, except bodies of events that a
//    pending or dead-lettered delivery still references (a DLQ retry needs the
//    body again). Their dedupe keys stay too, until the next purge.
// The DLQ keeps its own copy of each body and is never purged here.

#include <cstdint>

namespace sivo::storage {

struct RetentionReport {
  std::uint64_t log_records = 0;
  std::uint64_t dedupe_keys = 0;
  std::uint64_t event_bodies = 0;
  std::uint64_t kept_bodies = 0;  // old bodies kept because a delivery references them
};

}  // namespace sivo::storage
