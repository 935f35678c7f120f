#include "storage/write_set.hpp"

#include <utility>

#include "storage/catalog_codec.hpp"
#include "storage/keys.hpp"
#include "storage/record_codec.hpp"

namespace sivo::storage {

namespace {

using engine::DeliveryStatus;

std::string outcome_name(DeliveryStatus status) {
  switch (status) {
    case DeliveryStatus::delivered: return "delivered";
    case DeliveryStatus::dead: return "dead";
    default: return "failed";
  }
}

void step(std::uint64_t& counter, bool was, bool is) {
  if (!was && is) ++counter;
  if (was && !is && counter > 0) --counter;
}

}  // namespace

void WriteSet::put(Cf cf, std::string key, std::string value) {
  bytes_ += key.size() + value.size();
  ops_.push_back(Op{cf, OpKind::put, std::move(key), std::move(value)});
}

void WriteSet::erase(Cf cf, std::string key) {
  bytes_ += key.size();
  ops_.push_back(Op{cf, OpKind::erase, std::move(key), {}});
}

void WriteSet::erase_range(Cf cf, std::string begin, std::string end) {
  bytes_ += begin.size() + end.size();
  ops_.push_back(Op{cf, OpKind::erase_range, std::move(begin), std::move(end)});
}

void WriteSet::put_tenant(const TenantRecord& tenant) {
  put(Cf::catalog, keys::tenant(tenant.id), codec::encode(tenant));
}

void WriteSet::put_api_key(std::string_view key_hash, std::string_view tenant_id) {
  put(Cf::catalog, keys::api_key(key_hash), codec::encode_api_key(tenant_id));
}

void WriteSet::delete_api_key(std::string_view key_hash) { erase(Cf::catalog, keys::api_key(key_hash)); }

void WriteSet::put_setting(std::string_view name, std::string_view value) {
  put(Cf::catalog, keys::setting(name), codec::encode_setting(value));
}

void WriteSet::put_endpoint(const EndpointRecord& endpoint) {
  put(Cf::catalog, keys::endpoint(endpoint.id), codec::encode(endpoint));
  index_endpoint(endpoint.tenant_id, endpoint.id);
}

void WriteSet::index_endpoint(std::string_view tenant_id, std::string_view endpoint_id) {
  put(Cf::catalog, keys::tenant_endpoint(tenant_id, endpoint_id), {});
}

void WriteSet::delete_endpoint(std::string_view tenant_id, std::string_view endpoint_id) {
  erase(Cf::catalog, keys::endpoint(endpoint_id));
  erase(Cf::catalog, keys::tenant_endpoint(tenant_id, endpoint_id));
  for (Cf cf : {Cf::log, Cf::due, Cf::dlq, Cf::attempts})
    erase_range(cf, keys::prefix(endpoint_id), keys::prefix_end(endpoint_id));
  erase(Cf::state, keys::state(endpoint_id));
  // A snapshot appended after this must land after the erase, not in the put before it.
  snapshot_op_.erase(std::string(endpoint_id));
}

void WriteSet::put_event(const StoredEventView& event) {
  std::string key = keys::event(event.tenant_id, event.id);
  put(Cf::events, key, codec::encode_event(event));
  put(Cf::dedupe, std::move(key), codec::encode_dedupe(event.ingested_at));
}

void WriteSet::append(EndpointLog& log, const engine::Delivery& before,
                      std::span<const engine::DeliveryRecord> records, std::string_view envelope) {
  if (records.empty()) return;
  const std::string& id = log.endpoint_id;

  put(Cf::log, keys::log(id, log.snapshot.next_log_seq++), codec::encode_log_entry(records));

  // An attempt's row names what it led to: the state after the record that
  // follows its AttemptFinished (the decision), or after it if it is last.
  // One state is rolled forward, not one copy kept per record.
  engine::Delivery after = before;
  const engine::AttemptFinished* unrecorded = nullptr;
  auto record_attempt = [&](const engine::AttemptFinished& finished) {
    AttemptRow row;
    row.event_id = finished.event_id;
    row.type = after.type;
    row.attempt = finished.outcome.attempt;
    row.status_code = finished.outcome.status_code;
    row.latency_ms = finished.outcome.latency_ms;
    row.error = finished.outcome.error;
    row.at = finished.at;
    row.outcome = outcome_name(after.status);
    put_attempt_row(log, row);
  };
  for (const auto& record : records) {
    after = engine::apply(std::move(after), record);
    if (unrecorded) record_attempt(*std::exchange(unrecorded, nullptr));
    unrecorded = std::get_if<engine::AttemptFinished>(&record);
  }
  if (unrecorded) record_attempt(*unrecorded);

  const bool was_pending = before.status == DeliveryStatus::pending;
  const bool is_pending = after.status == DeliveryStatus::pending;
  const bool was_dead = before.status == DeliveryStatus::dead;
  const bool is_dead = after.status == DeliveryStatus::dead;
  const std::string& event_id =
      after.event_id.empty() ? codec::event_id_of(records.front()) : after.event_id;

  if (was_pending) erase(Cf::due, keys::due(id, before.due_at, before.event_id));
  if (is_pending) put(Cf::due, keys::due(id, after.due_at, event_id), codec::encode(after));
  if (is_dead && !was_dead) put(Cf::dlq, keys::dlq(id, event_id), codec::encode_dlq(after, envelope));
  if (was_dead && !is_dead) erase(Cf::dlq, keys::dlq(id, before.event_id));

  step(log.snapshot.pending, was_pending, is_pending);
  step(log.snapshot.dead, was_dead, is_dead);
  put_snapshot(log);
}

void WriteSet::record_test_attempt(EndpointLog& log, const AttemptRow& row) {
  AttemptRow test_row = row;
  test_row.test = true;
  put_attempt_row(log, test_row);
  put_snapshot(log);
}

// Rows older than the ring go in one range deletion per kAttemptRingSize
// rows rather than a point deletion per row (a memtable insert each, on the
// hot path): between two trims up to twice the ring is stored, and
// Store::recent_attempts reads only the newest kAttemptRingSize. Each trim
// deletes only the block of rows that just left the ring, so the ranges
// never overlap: RocksDB splits overlapping range deletions into fragments
// that each list every deletion covering them, and nested ranges from the
// endpoint's first key made that quadratic (bench (e): peak RSS 202 -> 338
// MiB while draining at 25k deliveries/s).
void WriteSet::put_attempt_row(EndpointLog& log, const AttemptRow& row) {
  const std::uint64_t seq = log.snapshot.next_attempt_seq++;
  put(Cf::attempts, keys::attempt(log.endpoint_id, seq), codec::encode(row));
  if (seq < kAttemptRingSize || seq % kAttemptRingSize != 0) return;
  const std::uint64_t kept_from = seq + 1 - kAttemptRingSize;
  const std::uint64_t trimmed_from =
      kept_from > kAttemptRingSize ? kept_from - kAttemptRingSize : 0;
  erase_range(Cf::attempts, keys::attempt(log.endpoint_id, trimmed_from),
              keys::attempt(log.endpoint_id, kept_from));
}

void WriteSet::put_snapshot(const EndpointLog& log) {
  auto [it, first] = snapshot_op_.try_emplace(log.endpoint_id, ops_.size());
  if (first) return put(Cf::state, keys::state(log.endpoint_id), codec::encode(log.snapshot));
  // Only the newest snapshot of an endpoint counts: one key, one put per set.
  std::string& value = ops_[it->second].value;
  bytes_ -= value.size();
  value = codec::encode(log.snapshot);
  bytes_ += value.size();
}

}  // namespace sivo::storage
