#include "storage/store.hpp"

#include <rocksdb/cache.h>
#include <rocksdb/convenience.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/perf_level.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/table_properties_collectors.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <limits>
#include <system_error>

#include "storage/catalog_codec.hpp"
#include "storage/info_log.hpp"
#include "storage/keys.hpp"
#include "storage/memtable_insert_hint.hpp"
#include "storage/record_codec.hpp"

namespace sivo::storage {

namespace {

rocksdb::Slice slice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }
std::string_view view(const rocksdb::Slice& s) { return std::string_view(s.data(), s.size()); }

// RocksDB counts into a per-thread perf context on every read and write
// (PerfLevel kEnableCount by default). Nothing reads those counts, and from a
// shared library each one is a __tls_get_addr call. Turned off on each thread
// that uses the store, the first time it does.
void without_perf_counters() {
  thread_local bool off = false;
  if (off) return;
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  off = true;
}

// Where a scan of an endpoint's due index starts: at `from`, or just past it.
std::string due_seek_key(std::string_view endpoint_id, const DueKey& from) {
  std::string key = keys::due(endpoint_id, from.due_at, from.event_id);
  if (from.past) key.push_back('\0');
  return key;
}

engine::Error unavailable(const rocksdb::Status& status) {
  return engine::Error{"storage_unavailable", "The store failed: " + status.ToString() + "."};
}

rocksdb::CompressionType best_compression() {
  const auto supported = rocksdb::GetSupportedCompressions();
  for (auto type : {rocksdb::kLZ4Compression, rocksdb::kSnappyCompression})
    if (std::find(supported.begin(), supported.end(), type) != supported.end()) return type;
  return rocksdb::kNoCompression;
}

// Per family tuning for a write-heavy queue: level compaction everywhere (the
// log's level 0 holds more files before it is compacted);
// bloom filters where reads are point lookups (events, dedupe, dlq, catalog);
// small write buffers for the small families; an insert hint per endpoint for
// the due index (see memtable_insert_hint.cpp); deletion-triggered compaction
// where keys are deleted one by one as fast as they are written (due; the
// attempts ring is trimmed by range deletions, see WriteSet::put_attempt_row).
rocksdb::ColumnFamilyOptions family_options(Cf family, const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions o;
  o.compaction_style = rocksdb::kCompactionStyleLevel;
  o.level_compaction_dynamic_level_bytes = true;
  o.compression = best_compression();

  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  table.format_version = 5;

  std::size_t write_buffer = 16 << 20;
  bool bloom = false;
  switch (family) {
    case Cf::catalog: write_buffer = 4 << 20; bloom = true; break;
    case Cf::events: write_buffer = 64 << 20; bloom = true; break;
    case Cf::dedupe: write_buffer = 16 << 20; bloom = true; break;
    // Appended and scanned, never point-read; at run time only retention
    // reads it. Every flush spans every endpoint's keys, so each compaction
    // of level 0 rewrites the whole base level: after 16 files instead of 4,
    // a quarter as often (4 minutes of bench (a): 54.0 -> 15.7 s of CPU).
    case Cf::log:
      write_buffer = 64 << 20;
      o.level0_file_num_compaction_trigger = 16;
      o.level0_slowdown_writes_trigger = 48;
      o.level0_stop_writes_trigger = 64;
      break;
    case Cf::due:
      o.memtable_insert_with_hint_prefix_extractor = owner_insert_hint();
      o.table_properties_collector_factories.emplace_back(
          rocksdb::NewCompactOnDeletionCollectorFactory(/*window=*/1024, /*trigger=*/512));
      break;
    case Cf::attempts: break;
    case Cf::dlq: bloom = true; break;
    case Cf::state: write_buffer = 4 << 20; bloom = true; break;
  }
  if (bloom) {
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    table.whole_key_filtering = true;
  }
  o.write_buffer_size = write_buffer;
  o.max_write_buffer_number = 3;
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return o;
}

}  // namespace

