#pragma once
// An endpoint's write position (log and attempt sequence numbers, counters),
// shared by the two actors that append to the endpoint's log: its tenant
// actor (Enqueued records at ingest) and its endpoint actor (everything else).
//
// Invariant: a WriteSet that advanced the position is submitted to the
// committer while the mutex is held, so the committer (FIFO) writes the
// endpoint's snapshots in the order their sequence numbers were taken.

#include <mutex>

#include "storage/committer.hpp"
#include "storage/projections.hpp"
#include "storage/store.hpp"

namespace sivo::actors {

class EndpointLogGuard {
 public:
  EndpointLogGuard(std::string endpoint_id, storage::EndpointSnapshot snapshot)
      : log_{std::move(endpoint_id), snapshot} {}

  const std::string& endpoint_id() const { return log_.endpoint_id; }

  // Runs `build(set, log)` on a new set and submits it, atomically with
  // respect to the other writer of this endpoint.
  template <class Build>
  void append_and_submit(storage::Committer& committer, Build&& build,
                         storage::Committer::Callback done) {
    storage::WriteSet set;
    std::lock_guard lock(mutex_);
    build(set, log_);
    committer.submit(std::move(set), std::move(done));
  }

  // Several endpoints' appends in one set (ingest fan-out): lock them all,
  // in a fixed order, for the build and the submit.
  std::unique_lock<std::mutex> lock() { return std::unique_lock(mutex_); }
  storage::EndpointLog& log_locked() { return log_; }

  storage::EndpointSnapshot snapshot() {
    std::lock_guard lock(mutex_);
    return log_.snapshot;
  }

  // After a failed write the in-memory position may be ahead of the disk:
  // take the stored one again.
  void reload(const storage::Store& store) {
    std::lock_guard lock(mutex_);
    log_.snapshot = store.snapshot(log_.endpoint_id);
  }

 private:
  std::mutex mutex_;
  storage::EndpointLog log_;
};

}  // namespace sivo::actors
