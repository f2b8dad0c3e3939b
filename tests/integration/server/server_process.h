// Runs bedrock-content-server as a child process: --port 0 plus the given flags, with exactly
// the given environment (nothing inherited, so no real ~/.aws is read); the port is read from
// its first stdout line; stderr goes to a file the test can read. Unless the environment names
// one, XDG_STATE_HOME is a temporary folder of the process's own, so its default job database
// is never shared with another test (or another checkout's tests). stop() sends a signal and
// returns the exit status; the destructor kills (SIGKILL) what is left. Every wait is bounded.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace bedrock::server::testing {

class ServerProcess {
 public:
  // `stderr_never_read`: stderr is a pipe the test keeps open and never reads (a stalled log
  // reader); stderr_text() is then empty.
  ServerProcess(std::vector<std::string> flags, std::vector<std::string> env,
                bool expect_port = true, bool stderr_never_read = false) {
    const std::string bin = std::string(BEDROCK_BIN_DIR) + "/bedrock-content-server";
    const bool names_state = std::any_of(env.begin(), env.end(), [](const std::string& e) {
      return e.rfind("XDG_STATE_HOME=", 0) == 0;
    });
    if (!names_state) {
      char state[] = "/tmp/bedrock-content-server-state-XXXXXX";
      if (mkdtemp(state) == nullptr) throw std::runtime_error("mkdtemp failed");
      state_dir_ = state;
      env.push_back("XDG_STATE_HOME=" + state_dir_);
    }
    std::vector<std::string> args = {bin};
    args.insert(args.end(), flags.begin(), flags.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);

    int err = -1;
    if (stderr_never_read) {
      int stalled[2];
      if (pipe(stalled) != 0) throw std::runtime_error("pipe failed");
      stalled_read_ = stalled[0];
      err = stalled[1];
    } else {
      char path[] = "/tmp/bedrock-content-server-stderr-XXXXXX";
      err = mkstemp(path);
      if (err < 0) throw std::runtime_error("mkstemp failed");
      stderr_path_ = path;
    }
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err, STDERR_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    if (stalled_read_ >= 0) posix_spawn_file_actions_addclose(&actions, stalled_read_);
    const int rc = posix_spawn(&pid_, bin.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    close(err);
    if (rc != 0) {
      close(out[0]);
      throw std::runtime_error("cannot start " + bin);
    }
    fd_ = out[0];
    if (!expect_port) return;
    first_line_ = read_line(std::chrono::seconds(10));
    const auto at = first_line_.find("http://");
    if (at == std::string::npos) throw std::runtime_error("unexpected first line: " + first_line_);
    port_ = static_cast<std::uint16_t>(
        std::stoi(first_line_.substr(first_line_.find(':', at + 7) + 1)));
  }

  ~ServerProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (fd_ >= 0) close(fd_);
    if (stalled_read_ >= 0) close(stalled_read_);
    if (!stderr_path_.empty()) unlink(stderr_path_.c_str());
    if (!state_dir_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(state_dir_, ignored);
    }
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  std::uint16_t port() const { return port_; }
  const std::string& first_line() const { return first_line_; }

  // Sends `sig` (0: none) and waits up to `limit` for the exit; the exit code, or -1 when the
  // process did not exit (or died of a signal).
  int stop(int sig, std::chrono::milliseconds limit) {
    if (pid_ <= 0) return -1;
    if (sig != 0) kill(pid_, sig);
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = 0;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }

  std::string stderr_text() const {
    if (stderr_path_.empty()) return {};
    std::ifstream in(stderr_path_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  std::string read_line(std::chrono::milliseconds timeout) {
    std::string line;
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      char c;
      const ssize_t n = read(fd_, &c, 1);
      if (n <= 0) break;
      if (c == '\n') return line;
      line += c;
    }
    throw std::runtime_error("bedrock-content-server did not report its port: '" + line +
                             "' stderr: " + stderr_text());
  }

  pid_t pid_ = 0;
  int fd_ = -1;
  int stalled_read_ = -1;
  std::uint16_t port_ = 0;
  std::string first_line_;
  std::string stderr_path_;
  std::string state_dir_;
};

// An environment that reaches `endpoint` with the emulator's test keys and reads no real AWS
// or content configuration.
inline std::vector<std::string> hermetic_env(const std::string& endpoint) {
  return {"AWS_ENDPOINT_URL_BEDROCK_RUNTIME=" + endpoint,
          "AWS_REGION=us-east-1",
          "AWS_ACCESS_KEY_ID=AKIDEMULATOR",
          "AWS_SECRET_ACCESS_KEY=emulator/secret/key/0123456789abcdef",
          "AWS_CONFIG_FILE=/nonexistent/config",
          "AWS_SHARED_CREDENTIALS_FILE=/nonexistent/credentials",
          "AWS_EC2_METADATA_DISABLED=true",
          "HOME=/nonexistent",
          "XDG_CONFIG_HOME=/nonexistent"};
}

}  // namespace bedrock::server::testing
