// Credential shapes in free text, found in linear time. redact() (log.h) and the emulator's
// prompt redaction run it on outside text; std::regex recursed once per matched character, so
// a long one-line "Authorization: Bearer ..." overflowed the stack (issue 11). Each rule below
// is a keyword found with a substring search and a hand-written scan of what follows it.
#pragma once

#include <string>
#include <string_view>

namespace bedrock {

// The rules, applied in this order (the differential test checks them against the former
// std::regex rules on generated text):
//   Authorization[:=] value                -> Authorization: ****   (up to '"' or line end)
//   X-Amz-Security-Token[:=] value         -> X-Amz-Security-Token: ****
//   X-Amz-Signature=hex                    -> X-Amz-Signature=****
//   aws_secret_access_key / aws_session_token / aws_security_token [=:] value -> ... ****
//   "SecretAccessKey" / "SessionToken" / "Token" / ... : "value"   -> "...": "****"
//   \"SecretAccessKey\" / ... : \"value    (JSON quoted inside a string) -> ...: \"****
//   SecretAccessKey / SessionToken / SecurityToken = value            -> ...=****
//   <SecretAccessKey>value / <ns:SessionToken>value  (STS XML)        -> <...>****
//   bedrock-api-key-...                    -> bedrock-api-key-****
//   Bearer value                           -> Bearer ****
// Keywords match ignoring ASCII case (except bedrock-api-key-). URL credentials and registered
// secrets are redact()'s business, not this function's.
std::string redact_credentials(std::string_view text);

}  // namespace bedrock
