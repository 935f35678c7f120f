#include "storage/committer.hpp"

#include <rocksdb/write_batch.h>

#include "storage/store.hpp"

namespace sivo::storage {

Committer::Committer(Store& store) : store_(store), thread_([this] { run(); }) {}

Committer::~Committer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Committer::submit(WriteSet set, Callback done) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(Submission{std::move(set), std::move(done)});
  }
  wake_.notify_one();
}

Committer::Stats Committer::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void Committer::run() {
  std::vector<Submission> group;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything is acknowledged
      group.swap(queue_);
    }

    std::size_t bytes = 0, ops = 0;
    for (const auto& s : group) {
      bytes += s.set.byte_size();
      ops += s.set.op_count();
    }
    engine::Result<bool> result = true;
    const bool wrote = ops > 0;
    if (wrote) {
      rocksdb::WriteBatch batch(bytes + 16 * ops);
      for (const auto& s : group) store_.add_to_batch(s.set, batch);
      result = store_.write_batch(batch);
    }
    {
      std::lock_guard lock(mutex_);
      stats_.batches += wrote ? 1 : 0;
      stats_.syncs += wrote && store_.options().sync_writes ? 1 : 0;
      stats_.sets += group.size();
    }
    for (auto& s : group) {
      if (!s.done) continue;
      try {
        s.done(result);
      } catch (...) {
        // A callback must not take the writer down with it; the others still run.
      }
    }
    group.clear();
  }
}

}  // namespace sivo::storage
