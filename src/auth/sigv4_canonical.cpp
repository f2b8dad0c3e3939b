// The pure SigV4 stages: timestamps, canonical URI/query/headers/request and string to sign.
// Reference: docs/wire-protocol.md §3.2 (what botocore SigV4Auth does) and the
// aws-c-auth signing test suite.
#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>

#include "bedrock/auth/sigv4.h"
#include "bedrock/core/ascii.h"
#include "bedrock/core/percent_encoding.h"
#include "bedrock/http/url.h"
#include "canonical_views.h"
#include "crypto.h"

namespace bedrock::auth::sigv4 {
namespace {

// "YYYYMMDD" or "YYYYMMDDTHHMMSSZ" in UTC, by calendar arithmetic rather than
// gmtime_r + strftime: it runs on every signature, and four-digit years cover every time a
// request can carry.
std::string format_utc(WallTime t, bool with_time) {
  using namespace std::chrono;
  const auto seconds = floor<std::chrono::seconds>(t);
  const auto day = floor<days>(seconds);
  const year_month_day date{day};
  const hh_mm_ss clock{seconds - day};
  std::string out(with_time ? 16 : 8, 'T');
  auto put = [&out](std::size_t at, unsigned value, int width) {
    for (int i = width - 1; i >= 0; --i, value /= 10) {
      out[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
    }
  };
  put(0, static_cast<unsigned>(static_cast<int>(date.year())), 4);
  put(4, static_cast<unsigned>(date.month()), 2);
  put(6, static_cast<unsigned>(date.day()), 2);
  if (with_time) {
    put(9, static_cast<unsigned>(clock.hours().count()), 2);
    put(11, static_cast<unsigned>(clock.minutes().count()), 2);
    put(13, static_cast<unsigned>(clock.seconds().count()), 2);
    out[15] = 'Z';
  }
  return out;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// botocore: ' '.join(value.split()) — trim, and collapse every whitespace run (including the
// newlines of folded header lines) to one space.
void append_normalized_value(std::string& out, std::string_view value) {
  // Almost every value is already normal (no leading, trailing or repeated whitespace, no
  // tabs or newlines): append it whole.
  bool already_normal = value.empty() || (!is_space(value.front()) && !is_space(value.back()));
  for (std::size_t i = 0; already_normal && i < value.size(); ++i) {
    const char c = value[i];
    if (c == ' ') {
      already_normal = value[i + 1] != ' ';  // the last byte is not a space, so i + 1 exists
    } else if (is_space(c)) {
      already_normal = false;
    }
  }
  if (already_normal) {
    out.append(value);
    return;
  }
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

// Whether remove_dot_segments would change `path` (an empty, "." or ".." segment).
bool has_removable_segments(std::string_view path) {
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '/') continue;
    const std::string_view rest = path.substr(i + 1);
    if (rest.empty()) return false;  // one trailing '/' stays
    if (rest.front() == '/' || rest == "." || rest == ".." || rest.starts_with("./") ||
        rest.starts_with("../")) {
      return true;
    }
  }
  return false;
}

// botocore utils.remove_dot_segments: RFC 3986 §5.2.4 plus removal of empty segments (AWS
// services collapse "//"); the leading '/' is kept, the trailing '/' only if segments remain.
std::string remove_dot_segments(std::string_view path) {
  if (path.empty()) return "/";
  // Every Bedrock path is already clean ("/model/{id}/invoke"); skip the segment split.
  if (path.front() == '/' && !has_removable_segments(path)) return std::string(path);
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

// Single encoding canonicalises the wire path itself: %XX escapes are decoded and re-encoded
// (so %3a and %3A agree and an escaped '/' stays escaped) and raw bytes are encoded once.
std::string encode_path_once(std::string_view path) {
  std::string out;
  out.reserve(path.size() + 8);
  for (size_t i = 0; i < path.size(); ++i) {
    if (const auto decoded = percent_escape_at(path, i)) {
      append_percent_encoded(out, std::string_view(&*decoded, 1), /*keep_slash=*/false);
      i += 2;
    } else {
      append_percent_encoded(out, path.substr(i, 1), /*keep_slash=*/true);
    }
  }
  return out;
}

}  // namespace

std::string amz_date(WallTime t) { return format_utc(t, /*with_time=*/true); }

std::string date_stamp(WallTime t) { return format_utc(t, /*with_time=*/false); }

std::string sha256_hex(std::string_view bytes) { return detail::sha256_hex(bytes); }

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
  if (double_encode && !raw_path.empty() && raw_path.front() == '/' &&
      !(normalize && has_removable_segments(raw_path))) {
    // Every Bedrock path: already normal, so it is encoded straight from the wire bytes.
    return percent_encoded(raw_path, /*keep_slash=*/true);
  }
  std::string path = normalize ? remove_dot_segments(raw_path) : std::string(raw_path);
  if (path.empty()) path.push_back('/');  // not `= "/"`: GCC 12 -O3 false -Wrestrict
  // Non-S3 services sign the URI-encoding of the wire path, which is already encoded: the
  // wire "%3A" of a model id becomes "%253A" in the canonical request (docs/wire-protocol.md §1.3,
  // §3.3).
  if (double_encode) return percent_encoded(path, /*keep_slash=*/true);
  return encode_path_once(path);
}

std::string canonical_query(std::string_view raw_query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  http::for_each_query_pair(
      raw_query, [&pairs](std::string_view key, std::string_view value, std::size_t /*at*/) {
        pairs.emplace_back(percent_encoded(percent_decode_lenient(key)),
                           percent_encoded(percent_decode_lenient(value)));
        return true;
      });
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [key, value] : pairs) {
    if (!out.empty()) out.push_back('&');
    out.append(key).append("=").append(value);
  }
  return out;
}

}  // namespace bedrock::auth::sigv4