engine::Result<std::unique_ptr<Store>> Store::open(const StoreOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(options.dir, ec);
  if (ec)
    return engine::Error{"storage_unavailable",
                         "Cannot create the store directory " + options.dir.string() + ": " + ec.message() + "."};

  std::unique_ptr<Store> store(new Store());
  store->options_ = options;
  store->block_cache_ = rocksdb::NewLRUCache(64 << 20);

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  // One cap on the memtables of all families together: a deep backlog costs
  // disk, and RAM stays bounded whatever the families' own buffer sizes.
  db_options.db_write_buffer_size = 64 << 20;
  db_options.bytes_per_sync = 1 << 20;
  db_options.max_total_wal_size = 256 << 20;  // flushes the quiet families so old WALs can go
  db_options.keep_log_file_num = 5;
  db_options.info_log = std::make_shared<InfoLog>(options.dir);  // see info_log.hpp
  // Nothing to flush at close: the WAL holds every write (see hold_a_memtable_entry).
  db_options.avoid_flush_during_shutdown = true;
  db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  if (options.env) db_options.env = options.env.get();

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (std::size_t i = 0; i < kCfCount; ++i)
    descriptors.emplace_back(std::string(kCfNames[i]), family_options(static_cast<Cf>(i), store->block_cache_));
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());
  // Families this build does not know (written by a later one) must be opened
  // too, or RocksDB refuses the directory; they are kept and left alone.
  std::vector<std::string> existing;
  if (rocksdb::DB::ListColumnFamilies(db_options, options.dir.string(), &existing).ok())
    for (const auto& name : existing)
      if (std::none_of(descriptors.begin(), descriptors.end(), [&](const auto& d) { return d.name == name; }))
        descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());

  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  const auto status = rocksdb::DB::Open(db_options, options.dir.string(), descriptors, &handles, &db);
  if (!status.ok()) return unavailable(status);
  store->db_.reset(db);
  store->default_cf_ = handles[kCfCount];
  store->unknown_cfs_.assign(handles.begin() + kCfCount + 1, handles.end());
  handles.resize(kCfCount);
  store->handles_ = std::move(handles);
  if (auto indexed = store->index_endpoints_once(); !indexed) return indexed.error();
  store->hold_a_memtable_entry();
  return store;
}

// A store written before the per-tenant endpoint index has endpoint records
// the index does not list: listing a tenant (and starting its actor) would
// miss them. Index every endpoint once; the setting marks it done.
engine::Result<bool> Store::index_endpoints_once() {
  constexpr std::string_view kDone = "catalog.endpoint_index";
  if (setting(kDone)) return true;
  WriteSet set;
  scan(Cf::catalog, keys::prefix("e"), keys::prefix_end("e"), [&](auto, std::string_view value) {
    if (auto endpoint = codec::decode_endpoint(value)) set.index_endpoint(endpoint->tenant_id, endpoint->id);
    return true;
  });
  set.put_setting(kDone, "1");
  return write(std::move(set));
}

Store::~Store() {
  if (!db_) return;
  for (auto* handle : handles_) db_->DestroyColumnFamilyHandle(handle);
  for (auto* handle : unknown_cfs_) db_->DestroyColumnFamilyHandle(handle);
  db_->DestroyColumnFamilyHandle(default_cf_);
  db_->Close();
}

// --- writes ---

void Store::add_to_batch(const WriteSet& set, rocksdb::WriteBatch& batch) const {
  for (const auto& op : set.ops_) {
    auto* family = cf(op.cf);
    switch (op.kind) {
      case WriteSet::OpKind::put:
        batch.Put(family, slice(set.key_of(op)), slice(set.value_of(op)));
        break;
      case WriteSet::OpKind::erase: batch.Delete(family, slice(set.key_of(op))); break;
      case WriteSet::OpKind::erase_put_once:
        batch.SingleDelete(family, slice(set.key_of(op)));
        break;
      case WriteSet::OpKind::erase_range:
        batch.DeleteRange(family, slice(set.key_of(op)), slice(set.value_of(op)));
        break;
    }
  }
}

