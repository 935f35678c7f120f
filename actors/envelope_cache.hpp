#pragma once
// The envelopes of the most recently ingested events, shared by the actors of
// one Runtime, so that an endpoint whose work comes from a scan of its due
// index (a backlog: the work did not fit its window when it was enqueued)
// takes the body from memory instead of reading it from the events family:
// with fan-out, every endpoint of the event reads the same body.
//
// Only a cache: the backlog is the due index on disk, and a miss reads the
// store. An entry is put before the write that stores its event is
// submitted, so anyone who can see the event's due key (which lands in that
// write) finds either this envelope or none. An id is ingested again only
// after retention forgot it, which it does once no delivery of it is pending
// or dead-lettered: no due key of the old event is left. The new ingest, if it
// fans out, replaces the entry before its own write; if not, it writes no due
// key to find the entry by. A stale body is never served.
//
// Bounded by bytes; the oldest entries leave first.

#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace sivo::actors {

class EnvelopeCache {
 public:
  explicit EnvelopeCache(std::size_t byte_budget) : budget_(byte_budget) {}

  void put(std::string_view tenant_id, std::string_view event_id,
           std::shared_ptr<const std::string> envelope);

  // The envelope put for this event, or null.
  std::shared_ptr<const std::string> find(std::string_view tenant_id,
                                          std::string_view event_id) const;

  std::size_t size() const;
  std::size_t bytes() const;

 private:
  static std::size_t cost(const std::string& key, const std::string& envelope);
  void evict_beyond_budget();

  const std::size_t budget_;
  mutable std::mutex mutex_;
  // Keyed by tenant id, NUL, event id.
  std::unordered_map<std::string, std::shared_ptr<const std::string>> entries_;
  std::deque<const std::string*> oldest_first_;  // the keys in entries_, by first put
  std::size_t bytes_ = 0;
};

}  // namespace sivo::actors
