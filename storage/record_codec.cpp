#include "storage/record_codec.hpp"

#include <type_traits>

#include "storage/wire.hpp"

namespace sivo::storage::codec {

namespace {

using wire::Field;
using wire::Reader;
using wire::Writer;

// Kind numbers of log records: stable forever, never reused.
enum RecordKind : std::uint64_t {
  kEnqueued = 1,
  kAttemptFinished = 2,
  kRetryScheduled = 3,
  kDelivered = 4,
  kDeadLettered = 5,
  kRequeued = 6,
};

// A value's bytes start with its version. Reserving what the value will
// hold makes its encoding one allocation (none in a write set's buffer that
// has the room): grown from empty, a 70-byte delivery took three, a 1 KB
// event seven (these run several times per delivery). `out` may already hold
// other values: its capacity still grows geometrically.
constexpr std::size_t kRecordBytes = 128;  // a record, delivery or attempt row, error text aside
Writer begin(std::string& out, std::size_t capacity, char version = kVersion1) {
  out.reserve(out.size() + 1 + capacity);
  out.push_back(version);
  return Writer(out);
}

// The fields after the version byte, or nullopt for an unknown version.
std::optional<std::string_view> body_of(std::string_view bytes) {
  if (bytes.empty() || bytes.front() != kVersion1) return std::nullopt;
  return bytes.substr(1);
}

std::optional<engine::EventType> type_from(const Field& f) {
  if (!f.is_bytes) return std::nullopt;
  return engine::parse_event_type(f.bytes);
}

// Calls on_field for each field of `body` (the fields after the version
// byte); false if they are malformed or on_field rejected one.
template <class OnField>
bool read_body_fields(std::string_view body, OnField&& on_field) {
  Reader reader(body);
  Field f;
  while (reader.next(f))
    if (!on_field(f)) return false;
  return !reader.failed();
}

// The same for a whole version-1 value; false for any other version.
template <class OnField>
bool read_fields(std::string_view bytes, OnField&& on_field) {
  const auto body = body_of(bytes);
  return body && read_body_fields(*body, std::forward<OnField>(on_field));
}

int as_int(const Field& f) { return static_cast<int>(f.as_i64()); }

// False for an id longer than any the engine accepts: such bytes are damage.
bool read_event_id(const Field& f, engine::EventId& out) {
  if (f.bytes.size() > engine::kMaxEventIdLength) return false;
  out = f.bytes;
  return true;
}

}  // namespace

// --- DeliveryRecord ---
// 1 kind, 2 event_id, 3 at, 4 type, 5 attempt, 6 status_code, 7 latency_ms,
// 8 error, 9 retry_after_ms, 10 next_attempt, 11 due_at

namespace {

void write_record(Writer& w, const engine::DeliveryRecord& record) {
  std::visit(
      [&](const auto& r) {
        using R = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<R, engine::Enqueued>) {
          w.u64(1, kEnqueued);
          w.bytes(2, r.event_id);
          w.i64(3, r.at);
          w.bytes(4, engine::name_of(r.type));
        } else if constexpr (std::is_same_v<R, engine::AttemptFinished>) {
          w.u64(1, kAttemptFinished);
          w.bytes(2, r.event_id);
          w.i64(3, r.at);
          w.i64(5, r.outcome.attempt);
          w.i64(6, r.outcome.status_code);
          w.i64(7, r.outcome.latency_ms);
          w.bytes(8, r.outcome.error);
          w.i64(9, r.outcome.retry_after_ms);
        } else if constexpr (std::is_same_v<R, engine::RetryScheduled>) {
          w.u64(1, kRetryScheduled);
          w.bytes(2, r.event_id);
          w.i64(10, r.next_attempt);
          w.i64(11, r.due_at);
        } else {
          w.u64(1, std::is_same_v<R, engine::Delivered>      ? kDelivered
                   : std::is_same_v<R, engine::DeadLettered> ? kDeadLettered
                                                             : kRequeued);
          w.bytes(2, r.event_id);
          w.i64(3, r.at);
        }
      },
      record);
}

// A record from its fields (a version-1 value's body, or one field of a log entry).
std::optional<engine::DeliveryRecord> decode_record_fields(std::string_view fields) {
  std::uint64_t kind = 0;
  engine::EventId event_id;
  UnixMillis at = 0, due_at = 0;
  std::optional<engine::EventType> type;
  engine::AttemptOutcome outcome;
  int next_attempt = 2;
  const bool ok = read_body_fields(fields, [&](const Field& f) {
    switch (f.number) {
      case 1: kind = f.varint; break;
      case 2: if (!read_event_id(f, event_id)) return false; break;
      case 3: at = f.as_i64(); break;
      case 4: type = type_from(f); if (!type) return false; break;
      case 5: outcome.attempt = as_int(f); break;
      case 6: outcome.status_code = as_int(f); break;
      case 7: outcome.latency_ms = f.as_i64(); break;
      case 8: outcome.error = f.bytes; break;
      case 9: outcome.retry_after_ms = f.as_i64(); break;
      case 10: next_attempt = as_int(f); break;
      case 11: due_at = f.as_i64(); break;
      default: break;  // a field of a later writer
    }
    return true;
  });
  if (!ok) return std::nullopt;
  switch (kind) {
    case kEnqueued:
      if (!type) return std::nullopt;
      return engine::Enqueued{std::move(event_id), *type, at};
    case kAttemptFinished: return engine::AttemptFinished{std::move(event_id), std::move(outcome), at};
    case kRetryScheduled: return engine::RetryScheduled{std::move(event_id), next_attempt, due_at};
    case kDelivered: return engine::Delivered{std::move(event_id), at};
    case kDeadLettered: return engine::DeadLettered{std::move(event_id), at};
    case kRequeued: return engine::Requeued{std::move(event_id), at};
    default: return std::nullopt;
  }
}

}  // namespace

