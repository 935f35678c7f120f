#include "storage/record_codec.hpp"

#include <gtest/gtest.h>

#include "appended.hpp"
#include "storage/wire.hpp"

namespace sivo::storage {
namespace {

using namespace engine;

std::vector<DeliveryRecord> one_of_each() {
  return {Enqueued{"evt_1", EventType::call_ended, 1000},
          AttemptFinished{"evt_1", AttemptOutcome{3, 503, 1234, "http 503", 30000}, 2000},
          RetryScheduled{"evt_1", 4, -5},
          Delivered{"evt_1", 3000},
          DeadLettered{"evt_1", 4000},
          Requeued{"evt_1", 5000}};
}

bool same(const DeliveryRecord& a, const DeliveryRecord& b) {
  if (a.index() != b.index()) return false;
  return codec::encode(a) == codec::encode(b);
}

TEST(RecordCodec, EveryRecordKindRoundTrips) {
  for (const auto& record : one_of_each()) {
    const auto bytes = codec::encode(record);
    EXPECT_EQ(bytes.front(), codec::kVersion1);
    const auto decoded = codec::decode_record(bytes);
    ASSERT_TRUE(decoded);
    ASSERT_EQ(decoded->index(), record.index());
    EXPECT_TRUE(same(*decoded, record));
  }
  const auto attempt = std::get<AttemptFinished>(*codec::decode_record(codec::encode(one_of_each()[1])));
  EXPECT_EQ(attempt.outcome.attempt, 3);
  EXPECT_EQ(attempt.outcome.status_code, 503);
  EXPECT_EQ(attempt.outcome.latency_ms, 1234);
  EXPECT_EQ(attempt.outcome.error, "http 503");
  EXPECT_EQ(attempt.outcome.retry_after_ms, 30000);
  EXPECT_EQ(attempt.at, 2000);
}

// The bytes of a version-1 Enqueued, written out by hand: whatever the code
// becomes, these must keep decoding (the log is kept forever).
TEST(RecordCodec, AVersionOneLogRecordFromDiskStillDecodes) {
  const std::string v1("\x01"               // version
                       "\x08\x01"           // 1: kind = Enqueued
                       "\x12\x05" "evt_1"   // 2: event id
                       "\x18\xd0\x0f"       // 3: at = 1000 (zigzag 2000)
                       "\x22\x0c" "call.created",  // 4: type by name
                       1 + 2 + 7 + 3 + 14);
  const auto decoded = codec::decode_record(v1);
  ASSERT_TRUE(decoded);
  const auto& enqueued = std::get<Enqueued>(*decoded);
  EXPECT_EQ(enqueued.event_id, "evt_1");
  EXPECT_EQ(enqueued.type, EventType::call_created);
  EXPECT_EQ(enqueued.at, 1000);
  EXPECT_EQ(codec::encode(*decoded), v1);
}

TEST(RecordCodec, FieldsOfALaterWriterAreSkipped) {
  std::string bytes = codec::encode(DeliveryRecord{Delivered{"evt_9", 77}});
  wire::Writer later(bytes);
  later.u64(200, 42);
  later.bytes(201, "something new");
  const auto decoded = codec::decode_record(bytes);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(std::get<Delivered>(*decoded).event_id, "evt_9");
  EXPECT_EQ(std::get<Delivered>(*decoded).at, 77);
}

TEST(RecordCodec, UnknownVersionsKindsAndTruncatedBytesAreRefused) {
  std::string bytes = codec::encode(DeliveryRecord{Delivered{"evt_9", 77}});
  EXPECT_FALSE(codec::decode_record(std::string("\x02") + bytes.substr(1)));
  EXPECT_FALSE(codec::decode_record(bytes.substr(0, bytes.size() - 2)));
  EXPECT_FALSE(codec::decode_record(""));
  std::string unknown_kind(1, codec::kVersion1);
  wire::Writer(unknown_kind).u64(1, 99);
  EXPECT_FALSE(codec::decode_record(unknown_kind));
}

TEST(RecordCodec, ALogEntryHoldsOneRecordAsItselfAndSeveralInOneVersionTwoValue) {
  const auto records = one_of_each();
  const std::span<const DeliveryRecord> one(records.data(), 1);
  EXPECT_EQ(codec::encode_log_entry(one), codec::encode(records[0]));  // what earlier builds wrote

  const auto bytes = codec::encode_log_entry(records);
  EXPECT_EQ(bytes.front(), codec::kLogEntryVersion);
  const auto decoded = codec::decode_log_entry(bytes);
  ASSERT_TRUE(decoded);
  ASSERT_EQ(decoded->size(), records.size());
  for (std::size_t i = 0; i < records.size(); ++i)
    EXPECT_TRUE(same((*decoded)[i], records[i])) << i;

  const auto single =
      codec::decode_log_entry(codec::encode(records[3]));  // a version-1 value from disk
  ASSERT_TRUE(single);
  ASSERT_EQ(single->size(), 1u);
  EXPECT_TRUE(same(single->front(), records[3]));

  EXPECT_FALSE(codec::decode_log_entry(bytes.substr(0, bytes.size() - 1)));
  EXPECT_FALSE(codec::decode_log_entry(std::string(1, codec::kLogEntryVersion)));  // no record
  EXPECT_FALSE(codec::decode_log_entry(""));
  EXPECT_FALSE(codec::decode_log_entry(std::string("\x03") + bytes.substr(1)));
  // A record that cannot be read spoils the entry, rather than dropping out of it.
  std::string damaged(1, codec::kLogEntryVersion);
  wire::Writer(damaged).bytes(1, std::string("\x08\x63"));  // kind 99
  EXPECT_FALSE(codec::decode_log_entry(damaged));
}

// No id the engine accepts is longer, so stored bytes that hold one are damage:
// they are refused, not cut short (nor thrown out of the decoder).
TEST(RecordCodec, AnEventIdLongerThanAnyAcceptedIsRefused) {
  const std::string longest(engine::kMaxEventIdLength, 'x');
  const std::string too_long = longest + "x";
  const auto delivery_with_id = [](const std::string& id) {
    std::string bytes(1, codec::kVersion1);
    wire::Writer(bytes).bytes(1, id);
    return bytes;
  };
  ASSERT_TRUE(codec::decode_delivery(delivery_with_id(longest)));
  EXPECT_FALSE(codec::decode_delivery(delivery_with_id(too_long)));

  const auto record_with_id = [](const std::string& id) {
    std::string bytes(1, codec::kVersion1);
    wire::Writer w(bytes);
    w.u64(1, 4);  // Delivered
    w.bytes(2, id);
    return bytes;
  };
  ASSERT_TRUE(codec::decode_record(record_with_id(longest)));
  EXPECT_FALSE(codec::decode_record(record_with_id(too_long)));
}

TEST(RecordCodec, DeliveryAttemptRowSnapshotRoundTrip) {
  Delivery d{"evt_1", EventType::queue_abandoned, DeliveryStatus::dead, 7, 2, 100, 200, 500, "http 500", 7, 300};
  EXPECT_EQ(codec::decode_delivery(codec::encode(d)), d);

  AttemptRow row{"evt_2", EventType::agent_paused, 4, 0, 10000, "timeout", 123, "failed", true};
  EXPECT_EQ(codec::decode_attempt(codec::encode(row)), row);

  EndpointSnapshot s{1ull << 40, 12345, 7, 3};
  EXPECT_EQ(codec::decode_snapshot(codec::encode(s)), s);
}

TEST(RecordCodec, DlqEventAndDedupeValuesRoundTrip) {
  Delivery d{"evt_1", EventType::call_created, DeliveryStatus::dead, 7, 0, 1, 2, 0, "timeout", 7, 9};
  const std::string envelope = R"({"id":"evt_1","data":{"bytes":"\u0000 kept"}})";
  const auto entry = codec::decode_dlq(codec::encode_dlq(d, envelope));
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->delivery, d);
  EXPECT_EQ(entry->envelope, envelope);

