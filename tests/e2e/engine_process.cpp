#include "tests/e2e/engine_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

extern char** environ;

namespace sivo::test_e2e {

namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> child_environment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> out;
  for (char** e = environ; *e; ++e) {
    if (std::strncmp(*e, "SIVO_", 5) == 0) continue;
    out.emplace_back(*e);
  }
  for (const auto& [name, value] : extra) out.push_back(name + "=" + value);
  return out;
}

// fork + exec with stdout and stderr on pipes; the child's pid.
pid_t spawn(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
            int& out_fd, int& err_fd) {
  int out_pipe[2], err_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) return -1;
  std::vector<std::string> argv_strings{SIVO_BINARY};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  auto env_strings = child_environment(env);
  std::vector<char*> argv, envp;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);

  pid_t pid = fork();
  if (pid == 0) {
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    close(out_pipe[0]);
    close(err_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[1]);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  out_fd = out_pipe[0];
  err_fd = err_pipe[0];
  fcntl(out_fd, F_SETFL, O_NONBLOCK);
  fcntl(err_fd, F_SETFL, O_NONBLOCK);
  return pid;
}

// Reads what is available (waiting up to `wait`); false at EOF on both.
bool pump(int out_fd, int err_fd, std::string& out, std::string& err, std::chrono::milliseconds wait) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  ::poll(fds, 2, static_cast<int>(wait.count()));
  bool open = false;
  char buffer[4096];
  for (auto [fd, target] : {std::pair{out_fd, &out}, std::pair{err_fd, &err}}) {
    if (fd < 0) continue;
    while (true) {
      ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n > 0) {
        target->append(buffer, static_cast<std::size_t>(n));
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) open = true;
      break;
    }
  }
  return open;
}

int wait_exit(pid_t pid, int out_fd, int err_fd, std::string& out, std::string& err,
              std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    pump(out_fd, err_fd, out, err, std::chrono::milliseconds(20));
    int status = 0;
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      pump(out_fd, err_fd, out, err, std::chrono::milliseconds(0));
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return -1;
}

}  // namespace

RunResult run_binary(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                     std::chrono::milliseconds timeout) {
  RunResult result;
  int out_fd = -1, err_fd = -1;
  pid_t pid = spawn(args, env, out_fd, err_fd);
  if (pid < 0) return result;
  result.exit_code = wait_exit(pid, out_fd, err_fd, result.out, result.err, timeout);
  close(out_fd);
  close(err_fd);
  return result;
}

EngineProcess::EngineProcess(const std::vector<std::string>& args,
                             const std::map<std::string, std::string>& env) {
  pid_ = spawn(args, env, out_fd_, err_fd_);
  if (pid_ < 0) return;
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  constexpr std::string_view kMarker = "listening on http://";
  while (Clock::now() < deadline) {
    pump(out_fd_, err_fd_, out_, err_, std::chrono::milliseconds(20));
    auto at = out_.find(kMarker);
    if (at != std::string::npos && out_.find('\n', at) != std::string::npos) {
      auto line_start = out_.rfind('\n', at);
      line_start = line_start == std::string::npos ? 0 : line_start + 1;
      listen_line_ = out_.substr(line_start, out_.find('\n', at) - line_start);
      auto address = listen_line_.substr(listen_line_.find(kMarker) + kMarker.size());
      address = address.substr(0, address.find(' '));
      port_ = static_cast<std::uint16_t>(std::stoi(address.substr(address.rfind(':') + 1)));
      constexpr std::string_view kToken = "admin token";
      if (auto token_at = out_.find(kToken); token_at != std::string::npos) {
        auto line_end = out_.find('\n', token_at);
        auto line = out_.substr(token_at, line_end - token_at);
        admin_token_ = line.substr(line.rfind(' ') + 1);
      }
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {  // it died before listening
      pump(out_fd_, err_fd_, out_, err_, std::chrono::milliseconds(0));
      pid_ = -1;
      return;
    }
  }
}

int EngineProcess::stop(int signal, std::chrono::milliseconds timeout) {
  if (pid_ < 0) return -1;
  kill(pid_, signal);
  int code = wait_exit(pid_, out_fd_, err_fd_, out_, err_, timeout);
  pid_ = -1;
  return code;
}

EngineProcess::~EngineProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (out_fd_ >= 0) close(out_fd_);
  if (err_fd_ >= 0) close(err_fd_);
}

}  // namespace sivo::test_e2e