std::string encode(const engine::DeliveryRecord& record) {
  std::string out;
  Writer w = begin(out, kRecordBytes);
  write_record(w, record);
  return out;
}

std::optional<engine::DeliveryRecord> decode_record(std::string_view bytes) {
  const auto body = body_of(bytes);
  if (!body) return std::nullopt;
  return decode_record_fields(*body);
}

// --- log entry ---
// version 1: one record; version 2: field 1 (repeated) = one record's fields

void encode_log_entry(std::string& out, std::span<const engine::DeliveryRecord> records) {
  if (records.size() == 1) {
    Writer w = begin(out, kRecordBytes);
    return write_record(w, records.front());
  }
  Writer w = begin(out, records.size() * kRecordBytes, kLogEntryVersion);
  // A record's length goes before its fields, so they are written here
  // first: per thread, so that it keeps its room from one entry to the next.
  thread_local std::string fields;
  for (const auto& record : records) {
    fields.clear();
    Writer record_writer(fields);
    write_record(record_writer, record);
    w.bytes(1, fields);
  }
}

std::string encode_log_entry(std::span<const engine::DeliveryRecord> records) {
  std::string out;
  encode_log_entry(out, records);
  return out;
}

std::optional<std::vector<engine::DeliveryRecord>> decode_log_entry(std::string_view bytes) {
  std::vector<engine::DeliveryRecord> records;
  if (!bytes.empty() && bytes.front() == kVersion1) {
    auto record = decode_record(bytes);
    if (!record) return std::nullopt;
    records.push_back(std::move(*record));
    return records;
  }
  if (bytes.empty() || bytes.front() != kLogEntryVersion) return std::nullopt;
  const bool ok = read_body_fields(bytes.substr(1), [&](const Field& f) {
    if (f.number != 1) return true;  // a field of a later writer
    if (!f.is_bytes) return false;
    auto record = decode_record_fields(f.bytes);
    if (!record) return false;
    records.push_back(std::move(*record));
    return true;
  });
  if (!ok || records.empty()) return std::nullopt;
  return records;
}

std::optional<UnixMillis> time_of(const engine::DeliveryRecord& record) {
  return std::visit(
      [](const auto& r) -> std::optional<UnixMillis> {
        if constexpr (std::is_same_v<std::decay_t<decltype(r)>, engine::RetryScheduled>)
          return std::nullopt;
        else
          return r.at;
      },
      record);
}

