// Process exit codes of bedrock-content: one per error class, so scripts can react to
// "try later" (throttled, service) differently from "fix your input" or "fix your setup".
#pragma once

#include <string>

#include "bedrock/core/error.h"

namespace bedrock::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitUnexpected = 1,     // a bug or an error we do not classify
  kExitUsage = 2,          // bad command line
  kExitConfiguration = 3,  // configuration invalid, no credentials
  kExitInput = 4,          // validation, empty or too-long input
  kExitAuth = 5,           // access denied, unknown key, bad signature, expired token
  kExitThrottled = 6,      // throttling or quota exhausted after retries
  kExitService = 7,        // Bedrock or the model failed (5xx, model timeout/not ready/error)
  kExitNetwork = 8,        // connection, TLS or read-timeout failures
  kExitDeadline = 9,       // the overall --timeout passed
  kExitNotFound = 10,      // the model does not exist or is not enabled
  kExitCancelled = 130,    // Ctrl-C (128 + SIGINT, as shells report it)
};

ExitCode exit_code_for(ErrorCode code);

// The table printed at the end of --help and in the README.
std::string exit_code_help();

}  // namespace bedrock::cli
