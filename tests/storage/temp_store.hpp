#pragma once
// A real RocksDB store in a fresh temporary directory, removed afterwards.

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <random>
#include <string>

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
