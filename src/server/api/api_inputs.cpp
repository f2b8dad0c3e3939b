#include "server/api/api_inputs.h"

#include <fmt/format.h>

#include <string_view>

#include "bedrock/core/ascii.h"
#include "bedrock/core/base64.h"

namespace bedrock::server::api {
namespace {

constexpr std::size_t kMaxListItems = 100;

bool blank(std::string_view s) { return trim_ascii(s).empty(); }

// Bedrock's per-request counts, so a longer list is refused before anything is decoded.
constexpr std::size_t kMaxAttachments =
    models::kMaxImagesPerRequest + models::kMaxDocumentsPerRequest;

std::string mib(std::size_t bytes) {
  return fmt::format("{:.2f} MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

// The decoded size of `text` (base64, padding optional) without decoding it.
std::size_t decoded_size(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  return text.size() / 4 * 3 + (text.size() % 4 == 0 ? 0 : text.size() % 4 - 1);
}

HttpError too_large(std::string field, std::string sentence) {
  HttpError e = bad_field(std::move(field), std::move(sentence));
  e.status = 413;
  e.code = "PayloadTooLarge";
  return e;
}

HttpResult<Common> read_common(const nlohmann::json& body) {
  Common c;
  auto stream = bool_field(body, "stream");
  if (!stream) return refuse(stream.error());
  c.stream = stream->value_or(false);
  auto model = string_field(body, "model");
  if (!model) return refuse(model.error());
  if (*model && !blank(**model)) c.model = std::string(trim_ascii(**model));
  return c;
}

// A required string that is not blank.
HttpResult<std::string> text_field(const nlohmann::json& body, std::string_view name) {
  auto value = string_field(body, name, true);
  if (!value) return refuse(value.error());
  if (blank(**value)) {
    return refuse(bad_field(std::string(name), fmt::format("The field '{}' is empty.", name)));
  }
  return std::move(**value);
}

HttpResult<std::optional<std::string>> optional_text(const nlohmann::json& body,
                                                     std::string_view name) {
  auto value = string_field(body, name);
  if (!value) return refuse(value.error());
  if (*value && blank(**value)) return std::optional<std::string>();
  return std::move(*value);
}

// The input text: required, unless attachments stand in for it (then blank or absent is "").
HttpResult<std::string> text_unless_attached(const nlohmann::json& body, std::string_view name,
                                             bool attached) {
  if (!attached) return text_field(body, name);
  auto text = optional_text(body, name);
  if (!text) return refuse(text.error());
  return text->value_or("");
}

// A list of non-blank strings, or one string (split by `split` when given, else one item).
HttpResult<std::vector<std::string>> string_list(const nlohmann::json& body, std::string_view name,
                                                 char split) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    return refuse(bad_field(std::string(name), fmt::format("The field '{}' is required.", name)));
  }
  std::vector<std::string> items;
  if (it->is_string()) {
    const std::string& s = it->get_ref<const std::string&>();
    std::size_t pos = 0;
    while (pos <= s.size()) {
      std::size_t end = split != '\0' ? s.find(split, pos) : std::string::npos;
      if (end == std::string::npos) end = s.size();
      const std::string_view item = trim_ascii(std::string_view(s).substr(pos, end - pos));
      if (!item.empty()) items.emplace_back(item);
      pos = end + 1;
    }
  } else if (it->is_array()) {
    if (it->size() > kMaxListItems) {
      return refuse(bad_field(std::string(name), fmt::format("The field '{}' has {} items; at "
                                                             "most {} are allowed.",
                                                             name, it->size(), kMaxListItems)));
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
      const auto& v = (*it)[i];
      if (!v.is_string() || blank(v.get_ref<const std::string&>())) {
        return refuse(
            bad_field(fmt::format("{}[{}]", name, i),
                      fmt::format("Each item of '{}' must be a non-empty string.", name)));
      }
      items.emplace_back(trim_ascii(v.get_ref<const std::string&>()));
    }
  } else {
    return refuse(
        bad_field(std::string(name),
                  fmt::format("The field '{}' must be a string or a list of strings.", name)));
  }
  if (items.empty()) {
    return refuse(bad_field(std::string(name), fmt::format("The field '{}' is empty.", name)));
  }
  return items;
}

HttpResult<content::BlogLength> length_field(const nlohmann::json& body,
                                             content::BlogLength fallback) {
  auto value = string_field(body, "length");
  if (!value) return refuse(value.error());
  if (!*value) return fallback;
  auto parsed = content::parse_blog_length(**value);
  if (!parsed) {
    return refuse(bad_field("length", "The field 'length' must be short, medium or long."));
  }
  return *parsed;
}

}  // namespace

HttpResult<content::Attachments> read_attachments(const nlohmann::json& body) {
  content::Attachments out;
  const auto it = body.find("attachments");
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array()) {
    return refuse(bad_field("attachments",
                            "The field 'attachments' must be a list of {name, data} objects."));
  }
  if (it->size() > kMaxAttachments) {
    return refuse(bad_field(
        "attachments",
        fmt::format("The field 'attachments' has {} files; at most {} images and {} documents "
                    "can go with one request.",
                    it->size(), models::kMaxImagesPerRequest, models::kMaxDocumentsPerRequest)));
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    const nlohmann::json& item = (*it)[i];
    const std::string at = fmt::format("attachments[{}]", i);
    if (!item.is_object()) {
      return refuse(bad_field(at, fmt::format("'{}' must be an object with name and data.", at)));
    }
    auto name = string_field(item, "name", true);
    if (!name)
      return refuse(bad_field(at + ".name", fmt::format("'{}.name' must be the file "
                                                        "name, a string.",
                                                        at)));
    if (blank(**name)) {
      return refuse(bad_field(at + ".name", fmt::format("'{}.name' is empty.", at)));
    }
    auto format = string_field(item, "format");
    if (!format) {
      return refuse(bad_field(at + ".format", fmt::format("'{}.format' must be a string.", at)));
    }
    const std::string_view format_name = *format ? std::string_view(**format) : "";
    const bool image = format_name.empty()
                           ? models::image_format_for(**name).has_value()
                           : models::image_format_for(fmt::format("x.{}", format_name)).has_value();
    const bool document =
        format_name.empty()
            ? models::document_format_for(**name).has_value()
            : models::document_format_for(fmt::format("x.{}", format_name)).has_value();
    if (!image && !document) {
      const std::string field = format_name.empty() ? at + ".name" : at + ".format";
      return refuse(bad_field(
          field, fmt::format("'{}' is not a file type the models read: images png, jpg, gif, "
                             "webp; documents pdf, csv, doc, docx, xls, xlsx, html, txt, md.",
                             field)));
    }
    auto data = string_field(item, "data", true);
    if (!data) {
      return refuse(bad_field(at + ".data",
                              fmt::format("'{}.data' must be the file's content in base64.", at)));
    }
    std::string_view encoded = **data;
    if (encoded.substr(0, 5) == "data:") {
      const auto comma = encoded.find(";base64,");
      if (comma != std::string_view::npos) encoded.remove_prefix(comma + 8);
    }
    const std::size_t limit = image ? models::kMaxImageBytes : models::kMaxDocumentBytes;
    const std::size_t size = decoded_size(encoded);
    if (size > limit) {
      return refuse(too_large(
          at + ".data", fmt::format("The file in '{}.data' is {}; {} can be at most {}.", at,
                                    mib(size), image ? "an image" : "a document", mib(limit))));
    }
    auto bytes = base64_decode_lenient(encoded);
    if (!bytes) {
      return refuse(bad_field(at + ".data", fmt::format("'{}.data' is not valid base64.", at)));
    }
    if (bytes->empty()) {
      return refuse(bad_field(at + ".data", fmt::format("'{}.data' is empty: the file has no "
                                                        "content.",
                                                        at)));
    }
    if (auto ok = content::add_attachment(out, **name, std::move(*bytes), format_name); !ok) {
      return refuse(bad_field("attachments", fmt::format("The field 'attachments' is not usable: "
                                                         "{}.",
                                                         ok.error().message)));
    }
  }
  return out;
}

