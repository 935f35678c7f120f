#pragma once
// Committer: group commit. One thread takes the WriteSets of every submitter:
// while a synced write runs, newly submitted sets queue; the next write merges
// ALL queued sets into one rocksdb::WriteBatch and writes it (synced when the
// store's options say so and one of the sets needs it: WriteSet::
// allow_unsynced). One fsync carries everything that arrived during the
// previous one, and nothing is acknowledged before its bytes are durable.
// If the merged write fails, every callback of that group gets the error; the
// committer keeps running and tries the next group.
//
// The callbacks of a large group run on a second thread, group after group
// in write order, so that the next merge and fsync start as soon as a write
// returns instead of after hundreds of callbacks (each posts a response or a
// message). A small group's callbacks run on the writing thread itself when
// no earlier group's are pending: handing off a few callbacks cost a thread
// wake-up (two context switches) per write at moderate load. "Small" is
// judged by the operations written, as a stand-in for the callbacks' work
// (a batch ingest's callback renders a response of up to 1,000 items).

#include <condition_variable>
#include <cstdint>
#include <deque>
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
  // `on_thread_start` runs first on each of the committer's two threads:
  // whoever runs the engine sets their scheduling there (actors/runtime.cpp).
  explicit Committer(Store& store, std::function<void()> on_thread_start = {});
  // Writes and acknowledges everything submitted so far, then stops.
  ~Committer();
  Committer(const Committer&) = delete;
  Committer& operator=(const Committer&) = delete;

  // Runs on one of the committer's threads, in submission order: keep
  // it short (post a message) and do not throw. Called exactly once per
  // submitted set, after the set's write returned.
  using Callback = std::function<void(const engine::Result<bool>&)>;
  void submit(WriteSet set, Callback done);

  struct Stats {
    std::uint64_t batches = 0;  // merged writes
    std::uint64_t sets = 0;     // sets written (their callbacks run right after)
    std::uint64_t syncs = 0;    // writes that synced the WAL
  };
  Stats stats() const;

 private:
  struct Submission {
    WriteSet set;
    Callback done;
  };
  // A group whose write returned, waiting for its callbacks.
  struct Written {
    std::vector<Submission> group;
    engine::Result<bool> result;
  };
  void write_loop();
  void acknowledge_loop();
  static void acknowledge(Written& written);

  // Groups of at most this many operations are acknowledged by the writer (see above).
  static constexpr std::size_t kInlineAcknowledgementOps = 256;

  Store& store_;
  mutable std::mutex mutex_;
  std::condition_variable wake_writer_;
  std::condition_variable wake_acknowledger_;
  std::vector<Submission> queue_;  // submitted, not written yet
  std::deque<Written> written_;    // written, not acknowledged yet; oldest first
  bool stopping_ = false;
  bool writer_done_ = false;  // the writer wrote its last group
  bool acknowledging_ = false;  // the acknowledger runs the callbacks of a group it took
  Stats stats_;
  // Last: they start after the members they use exist.
  std::thread acknowledger_;
  std::thread writer_;
};

}  // namespace sivo::storage
