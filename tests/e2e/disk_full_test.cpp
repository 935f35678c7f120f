// Disk trouble with a real full file system: the binary's data dir sits on a
// small tmpfs; a filler file eats the free space; ingest answers 503
// storage_unavailable and acknowledges nothing it did not store; the filler is
// removed and ingest works again without a restart; a restart finds every
// acknowledged event and none of the refused ones. Needs root (mount); skipped
// with a message otherwise.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <thread>

#include "tests/api/http_client.hpp"
#include "tests/e2e/engine_process.hpp"

namespace sivo::test_e2e {
namespace {

using namespace std::chrono_literals;
using test_api::HttpClient;

constexpr const char* kAdmin = "e2e-admin-token-disk-full-0123";

class Tmpfs {
 public:
  explicit Tmpfs(std::size_t megabytes) {
    path_ = std::filesystem::temp_directory_path() /
            ("sivo-tmpfs-" + std::to_string(::getpid()) + "-" + std::to_string(std::random_device()()));
    std::filesystem::create_directories(path_);
    const std::string opts = "size=" + std::to_string(megabytes) + "m";
    if (::mount("tmpfs", path_.c_str(), "tmpfs", 0, opts.c_str()) == 0) {
      mounted_ = true;
    } else {
      why_ = std::strerror(errno);
    }
  }
  ~Tmpfs() {
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  bool mounted() const { return mounted_; }
  const std::string& why() const { return why_; }
  const std::filesystem::path& path() const { return path_; }
  std::uint64_t free_bytes() const {
    struct statvfs s {};
    ::statvfs(path_.c_str(), &s);
    return static_cast<std::uint64_t>(s.f_bavail) * s.f_frsize;
  }

 private:
  std::filesystem::path path_;
  bool mounted_ = false;
  std::string why_;
};

// Writes 'f' into `file` until the file system refuses (ENOSPC).
void fill(const std::filesystem::path& file) {
  std::FILE* f = std::fopen(file.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  std::string block(64 * 1024, 'f');
  while (std::fwrite(block.data(), 1, block.size(), f) == block.size()) {
  }
  std::fclose(f);
}

std::string event_body(const std::string& id) {
  // ~200 KiB of data: RocksDB preallocates its WAL (about 70 MiB here), so
  // the disk is really full only once that much more has been written.
  return R"({"id":")" + id + R"(","type":"call.ended","data":{"pad":")" + std::string(200 * 1024, 'p') + R"("}})";
}

TEST(DiskFull, IngestIs503WhileFullAcknowledgesOnlyWhatItStoredAndRecovers) {
  // RocksDB resumes once the largest write buffer (64 MiB) fits again: with
  // the WAL's ~70 MiB, 160 MiB leave that much once the filler is gone.
  Tmpfs fs(160);
  if (!fs.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (" << fs.why() << "); needs root";
  const std::string data_dir = (fs.path() / "data").string();
  auto engine = std::make_unique<EngineProcess>(std::vector<std::string>{
      "--data-dir", data_dir, "--listen", "127.0.0.1:0", "--admin-token", kAdmin});
  ASSERT_TRUE(engine->started()) << engine->out();
  HttpClient client(engine->port());
  auto tenant = client.post("/v1/tenants", R"({"id":"acme"})", kAdmin);
  ASSERT_EQ(tenant.status, 201) << tenant.body;
  const std::string key(tenant.json().at("api_key").as_string());

  std::set<std::string> acknowledged, refused;
  auto post = [&](const std::string& id) {
    auto r = client.post("/v1/tenants/acme/events", event_body(id), key);
    if (r.status == 202 || r.status == 200) acknowledged.insert(id);
    else refused.insert(id);
    return r;
  };
  for (int i = 0; i < 20; ++i) ASSERT_EQ(post("before-" + std::to_string(i)).status, 202);

  const auto filler = fs.path() / "filler";
  fill(filler);
  std::cout << "  free after filling: " << fs.free_bytes() << " bytes\n";

  int unavailable = 0, other = 0;
  for (int i = 0; i < 1500 && unavailable < 20; ++i) {
    auto r = post("full-" + std::to_string(i));
    if (r.status == 503) {
      ++unavailable;
      EXPECT_NE(r.body.find("storage_unavailable"), std::string::npos) << r.body;
    } else if (r.status != 202) {
      ++other;
      ADD_FAILURE() << "status " << r.status << ": " << r.body;
    }
  }
  std::cout << "  while full: " << unavailable << " x 503, "
            << acknowledged.size() - 20 << " acknowledged before the space ran out\n";
  EXPECT_GE(unavailable, 20) << "the disk never filled up";
  EXPECT_EQ(client.get("/healthz").status, 200);  // the server keeps answering
  // A batch is refused whole.
  auto batch = client.post("/v1/tenants/acme/events/batch",
                           R"({"events":[{"id":"batch-full","type":"call.ended","data":{"pad":")" +
                               std::string(64 * 1024, 'q') + R"("}}]})",
                           key);
  EXPECT_EQ(batch.status, 503) << batch.body;
  refused.insert("batch-full");

  // Space returns: ingest works again, without a restart (RocksDB checks
  // the free space every 5 s).
  std::filesystem::remove(filler);
  const auto freed = std::chrono::steady_clock::now();
  bool recovered = false;
  int unavailable_after = 0;
  for (int i = 0; i < 200 && !recovered; ++i) {
    auto r = post("after-" + std::to_string(i));
    recovered = r.status == 202;
    if (!recovered) {
      EXPECT_EQ(r.status, 503) << r.body;
      ++unavailable_after;
      std::this_thread::sleep_for(100ms);
    }
  }
  EXPECT_TRUE(recovered) << "ingest still failing 20 s after the space came back";
  std::cout << "  recovered " << std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::steady_clock::now() - freed).count()
            << " ms after the filler was deleted (" << unavailable_after << " more 503s meanwhile)\n";
  for (int i = 0; i < 10; ++i) EXPECT_EQ(post("later-" + std::to_string(i)).status, 202);
  EXPECT_EQ(engine->stop(SIGTERM), 0) << engine->out();

  // Restart: exactly the acknowledged events are there (a duplicate id answers
  // 200 duplicate; an id never stored is accepted fresh, 202).
  engine = std::make_unique<EngineProcess>(std::vector<std::string>{
      "--data-dir", data_dir, "--listen", "127.0.0.1:0", "--admin-token", kAdmin});
  ASSERT_TRUE(engine->started()) << engine->out();
  HttpClient again(engine->port());
  for (const auto& id : acknowledged) {
    auto r = again.post("/v1/tenants/acme/events", R"({"id":")" + id + R"(","type":"call.ended","data":{}})", key);
    EXPECT_EQ(r.status, 200) << id << " was acknowledged but is gone: " << r.body;
  }
  for (const auto& id : refused) {
    auto r = again.post("/v1/tenants/acme/events", R"({"id":")" + id + R"(","type":"call.ended","data":{}})", key);
    EXPECT_EQ(r.status, 202) << id << " was refused but is stored: " << r.body;
  }
  EXPECT_EQ(engine->stop(SIGTERM), 0);
}

}  // namespace
}  // namespace sivo::test_e2e
