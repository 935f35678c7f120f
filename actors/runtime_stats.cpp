#include "actors/runtime_stats.hpp"

#include <cstring>

namespace sivo::actors {

void RuntimeCounters::attempt(const char* outcome, std::int64_t latency_ms) {
  if (std::strcmp(outcome, "delivered") == 0) {
    delivered_.fetch_add(1, std::memory_order_relaxed);
  } else if (std::strcmp(outcome, "dead") == 0) {
    dead_attempts_.fetch_add(1, std::memory_order_relaxed);
  } else {
    failed_.fetch_add(1, std::memory_order_relaxed);
  }
  std::size_t bucket = 0;
  while (bucket < kLatencyBoundsMs.size() &&
         static_cast<double>(latency_ms) > kLatencyBoundsMs[bucket]) {
    ++bucket;
  }
  latency_buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  latency_sum_ms_.fetch_add(static_cast<std::uint64_t>(latency_ms < 0 ? 0 : latency_ms),
                            std::memory_order_relaxed);
}

RuntimeStats RuntimeCounters::snapshot() const {
  RuntimeStats s;
  s.events_ingested = events_ingested_.load(std::memory_order_relaxed);
  s.attempts_delivered = delivered_.load(std::memory_order_relaxed);
  s.attempts_failed = failed_.load(std::memory_order_relaxed);
  s.attempts_dead = dead_attempts_.load(std::memory_order_relaxed);
  const auto pending = pending_.load(std::memory_order_relaxed);
  const auto dead = dead_.load(std::memory_order_relaxed);
  s.pending = pending < 0 ? 0 : static_cast<std::uint64_t>(pending);
  s.dead = dead < 0 ? 0 : static_cast<std::uint64_t>(dead);
  const auto actors = endpoint_actors_.load(std::memory_order_relaxed);
  s.endpoint_actors = actors < 0 ? 0 : static_cast<std::uint64_t>(actors);
  s.endpoint_actor_starts = endpoint_actor_starts_.load(std::memory_order_relaxed);
  for (const auto& b : latency_buckets_)
    s.latency_buckets.push_back(b.load(std::memory_order_relaxed));
  s.latency_sum_ms = latency_sum_ms_.load(std::memory_order_relaxed);
  return s;
}

}  // namespace sivo::actors