// The write gate. When a write fails, the WAL writer inside RocksDB may be
// left in error, and Debian's librocksdb 7.8 (built with assertions) aborts
// the process if that writer is written again
// (WritableFileWriter::AssertFalseAndGetStatusForPrevError; RocksDB PR
// #12448). RocksDB stops taking writes itself after most such errors, but
// not race-free, and not for every kind. So the store closes the gate on the
// first failure: writes are refused here, without reaching RocksDB, until
// DB::Resume() answers OK. The writer that finds the gate closed asks, at
// most every kResumeInterval (there is always a writer while anything is
// pending: the endpoint actors retry, clients retry 503s). Resume answers:
//  - Busy while RocksDB's own recovery is at work. A full disk is left to
//    it: its SstFileManager checks the free space every 5 s and resumes once
//    the largest write buffer (64 MiB here) fits. Resuming by hand on a disk
//    still full was tried: the flush inside Resume() failed and Resume()
//    never returned (7.8), taking the committer thread with it.
//  - OK once the database takes writes again (recovered by RocksDB, or by
//    this call for a kind RocksDB does not retry by itself). The recovery
//    flushed the memtables and started a new WAL (see hold_a_memtable_entry).
//  - an error for what RocksDB deems fatal (a device error, EIO): refused
//    until a restart.
engine::Result<bool> Store::write_batch(rocksdb::WriteBatch& batch, Durability durability) {
  without_perf_counters();
  std::lock_guard lock(write_mutex_);
  if (failure_ && !resume_locked()) {
    ++health_.refused;
    return *failure_;
  }
  rocksdb::WriteOptions write_options;
  write_options.sync = durability == Durability::synced_if_configured && options_.sync_writes;
  const auto status = db_->Write(write_options, &batch);
  if (status.ok()) return true;
  ++health_.failures;
  failure_ = unavailable(status);
  next_resume_ = std::chrono::steady_clock::now() + kResumeInterval;
  return *failure_;
}

bool Store::resume_locked() {
  const auto now = std::chrono::steady_clock::now();
  if (now < next_resume_) return false;
  const auto status = db_->Resume();
  if (!status.ok()) {
    next_resume_ = now + kResumeInterval;
    return false;
  }
  failure_.reset();
  ++health_.recoveries;
  hold_a_memtable_entry();
  return true;
}

// DB::Resume() replaces the failed WAL writer only as a side effect of
// flushing a memtable (the switch to a new memtable starts a new WAL). With
// every memtable empty (a failure as the first write after an open or after
// a resume) it flushes nothing, keeps the failed writer, and the next write
// aborts the process in the same assertion. So the unused default family
// always holds one key, written without the WAL (it is not data: nothing
// reads it, and it is simply gone after a restart).
void Store::hold_a_memtable_entry() {
  rocksdb::WriteOptions unlogged;
  unlogged.disableWAL = true;
  db_->Put(unlogged, default_cf_, "sivo.resume-anchor", "").PermitUncheckedError();
}

Store::WriteHealth Store::write_health() const {
  std::lock_guard lock(write_mutex_);
  WriteHealth health = health_;
  health.failed = failure_.has_value();
  return health;
}

engine::Result<bool> Store::write(WriteSet&& set) {
  if (set.empty()) return true;
  rocksdb::WriteBatch batch(set.byte_size() + 16 * set.op_count());
  add_to_batch(set, batch);
  return write_batch(batch, set.needs_sync() ? Durability::synced_if_configured : Durability::unsynced);
}

// --- read helpers ---

std::optional<std::string> Store::get(Cf family, std::string_view key) const {
  without_perf_counters();
  std::string value;
  const auto status = db_->Get(rocksdb::ReadOptions(), cf(family), slice(key), &value);
  if (!status.ok()) return std::nullopt;
  return value;
}

void Store::scan(Cf family, std::string_view begin, std::string_view end,
                 const std::function<bool(std::string_view, std::string_view)>& visit) const {
  without_perf_counters();
  rocksdb::ReadOptions read_options;
  const rocksdb::Slice upper = slice(end);
  if (!end.empty()) read_options.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options, cf(family)));
  for (it->Seek(slice(begin)); it->Valid(); it->Next())
    if (!visit(view(it->key()), view(it->value()))) break;
}

