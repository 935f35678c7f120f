// Store::purge_expired: the retention rules of retention.hpp.

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <unordered_map>
#include <vector>

#include "storage/keys.hpp"
#include "storage/record_codec.hpp"
#include "storage/store.hpp"

namespace sivo::storage {

namespace {

constexpr std::size_t kDeletesPerBatch = 10'000;

rocksdb::Slice slice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

// Deletes in chunks; purges need no sync: a lost delete is redone next time.
// `write` is the store's write gate (unsynced): a purge never writes past a
// failure either.
class Deleter {
 public:
  using Write = std::function<void(rocksdb::WriteBatch&)>;
  Deleter(Write write, rocksdb::ColumnFamilyHandle* family) : write_(std::move(write)), family_(family) {}
  ~Deleter() { flush(); }
  void erase(std::string_view key) {
    batch_.Delete(family_, slice(key));
    if (batch_.Count() >= kDeletesPerBatch) flush();
  }
  void erase_range(std::string_view begin, std::string_view end) {
    batch_.DeleteRange(family_, slice(begin), slice(end));
    flush();
  }
  void flush() {
    if (batch_.Count() == 0) return;
    write_(batch_);
    batch_.Clear();
  }

 private:
  Write write_;
  rocksdb::ColumnFamilyHandle* family_;
  rocksdb::WriteBatch batch_;
};

// A set of keys kept as sorted 64-bit hashes: 8 bytes per key instead of a
// string in a hash node (a 1M-delivery backlog would otherwise cost hundreds
// of MB for the length of a pass). A collision only answers "maybe" for a
// key that is not in it, and every caller then keeps what it would have
// purged: the safe side, redone at the next pass.
class KeyHashes {
 public:
  void insert(std::string_view key) { hashes_.push_back(hash(key)); }
  // After the last insert, before the first may_contain.
  void seal() {
    std::sort(hashes_.begin(), hashes_.end());
    hashes_.erase(std::unique(hashes_.begin(), hashes_.end()), hashes_.end());
  }
  bool may_contain(std::string_view key) const {
    return std::binary_search(hashes_.begin(), hashes_.end(), hash(key));
  }

 private:
  static std::uint64_t hash(std::string_view key) { return std::hash<std::string_view>{}(key); }
  std::vector<std::uint64_t> hashes_;
};

}  // namespace

RetentionReport Store::purge_expired(UnixMillis now) {
  const UnixMillis cutoff = now - options_.retention.count();
  RetentionReport report;
  // A failed purge write is redone at the next run, like a lost one.
  const Deleter::Write write = [this](rocksdb::WriteBatch& batch) {
    (void)write_batch(batch, Durability::unsynced);
  };

  // Which (endpoint, event) deliveries are pending, and which (tenant, event)
  // bodies a pending or dead delivery still references.
  // endpoint id -> tenant id, read from the catalog's index of each tenant's
  // endpoints (keys only: no record is decoded).
  std::unordered_map<std::string, std::string> tenant_of;
  scan(Cf::catalog, keys::prefix("x"), keys::prefix_end("x"), [&](std::string_view key, auto) {
    const std::string_view indexed = keys::rest_of(key);  // "<tenant>|<endpoint>"
    tenant_of.emplace(std::string(keys::rest_of(indexed)), std::string(keys::owner_of(indexed)));
    return true;
  });
  KeyHashes pending;     // keys::dlq(endpoint, event)
  KeyHashes referenced;  // keys::event(tenant, event)
  const auto reference = [&](std::string_view endpoint_id, std::string_view event_id) {
    if (const auto t = tenant_of.find(std::string(endpoint_id)); t != tenant_of.end())
      referenced.insert(keys::event(t->second, event_id));
  };
  scan(Cf::due, {}, {}, [&](std::string_view key, auto) {
    if (const auto parts = keys::parse_due(key)) {
      pending.insert(keys::dlq(keys::owner_of(key), parts->event_id));
      reference(keys::owner_of(key), parts->event_id);
    }
    return true;
  });
  scan(Cf::dlq, {}, {}, [&](std::string_view key, auto) {
    reference(keys::owner_of(key), keys::rest_of(key));
    return true;
  });
  pending.seal();
  referenced.seal();

  // events and dedupe
  {
    Deleter bodies(write, cf(Cf::events));
    scan(Cf::events, {}, {}, [&](std::string_view key, std::string_view value) {
      const auto at = codec::event_ingested_at(value);
      if (!at || *at >= cutoff) return true;
      if (referenced.may_contain(key)) {
        ++report.kept_bodies;
      } else {
        bodies.erase(key);
        ++report.event_bodies;
      }
      return true;
    });
  }
  {
    Deleter dedupe(write, cf(Cf::dedupe));
    scan(Cf::dedupe, {}, {}, [&](std::string_view key, std::string_view value) {
      const auto at = codec::decode_dedupe(value);
      if (at && *at < cutoff && !referenced.may_contain(key)) {
        dedupe.erase(key);
        ++report.dedupe_keys;
      }
      return true;
    });
  }

  // log: per endpoint, the old prefix up to the first record of a pending delivery
  {
    Deleter log(write, cf(Cf::log));
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(Cf::log)));
    it->SeekToFirst();
    while (it->Valid()) {
      const std::string endpoint_id(keys::owner_of(std::string_view(it->key().data(), it->key().size())));
      std::optional<std::uint64_t> first;
      std::optional<std::string> stop;  // the first key kept
      UnixMillis last_time = cutoff;  // a leading RetryScheduled counts as recent
      for (; it->Valid(); it->Next()) {
        const std::string_view key(it->key().data(), it->key().size());
        if (keys::owner_of(key) != endpoint_id) break;
        const auto seq = keys::seq_of(key);
        const auto records =
            codec::decode_log_entry(std::string_view(it->value().data(), it->value().size()));
        if (records)
          for (const auto& record : *records)
            last_time = codec::time_of(record).value_or(last_time);
        if (!seq || !records ||  // keep what we cannot read, and all after it
            last_time >= cutoff ||
            pending.may_contain(keys::dlq(endpoint_id, engine::event_id_of(records->front())))) {
          stop = std::string(key);
          break;
        }
        if (!first) first = seq;
        report.log_records += records->size();
      }
      if (first) {
        log.erase_range(keys::log(endpoint_id, *first), stop.value_or(keys::prefix_end(endpoint_id)));
      }
      it->Seek(slice(keys::prefix_end(endpoint_id)));
    }
  }
  return report;
}

}  // namespace sivo::storage
