#pragma once
// InfoLog: RocksDB's diagnostic log (the LOG file in the store's directory),
// written so that a full disk cannot take the process down.
//
// RocksDB's own logger writes through a WritableFileWriter, which remembers
// a failed append; Debian's librocksdb 7.8 is built with assertions, and the
// next line logged after the disk filled up aborts the process
// (WritableFileWriter::AssertFalseAndGetStatusForPrevError). Flushes log a
// line each, so a full disk was a crash. This logger uses plain write(2): a
// line the disk refuses is dropped and the next one is tried afresh.
//
// Rotation keeps RocksDB's convention: past kMaxBytes the file is renamed
// LOG.old.<micros>, and RocksDB keeps the newest DBOptions::keep_log_file_num
// of those.

#include <rocksdb/env.h>

#include <cstdarg>
#include <cstdint>
#include <filesystem>
#include <mutex>

namespace sivo::storage {

class InfoLog : public rocksdb::Logger {
 public:
  static constexpr std::uint64_t kMaxBytes = 16 << 20;

  explicit InfoLog(std::filesystem::path dir);
  ~InfoLog() override;

  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override;
  std::size_t GetLogFileSize() const override;

 private:
  void open_locked();
  void rotate_locked();

  const std::filesystem::path path_;
  mutable std::mutex mutex_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

}  // namespace sivo::storage
