// The canonical-request builder over borrowed header bytes. sign() runs it on every request,
// so it reads the request's own header strings instead of copying them into HeaderLines.
// Private to bedrock_auth.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bedrock/auth/sigv4.h"

namespace bedrock::auth::detail {

struct HeaderView {
  std::string_view name;
  std::string_view value;
};

// Writes into `parts`, reusing its strings' capacity.
void canonical_request(std::string_view method, std::string_view raw_path,
                       std::string_view raw_query, std::span<const HeaderView> headers,
                       const std::vector<std::string>& signed_header_names,
                       std::string_view payload_hash, const sigv4::SigningParams& params,
                       sigv4::CanonicalParts& parts);

}  // namespace bedrock::auth::detail