  StoredEvent e{"", "", EventType::transcript_completed, 1700000000000, std::string("body\0with nul", 13)};
  const auto value = codec::encode_event(e);
  EXPECT_EQ(codec::decode_event(value), e);
  EXPECT_EQ(codec::event_ingested_at(value), 1700000000000);
  EXPECT_EQ(codec::decode_dedupe(codec::encode_dedupe(-3)), -3);
}

TEST(RecordCodec, AnAppendedValueIsTheSameBytesAfterWhatTheBufferHeld) {
  using testing::appended;
  const auto records = one_of_each();
  for (std::size_t n : {1u, 2u, 6u}) {  // version 1, then version 2 twice (the scratch reused)
    const std::span<const DeliveryRecord> entry(records.data(), n);
    EXPECT_EQ(appended([&](std::string& o) { codec::encode_log_entry(o, entry); }),
              codec::encode_log_entry(entry));
  }
  Delivery d{"evt_1", EventType::call_created, DeliveryStatus::dead, 7, 0, 1, 2, 0, "timeout", 7, 9};
  EXPECT_EQ(appended([&](std::string& o) { codec::encode(o, d); }), codec::encode(d));
  AttemptRow row{"evt_2", EventType::agent_paused, 4, 0, 10000, "timeout", 123, "failed", true};
  EXPECT_EQ(appended([&](std::string& o) { codec::encode(o, row); }), codec::encode(row));
  EndpointSnapshot snapshot{1ull << 40, 12345, 7, 3};
  EXPECT_EQ(appended([&](std::string& o) { codec::encode(o, snapshot); }),
            codec::encode(snapshot));
  EXPECT_EQ(appended([&](std::string& o) { codec::encode_dlq(o, d, "{}"); }),
            codec::encode_dlq(d, "{}"));
  StoredEvent e{"t", "evt_1", EventType::call_ended, 1700000000000, R"({"id":"evt_1"})"};
  EXPECT_EQ(appended([&](std::string& o) { codec::encode_event(o, e); }), codec::encode_event(e));
  EXPECT_EQ(appended([&](std::string& o) { codec::encode_dedupe(o, -3); }),
            codec::encode_dedupe(-3));
}

}  // namespace
}  // namespace sivo::storage
