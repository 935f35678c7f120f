// The decoders of what storage reads back from RocksDB (storage/record_codec):
// log entries, due and DLQ values, attempt rows, snapshots, event bodies.
// A damaged disk can hand them any bytes: they refuse what they cannot read
// and never crash, and what they accept re-encodes to bytes that decode to
// the same value (encode ∘ decode is a fixed point after one round).
#include <cstdint>
#include <string>
#include <string_view>

#include "storage/record_codec.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace codec = sivo::storage::codec;

namespace {

// decode(encode(decode(bytes))) re-encodes to what encode(decode(bytes)) did.
template <class Decode, class Encode>
void check_round_trip(std::string_view bytes, Decode decode, Encode encode) {
  const auto value = decode(bytes);
  if (!value) return;
  const std::string once = encode(*value);
  const auto again = decode(once);
  FUZZ_CHECK(again);
  FUZZ_CHECK(encode(*again) == once);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  check_round_trip(bytes, codec::decode_log_entry,
                   [](const auto& records) { return codec::encode_log_entry(records); });
  check_round_trip(bytes, codec::decode_record,
                   [](const auto& record) { return codec::encode(record); });
  check_round_trip(bytes, codec::decode_delivery,
                   [](const auto& delivery) { return codec::encode(delivery); });
  check_round_trip(bytes, codec::decode_attempt,
                   [](const auto& row) { return codec::encode(row); });
  check_round_trip(bytes, codec::decode_snapshot,
                   [](const auto& snapshot) { return codec::encode(snapshot); });
  check_round_trip(bytes, codec::decode_dlq, [](const auto& entry) {
    return codec::encode_dlq(entry.delivery, entry.envelope);
  });
  check_round_trip(bytes, codec::decode_event,
                   [](const auto& event) { return codec::encode_event(event); });
  (void)codec::event_ingested_at(bytes);
  (void)codec::decode_dedupe(bytes);
  return 0;
}
