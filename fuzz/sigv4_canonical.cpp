// SigV4 canonicalisation (canonical URI, query and request; Authorization parsing), and the
// round trip with the emulator's verifier. Input lines: a method, a request target
// ("/path?query"), then "Name: value" headers. Properties: the canonical builders take any
// bytes; a parsed Authorization prints back to a header that parses the same; and a request
// the client's sign() accepts, sent as it would be on the wire, is accepted by the emulator's
// verifier (both sides canonicalise the same bytes the same way).
#include <algorithm>
#include <vector>

#include "bedrock/auth/sigv4.h"
#include "emulator/auth_verifier.h"
#include "fakes/fake_clock.h"
#include "fuzz_check.h"

namespace {

namespace sigv4 = bedrock::auth::sigv4;

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto end = text.find('\n');
    lines.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

bool is_token(std::string_view s) {
  static constexpr std::string_view kExtra = "!#$%&'*+-.^_`|~";
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           kExtra.find(c) != std::string_view::npos;
  });
}

bool is_visible(std::string_view s, bool allow_space) {
  return std::all_of(s.begin(), s.end(), [&](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u > 0x20 && u < 0x7f && c != '#') || (allow_space && (c == ' ' || c == '\t'));
  });
}

const bedrock::FakeClock& fuzz_clock() {
  static const bedrock::FakeClock clock;
  return clock;
}

void check_round_trip(std::string_view method, std::string_view target,
                      const std::vector<sigv4::HeaderLine>& headers) {
  if (!is_token(method) || target.empty() || target.front() != '/' || !is_visible(target, false))
    return;
  bedrock::http::Request request;
  request.method = std::string(method);
  request.url = "https://bedrock-runtime.us-east-1.amazonaws.com" + std::string(target);
  for (const auto& h : headers) {
    if (!is_token(h.name) || !is_visible(h.value, true)) return;
    // The wire trims a value's surrounding whitespace; a signer sees what the caller set.
    if (!h.value.empty() && (h.value.front() == ' ' || h.value.front() == '\t' ||
                             h.value.back() == ' ' || h.value.back() == '\t'))
      return;
    request.headers.emplace_back(h.name, h.value);
  }
  bedrock::auth::Credentials credentials;
  credentials.access_key_id = "AKIDEXAMPLE";
  credentials.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  sigv4::SigningParams params;
  params.region = "us-east-1";
  params.time = fuzz_clock().wall();
  if (!sigv4::sign(request, credentials, params)) return;

  static const bedrock::emulator::AuthVerifier verifier(
      [] {
        bedrock::emulator::AuthSettings s;
        s.credentials.push_back({"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""});
        return s;
      }(),
      fuzz_clock());
  bedrock::emulator::AuthVerifier::Request wire;
  wire.method_string(request.method);
  wire.target(std::string(target));
  for (const auto& [name, value] : request.headers) wire.insert(name, value);
  const auto failure = verifier.verify(wire);
  if (failure) {
    std::fprintf(stderr, "verifier refused a signed request: %s: %s\n", failure->error_type.c_str(),
                 failure->message.c_str());
  }
  FUZZ_CHECK(!failure);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = bedrock::fuzz::as_text(data, size);
  const auto lines = split_lines(text);
  const std::string_view method = lines.empty() ? "" : lines[0];
  const std::string_view target = lines.size() < 2 ? "/" : lines[1];
  const auto q = target.find('?');
  const std::string_view path = target.substr(0, q);
  const std::string_view query = q == std::string_view::npos ? "" : target.substr(q + 1);
  std::vector<sigv4::HeaderLine> headers;
  for (std::size_t i = 2; i < lines.size(); ++i) {
    const auto colon = lines[i].find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = lines[i].substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    headers.push_back({std::string(lines[i].substr(0, colon)), std::string(value)});
  }

  for (bool double_encode : {false, true}) {
    for (bool normalize : {false, true}) (void)sigv4::canonical_uri(path, double_encode, normalize);
  }
  (void)sigv4::canonical_query(query);
  sigv4::SigningParams params;
  params.region = "us-east-1";
  params.time = fuzz_clock().wall();
  (void)sigv4::canonical_request(method, path, query, headers, {}, sigv4::kEmptyPayloadHash,
                                 params);

  if (auto parsed = sigv4::parse_authorization(text)) {
    std::string signed_headers;
    for (const auto& h : parsed->signed_headers) {
      if (!signed_headers.empty()) signed_headers += ';';
      signed_headers += h;
    }
    const std::string scope =
        parsed->date + "/" + parsed->region + "/" + parsed->service + "/" + parsed->terminator;
    auto again = sigv4::parse_authorization(sigv4::authorization_value(
        parsed->access_key_id, scope, signed_headers, parsed->signature));
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(again->access_key_id == parsed->access_key_id &&
               again->signature == parsed->signature &&
               again->signed_headers == parsed->signed_headers);
  }
  check_round_trip(method, target, headers);
  return 0;
}
