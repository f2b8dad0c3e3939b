// bedrock-content's command line. The binary's main() only calls run().
#pragma once

namespace bedrock::cli {

// Parses argv, runs the command, prints results on stdout and errors on stderr.
// Returns the process exit code (see exit_codes.h). Never throws.
int run(int argc, char** argv);

}  // namespace bedrock::cli
