#include "storage/info_log.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace sivo::storage {

namespace {

std::int64_t now_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "2026/11/27-03:22:01.123456 7f0a2c1ff6c0 ", as RocksDB's own logger starts a line.
std::string line_prefix() {
  const auto micros = now_micros();
  const std::time_t seconds = micros / 1'000'000;
  std::tm t{};
  ::localtime_r(&seconds, &t);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d/%02d/%02d-%02d:%02d:%02d.%06lld %llx ", t.tm_year + 1900,
                t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec,
                static_cast<long long>(micros % 1'000'000),
                static_cast<unsigned long long>(::pthread_self()));
  return buf;
}

}  // namespace

InfoLog::InfoLog(std::filesystem::path dir) : path_(std::move(dir) / "LOG") {
  std::lock_guard lock(mutex_);
  open_locked();
}

InfoLog::~InfoLog() {
  if (fd_ >= 0) ::close(fd_);
}

void InfoLog::open_locked() {
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  struct stat st {};
  size_ = fd_ >= 0 && ::fstat(fd_, &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

void InfoLog::rotate_locked() {
  if (fd_ >= 0) ::close(fd_);
  const auto old = path_.parent_path() / ("LOG.old." + std::to_string(now_micros()));
  ::rename(path_.c_str(), old.c_str());
  open_locked();
}

void InfoLog::Logv(const char* format, va_list ap) {
  std::string line = line_prefix();
  const std::size_t prefix = line.size();
  line.resize(prefix + 256);
  va_list again;
  va_copy(again, ap);
  const int n = std::vsnprintf(line.data() + prefix, line.size() - prefix, format, ap);
  if (n < 0) {
    va_end(again);
    return;
  }
  if (static_cast<std::size_t>(n) >= line.size() - prefix) {
    line.resize(prefix + static_cast<std::size_t>(n) + 1);
    std::vsnprintf(line.data() + prefix, line.size() - prefix, format, again);
  }
  va_end(again);
  line.resize(prefix + static_cast<std::size_t>(n));
  if (line.back() != '\n') line.push_back('\n');

  std::lock_guard lock(mutex_);
  if (size_ >= kMaxBytes) rotate_locked();
  if (fd_ < 0) open_locked();  // the directory may have been unwritable before
  if (fd_ < 0) return;
  // One write(2) per line (O_APPEND): a line is whole or, on a full disk,
  // cut short or absent; either way nothing is remembered for the next one.
  const ssize_t written = ::write(fd_, line.data(), line.size());
  if (written > 0) size_ += static_cast<std::uint64_t>(written);
}

std::size_t InfoLog::GetLogFileSize() const {
  std::lock_guard lock(mutex_);
  return size_;
}

}  // namespace sivo::storage
