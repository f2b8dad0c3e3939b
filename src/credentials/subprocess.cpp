#include "subprocess.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "bedrock/core/saturating_time.h"

extern char** environ;

namespace bedrock::credentials::cred_detail {
namespace {

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

Status make_pipe(Fd& read_end, Fd& write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("cannot create a pipe: {}", std::strerror(errno)));
  }
  read_end.reset(fds[0]);
  write_end.reset(fds[1]);
  return {};
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Reaps the child, retrying on EINTR.
int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return decode_status(status);
}

// Waits for the child until the deadline; nullopt if it is still running then.
std::optional<int> wait_until(pid_t pid, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    int status = 0;
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return decode_status(status);
    if (done < 0 && errno != EINTR) return -1;
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    ::usleep(5000);
  }
}

}  // namespace

Result<ProcessOutput> run_process(const std::vector<std::string>& argv,
                                  const ProcessLimits& limits) {
  if (argv.empty()) return fail(ErrorCode::ConfigurationInvalid, "empty command");
  Fd out_read, out_write, err_read, err_write;
  if (auto s = make_pipe(out_read, out_write); !s) return fail(s.error());
  if (auto s = make_pipe(err_read, err_write); !s) return fail(s.error());

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_write.get(), STDERR_FILENO);

  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  pid_t pid = 0;
  int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("cannot run '{}': {}", argv[0], std::strerror(rc)));
  }
  out_write.reset();
  err_write.reset();

  const auto deadline =
      saturating_add(std::chrono::steady_clock::now(),
                     duration_from_seconds(std::chrono::duration<double>(limits.timeout).count()));
  ProcessOutput result;
  Fd* streams[2] = {&out_read, &err_read};
  std::string* sinks[2] = {&result.out, &result.err};
  char buffer[8192];
  bool exited = false;
  int exit_code = 0;
  for (;;) {
    pollfd fds[2];
    int count = 0;
    int which[2];
    for (int i = 0; i < 2; ++i) {
      if (streams[i]->get() >= 0) {
        fds[count] = pollfd{streams[i]->get(), POLLIN, 0};
        which[count++] = i;
      }
    }
    if (count == 0) break;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(pid, SIGKILL);
      wait_for(pid);
      return fail(ErrorCode::DeadlineExceeded,
                  fmt::format("'{}' did not finish within {} ms and was killed", argv[0],
                              limits.timeout.count()));
    }
    // Wake at least every 100 ms: a grandchild may keep the pipes open after the child
    // exits, and then the exit status is what ends the wait.
    int wait_ms = static_cast<int>(std::min<long long>(left.count(), 100));
    int ready = ::poll(fds, static_cast<nfds_t>(count), wait_ms);
    if (ready < 0 && errno != EINTR) break;
    for (int k = 0; k < count && ready > 0; ++k) {
      if (fds[k].revents == 0) continue;
      int i = which[k];
      ssize_t n = ::read(streams[i]->get(), buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(n));
        if (sinks[i]->size() > limits.max_output_bytes) {
          ::kill(pid, SIGKILL);
          wait_for(pid);
          return fail(ErrorCode::InvalidResponse, fmt::format("'{}' wrote more than {} bytes",
                                                              argv[0], limits.max_output_bytes));
        }
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        streams[i]->reset();
      }
    }
    if (!exited) {
      int status = 0;
      pid_t done = ::waitpid(pid, &status, WNOHANG);
      if (done == pid) {
        exited = true;
        exit_code = decode_status(status);
      }
    } else if (ready == 0) {
      break;  // exited and nothing more arrived within a poll interval: a grandchild holds the pipe
    }
  }
  if (!exited) {
    // Both pipes are closed but the child may still run (it closed them itself).
    auto code = wait_until(pid, deadline);
    if (!code) {
      ::kill(pid, SIGKILL);
      wait_for(pid);
      return fail(ErrorCode::DeadlineExceeded,
                  fmt::format("'{}' did not finish within {} ms and was killed", argv[0],
                              limits.timeout.count()));
    }
    exit_code = *code;
  }
  result.exit_code = exit_code;
  return result;
}

}  // namespace bedrock::credentials::cred_detail
