#pragma once
// Counters every actor bumps and /metrics reads: lock-free, monotonic except
// the gauges (pending, dead, live endpoint actors), which are kept as running
// sums of deltas.

#include <array>
#include <atomic>
#include <cstdint>

#include "actors/runtime.hpp"

namespace sivo::actors {

class RuntimeCounters {
 public:
  static constexpr std::array<double, 12> kLatencyBoundsMs = {5,   10,   25,   50,   100,   250,
                                                              500, 1000, 2500, 5000, 10000, 30000};

  void ingested(std::uint64_t n) { events_ingested_.fetch_add(n, std::memory_order_relaxed); }
  void attempt(const char* outcome, std::int64_t latency_ms);
  void pending_delta(std::int64_t d) { pending_.fetch_add(d, std::memory_order_relaxed); }
  void dead_delta(std::int64_t d) { dead_.fetch_add(d, std::memory_order_relaxed); }
  void endpoint_actor_started() {
    endpoint_actor_starts_.fetch_add(1, std::memory_order_relaxed);
    endpoint_actors_.fetch_add(1, std::memory_order_relaxed);
  }
  void endpoint_actor_stopped() { endpoint_actors_.fetch_sub(1, std::memory_order_relaxed); }

  RuntimeStats snapshot() const;

 private:
  std::atomic<std::uint64_t> events_ingested_{0};
  std::atomic<std::uint64_t> delivered_{0}, failed_{0}, dead_attempts_{0};
  std::atomic<std::int64_t> pending_{0}, dead_{0};
  std::atomic<std::int64_t> endpoint_actors_{0};
  std::atomic<std::uint64_t> endpoint_actor_starts_{0};
  std::array<std::atomic<std::uint64_t>, kLatencyBoundsMs.size() + 1> latency_buckets_{};
  std::atomic<std::uint64_t> latency_sum_ms_{0};
};

}  // namespace sivo::actors