namespace bedrock::auth::detail {

void canonical_request(std::string_view method, std::string_view raw_path,
                       std::string_view raw_query, std::span<const HeaderView> headers,
                       const std::vector<std::string>& signed_header_names,
                       std::string_view payload_hash, const sigv4::SigningParams& params,
                       sigv4::CanonicalParts& parts) {
  // A flat list sorted by name (stable, so repeated names keep their order of appearance and
  // join with ',' as botocore's get_all() does): this runs on every call, and a few headers
  // sort faster in a vector than through node-based maps. Lower-cased names live in one
  // buffer reserved up front, so the entries can point into it; the buffers are per thread
  // and keep their capacity, so a signature allocates nothing here once warm.
  struct Entry {
    std::string_view name;
    std::string_view value;
    bool present;  // false: a requested signed name the request does not carry
  };
  thread_local std::string lowered;
  thread_local std::vector<std::string_view> wanted;
  thread_local std::vector<Entry> entries;
  std::size_t name_bytes = 0;
  for (const auto& header : headers) name_bytes += header.name.size();
  for (const auto& name : signed_header_names) name_bytes += name.size();
  lowered.clear();
  lowered.reserve(name_bytes);
  auto lower_into_buffer = [](std::string_view name) {
    const std::size_t at = lowered.size();
    lowered.append(name);
    for (std::size_t i = at; i < lowered.size(); ++i) lowered[i] = ascii_lower(lowered[i]);
    return std::string_view(lowered).substr(at, name.size());
  };

  wanted.clear();
  for (const auto& name : signed_header_names) wanted.push_back(lower_into_buffer(name));
  entries.clear();
  for (const auto& header : headers) {
    const std::string_view name = lower_into_buffer(header.name);
    const bool signed_here = wanted.empty()
                                 ? !sigv4::is_unsignable_header(name)
                                 : std::find(wanted.begin(), wanted.end(), name) != wanted.end();
    if (signed_here) entries.push_back(Entry{name, header.value, true});
  }
  for (std::string_view name : wanted) {
    const bool listed =
        std::any_of(entries.begin(), entries.end(), [&](const Entry& e) { return e.name == name; });
    if (!listed) entries.push_back(Entry{name, {}, false});
  }
  // Insertion sort: stable, and for the handful of headers a request signs it beats
  // std::stable_sort, which allocates a merge buffer.
  for (std::size_t i = 1; i < entries.size(); ++i) {
    Entry moving = entries[i];
    std::size_t j = i;
    for (; j > 0 && moving.name < entries[j - 1].name; --j) entries[j] = entries[j - 1];
    entries[j] = moving;
  }

  std::string& out = parts.canonical_request;
  out.clear();
  parts.signed_headers.clear();
  std::size_t value_bytes = 0;
  for (const Entry& entry : entries) value_bytes += entry.name.size() + entry.value.size() + 2;
  out.reserve(192 + 2 * value_bytes + raw_path.size() * 2 + raw_query.size() * 2);
  for (char c : method) out.push_back(ascii_upper(c));
  out.push_back('\n');
  if (params.double_encode_path && !raw_path.empty() && raw_path.front() == '/' &&
      !(params.normalize_path && sigv4::has_removable_segments(raw_path))) {
    append_percent_encoded(out, raw_path, /*keep_slash=*/true);  // see canonical_uri
  } else {
    out.append(sigv4::canonical_uri(raw_path, params.double_encode_path, params.normalize_path));
  }
  out.push_back('\n');
  if (!raw_query.empty()) out.append(sigv4::canonical_query(raw_query));
  out.push_back('\n');

  parts.signed_headers.reserve(name_bytes + entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const Entry& entry = entries[i];
    const bool first_of_name = i == 0 || entries[i - 1].name != entry.name;
    if (first_of_name) {
      if (i > 0) out.push_back('\n');
      out.append(entry.name).push_back(':');
      if (!parts.signed_headers.empty()) parts.signed_headers.push_back(';');
      parts.signed_headers.append(entry.name);
    } else {
      out.push_back(',');
    }
    if (entry.present) sigv4::append_normalized_value(out, entry.value);
  }
  if (!entries.empty()) out.push_back('\n');
  out.push_back('\n');
  out.append(parts.signed_headers).push_back('\n');
  out.append(payload_hash);
}

}  // namespace bedrock::auth::detail

namespace bedrock::auth::sigv4 {

CanonicalParts canonical_request(std::string_view method, std::string_view raw_path,
                                 std::string_view raw_query, const std::vector<HeaderLine>& headers,
                                 const std::vector<std::string>& signed_header_names,
                                 std::string_view payload_hash, const SigningParams& params) {
  std::vector<detail::HeaderView> views;
  views.reserve(headers.size());
  for (const auto& header : headers) views.push_back({header.name, header.value});
  CanonicalParts parts;
  detail::canonical_request(method, raw_path, raw_query, views, signed_header_names, payload_hash,
                            params, parts);
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
