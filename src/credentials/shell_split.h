// Splits a command line into argv the way Python's shlex.split (POSIX mode) does, which is how
// botocore splits credential_process on POSIX. No shell is involved: no variables, globs,
// pipes or redirections. Private to bedrock_credentials.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bedrock/core/result.h"

namespace bedrock::credentials::cred_detail {

// Whitespace separates words; '...' is literal; "..." is literal except \" and \\;
// outside quotes a backslash escapes the next character; "" yields an empty word.
// Errors: ConfigurationInvalid for an unterminated quote or a trailing backslash.
Result<std::vector<std::string>> shell_split(std::string_view command);

}  // namespace bedrock::credentials::cred_detail