void Store::multi_get(Cf family, std::span<const std::string_view> keys,
                      const std::function<void(std::size_t index, std::string_view value)>& found) const {
  without_perf_counters();
  std::vector<rocksdb::Slice> slices;
  slices.reserve(keys.size());
  for (const auto& key : keys) slices.push_back(slice(key));
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  db_->MultiGet(rocksdb::ReadOptions(), cf(family), keys.size(), slices.data(), values.data(),
                statuses.data());
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (statuses[i].ok()) found(i, std::string_view(values[i].data(), values[i].size()));
}

// --- catalog ---

std::optional<TenantRecord> Store::tenant(std::string_view id) const {
  const auto value = get(Cf::catalog, keys::tenant(id));
  return value ? codec::decode_tenant(*value) : std::nullopt;
}

std::vector<TenantRecord> Store::tenants() const {
  std::vector<TenantRecord> out;
  scan(Cf::catalog, keys::prefix("t"), keys::prefix_end("t"), [&](auto, std::string_view value) {
    if (auto tenant = codec::decode_tenant(value)) out.push_back(std::move(*tenant));
    return true;
  });
  return out;
}

std::optional<std::string> Store::tenant_for_api_key(std::string_view key_hash) const {
  const auto value = get(Cf::catalog, keys::api_key(key_hash));
  return value ? codec::decode_api_key(*value) : std::nullopt;
}

std::optional<std::string> Store::setting(std::string_view name) const {
  const auto value = get(Cf::catalog, keys::setting(name));
  return value ? codec::decode_setting(*value) : std::nullopt;
}

std::optional<EndpointRecord> Store::endpoint(std::string_view endpoint_id) const {
  const auto value = get(Cf::catalog, keys::endpoint(endpoint_id));
  return value ? codec::decode_endpoint(*value) : std::nullopt;
}

std::vector<EndpointRecord> Store::all_endpoints() const {
  std::vector<EndpointRecord> out;
  scan(Cf::catalog, keys::prefix("e"), keys::prefix_end("e"), [&](auto, std::string_view value) {
    if (auto endpoint = codec::decode_endpoint(value)) out.push_back(std::move(*endpoint));
    return true;
  });
  return out;
}

std::vector<std::string> Store::endpoint_ids_of(std::string_view tenant_id) const {
  std::vector<std::string> ids;
  const std::string begin = keys::tenant_endpoints(tenant_id);
  std::string end = begin;
  end.back() = static_cast<char>(end.back() + 1);
  scan(Cf::catalog, begin, end, [&](std::string_view key, auto) {
    ids.emplace_back(key.substr(begin.size()));
    return true;
  });
  return ids;
}

std::vector<EndpointRecord> Store::endpoints_of(std::string_view tenant_id) const {
  std::vector<EndpointRecord> out;
  for (const auto& id : endpoint_ids_of(tenant_id)) {
    if (auto endpoint = this->endpoint(id)) out.push_back(std::move(*endpoint));
  }
  return out;
}

// --- events and dedupe ---

std::optional<StoredEvent> Store::event(std::string_view tenant_id, std::string_view event_id) const {
  const std::string ids[] = {std::string(event_id)};
  return std::move(events(tenant_id, ids).front());
}

namespace {

// The keys of a tenant's events (events and dedupe families) for one
// MultiGet, built in one buffer rather than in a string each.
class EventKeys {
 public:
  template <class Id>
  EventKeys(std::string_view tenant_id, std::span<const Id> event_ids) {
    std::size_t size = 0;
    for (const auto& id : event_ids) size += tenant_id.size() + 1 + id.size();
    bytes_.reserve(size);  // the views below point into it: it must not move
    views_.reserve(event_ids.size());
    for (const auto& id : event_ids) {
      const std::size_t at = bytes_.size();
      keys::append_event(bytes_, tenant_id, id);
      views_.emplace_back(bytes_.data() + at, bytes_.size() - at);
    }
  }
  EventKeys(const EventKeys&) = delete;
  EventKeys& operator=(const EventKeys&) = delete;