// --- Delivery ---
// 1 event_id, 2 type, 3 status, 4 next_attempt, 5 series, 6 enqueued_at,
// 7 due_at, 8 last_status_code, 9 last_error, 10 attempts_in_series, 11 finished_at

namespace {
void write_delivery(Writer& w, const engine::Delivery& d) {
  w.bytes(1, d.event_id);
  w.bytes(2, engine::name_of(d.type));
  w.u64(3, static_cast<std::uint64_t>(d.status));
  w.i64(4, d.next_attempt);
  w.i64(5, d.series);
  w.i64(6, d.enqueued_at);
  w.i64(7, d.due_at);
  w.i64(8, d.last_status_code);
  w.bytes(9, d.last_error);
  w.i64(10, d.attempts_in_series);
  w.i64(11, d.finished_at);
}
}  // namespace

void encode(std::string& out, const engine::Delivery& delivery) {
  Writer w = begin(out, kRecordBytes + delivery.last_error.size());
  write_delivery(w, delivery);
}

std::string encode(const engine::Delivery& delivery) {
  std::string out;
  encode(out, delivery);
  return out;
}

std::optional<engine::Delivery> decode_delivery(std::string_view bytes) {
  engine::Delivery d;
  const bool ok = read_fields(bytes, [&](const Field& f) {
    switch (f.number) {
      case 1: if (!read_event_id(f, d.event_id)) return false; break;
      case 2: {
        const auto type = type_from(f);
        if (!type) return false;
        d.type = *type;
        break;
      }
      case 3:
        if (f.varint > static_cast<std::uint64_t>(engine::DeliveryStatus::dead)) return false;
        d.status = static_cast<engine::DeliveryStatus>(f.varint);
        break;
      case 4: d.next_attempt = as_int(f); break;
      case 5: d.series = as_int(f); break;
      case 6: d.enqueued_at = f.as_i64(); break;
      case 7: d.due_at = f.as_i64(); break;
      case 8: d.last_status_code = as_int(f); break;
      case 9: d.last_error = f.bytes; break;
      case 10: d.attempts_in_series = as_int(f); break;
      case 11: d.finished_at = f.as_i64(); break;
      default: break;
    }
    return true;
  });
  if (!ok) return std::nullopt;
  return d;
}

// --- AttemptRow ---
// 1 event_id, 2 type, 3 attempt, 4 status_code, 5 latency_ms, 6 error, 7 at, 8 outcome, 9 test

void encode(std::string& out, const AttemptRow& row) {
  Writer w = begin(out, kRecordBytes + row.error.size());
  w.bytes(1, row.event_id);
  w.bytes(2, engine::name_of(row.type));
  w.i64(3, row.attempt);
  w.i64(4, row.status_code);
  w.i64(5, row.latency_ms);
  w.bytes(6, row.error);
  w.i64(7, row.at);
  w.bytes(8, row.outcome);
  w.boolean(9, row.test);
}

std::string encode(const AttemptRow& row) {
  std::string out;
  encode(out, row);
  return out;
}

std::optional<AttemptRow> decode_attempt(std::string_view bytes) {
  AttemptRow row;
  const bool ok = read_fields(bytes, [&](const Field& f) {
    switch (f.number) {
      case 1: row.event_id = f.bytes; break;
      case 2: {
        const auto type = type_from(f);
        if (!type) return false;
        row.type = *type;
        break;
      }
      case 3: row.attempt = as_int(f); break;
      case 4: row.status_code = as_int(f); break;
      case 5: row.latency_ms = f.as_i64(); break;
      case 6: row.error = f.bytes; break;
      case 7: row.at = f.as_i64(); break;
      case 8: row.outcome = f.bytes; break;
      case 9: row.test = f.varint != 0; break;
      default: break;
    }
    return true;
  });
  if (!ok) return std::nullopt;
  return row;
}

// --- EndpointSnapshot ---
// 1 next_log_seq, 2 next_attempt_seq, 3 pending, 4 dead

