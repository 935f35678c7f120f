// Replay speed: folding a large log (no timing assertion; the time is printed).

#include <gtest/gtest.h>

#include <chrono>
#include <iostream>

#include "temp_store.hpp"

namespace sivo::storage {
namespace {

class Replay : public testing::StoreTest {};

TEST_F(Replay, AMillionLogRecordsReplayInOrder) {
  constexpr std::uint64_t kDeliveries = 333'334;  // 3 records each: 1,000,002 records
  auto o = options();
  o.sync_writes = false;  // loading the fixture; durability is not under test here
  reopen(o);

  const auto load_start = std::chrono::steady_clock::now();
  EndpointLog log{"ep_big", {}};
  WriteSet set;
  for (std::uint64_t i = 0; i < kDeliveries; ++i) {
    const std::string id = "evt_" + std::to_string(i);
    const engine::UnixMillis at = 1'700'000'000'000 + static_cast<engine::UnixMillis>(i);
    const engine::DeliveryRecord records[] = {
        engine::Enqueued{id, engine::EventType::call_ended, at},
        engine::AttemptFinished{id, engine::AttemptOutcome{1, 200, 35, "", -1}, at + 40},
        engine::Delivered{id, at + 40}};
    set.append(log, engine::Delivery{}, records);
    if (set.op_count() > 20'000) {
      write(std::move(set));
      set = WriteSet{};
    }
  }
  write(std::move(set));
  const auto loaded = std::chrono::steady_clock::now();
  reopen(o);

  std::uint64_t expected = 0, delivered = 0;
  const auto start = std::chrono::steady_clock::now();
  const auto count =
      store().replay("ep_big", 0, [&](std::uint64_t seq, const engine::DeliveryRecord& record) {
        // Each delivery's three records are one entry (one append).
        if (seq != expected / 3) ADD_FAILURE() << "out of order at " << seq;
        ++expected;
        delivered += std::holds_alternative<engine::Delivered>(record);
      });
  const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "[ replay ] " << count << " log records in " << elapsed << " s ("
            << static_cast<double>(count) / elapsed / 1e6 << " M records/s); loading them took "
            << std::chrono::duration<double>(loaded - load_start).count() << " s\n";

  EXPECT_EQ(count, kDeliveries * 3);
  EXPECT_EQ(delivered, kDeliveries);
  EXPECT_EQ(store().snapshot("ep_big").next_log_seq, kDeliveries);
  EXPECT_EQ(store().recent_attempts("ep_big").size(), 100u);
}

}  // namespace
}  // namespace sivo::storage
