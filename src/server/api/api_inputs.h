// The /api/* request bodies, read into the generators' typed inputs. Pure functions of the
// parsed JSON: every refusal is a 400 naming the field as the caller wrote it. Unknown fields
// are ignored (the tutorial's clients send only the documented ones).
#pragma once

#include <nlohmann/json.hpp>

#include "bedrock/content/generators.h"
#include "bedrock/content/social.h"
#include "server/json_body.h"

namespace bedrock::server::api {

// "attachments": [{"name": "report.pdf", "data": "<base64>", "format"?: "pdf"}] on every
// generator's body: images and documents for the model to read beside the text
// (content/attachments.h). The format comes from "format" when given, else from the name's
// extension (png, jpg/jpeg, gif, webp; pdf, csv, doc, docx, xls, xlsx, html/htm, txt,
// md/markdown). "data" is base64 (standard or URL-safe alphabet, padding optional, a
// "data:...;base64," prefix allowed). At most 20 images of 3.75 MiB and 5 documents of 4.5 MiB
// (Bedrock's limits; the whole body stays within [server] max_body_bytes, 10 MiB by default).
// Refusals name the field: 400 "attachments[1].data" for bad base64 or an empty file,
// "attachments[0].name" for an unknown extension, 413 "attachments[2].data" for a file over its
// limit, 400 "attachments" for too many.
HttpResult<content::Attachments> read_attachments(const nlohmann::json& body);

// Fields every /api/ body may carry.
struct Common {
  bool stream = false;  // "stream": true answers as server-sent events
  // "model": every call of the request goes to this model (an alias of [server].model_aliases
  // resolves) instead of the task's configured one; the task's fallbacks stay. Empty: configured.
  std::string model;
};

// POST /api/summarize {text, max_length?, paragraphs?, chunking?, stream?, attachments?}.
// With attachments, "text" may be empty or absent (the attachments are summarized) and the
// summary is one call: chunking "always" is a 400, a request too long a 422.
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

// POST /api/product {name, features, audience, tone?, length?, attachments?}: features a list
// of strings (or one string), optional when attachments show the product; length short
// (default) | medium | long.
struct ProductRequest {
  Common common;
  content::ProductInput input;
};
HttpResult<ProductRequest> read_product(const nlohmann::json& body);

// POST /api/social {content, platforms, attachments?}: platforms a list of names or one
// comma-separated string (twitter/x, linkedin, facebook, instagram, threads, mastodon), each at
// most once; content optional when attachments carry it.
struct SocialRequest {
  Common common;
  content::SocialInput input;
};
HttpResult<SocialRequest> read_social(const nlohmann::json& body);

}  // namespace bedrock::server::api
