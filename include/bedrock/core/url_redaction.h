// Credentials in URLs ("http://user:password@host") must never be shown: every place that
// prints, logs or returns a URL in a message passes it (or the whole message) through here.
#pragma once

#include <string>
#include <string_view>

namespace bedrock {

// `text` with the user-info of every "scheme://user-info@host" replaced by "****"
// ("http://****@host:8080/path"). Text without such a URL comes back unchanged. Linear time;
// it works on a bare URL and on free text containing URLs alike.
std::string redact_url_credentials(std::string_view text);

}  // namespace bedrock
