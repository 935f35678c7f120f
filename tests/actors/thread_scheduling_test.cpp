// Every thread of the runtime (the actors', the committer's, the HTTPS
// client's) runs under SCHED_BATCH; the rest of the process keeps its own.

#include <sched.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "runtime_fixture.hpp"

namespace sivo::actors::testing {
namespace {

// Every thread of this process: its name, and whether it runs under SCHED_BATCH.
std::multimap<std::string, bool> threads_by_name() {
  std::multimap<std::string, bool> threads;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(task.path() / "comm");
    std::string name;
    std::getline(comm, name);
    const int policy = sched_getscheduler(std::stoi(task.path().filename().string()));
    if (policy >= 0) threads.emplace(name, policy == SCHED_BATCH);
  }
  return threads;
}

class ThreadScheduling : public RuntimeFixture {};

struct Census {
  std::size_t committer_batch = 0, committer = 0;  // sivo-commit and sivo-ack
  std::size_t https_batch = 0, https = 0;
  std::size_t other_batch = 0;  // CAF's: named after the thread that started them
};

Census census() {
  Census c;
  for (const auto& [name, batch] : threads_by_name()) {
    if (name == "sivo-commit" || name == "sivo-ack") {
      ++c.committer;
      c.committer_batch += batch;
    } else if (name == "sivo-https") {
      ++c.https;
      c.https_batch += batch;
    } else {
      c.other_batch += batch;
    }
  }
  return c;
}

TEST_F(ThreadScheduling, ActorsCommitterAndHttpsClientRunAsBatch) {
  EXPECT_EQ(census().other_batch, 0u);
  RuntimeOptions options = default_options();
  options.https_threads = 2;
  start(options);
  // A thread names itself and sets its policy once it runs: on a busy
  // machine, some time after the runtime's constructor returned.
  Census c;
  EXPECT_TRUE(eventually([&] {
    c = census();
    return c.committer == 2 && c.committer_batch == 2 && c.https == 2 && c.https_batch == 2 &&
           c.other_batch >= 1;
  })) << "committer threads " << c.committer << " (" << c.committer_batch << " batch), HTTPS threads "
      << c.https << " (" << c.https_batch << " batch), other batch threads " << c.other_batch;
  EXPECT_NE(sched_getscheduler(0), SCHED_BATCH) << "the thread that started the runtime keeps its policy";
}

}  // namespace
}  // namespace sivo::actors::testing
