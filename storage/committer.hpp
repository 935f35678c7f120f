#pragma once
// Committer: group commit. One thread takes the WriteSets of every submitter:
// while a synced write runs, newly submitted sets queue; the next write merges
// ALL queued sets into one rocksdb::WriteBatch, writes it (synced when the
// store's options say so) and then runs every set's callback with the
// result. One fsync carries everything that arrived during the previous one,
// and nothing is acknowledged before its bytes are durable. If the merged
// write fails, every callback of that group gets the error; the committer
// keeps running and tries the next group.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/error.hpp"
#include "storage/write_set.hpp"

namespace sivo::storage {

class Store;

class Committer {
 public:
  explicit Committer(Store& store);
  // Writes and acknowledges everything submitted so far, then stops.
  ~Committer();
  Committer(const Committer&) = delete;
  Committer& operator=(const Committer&) = delete;

  // Runs on the committer thread: keep it short (post a message) and do not
  // throw. Called exactly once per submitted set.
  using Callback = std::function<void(const engine::Result<bool>&)>;
  void submit(WriteSet set, Callback done);

  struct Stats {
    std::uint64_t batches = 0;  // merged writes
    std::uint64_t sets = 0;     // sets acknowledged
    std::uint64_t syncs = 0;    // writes that synced the WAL
  };
  Stats stats() const;

 private:
  struct Submission {
    WriteSet set;
    Callback done;
  };
  void run();

  Store& store_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Submission> queue_;
  bool stopping_ = false;
  Stats stats_;
  std::thread thread_;  // last: starts after the members it uses exist
};

}  // namespace sivo::storage
