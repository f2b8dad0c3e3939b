// The /api/* request bodies, read into the generators' typed inputs. Pure functions of the
// parsed JSON: every refusal is a 400 naming the field as the caller wrote it. Unknown fields
// are ignored (the tutorial's clients send only the documented ones).
#pragma once

#include <nlohmann/json.hpp>

#include "bedrock/content/generators.h"
#include "bedrock/content/social.h"
#include "server/json_body.h"

namespace bedrock::server::api {

// Fields every /api/ body may carry.
struct Common {
  bool stream = false;  // "stream": true answers as server-sent events
  // "model": every call of the request goes to this model (an alias of [server].model_aliases
  // resolves) instead of the task's configured one; the task's fallbacks stay. Empty: configured.
  std::string model;
};

// POST /api/summarize {text, max_length?, paragraphs?, chunking?, stream?}.
// max_length is the summary's maximum length in words (1..10000): the prompt asks for it and a
// longer answer is cut at the last sentence end within it (content::cut_to_words). Absent: no
// word limit. paragraphs (1..20) defaults to 1 when max_length is under 150, else 2.
// chunking: "auto" (default: map-reduce when the text does not fit the model), "never" (a text
// that does not fit is a 422), "always".
struct SummarizeRequest {
  Common common;
  content::SummarizeInput input;
  content::Chunking chunking = content::Chunking::Auto;
};
HttpResult<SummarizeRequest> read_summarize(const nlohmann::json& body);

// POST /api/rephrase {text, style?}: style as the CLI's --style (a built-in name or a
// description of at most 500 bytes; default "professional").
struct RephraseRequest {
  Common common;
  content::RephraseInput input;
};
HttpResult<RephraseRequest> read_rephrase(const nlohmann::json& body);

// POST /api/expand {bullets}: a string of bullet lines (markers optional, as the CLI reads a
// file) or a list of strings, one per bullet; 1..100 bullets.
struct ExpandRequest {
  Common common;
  content::ExpandInput input;
};
HttpResult<ExpandRequest> read_expand(const nlohmann::json& body);

// POST /api/blog {topic, length?, audience?, tone?}: length short | medium (default) | long.
struct BlogRequest {
  Common common;
  content::BlogInput input;
};
HttpResult<BlogRequest> read_blog(const nlohmann::json& body);

// POST /api/product {name, features, audience, tone?, length?}: features a list of strings
// (or one string); length short (default) | medium | long.
struct ProductRequest {
  Common common;
  content::ProductInput input;
};
HttpResult<ProductRequest> read_product(const nlohmann::json& body);

// POST /api/social {content, platforms}: platforms a list of names or one comma-separated
// string (twitter/x, linkedin, facebook, instagram, threads, mastodon), each at most once.
struct SocialRequest {
  Common common;
  content::SocialInput input;
};
HttpResult<SocialRequest> read_social(const nlohmann::json& body);

}  // namespace bedrock::server::api