HttpResult<SummarizeRequest> read_summarize(const nlohmann::json& body) {
  SummarizeRequest r;
  auto common = read_common(body);
  if (!common) return refuse(common.error());
  r.common = *common;
  auto attachments = read_attachments(body);
  if (!attachments) return refuse(attachments.error());
  r.input.attachments = std::move(*attachments);
  auto text = text_unless_attached(body, "text", !r.input.attachments.empty());
  if (!text) return refuse(text.error());
  r.input.text = std::move(*text);
  auto max_length = int_field(body, "max_length", 1, 10000);
  if (!max_length) return refuse(max_length.error());
  r.input.max_words = static_cast<int>(max_length->value_or(0));
  auto paragraphs = int_field(body, "paragraphs", 1, 20);
  if (!paragraphs) return refuse(paragraphs.error());
  const int default_paragraphs = (r.input.max_words > 0 && r.input.max_words < 150) ? 1 : 2;
  r.input.paragraphs = static_cast<int>(paragraphs->value_or(default_paragraphs));
  auto chunking = string_field(body, "chunking");
  if (!chunking) return refuse(chunking.error());
  if (*chunking) {
    if (**chunking == "auto") {
      r.chunking = content::Chunking::Auto;
    } else if (**chunking == "never") {
      r.chunking = content::Chunking::Never;
    } else if (**chunking == "always") {
      r.chunking = content::Chunking::Always;
    } else {
      return refuse(bad_field("chunking", "The field 'chunking' must be auto, never or always."));
    }
  }
  if (!r.input.attachments.empty() && r.chunking == content::Chunking::Always) {
    return refuse(bad_field("chunking",
                            "The field 'chunking' cannot be always with attachments: a summary "
                            "in chunks reads text only."));
  }
  return r;
}

