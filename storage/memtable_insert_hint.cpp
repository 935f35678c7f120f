#include "storage/memtable_insert_hint.hpp"

#include <rocksdb/slice_transform.h>

#include <string_view>

#include "storage/keys.hpp"

namespace sivo::storage {

namespace {

// Without a hint, a memtable has one remembered insert position: a key that
// does not land next to the previous one makes RocksDB search every level of
// the skip list again. The due index is written at two places per endpoint
// (new deliveries at its tail, deliveries done deleted at its head) and the
// endpoints' writes interleave, so nearly every insert missed. With a
// position per owner, RocksDB repairs only the levels where it no longer
// brackets the key (bench/README.md: -3 % instructions per delivered event).
//
// RocksDB 7.8 (Debian 12) keeps one set of hints for a memtable's point keys
// and its range deletions (fixed upstream in 2024: facebook/rocksdb#12558): a range
// deletion whose begin key is in the domain leaves a hint into the other skip
// list, and the owner's next insert corrupts the memtable. Hence the domain:
// an endpoint's removal deletes "<endpoint>\0" .. "<endpoint>\1", whose begin
// has nothing after the separator. The attempts ring and retention delete
// ranges that start at full keys, so the log and attempts families get no hint.
class OwnerPrefix final : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "sivo.OwnerPrefix"; }

  // The owner and its separator: keys::prefix(owner).
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    return rocksdb::Slice(key.data(), keys::owner_of(view(key)).size() + 1);
  }

  bool InDomain(const rocksdb::Slice& key) const override {
    return !keys::rest_of(view(key)).empty();
  }

 private:
  static std::string_view view(const rocksdb::Slice& key) { return {key.data(), key.size()}; }
};

}  // namespace

std::shared_ptr<const rocksdb::SliceTransform> owner_insert_hint() {
  static const auto hint = std::make_shared<const OwnerPrefix>();
  return hint;
}

}  // namespace sivo::storage
