#pragma once
// The built sivo-webhooks binary as a child process: started with arguments
// and environment, its stdout/stderr captured, stopped with a signal.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sivo::test_e2e {

struct RunResult {
  int exit_code = -1;  // -1: killed by a signal or timed out
  std::string out;
  std::string err;
};

// Runs the binary to completion (for --help, bad flags, ...).
RunResult run_binary(const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env = {},
                     std::chrono::milliseconds timeout = std::chrono::seconds(20));

class EngineProcess {
 public:
  // Starts the binary and waits for its "listening on" line. SIVO_* variables
  // of the test's own environment are not passed on; `env` adds variables.
  EngineProcess(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {});
  ~EngineProcess();  // SIGKILL if still running
  EngineProcess(const EngineProcess&) = delete;
  EngineProcess& operator=(const EngineProcess&) = delete;

  bool started() const { return port_ != 0; }
  std::uint16_t port() const { return port_; }
  const std::string& listen_line() const { return listen_line_; }
  // The admin token printed at first start, if it printed one.
  const std::optional<std::string>& printed_admin_token() const { return admin_token_; }
  const std::string& out() const { return out_; }
  const std::string& err() const { return err_; }  // complete once stop() returned

  // Sends `signal` and waits for the exit; the exit code (-1 on timeout/killed).
  int stop(int signal, std::chrono::milliseconds timeout = std::chrono::seconds(20));

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::uint16_t port_ = 0;
  std::string out_;
  std::string err_;
  std::string listen_line_;
  std::optional<std::string> admin_token_;
};

}  // namespace sivo::test_e2e
