// Reading a request's JSON body safely: the size is already bounded by the net server
// (ServiceOptions::max_body_bytes, 413 before it is read); the nesting depth is checked by a
// linear scan before anything is parsed (bedrock::json_nesting_exceeds), and the parser never
// throws. Every failure is an HttpError the caller can send as it is: 415 for a wrong
// Content-Type or a body that is not JSON, 400 naming the field for a wrong shape.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "bedrock/net/http_types.h"
#include "server/http_error.h"

namespace bedrock::server {

template <typename T>
using HttpResult = tl::expected<T, HttpError>;

inline tl::unexpected<HttpError> refuse(HttpError error) {
  return tl::unexpected<HttpError>(std::move(error));
}

// Whether the request's Content-Type, when it has one, is application/json (parameters
// allowed): the first thing parse_json_body() checks.
bool json_content_type(const net::HttpRequest& request);

// The body as a JSON object. A missing Content-Type is accepted; one that is not
// application/json (parameters allowed) is a 415, as is a body that does not parse (invalid
// UTF-8 included). Deeper than bedrock::kMaxJsonNesting or not an object: 400.
HttpResult<nlohmann::json> parse_json_body(const net::HttpRequest& request);

// Typed fields of a parsed object. A missing (or null) field gives nullopt, or a 400 naming it
// when `required`; a field of the wrong type is a 400 naming it.
HttpResult<std::optional<std::string>> string_field(const nlohmann::json& object,
                                                    std::string_view name, bool required = false);
HttpResult<std::optional<bool>> bool_field(const nlohmann::json& object, std::string_view name);
// An integer within [min, max] (a float with no fraction, like 100.0, counts).
HttpResult<std::optional<std::int64_t>> int_field(const nlohmann::json& object,
                                                  std::string_view name, std::int64_t min,
                                                  std::int64_t max);
HttpResult<std::optional<double>> number_field(const nlohmann::json& object, std::string_view name,
                                               double min, double max);

}  // namespace bedrock::server