HttpResult<RephraseRequest> read_rephrase(const nlohmann::json& body) {
  RephraseRequest r;
  auto common = read_common(body);
  if (!common) return refuse(common.error());
  r.common = *common;
  auto text = text_field(body, "text");
  if (!text) return refuse(text.error());
  r.input.text = std::move(*text);
  auto style = string_field(body, "style");
  if (!style) return refuse(style.error());
  if (*style) r.input.style = std::move(**style);
  auto attachments = read_attachments(body);
  if (!attachments) return refuse(attachments.error());
  r.input.attachments = std::move(*attachments);
  if (auto ok = content::style_instruction(r.input.style); !ok) {
    return refuse(bad_field(
        "style", fmt::format("The field 'style' is not usable: {}.", ok.error().message)));
  }
  return r;
}

HttpResult<ExpandRequest> read_expand(const nlohmann::json& body) {
  ExpandRequest r;
  auto common = read_common(body);
  if (!common) return refuse(common.error());
  r.common = *common;
  const auto it = body.find("bullets");
  if (it != body.end() && it->is_string()) {
    r.input = content::ExpandInput::from_text(it->get_ref<const std::string&>());
  } else {
    auto items = string_list(body, "bullets", '\0');
    if (!items) return refuse(items.error());
    r.input.bullets = std::move(*items);
  }
  if (r.input.bullets.empty()) {
    return refuse(bad_field("bullets", "The field 'bullets' has no bullet points."));
  }
  if (r.input.bullets.size() > kMaxListItems) {
    return refuse(bad_field("bullets", fmt::format("The field 'bullets' has {} bullet points; at "
                                                   "most {} are allowed.",
                                                   r.input.bullets.size(), kMaxListItems)));
  }
  auto attachments = read_attachments(body);
  if (!attachments) return refuse(attachments.error());
  r.input.attachments = std::move(*attachments);
  return r;
}

HttpResult<BlogRequest> read_blog(const nlohmann::json& body) {
  BlogRequest r;
  auto common = read_common(body);
  if (!common) return refuse(common.error());
  r.common = *common;
  auto topic = text_field(body, "topic");
  if (!topic) return refuse(topic.error());
  r.input.topic = std::move(*topic);
  auto length = length_field(body, content::BlogLength::Medium);
  if (!length) return refuse(length.error());
  r.input.length = *length;
  auto audience = optional_text(body, "audience");
  if (!audience) return refuse(audience.error());
  r.input.audience = std::move(*audience);
  auto tone = optional_text(body, "tone");
  if (!tone) return refuse(tone.error());
  r.input.tone = std::move(*tone);
  auto attachments = read_attachments(body);
  if (!attachments) return refuse(attachments.error());
  r.input.attachments = std::move(*attachments);
  return r;
}

HttpResult<ProductRequest> read_product(const nlohmann::json& body) {
  ProductRequest r;
  auto common = read_common(body);
  if (!common) return refuse(common.error());
  r.common = *common;
  auto name = text_field(body, "name");
  if (!name) return refuse(name.error());
  r.input.name = std::move(*name);
  auto attachments = read_attachments(body);
  if (!attachments) return refuse(attachments.error());
  r.input.attachments = std::move(*attachments);
  // A product photo or data sheet can stand in for the feature list.
  const auto features_it = body.find("features");
  const bool no_features =
      features_it == body.end() || features_it->is_null() ||
      (features_it->is_string() && blank(features_it->get_ref<const std::string&>())) ||
      (features_it->is_array() && features_it->empty());
  if (!(no_features && !r.input.attachments.empty())) {
    auto features = string_list(body, "features", '\0');
    if (!features) return refuse(features.error());
    r.input.features = std::move(*features);
  }
  auto audience = text_field(body, "audience");
  if (!audience) return refuse(audience.error());
  r.input.audience = std::move(*audience);
  auto tone = optional_text(body, "tone");
  if (!tone) return refuse(tone.error());
  r.input.tone = std::move(*tone);
  auto length = length_field(body, content::BlogLength::Short);
  if (!length) return refuse(length.error());
  r.input.length = *length;
  return r;
}

HttpResult<SocialRequest> read_social(const nlohmann::json& body) {
  SocialRequest r;
  auto common = read_common(body);
  if (!common) return refuse(common.error());
  r.common = *common;
  auto attachments = read_attachments(body);
  if (!attachments) return refuse(attachments.error());
  r.input.attachments = std::move(*attachments);
  auto content_text = text_unless_attached(body, "content", !r.input.attachments.empty());
  if (!content_text) return refuse(content_text.error());
  r.input.content = std::move(*content_text);
  auto names = string_list(body, "platforms", ',');
  if (!names) return refuse(names.error());
  for (const auto& name : *names) {
    auto platform = content::parse_platform(name);
    if (!platform) {
      // The name is not echoed: it is the caller's text, of any length and encoding.
      return refuse(bad_field("platforms",
                              "The field 'platforms' names an unknown platform: use "
                              "twitter/x, linkedin, facebook, instagram, threads "
                              "or mastodon."));
    }
    for (auto seen : r.input.platforms) {
      if (seen == *platform) {
        return refuse(bad_field("platforms", fmt::format("The platform '{}' is given twice.",
                                                         content::platform_info(seen).name)));
      }
    }
    r.input.platforms.push_back(*platform);
  }
  return r;
}

}  // namespace bedrock::server::api
