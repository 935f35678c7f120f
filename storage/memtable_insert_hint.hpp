#pragma once
// Where RocksDB starts its search when it inserts a key into a memtable.

#include <memory>

namespace rocksdb {
class SliceTransform;
}

namespace sivo::storage {

// The owner of a key ("<owner>\0", e.g. an endpoint's id), for
// ColumnFamilyOptions::memtable_insert_with_hint_prefix_extractor: RocksDB
// then keeps where each owner's last insert went and starts the next one
// there. Only keys with something after the separator are in its domain, so
// a range deletion that starts at "<owner>\0" never gets a hint (see the .cpp).
std::shared_ptr<const rocksdb::SliceTransform> owner_insert_hint();

}  // namespace sivo::storage
