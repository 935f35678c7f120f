#pragma once
// Store: the RocksDB database of one node. Opens (or creates) the column
// families of docs/DESIGN.md, applies WriteSets atomically and answers the
// reads of the actors and the API. All members are safe to call from any
// thread; writes normally go through one Committer (group commit).

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/delivery.hpp"
#include "engine/error.hpp"
#include "storage/catalog_records.hpp"
#include "storage/projections.hpp"
#include "storage/retention.hpp"
#include "storage/store_options.hpp"
#include "storage/stored_event.hpp"
#include "storage/write_set.hpp"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class Cache;
class WriteBatch;
}  // namespace rocksdb

namespace sivo::storage {

class Store {
 public:
  // Creates the directory and the column families if absent. Error code
  // "storage_unavailable" if RocksDB cannot open the directory.
  static engine::Result<std::unique_ptr<Store>> open(const StoreOptions& options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const StoreOptions& options() const { return options_; }

  // Writes one set atomically, the WAL synced when options().sync_writes and
  // the set needs_sync().
  // true on success; Error{"storage_unavailable", ...} on failure (then none
  // of the set is written). Committer batches many sets into one such write.
  //
  // After a failed write (a full disk, a failing device) every write is
  // refused the same way, without reaching RocksDB, until the store has
  // recovered: the first write after kResumeInterval asks DB::Resume(), and
  // goes ahead if the database takes writes again. A full disk recovers once
  // 64 MiB are free again; a device error needs a restart. See write_batch
  // in store.cpp for why.
  engine::Result<bool> write(WriteSet&& set);
  static constexpr std::chrono::milliseconds kResumeInterval{500};

  struct WriteHealth {
    bool failed = false;          // writes are being refused until a resume succeeds
    std::uint64_t failures = 0;   // writes RocksDB failed (each closed the store to writes)
    std::uint64_t refused = 0;    // writes refused without reaching RocksDB
    std::uint64_t recoveries = 0; // successful resumes
  };
  WriteHealth write_health() const;

  // --- catalog ---
  std::optional<TenantRecord> tenant(std::string_view id) const;
  std::vector<TenantRecord> tenants() const;
  std::optional<std::string> tenant_for_api_key(std::string_view key_hash) const;
  std::optional<std::string> setting(std::string_view name) const;
  std::optional<EndpointRecord> endpoint(std::string_view endpoint_id) const;
  // One tenant's endpoints, through its index: the cost is that tenant's size.
  std::vector<EndpointRecord> endpoints_of(std::string_view tenant_id) const;
  std::vector<std::string> endpoint_ids_of(std::string_view tenant_id) const;
  std::vector<EndpointRecord> all_endpoints() const;

  // --- events and dedupe ---
  std::optional<StoredEvent> event(std::string_view tenant_id, std::string_view event_id) const;
  // One answer per id, in the order of `event_ids` (one MultiGet).
  std::vector<std::optional<StoredEvent>> events(std::string_view tenant_id,
                                                 std::span<const std::string> event_ids) const;
  // The same without copying: each event found is handed to `found` with its
  // index in `event_ids`, as views valid during that call only.
  void read_events(std::string_view tenant_id, std::span<const std::string_view> event_ids,
                   const std::function<void(std::size_t index, const StoredEventView& event)>&
                       found) const;
  // Whether each id's dedupe key exists (one MultiGet).
  std::vector<bool> seen(std::string_view tenant_id, std::span<const std::string> event_ids) const;
  // Events of a tenant ingested in [since, until), oldest first, at most
  // `limit` (for recovery). A scan of the tenant's dedupe keys, so it sees
  // what retention has not purged yet.
  std::vector<StoredEvent> events_ingested(std::string_view tenant_id, UnixMillis since,
                                           UnixMillis until, std::size_t limit = SIZE_MAX) const;

  // --- delivery projections ---
  // The endpoint's snapshot as last written; zeros for an endpoint never written.
  EndpointSnapshot snapshot(std::string_view endpoint_id) const;
  // Every endpoint's snapshot summed: one scan of the state family.
  DeliveryTotals delivery_totals() const;
  // Pending deliveries in (due_at, event_id) order, from `from` (inclusive),
  // with due_at <= now, at most `limit`.
  std::vector<engine::Delivery> due(std::string_view endpoint_id, const DueKey& from,
                                    UnixMillis now, std::size_t limit) const;
  // The earliest pending delivery at or after `from`, whenever it is due.
  std::optional<DueKey> first_due(std::string_view endpoint_id, const DueKey& from) const;
  // The attempts ring, newest first.
  std::vector<AttemptRow> recent_attempts(std::string_view endpoint_id, std::size_t limit = 100) const;
  // The DLQ in event id order; `cursor` is a page's next_cursor (opaque).
  DlqPage dead_letters(std::string_view endpoint_id, std::optional<std::string> cursor,
                       std::size_t limit) const;
  std::optional<DlqEntry> dead_letter(std::string_view endpoint_id, std::string_view event_id) const;
  std::vector<DlqEntry> all_dead_letters(std::string_view endpoint_id) const;

  // Visits the endpoint's log records with seq >= from, in order; returns how
  // many were visited. The records of one decision are one entry and share
  // its seq. Entries this build cannot decode are skipped (counted in
  // undecodable_records()); retention may have removed the oldest ones.
  std::uint64_t replay(std::string_view endpoint_id, std::uint64_t from,
                       const std::function<void(std::uint64_t seq, const engine::DeliveryRecord&)>& visit) const;
  std::uint64_t undecodable_records() const { return undecodable_; }

  // Removes what is older than options().retention (see retention.hpp).
  RetentionReport purge_expired(UnixMillis now);

 private:
  friend class Committer;

  Store() = default;
  rocksdb::ColumnFamilyHandle* cf(Cf family) const { return handles_[static_cast<std::size_t>(family)]; }
  engine::Result<bool> index_endpoints_once();
  void add_to_batch(const WriteSet& set, rocksdb::WriteBatch& batch) const;
  // Every write to RocksDB goes through here (Committer, write, retention).
  enum class Durability { synced_if_configured, unsynced };
  engine::Result<bool> write_batch(rocksdb::WriteBatch& batch,
                                   Durability durability = Durability::synced_if_configured);
  bool resume_locked();
  void hold_a_memtable_entry();
  std::optional<std::string> get(Cf family, std::string_view key) const;
  // Visits every key/value of `family` in [begin, end) until visit returns false.
  void scan(Cf family, std::string_view begin, std::string_view end,
            const std::function<bool(std::string_view key, std::string_view value)>& visit) const;
  // Looks up all `keys` at once and visits the value of each one found, by
  // its index in `keys`, in place (the value is not copied out first).
  void multi_get(Cf family, std::span<const std::string_view> keys,
                 const std::function<void(std::size_t index, std::string_view value)>& found) const;

  StoreOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // indexed by Cf
  rocksdb::ColumnFamilyHandle* default_cf_ = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> unknown_cfs_;  // families of a later build, left alone
  std::shared_ptr<rocksdb::Cache> block_cache_;
  mutable std::atomic<std::uint64_t> undecodable_{0};

  // The write gate (write_batch): one write reaches RocksDB at a time, none
  // while a failure is unresolved.
  mutable std::mutex write_mutex_;
  std::optional<engine::Error> failure_;  // set from a failed write until a resume succeeds
  std::chrono::steady_clock::time_point next_resume_;
  WriteHealth health_;
};

}  // namespace sivo::storage