  std::span<const std::string_view> views() const { return views_; }

 private:
  std::string bytes_;
  std::vector<std::string_view> views_;
};

}  // namespace

std::vector<std::optional<StoredEvent>> Store::events(std::string_view tenant_id,
                                                      std::span<const std::string> event_ids) const {
  const std::vector<std::string_view> ids(event_ids.begin(), event_ids.end());
  std::vector<std::optional<StoredEvent>> out(event_ids.size());
  read_events(tenant_id, ids, [&](std::size_t i, const StoredEventView& e) {
    out[i] = StoredEvent{std::string(e.tenant_id), std::string(e.id), e.type, e.ingested_at,
                         std::string(e.envelope)};
  });
  return out;
}

void Store::read_events(
    std::string_view tenant_id, std::span<const std::string_view> event_ids,
    const std::function<void(std::size_t index, const StoredEventView& event)>& found) const {
  multi_get(Cf::events, EventKeys(tenant_id, event_ids).views(),
            [&](std::size_t i, std::string_view value) {
              auto event = codec::decode_event_view(value);
              if (!event) return;
              event->tenant_id = tenant_id;
              event->id = event_ids[i];
              found(i, *event);
            });
}

std::vector<bool> Store::seen(std::string_view tenant_id, std::span<const std::string> event_ids) const {
  std::vector<bool> out(event_ids.size());
  multi_get(Cf::dedupe, EventKeys(tenant_id, event_ids).views(),
            [&](std::size_t i, std::string_view) { out[i] = true; });
  return out;
}

std::vector<StoredEvent> Store::events_ingested(std::string_view tenant_id, UnixMillis since,
                                                UnixMillis until, std::size_t limit) const {
  std::vector<std::pair<UnixMillis, std::string>> hits;  // (ingested_at, event id)
  scan(Cf::dedupe, keys::prefix(tenant_id), keys::prefix_end(tenant_id),
       [&](std::string_view key, std::string_view value) {
         const auto at = codec::decode_dedupe(value);
         if (at && *at >= since && *at < until) hits.emplace_back(*at, std::string(keys::rest_of(key)));
         return true;
       });
  std::sort(hits.begin(), hits.end());
  if (hits.size() > limit) hits.resize(limit);
  std::vector<std::string> ids;
  ids.reserve(hits.size());
  for (auto& hit : hits) ids.push_back(std::move(hit.second));
  std::vector<StoredEvent> out;
  for (auto& event : events(tenant_id, ids))
    if (event) out.push_back(std::move(*event));
  return out;
}

// --- delivery projections ---

EndpointSnapshot Store::snapshot(std::string_view endpoint_id) const {
  const auto value = get(Cf::state, keys::state(endpoint_id));
  if (!value) return {};
  return codec::decode_snapshot(*value).value_or(EndpointSnapshot{});
}

DeliveryTotals Store::delivery_totals() const {
  DeliveryTotals totals;
  scan(Cf::state, {}, {}, [&](auto, std::string_view value) {
    if (const auto snapshot = codec::decode_snapshot(value)) {
      totals.pending += snapshot->pending;
      totals.dead += snapshot->dead;
    }
    return true;
  });
  return totals;
}

std::vector<engine::Delivery> Store::due(std::string_view endpoint_id, const DueKey& from, UnixMillis now,
                                         std::size_t limit) const {
  std::vector<engine::Delivery> out;
  if (limit == 0 || now < from.due_at) return out;
  // Upper bound just past every key due at `now`: the scan never reaches the
  // future (nor the tombstones of keys already taken from the front).
  const std::string end = now == std::numeric_limits<UnixMillis>::max() ? keys::prefix_end(endpoint_id)
                                                                        : keys::due(endpoint_id, now + 1, "");
  scan(Cf::due, due_seek_key(endpoint_id, from), end, [&](auto, std::string_view value) {
    if (auto delivery = codec::decode_delivery(value)) out.push_back(std::move(*delivery));
    return out.size() < limit;
  });
  return out;
}

