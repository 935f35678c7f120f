#pragma once

#include <chrono>
#include <filesystem>
#include <memory>

namespace rocksdb {
class Env;
}

namespace sivo::storage {

struct StoreOptions {
  std::filesystem::path dir;  // created if absent
  bool sync_writes = true;    // fsync the WAL before a write is acknowledged
  std::chrono::milliseconds retention = std::chrono::hours(24 * 7);  // see purge_expired
  // The RocksDB Env to run on; null = the default one. Tests inject faults here.
  std::shared_ptr<rocksdb::Env> env;
};

}  // namespace sivo::storage
