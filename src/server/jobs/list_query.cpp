#include "server/jobs/list_query.h"

#include <charconv>

namespace bedrock::server::jobs {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '+') {
      out += ' ';
    } else if (raw[i] == '%') {
      // strtol would read "%-1" or "%zz" as some byte; a bad escape is the caller's mistake.
      if (i + 2 >= raw.size()) return std::nullopt;
      const int high = hex_digit(raw[i + 1]);
      const int low = hex_digit(raw[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += raw[i];
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> query_value(std::string_view target, std::string_view name) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return std::string();
  std::string_view rest = target.substr(q + 1);
  // A fragment never reaches a server, but a hostile client may send one: it ends the query.
  rest = rest.substr(0, rest.find('#'));
  while (!rest.empty()) {
    const auto amp = std::min(rest.find('&'), rest.size());
    const std::string_view pair = rest.substr(0, amp);
    rest.remove_prefix(std::min(amp + 1, rest.size()));
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) != name) continue;
    return percent_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
  }
  return std::string();
}

HttpResult<bedrock::jobs::ListQuery> read_list_query(std::string_view target) {
  bedrock::jobs::ListQuery query;
  const auto bad_escape = [](const char* param) {
    return tl::unexpected<HttpError>(
        bad_field(param, std::string(param) + " has a '%' that is not followed by two hex digits"));
  };
  auto status = query_value(target, "status");
  if (!status) return bad_escape("status");
  if (!status->empty()) {
    query.state = bedrock::jobs::parse_job_state(*status);
    if (!query.state) {
      return tl::unexpected<HttpError>(
          bad_field("status", "status must be queued, running, succeeded, failed or cancelled"));
    }
  }
  auto limit = query_value(target, "limit");
  if (!limit) return bad_escape("limit");
  if (!limit->empty()) {
    std::size_t n = 0;
    const char* end = limit->data() + limit->size();
    auto [stop, ec] = std::from_chars(limit->data(), end, n);
    if (ec != std::errc() || stop != end || n < 1 || n > 1000) {
      return tl::unexpected<HttpError>(bad_field("limit", "limit must be 1..1000"));
    }
    query.limit = n;
  }
  auto cursor = query_value(target, "cursor");
  if (!cursor) return bad_escape("cursor");
  query.after = std::move(*cursor);
  return query;
}

}  // namespace bedrock::server::jobs
