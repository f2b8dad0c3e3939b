// Runs a program without a shell and collects its output, with a hard time limit.
// Private to bedrock_credentials (credential_process).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "bedrock/core/result.h"

namespace bedrock::credentials::cred_detail {

struct ProcessOutput {
  int exit_code = 0;  // 128 + signal number when the process was killed by a signal
  std::string out;
  std::string err;
};

struct ProcessLimits {
  std::chrono::milliseconds timeout{30000};  // wall time, real clock: the child runs for real
  size_t max_output_bytes = 1 << 20;         // per stream
};

// argv[0] is looked up in PATH like execvp. The child inherits stdin and the environment
// (as botocore's Popen does) and gets fresh pipes for stdout and stderr.
// Errors: ConfigurationInvalid when the program cannot be started; DeadlineExceeded when it
// runs past the timeout (it is then killed with SIGKILL and reaped); InvalidResponse when an
// output stream exceeds max_output_bytes.
Result<ProcessOutput> run_process(const std::vector<std::string>& argv,
                                  const ProcessLimits& limits);

}  // namespace bedrock::credentials::cred_detail
