#include "storage/committer.hpp"

#include <pthread.h>
#include <rocksdb/write_batch.h>

#include "storage/store.hpp"

namespace sivo::storage {

Committer::Committer(Store& store, std::function<void()> on_thread_start)
    : store_(store),
      acknowledger_([this, on_thread_start] {
        pthread_setname_np(pthread_self(), "sivo-ack");  // for top -H, perf, gdb
        if (on_thread_start) on_thread_start();
        acknowledge_loop();
      }),
      writer_([this, on_thread_start] {
        pthread_setname_np(pthread_self(), "sivo-commit");
        if (on_thread_start) on_thread_start();
        write_loop();
      }) {}

Committer::~Committer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_writer_.notify_one();
  writer_.join();  // wrote everything submitted
  acknowledger_.join();  // and answered it
}

void Committer::submit(WriteSet set, Callback done) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(Submission{std::move(set), std::move(done)});
  }
  wake_writer_.notify_one();
}

Committer::Stats Committer::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void Committer::write_loop() {
  for (;;) {
    std::vector<Submission> group;
    {
      std::unique_lock lock(mutex_);
      wake_writer_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {  // stopping, and everything is written
        writer_done_ = true;
        break;
      }
      group.swap(queue_);
    }

    std::size_t bytes = 0, ops = 0;
    bool sync = false;  // one set that needs it syncs the whole group
    for (const auto& s : group) {
      bytes += s.set.byte_size();
      ops += s.set.op_count();
      sync = sync || s.set.needs_sync();
    }
    engine::Result<bool> result = true;
    const bool wrote = ops > 0;
    if (wrote) {
      rocksdb::WriteBatch batch(bytes + 16 * ops);
      for (const auto& s : group) store_.add_to_batch(s.set, batch);
      result = store_.write_batch(batch, sync ? Store::Durability::synced_if_configured
                                              : Store::Durability::unsynced);
    }
    Written done{std::move(group), std::move(result)};
    bool inline_acknowledgements = false;
    {
      std::lock_guard lock(mutex_);
      stats_.batches += wrote ? 1 : 0;
      stats_.syncs += wrote && sync && store_.options().sync_writes ? 1 : 0;
      stats_.sets += done.group.size();
      // Only when every earlier group is answered: callbacks keep write order.
      inline_acknowledgements =
          ops <= kInlineAcknowledgementOps && written_.empty() && !acknowledging_;
      if (!inline_acknowledgements) written_.push_back(std::move(done));
    }
    if (inline_acknowledgements)
      acknowledge(done);
    else
      wake_acknowledger_.notify_one();
  }
  wake_acknowledger_.notify_one();
}

void Committer::acknowledge(Written& written) {
  for (auto& s : written.group) {
    if (!s.done) continue;
    try {
      s.done(written.result);
    } catch (...) {
      // A callback must not take the committer down with it; the others still run.
    }
  }
}

void Committer::acknowledge_loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    acknowledging_ = false;
    wake_acknowledger_.wait(lock, [&] { return writer_done_ || !written_.empty(); });
    if (written_.empty()) return;  // the writer stopped, and everything is answered
    Written written = std::move(written_.front());
    written_.pop_front();
    acknowledging_ = true;
    lock.unlock();
    acknowledge(written);
    lock.lock();
  }
}

}  // namespace sivo::storage
