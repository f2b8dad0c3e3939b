// The pure SigV4 stages: timestamps, canonical URI/query/headers/request and string to sign.
// Reference: shared/reference/bedrock-runtime.md §3.2 (what botocore SigV4Auth does) and the
// aws-c-auth signing test suite.
#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <map>

#include "bedrock/auth/sigv4.h"
#include "crypto.h"
#include "uri_encoding.h"

namespace bedrock::auth::sigv4 {
namespace {

std::tm utc_fields(WallTime t) {
  auto seconds = std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
  auto as_time_t = static_cast<std::time_t>(seconds);
  std::tm fields{};
  gmtime_r(&as_time_t, &fields);
  return fields;
}

std::string format_utc(WallTime t, const char* pattern) {
  std::tm fields = utc_fields(t);
  std::array<char, 32> buffer{};
  size_t n = std::strftime(buffer.data(), buffer.size(), pattern, &fields);
  return std::string(buffer.data(), n);
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// botocore: ' '.join(value.split()) — trim, and collapse every whitespace run (including the
// newlines of folded header lines) to one space.
void append_normalized_value(std::string& out, std::string_view value) {
  bool pending_space = false;
  bool any = false;
  for (char c : value) {
    if (is_space(c)) {
      pending_space = any;
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    any = true;
    out.push_back(c);
  }
}

// botocore utils.remove_dot_segments: RFC 3986 §5.2.4 plus removal of empty segments (AWS
// services collapse "//"); the leading '/' is kept, the trailing '/' only if segments remain.
std::string remove_dot_segments(std::string_view path) {
  if (path.empty()) return "/";
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!out.empty()) out.pop_back();
    } else if (!segment.empty() && segment != ".") {
      out.push_back(segment);
    }
    start = end + 1;
  }
  // Built by push_back rather than from a conditional literal: GCC 12 at -O3 reports a false
  // -Wrestrict on the latter.
  std::string result;
  if (path.front() == '/') result.push_back('/');
  for (size_t i = 0; i < out.size(); ++i) {
    if (i > 0) result.push_back('/');
    result.append(out[i]);
  }
  if (path.back() == '/' && !out.empty()) result.push_back('/');
  return result;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Single encoding canonicalises the wire path itself: %XX escapes are decoded and re-encoded
// (so %3a and %3A agree and an escaped '/' stays escaped) and raw bytes are encoded once.
std::string encode_path_once(std::string_view path) {
  std::string out;
  out.reserve(path.size() + 8);
  for (size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (c == '%' && i + 2 < path.size() && hex_value(path[i + 1]) >= 0 &&
        hex_value(path[i + 2]) >= 0) {
      char decoded = static_cast<char>(hex_value(path[i + 1]) * 16 + hex_value(path[i + 2]));
      detail::append_encoded(out, std::string_view(&decoded, 1), /*keep_slash=*/false);
      i += 2;
    } else {
      detail::append_encoded(out, std::string_view(&c, 1), /*keep_slash=*/true);
    }
  }
  return out;
}

}  // namespace

std::string amz_date(WallTime t) { return format_utc(t, "%Y%m%dT%H%M%SZ"); }

std::string date_stamp(WallTime t) { return format_utc(t, "%Y%m%d"); }

std::string sha256_hex(std::string_view bytes) { return detail::to_hex(detail::sha256_raw(bytes)); }

bool is_unsignable_header(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kNeverSigned = {"authorization",
                                                                    "connection",
                                                                    "expect",
                                                                    "keep-alive",
                                                                    "proxy-authenticate",
                                                                    "proxy-authorization",
                                                                    "te",
                                                                    "trailer",
                                                                    "transfer-encoding",
                                                                    "upgrade",
                                                                    "user-agent",
                                                                    "x-amzn-trace-id"};
  return std::find(kNeverSigned.begin(), kNeverSigned.end(), name) != kNeverSigned.end();
}

std::string canonical_uri(std::string_view raw_path, bool double_encode, bool normalize) {
  std::string path = normalize ? remove_dot_segments(raw_path) : std::string(raw_path);
  if (path.empty()) path.push_back('/');  // not `= "/"`: GCC 12 -O3 false -Wrestrict
  // Non-S3 services sign the URI-encoding of the wire path, which is already encoded: the
  // wire "%3A" of a model id becomes "%253A" in the canonical request (reference §1.3, §3.3).
  if (double_encode) return detail::uri_encode(path, /*keep_slash=*/true);
  return encode_path_once(path);
}

std::string canonical_query(std::string_view raw_query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  size_t start = 0;
  while (start <= raw_query.size() && !raw_query.empty()) {
    size_t end = raw_query.find('&', start);
    if (end == std::string_view::npos) end = raw_query.size();
    std::string_view pair = raw_query.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    std::string_view value =
        eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    pairs.emplace_back(detail::uri_encode(detail::uri_decode(key)),
                       detail::uri_encode(detail::uri_decode(value)));
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [key, value] : pairs) {
    if (!out.empty()) out.push_back('&');
    out.append(key).append("=").append(value);
  }
  return out;
}

CanonicalParts canonical_request(std::string_view method, std::string_view raw_path,
                                 std::string_view raw_query, const std::vector<HeaderLine>& headers,
                                 const std::vector<std::string>& signed_header_names,
                                 std::string_view payload_hash, const SigningParams& params) {
  // name -> values in order of appearance, joined with ',' (botocore get_all()).
  std::map<std::string, std::string> canonical;
  std::map<std::string, bool> seen;  // whether a value was already appended for the name
  if (!signed_header_names.empty()) {
    for (const auto& name : signed_header_names) canonical.emplace(to_lower(name), "");
  }
  for (const auto& header : headers) {
    std::string name = to_lower(header.name);
    if (signed_header_names.empty()) {
      if (is_unsignable_header(name)) continue;
    } else if (canonical.find(name) == canonical.end()) {
      continue;
    }
    std::string& value = canonical[name];
    if (seen[name]) value.push_back(',');
    seen[name] = true;
    append_normalized_value(value, header.value);
  }

  CanonicalParts parts;
  std::string block;
  for (const auto& [name, value] : canonical) {
    block.append(name).append(":").append(value).append("\n");
    if (!parts.signed_headers.empty()) parts.signed_headers.push_back(';');
    parts.signed_headers.append(name);
  }

  std::string upper_method(method);
  for (char& c : upper_method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));

  std::string& out = parts.canonical_request;
  out.reserve(256 + block.size() + raw_path.size() * 2);
  out.append(upper_method).append("\n");
  out.append(canonical_uri(raw_path, params.double_encode_path, params.normalize_path));
  out.append("\n").append(canonical_query(raw_query)).append("\n");
  out.append(block).append("\n");
  out.append(parts.signed_headers).append("\n");
  out.append(payload_hash);
  return parts;
}

std::string credential_scope(std::string_view date, std::string_view region,
                             std::string_view service) {
  std::string scope;
  scope.reserve(date.size() + region.size() + service.size() + 16);
  scope.append(date).append("/").append(region).append("/").append(service).append("/");
  scope.append(kTerminator);
  return scope;
}

std::string string_to_sign(std::string_view canonical, const SigningParams& params) {
  std::string out;
  out.reserve(160);
  out.append(kAlgorithm).append("\n");
  out.append(amz_date(params.time)).append("\n");
  out.append(credential_scope(date_stamp(params.time), params.region, params.service));
  out.append("\n").append(sha256_hex(canonical));
  return out;
}

}  // namespace bedrock::auth::sigv4
