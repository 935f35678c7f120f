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

template <class AppendKey, class AppendValue>
void WriteSet::add(Cf cf, OpKind kind, AppendKey&& append_key, AppendValue&& append_value) {
  // Room for an attempt's result (log entry, attempt row, due key, snapshot:
  // ~500 bytes) from the start, rather than growing into it step by step.
  constexpr std::size_t kFirstRoom = 1024;
  if (buffer_.capacity() < kFirstRoom) buffer_.reserve(kFirstRoom);
  const std::size_t key_at = buffer_.size();
  append_key(buffer_);
  const std::size_t value_at = buffer_.size();
  append_value(buffer_);
  const std::size_t key_size = value_at - key_at, value_size = buffer_.size() - value_at;
  bytes_ += key_size + value_size;
  ops_.push_back(Op{cf, kind, key_at, key_size, value_at, value_size});
}

namespace {
constexpr auto kNoValue = [](std::string&) {};
auto appending(std::string_view bytes) {
  return [bytes](std::string& out) { out.append(bytes); };
}
}  // namespace

void WriteSet::put(Cf cf, std::string_view key, std::string_view value) {
  add(cf, OpKind::put, appending(key), appending(value));
}

void WriteSet::erase(Cf cf, std::string_view key) {
  add(cf, OpKind::erase, appending(key), kNoValue);
}

void WriteSet::erase_range(Cf cf, std::string_view begin, std::string_view end) {
  add(cf, OpKind::erase_range, appending(begin), appending(end));
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
  const std::size_t key_size = event.tenant_id.size() + 1 + event.id.size();
  buffer_.reserve(buffer_.size() + 2 * key_size + event.envelope.size() + 64);  // keys, values
  auto key = [&](std::string& out) { keys::append_event(out, event.tenant_id, event.id); };
  add(Cf::events, OpKind::put, key, [&](std::string& out) { codec::encode_event(out, event); });
  add(Cf::dedupe, OpKind::put, key,
      [&](std::string& out) { codec::encode_dedupe(out, event.ingested_at); });
}

void WriteSet::append(EndpointLog& log, const engine::Delivery& before,
                      std::span<const engine::DeliveryRecord> records, std::string_view envelope) {
  if (records.empty()) return;
  const std::string& id = log.endpoint_id;

  add(Cf::log, OpKind::put,
      [&](std::string& out) { keys::append_log(out, id, log.snapshot.next_log_seq++); },
      [&](std::string& out) { codec::encode_log_entry(out, records); });

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
  const engine::EventId& event_id =
      after.event_id.empty() ? engine::event_id_of(records.front()) : after.event_id;

  const std::string_view endpoint = id;
  auto due_key = [endpoint](UnixMillis due_at, std::string_view event) {
    return [=](std::string& out) { keys::append_due(out, endpoint, due_at, event); };
  };
  auto dlq_key = [endpoint](std::string_view event) {
    return [=](std::string& out) { keys::append_dlq(out, endpoint, event); };
  };
  // A due key is put once and deleted once. An endpoint has one pending
  // delivery per event at most (ingest refuses an id it has seen, and
  // retention keeps an id's dedupe key while a delivery of the event is
  // pending or dead: retention.cpp), and a move deletes the old key before
  // it puts the new one.
  if (was_pending)
    add(Cf::due, OpKind::erase_put_once, due_key(before.due_at, before.event_id), kNoValue);
  if (is_pending)
    add(Cf::due, OpKind::put, due_key(after.due_at, event_id),
        [&](std::string& out) { codec::encode(out, after); });
  if (is_dead && !was_dead)
    add(Cf::dlq, OpKind::put, dlq_key(event_id),
        [&](std::string& out) { codec::encode_dlq(out, after, envelope); });
  if (was_dead && !is_dead) add(Cf::dlq, OpKind::erase, dlq_key(before.event_id), kNoValue);

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
  add(Cf::attempts, OpKind::put,
      [&](std::string& out) { keys::append_attempt(out, log.endpoint_id, seq); },
      [&](std::string& out) { codec::encode(out, row); });
  if (seq < kAttemptRingSize || seq % kAttemptRingSize != 0) return;
  const std::uint64_t kept_from = seq + 1 - kAttemptRingSize;
  const std::uint64_t trimmed_from =
      kept_from > kAttemptRingSize ? kept_from - kAttemptRingSize : 0;
  erase_range(Cf::attempts, keys::attempt(log.endpoint_id, trimmed_from),
              keys::attempt(log.endpoint_id, kept_from));
}

void WriteSet::put_snapshot(const EndpointLog& log) {
  auto value = [&](std::string& out) { codec::encode(out, log.snapshot); };
  auto [it, first] = snapshot_op_.try_emplace(log.endpoint_id, ops_.size());
  if (first)
    return add(Cf::state, OpKind::put,
               [&](std::string& out) { keys::append_state(out, log.endpoint_id); }, value);
  // Only the newest snapshot of an endpoint counts: one key, one put per set.
  // The put takes the newer value, appended; the older one's bytes stay in
  // the buffer unused (a snapshot is a dozen bytes).
  Op& op = ops_[it->second];
  bytes_ -= op.value_size;
  op.value_at = buffer_.size();
  value(buffer_);
  op.value_size = buffer_.size() - op.value_at;
  bytes_ += op.value_size;
}

}  // namespace sivo::storage
