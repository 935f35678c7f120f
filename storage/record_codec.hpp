#pragma once
// Binary encoding of the values in the log, due, dlq, attempts, state, events
// and dedupe families (see wire.hpp for the format). Every value starts with
// a version byte; decoders return nullopt for bytes they cannot read.
// Event types are stored by name ("call.created"), never by enum number, so
// the catalog's order can change without rewriting stored values.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/delivery.hpp"
#include "storage/projections.hpp"
#include "storage/stored_event.hpp"

namespace sivo::storage::codec {

inline constexpr char kVersion1 = 1;
// Only in the log: an entry of several records (see encode_log_entry).
inline constexpr char kLogEntryVersion = 2;

// The encoders that take `out` append the value to it: a write set builds all
// of its keys and values in one buffer. The others return it in a string of
// its own, with the same bytes.

std::string encode(const engine::DeliveryRecord& record);
std::optional<engine::DeliveryRecord> decode_record(std::string_view bytes);

// A log value: the records of one decision (WriteSet::append). One record is
// written as itself (version 1). Several, such as an attempt's
// AttemptFinished and the Delivered or RetryScheduled it led to, go in one
// version-2 value, each record's fields as one field, so that a decision
// costs one key and one memtable insert rather than one per record.
std::string encode_log_entry(std::span<const engine::DeliveryRecord> records);
void encode_log_entry(std::string& out, std::span<const engine::DeliveryRecord> records);
// The records of a log value of either version; nullopt when the bytes (or
// any record in them) cannot be read.
std::optional<std::vector<engine::DeliveryRecord>> decode_log_entry(std::string_view bytes);

std::string encode(const engine::Delivery& delivery);
void encode(std::string& out, const engine::Delivery& delivery);
std::optional<engine::Delivery> decode_delivery(std::string_view bytes);

std::string encode(const AttemptRow& row);
void encode(std::string& out, const AttemptRow& row);
std::optional<AttemptRow> decode_attempt(std::string_view bytes);

std::string encode(const EndpointSnapshot& snapshot);
void encode(std::string& out, const EndpointSnapshot& snapshot);
std::optional<EndpointSnapshot> decode_snapshot(std::string_view bytes);

// dlq value: the dead Delivery and the envelope.
std::string encode_dlq(const engine::Delivery& delivery, std::string_view envelope);
void encode_dlq(std::string& out, const engine::Delivery& delivery, std::string_view envelope);
std::optional<DlqEntry> decode_dlq(std::string_view bytes);

// events value: type, ingested_at and envelope (tenant and id are the key).
std::string encode_event(const StoredEventView& event);
void encode_event(std::string& out, const StoredEventView& event);
std::optional<StoredEvent> decode_event(std::string_view bytes);
// The same as views into `bytes`: the envelope is not copied. The tenant and
// the id are the key's, so they are left empty here.
std::optional<StoredEventView> decode_event_view(std::string_view bytes);
// Only the ingest time of an events value, without copying the envelope.
std::optional<UnixMillis> event_ingested_at(std::string_view bytes);

// dedupe value: the ingest time.
std::string encode_dedupe(UnixMillis ingested_at);
void encode_dedupe(std::string& out, UnixMillis ingested_at);
std::optional<UnixMillis> decode_dedupe(std::string_view bytes);

// The time a log record happened at; nullopt for RetryScheduled (which has
// only a due time and always follows the AttemptFinished it belongs to).
std::optional<UnixMillis> time_of(const engine::DeliveryRecord& record);

}  // namespace sivo::storage::codec
