#pragma once
// A file system that can tear or refuse writes to RocksDB's WAL on demand
// (and counts the WAL's syncs):
// the honest way to make a write fail part-way through (a full disk, a dying
// device) without touching the code under test. It fails the way the posix
// file system does: ENOSPC is IOStatus::NoSpace, EIO a plain IOError.

#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>

namespace sivo::storage::testing {

class FaultyFileSystem : public rocksdb::FileSystemWrapper {
 public:
  FaultyFileSystem() : FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  const char* Name() const override { return "FaultyFileSystem"; }

  enum class Fault { device_error, no_space };

  // From now on, the WAL accepts `bytes` more bytes, then every append and
  // sync fails (the append that crosses the limit writes only its first part).
  void fail_wal_after(std::int64_t bytes, Fault fault = Fault::device_error) {
    fault_ = fault;
    budget_ = bytes;
    armed_ = true;
  }
  void heal() { armed_ = false; }
  int torn_appends() const { return torn_; }
  // WAL appends and syncs that reached the file system and were failed.
  int failed_calls() const { return failed_; }
  // WAL syncs (fsync/fdatasync) that reached the file system.
  int wal_syncs() const { return syncs_; }

  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* file,
                                    rocksdb::IODebugContext* dbg) override {
    auto status = target()->NewWritableFile(name, options, file, dbg);
    if (status.ok() && name.size() > 4 && name.ends_with(".log"))
      *file = std::make_unique<Wal>(std::move(*file), *this);
    return status;
  }

  // The Env to pass in StoreOptions::env.
  static std::shared_ptr<rocksdb::Env> env_of(const std::shared_ptr<FaultyFileSystem>& fs) {
    return std::shared_ptr<rocksdb::Env>(rocksdb::NewCompositeEnv(fs).release());
  }

 private:
  class Wal : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    Wal(std::unique_ptr<rocksdb::FSWritableFile> file, FaultyFileSystem& fs)
        : FSWritableFileOwnerWrapper(std::move(file)), fs_(fs) {}

    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* dbg) override {
      if (!fs_.armed_) return target()->Append(data, options, dbg);
      const auto allowed = static_cast<std::size_t>(std::max<std::int64_t>(fs_.budget_, 0));
      if (allowed >= data.size()) {
        fs_.budget_ -= static_cast<std::int64_t>(data.size());
        return target()->Append(data, options, dbg);
      }
      if (allowed > 0) {
        target()->Append(rocksdb::Slice(data.data(), allowed), options, dbg).PermitUncheckedError();
        target()->Flush(options, dbg).PermitUncheckedError();
        ++fs_.torn_;
      }
      fs_.budget_ = 0;
      return fs_.failure("append");
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             const rocksdb::DataVerificationInfo&, rocksdb::IODebugContext* dbg) override {
      return Append(data, options, dbg);
    }
    rocksdb::IOStatus Sync(const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
      ++fs_.syncs_;
      if (fs_.armed_ && fs_.budget_ <= 0) return fs_.failure("sync");
      return target()->Sync(options, dbg);
    }
    rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
      return Sync(options, dbg);
    }

   private:
    FaultyFileSystem& fs_;
  };

  rocksdb::IOStatus failure(const char* call) {
    ++failed_;
    const std::string what = std::string("injected: WAL ") + call + " failed";
    return fault_ == Fault::no_space ? rocksdb::IOStatus::NoSpace(what) : rocksdb::IOStatus::IOError(what);
  }

  std::atomic<Fault> fault_{Fault::device_error};
  std::atomic<int> failed_{0};
  std::atomic<bool> armed_{false};
  std::atomic<std::int64_t> budget_{0};
  std::atomic<int> torn_{0};
  std::atomic<int> syncs_{0};
};

}  // namespace sivo::storage::testing
