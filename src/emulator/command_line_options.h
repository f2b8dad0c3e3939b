// The ServerOptions a command line asks for, before the Emulator is built (kept apart from
// build_emulator so tests can see which addresses and limits a command line gives).
#pragma once

#include "bedrock/core/result.h"
#include "options.h"
#include "server.h"

namespace bedrock::emulator {

// Validates the flags that shape the server. The admin port binds `admin_host` (default
// 127.0.0.1), never `host`: `--host 0.0.0.0` must not expose fault injection and resets to
// the network. Errors: ConfigurationInvalid naming the flag.
Result<ServerOptions> server_options(const CommandLine& cl);

}  // namespace bedrock::emulator
