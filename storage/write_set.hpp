#pragma once
// WriteSet: the typed operations of one atomic write. Everything added to one
// set lands in one rocksdb::WriteBatch: all of it is durable, or none of it.
// Building a set does no I/O; hand it to Committer::submit (or Store::write).

#include <cstddef>
#include <span>
#include <unordered_map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/delivery.hpp"
#include "storage/catalog_records.hpp"
#include "storage/column_families.hpp"
#include "storage/projections.hpp"
#include "storage/stored_event.hpp"

namespace sivo::storage {

class WriteSet {
 public:
  // --- catalog ---
  void put_tenant(const TenantRecord& tenant);
  void put_api_key(std::string_view key_hash, std::string_view tenant_id);
  void delete_api_key(std::string_view key_hash);
  void put_setting(std::string_view name, std::string_view value);
  // The record, and the endpoint in its tenant's index (index_endpoint).
  void put_endpoint(const EndpointRecord& endpoint);
  // The key `x|<tenant>|<endpoint>` that lists the endpoint under its tenant.
  void index_endpoint(std::string_view tenant_id, std::string_view endpoint_id);
  // The record and every key of the endpoint: log, due, dlq, attempts, state.
  void delete_endpoint(std::string_view tenant_id, std::string_view endpoint_id);

  // --- events ---
  // The body (events) and the dedupe key, both keyed by (tenant, event id).
  void put_event(const StoredEventView& event);

  // --- one endpoint's delivery log ---
  // Appends the records one decision produced for one delivery as one log
  // entry, at log's next sequence number, and keeps the projections in step.
  // `before` is the delivery's state before the records; the after-state is
  // engine::apply of them over it.
  //  - due: before's key is deleted if before was pending; after's is put if
  //    after is pending (value: the after Delivery).
  //  - dlq: put (with `envelope`) when the delivery becomes dead; deleted when
  //    it leaves dead. Pass the envelope whenever the records may dead-letter.
  //  - attempts: each AttemptFinished becomes an AttemptRow, outcome
  //    "delivered" / "dead" / "failed" by the state the following record (or,
  //    for the last record, the after-state) leads to; every 100th row
  //    range-deletes the block of 100 rows that just left the ring.
  //  - state: pending/dead counters and sequence numbers, written with the
  //    set: once per endpoint per set, however many appends it holds (the
  //    snapshot of the last one; the earlier ones would be overwritten by it
  //    in the same batch anyway).
  void append(EndpointLog& log, const engine::Delivery& before,
              std::span<const engine::DeliveryRecord> records, std::string_view envelope = {});

  // The built-in tester's attempt: only a row in the attempts ring (the row's
  // `test` is set to true), plus the advanced snapshot.
  void record_test_attempt(EndpointLog& log, const AttemptRow& row);

  // Lets the committer write this set without syncing the WAL for it. A
  // process crash still keeps it (it is in the OS's page cache once
  // written); a power failure may lose it and the unsynced writes after it,
  // but never a synced write or anything written before one (the WAL is
  // replayed as a prefix). Only for records whose loss repeats work and
  // never loses any: an attempt's result, whose delivery would be attempted
  // again. Never for what is acknowledged to a client.
  void allow_unsynced() { needs_sync_ = false; }
  bool needs_sync() const { return needs_sync_; }

  bool empty() const { return ops_.empty(); }
  std::size_t byte_size() const { return bytes_; }  // keys + values, roughly the batch's size
  std::size_t op_count() const { return ops_.size(); }

 private:
  friend class Store;

  // erase_put_once: the deletion of a key put once since its last deletion
  // (RocksDB's SingleDelete). A put and such a deletion that meet in a flush
  // or compaction both vanish, where a plain deletion leaves a tombstone to
  // be flushed and compacted again down to the last level. Undefined for a
  // key put twice without a deletion between; only for due keys (append).
  enum class OpKind : std::uint8_t { put, erase, erase_put_once, erase_range };
  // Every key and value lives in buffer_, one after the other: one growing
  // allocation for the set, not one per key and per value (several per
  // delivery). An operation names its bytes by offset, since the buffer
  // moves when it grows.
  struct Op {
    Cf cf;
    OpKind kind;
    std::size_t key_at, key_size;
    std::size_t value_at, value_size;  // a put's value; an erase_range's end key
  };
  std::string_view key_of(const Op& op) const {
    return {buffer_.data() + op.key_at, op.key_size};
  }
  std::string_view value_of(const Op& op) const {
    return {buffer_.data() + op.value_at, op.value_size};
  }

  // Adds an operation: `append_key` appends its key to the buffer, then
  // `append_value` its value (nothing for an erase; an erase_range's end key).
  template <class AppendKey, class AppendValue>
  void add(Cf cf, OpKind kind, AppendKey&& append_key, AppendValue&& append_value);
  void put(Cf cf, std::string_view key, std::string_view value);
  void erase(Cf cf, std::string_view key);
  void erase_range(Cf cf, std::string_view begin, std::string_view end);
  void put_attempt_row(EndpointLog& log, const AttemptRow& row);
  void put_snapshot(const EndpointLog& log);

  std::string buffer_;
  std::vector<Op> ops_;
  std::size_t bytes_ = 0;
  bool needs_sync_ = true;
  // endpoint id -> index in ops_ of that endpoint's snapshot put, which later
  // appends to the same endpoint update.
  std::unordered_map<std::string, std::size_t> snapshot_op_;
};

}  // namespace sivo::storage