void encode(std::string& out, const EndpointSnapshot& s) {
  Writer w = begin(out, 4 * 11);  // four tagged varints at most
  w.u64(1, s.next_log_seq);
  w.u64(2, s.next_attempt_seq);
  w.u64(3, s.pending);
  w.u64(4, s.dead);
}

std::string encode(const EndpointSnapshot& s) {
  std::string out;
  encode(out, s);
  return out;
}

std::optional<EndpointSnapshot> decode_snapshot(std::string_view bytes) {
  EndpointSnapshot s;
  const bool ok = read_fields(bytes, [&](const Field& f) {
    switch (f.number) {
      case 1: s.next_log_seq = f.varint; break;
      case 2: s.next_attempt_seq = f.varint; break;
      case 3: s.pending = f.varint; break;
      case 4: s.dead = f.varint; break;
      default: break;
    }
    return true;
  });
  if (!ok) return std::nullopt;
  return s;
}

// --- dlq value --- 1 delivery (nested, with its own version byte), 2 envelope

void encode_dlq(std::string& out, const engine::Delivery& delivery, std::string_view envelope) {
  Writer w = begin(out, kRecordBytes + delivery.last_error.size() + envelope.size() + 16);
  w.bytes(1, encode(delivery));
  w.bytes(2, envelope);
}

std::string encode_dlq(const engine::Delivery& delivery, std::string_view envelope) {
  std::string out;
  encode_dlq(out, delivery, envelope);
  return out;
}

std::optional<DlqEntry> decode_dlq(std::string_view bytes) {
  DlqEntry entry;
  bool has_delivery = false;
  const bool ok = read_fields(bytes, [&](const Field& f) {
    if (f.number == 1) {
      auto d = decode_delivery(f.bytes);
      if (!d) return false;
      entry.delivery = std::move(*d);
      has_delivery = true;
    } else if (f.number == 2) {
      entry.envelope = f.bytes;
    }
    return true;
  });
  if (!ok || !has_delivery) return std::nullopt;
  return entry;
}

// --- events value --- 1 type, 2 ingested_at, 3 envelope

void encode_event(std::string& out, const StoredEventView& e) {
  Writer w = begin(out, e.envelope.size() + 40);
  w.bytes(1, engine::name_of(e.type));
  w.i64(2, e.ingested_at);
  w.bytes(3, e.envelope);
}

std::string encode_event(const StoredEventView& e) {
  std::string out;
  encode_event(out, e);
  return out;
}

std::optional<StoredEvent> decode_event(std::string_view bytes) {
  const auto view = decode_event_view(bytes);
  if (!view) return std::nullopt;
  return StoredEvent{{}, {}, view->type, view->ingested_at, std::string(view->envelope)};
}

std::optional<StoredEventView> decode_event_view(std::string_view bytes) {
  StoredEventView e{{}, {}, engine::EventType{}, 0, {}};
  const bool ok = read_fields(bytes, [&](const Field& f) {
    switch (f.number) {
      case 1: {
        const auto type = type_from(f);
        if (!type) return false;
        e.type = *type;
        break;
      }
      case 2: e.ingested_at = f.as_i64(); break;
      case 3: e.envelope = f.bytes; break;
      default: break;
    }
    return true;
  });
  if (!ok) return std::nullopt;
  return e;
}

std::optional<UnixMillis> event_ingested_at(std::string_view bytes) {
  std::optional<UnixMillis> at;
  const bool ok = read_fields(bytes, [&](const Field& f) {
    if (f.number == 2) at = f.as_i64();
    return true;
  });
  return ok ? at : std::nullopt;
}

// --- dedupe value --- 1 ingested_at

void encode_dedupe(std::string& out, UnixMillis ingested_at) {
  begin(out, 11).i64(1, ingested_at);  // one tagged varint
}

std::string encode_dedupe(UnixMillis ingested_at) {
  std::string out;
  encode_dedupe(out, ingested_at);
  return out;
}

std::optional<UnixMillis> decode_dedupe(std::string_view bytes) {
  std::optional<UnixMillis> at;
  const bool ok = read_fields(bytes, [&](const Field& f) {
    if (f.number == 1) at = f.as_i64();
    return true;
  });
  return ok ? at : std::nullopt;
}

}  // namespace sivo::storage::codec