std::optional<DueKey> Store::first_due(std::string_view endpoint_id, const DueKey& from) const {
  std::optional<DueKey> first;
  scan(Cf::due, due_seek_key(endpoint_id, from), keys::prefix_end(endpoint_id),
       [&](std::string_view key, auto) {
         if (const auto parts = keys::parse_due(key))
           first = DueKey{parts->due_at, parts->event_id};
         return !first;
       });
  return first;
}

std::vector<AttemptRow> Store::recent_attempts(std::string_view endpoint_id, std::size_t limit) const {
  std::vector<AttemptRow> out;
  // Older rows may wait for their trim (WriteSet::put_attempt_row).
  limit = std::min(limit, kAttemptRingSize);
  if (limit == 0) return out;
  const std::string lower = keys::prefix(endpoint_id), upper = keys::prefix_end(endpoint_id);
  const rocksdb::Slice lower_slice = slice(lower), upper_slice = slice(upper);
  rocksdb::ReadOptions read_options;
  read_options.iterate_lower_bound = &lower_slice;
  read_options.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options, cf(Cf::attempts)));
  for (it->SeekToLast(); it->Valid() && out.size() < limit; it->Prev())
    if (auto row = codec::decode_attempt(view(it->value()))) out.push_back(std::move(*row));
  return out;
}

DlqPage Store::dead_letters(std::string_view endpoint_id, std::optional<std::string> cursor,
                            std::size_t limit) const {
  // The cursor is the last event id of the previous page; this page starts
  // just after it (its key followed by 0x00 is the next possible key).
  std::string begin = cursor ? keys::dlq(endpoint_id, *cursor) + '\0' : keys::prefix(endpoint_id);
  DlqPage page;
  bool more = false;
  scan(Cf::dlq, begin, keys::prefix_end(endpoint_id), [&](auto, std::string_view value) {
    if (page.items.size() == limit) {
      more = true;
      return false;
    }
    if (auto entry = codec::decode_dlq(value)) page.items.push_back(std::move(*entry));
    return true;
  });
  if (more && !page.items.empty()) page.next_cursor = page.items.back().delivery.event_id;
  return page;
}

std::optional<DlqEntry> Store::dead_letter(std::string_view endpoint_id, std::string_view event_id) const {
  const auto value = get(Cf::dlq, keys::dlq(endpoint_id, event_id));
  return value ? codec::decode_dlq(*value) : std::nullopt;
}

std::vector<DlqEntry> Store::all_dead_letters(std::string_view endpoint_id) const {
  std::vector<DlqEntry> out;
  scan(Cf::dlq, keys::prefix(endpoint_id), keys::prefix_end(endpoint_id), [&](auto, std::string_view value) {
    if (auto entry = codec::decode_dlq(value)) out.push_back(std::move(*entry));
    return true;
  });
  return out;
}

std::uint64_t Store::replay(std::string_view endpoint_id, std::uint64_t from,
                            const std::function<void(std::uint64_t, const engine::DeliveryRecord&)>& visit) const {
  std::uint64_t count = 0;
  const std::string end = keys::prefix_end(endpoint_id);
  const rocksdb::Slice upper = slice(end);
  rocksdb::ReadOptions read_options;
  read_options.iterate_upper_bound = &upper;
  read_options.readahead_size = 2 << 20;
  read_options.fill_cache = false;  // a replay reads each record once
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options, cf(Cf::log)));
  for (it->Seek(slice(keys::log(endpoint_id, from))); it->Valid(); it->Next()) {
    const auto seq = keys::seq_of(view(it->key()));
    const auto records = codec::decode_log_entry(view(it->value()));
    if (!seq || !records) {
      ++undecodable_;
      continue;
    }
    for (const auto& record : *records) visit(*seq, record);
    count += records->size();
  }
  return count;
}

}  // namespace sivo::storage
