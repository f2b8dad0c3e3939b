// Runs bedrock-emulator as a child process for integration tests: --port 0, the port read
// from its first stdout line ("... listening on http://127.0.0.1:PORT ..."), killed (SIGTERM,
// then SIGKILL) and reaped on destruction. Every wait is bounded.
#pragma once

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace bedrock::testing {

class EmulatorProcess {
 public:
  explicit EmulatorProcess(std::vector<std::string> flags) {
    const std::string bin = std::string(BEDROCK_BIN_DIR) + "/bedrock-emulator";
    std::vector<std::string> args = {bin, "--port", "0", "--seed", "7"};
    args.insert(args.end(), flags.begin(), flags.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    const int rc = posix_spawn(&pid_, bin.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    if (rc != 0) {
      close(out[0]);
      throw std::runtime_error("cannot start " + bin);
    }
    fd_ = out[0];
    const std::string line = read_line(std::chrono::seconds(10));
    const auto at = line.find("http://");
    if (at == std::string::npos) throw std::runtime_error("unexpected first line: " + line);
    const auto colon = line.find(':', at + 7);
    port_ = std::stoi(line.substr(colon + 1));
    if (auto admin = line.find("admin http://"); admin != std::string::npos) {
      admin_port_ = std::stoi(line.substr(line.find(':', admin + 13) + 1));
    }
  }

  ~EmulatorProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      for (int i = 0; i < 100; ++i) {
        if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
          pid_ = 0;
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      if (pid_ > 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
      }
    }
    if (fd_ >= 0) close(fd_);
  }

  EmulatorProcess(const EmulatorProcess&) = delete;
  EmulatorProcess& operator=(const EmulatorProcess&) = delete;

  int port() const { return port_; }
  int admin_port() const { return admin_port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

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
    throw std::runtime_error("bedrock-emulator did not report its port: '" + line + "'");
  }

  pid_t pid_ = 0;
  int fd_ = -1;
  int port_ = 0;
  int admin_port_ = -1;
};

}  // namespace bedrock::testing
