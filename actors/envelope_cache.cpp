#include "actors/envelope_cache.hpp"

namespace sivo::actors {

namespace {

// The key of an event, built in a buffer of the calling thread's own: a
// lookup allocates nothing once the buffer has grown to the longest key.
const std::string& key_of(std::string_view tenant_id, std::string_view event_id) {
  thread_local std::string key;
  key.assign(tenant_id);
  key.push_back('\0');
  key.append(event_id);
  return key;
}

}  // namespace

std::size_t EnvelopeCache::cost(const std::string& key, const std::string& envelope) {
  constexpr std::size_t kPerEntry = 96;  // map node, deque slot, control block
  return key.size() + envelope.size() + kPerEntry;
}

void EnvelopeCache::put(std::string_view tenant_id, std::string_view event_id,
                        std::shared_ptr<const std::string> envelope) {
  if (!envelope) return;
  std::lock_guard lock(mutex_);
  const std::string& key = key_of(tenant_id, event_id);
  auto [it, inserted] = entries_.try_emplace(key);
  if (inserted) {
    oldest_first_.push_back(&it->first);
  } else {
    bytes_ -= cost(it->first, *it->second);
  }
  bytes_ += cost(it->first, *envelope);
  it->second = std::move(envelope);
  evict_beyond_budget();
}

void EnvelopeCache::evict_beyond_budget() {
  while (bytes_ > budget_ && !oldest_first_.empty()) {
    auto it = entries_.find(*oldest_first_.front());
    oldest_first_.pop_front();
    bytes_ -= cost(it->first, *it->second);
    entries_.erase(it);
  }
}

std::shared_ptr<const std::string> EnvelopeCache::find(std::string_view tenant_id,
                                                       std::string_view event_id) const {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(key_of(tenant_id, event_id));
  return it == entries_.end() ? nullptr : it->second;
}

std::size_t EnvelopeCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

std::size_t EnvelopeCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace sivo::actors
