#pragma once
// A real RocksDB store in a fresh temporary directory, removed afterwards.

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "storage/column_families.hpp"
#include "storage/store.hpp"

namespace sivo::storage::testing {

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("sivo-storage-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
             std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The store's directory opened with RocksDB itself (the Store closed), to
// look at or change what the Store's API does not show.
class RawDb {
 public:
  explicit RawDb(const std::filesystem::path& dir) {
    std::vector<rocksdb::ColumnFamilyDescriptor> families = {
        {rocksdb::kDefaultColumnFamilyName, {}}};
    for (const auto name : kCfNames)
      families.emplace_back(std::string(name), rocksdb::ColumnFamilyOptions());
    rocksdb::DB* raw = nullptr;
    const auto status =
        rocksdb::DB::Open(rocksdb::Options(), dir.string(), families, &handles_, &raw);
    EXPECT_TRUE(status.ok()) << status.ToString();
    db_.reset(raw);
  }
  ~RawDb() {
    for (auto* handle : handles_) db_->DestroyColumnFamilyHandle(handle);
  }
  rocksdb::DB& db() { return *db_; }
  rocksdb::ColumnFamilyHandle* handle(Cf family) {
    return handles_[1 + static_cast<std::size_t>(family)];
  }
  // Live keys of `family` that start with `prefix`.
  std::size_t count_keys(Cf family, const std::string& prefix) {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handle(family)));
    std::size_t n = 0;
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) ++n;
    return n;
  }

 private:
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

class StoreTest : public ::testing::Test {
 protected:
  StoreTest() { reopen(); }

  StoreOptions options() const {
    StoreOptions o;
    o.dir = dir_.path() / "db";
    return o;
  }
  Store& store() { return *store_; }

  // Closes the store (if open) and opens it again on the same directory.
  void reopen(StoreOptions o) {
    store_.reset();
    auto opened = Store::open(o);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).value();
  }
  void reopen() { reopen(options()); }
  void close() { store_.reset(); }

  void write(WriteSet set) {
    const auto result = store_->write(std::move(set));
    ASSERT_TRUE(result.ok()) << result.error().message;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace sivo::storage::testing
