// Credential shapes in free text, found in linear time. The emulator redacts every prompt it
// answers; std::regex recursed once per matched character, so a 54 KB one-line prompt
// holding "Authorization: Bearer" overflowed the stack (issue 11). Each rule below is a
// keyword found with a substring search and a hand-written scan of what follows it.
#pragma once

#include <string>
#include <string_view>

namespace bedrock::emulator::model::detail {

// The same patterns and replacements as bedrock::redact() (core/log.cpp), which the tests
// check against each other on short inputs:
//   Authorization[:=] value                -> Authorization: ****   (up to '"' or line end)
//   X-Amz-Security-Token[:=] value         -> X-Amz-Security-Token: ****
//   X-Amz-Signature=hex                    -> X-Amz-Signature=****
//   aws_secret_access_key / aws_session_token / aws_security_token [=:] value -> ... ****
//   "SecretAccessKey" / "SessionToken" / "Token" / ... : "value"   -> "...": "****"
//   bedrock-api-key-...                    -> bedrock-api-key-****
//   Bearer value                           -> Bearer ****
// Keywords match ignoring ASCII case (except bedrock-api-key-). Registered secrets are not
// known here (they live in the logger); the emulator's own keys are long key-like tokens,
// which redact_secrets() hides by shape.
std::string redact_credentials(std::string_view text);

}  // namespace bedrock::emulator::model::detail
