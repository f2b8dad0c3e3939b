// Converse image and document blocks: limits, checks and encoding.
#include "converse_media.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "bedrock/core/base64.h"
#include "bedrock/core/utf8.h"

namespace bedrock::models::detail {
namespace {

constexpr std::size_t kMaxS3UriBytes = 1024;

std::string mib(std::size_t bytes) {
  return fmt::format("{:.2f} MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

// Bedrock's API restrictions page lifts the 4.5 MB document limit for PDF on Claude 4 and later
// and for PDF and DOCX on Nova.
bool document_size_unlimited(const ModelInfo& model, DocumentFormat format) {
  if (model.family == ModelFamily::Nova) {
    return format == DocumentFormat::Pdf || format == DocumentFormat::Docx;
  }
  if (model.family != ModelFamily::AnthropicMessages || format != DocumentFormat::Pdf) return false;
  static constexpr std::array<std::string_view, 3> kClaude4 = {"claude-sonnet-4", "claude-opus-4",
                                                               "claude-haiku-4"};
  return std::any_of(kClaude4.begin(), kClaude4.end(), [&](std::string_view marker) {
    return model.id.find(marker) != std::string::npos;
  });
}

bool bucket_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// S3Uri: s3://[a-z0-9][.-a-z0-9]{1,61}[a-z0-9](/.*)?, at most 1024 bytes.
bool valid_s3_uri(std::string_view uri) {
  constexpr std::string_view kScheme = "s3://";
  if (uri.size() > kMaxS3UriBytes || uri.substr(0, kScheme.size()) != kScheme) return false;
  if (!is_valid_utf8(uri)) return false;
  const std::string_view rest = uri.substr(kScheme.size());
  const std::string_view bucket = rest.substr(0, rest.find('/'));
  if (bucket.size() < 3 || bucket.size() > 63) return false;
  if (!bucket_char(bucket.front()) || !bucket_char(bucket.back())) return false;
  return std::all_of(bucket.begin(), bucket.end(),
                     [](char c) { return bucket_char(c) || c == '.' || c == '-'; });
}

bool valid_account_id(std::string_view id) {
  return id.size() == 12 &&
         std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Status validate_source(const MediaSource& source, std::size_t limit, std::string_view api,
                       std::string_view what) {
  if (!source.s3_uri.empty()) {
    if (!valid_s3_uri(source.s3_uri)) {
      return param_error(api, "messages",
                         fmt::format("{} has an invalid S3 location; it must be s3://BUCKET/KEY "
                                     "(bucket 3-63 characters of [a-z0-9.-]), at most {} bytes",
                                     what, kMaxS3UriBytes));
    }
    if (!source.bucket_owner.empty() && !valid_account_id(source.bucket_owner)) {
      return param_error(
          api, "messages",
          fmt::format("{} has a bucket owner that is not a 12-digit account id", what));
    }
    return {};
  }
  if (!source.bucket_owner.empty()) {
    return param_error(api, "messages",
                       fmt::format("{} has a bucket owner but no S3 location", what));
  }
  if (source.bytes.empty()) {
    return param_error(api, "messages", fmt::format("{} is empty", what));
  }
  if (limit > 0 && source.bytes.size() > limit) {
    return param_error(
        api, "messages",
        fmt::format("{} is {} ({} bytes); Bedrock accepts at most {} ({} bytes)", what,
                    mib(source.bytes.size()), source.bytes.size(), mib(limit), limit));
  }
  return {};
}

OJson source_json(const MediaSource& source) {
  if (source.s3_uri.empty()) return {{"bytes", base64_encode(source.bytes)}};
  OJson location{{"uri", source.s3_uri}};
  if (!source.bucket_owner.empty()) location["bucketOwner"] = source.bucket_owner;
  return {{"s3Location", std::move(location)}};
}

}  // namespace

bool uses_media(const Prompt& prompt) {
  return std::any_of(prompt.messages.begin(), prompt.messages.end(),
                     [](const Message& m) { return !m.images.empty() || !m.documents.empty(); });
}

Status validate_media(const Prompt& prompt, const ModelInfo& model, std::string_view api) {
  std::size_t images = 0;
  std::size_t documents = 0;
  for (std::size_t i = 0; i < prompt.messages.size(); ++i) {
    const Message& m = prompt.messages[i];
    if (m.images.empty() && m.documents.empty()) continue;
    if (m.role != Role::User) {
      return param_error(api, "messages",
                         fmt::format("message {} is an assistant turn with images or documents; "
                                     "Bedrock takes them in user turns only",
                                     i + 1));
    }
    for (std::size_t k = 0; k < m.images.size(); ++k) {
      const std::string what = fmt::format("image {} of message {}", k + 1, i + 1);
      if (auto ok = validate_source(m.images[k].source, kMaxImageBytes, api, what); !ok) return ok;
    }
    for (std::size_t k = 0; k < m.documents.size(); ++k) {
      const DocumentBlock& d = m.documents[k];
      const std::string what = fmt::format("document {} of message {}", k + 1, i + 1);
      if (!valid_document_name(d.name)) {
        return param_error(
            api, "messages",
            fmt::format("{} has an invalid name; Bedrock allows 1-{} characters of letters, "
                        "digits, single whitespace, hyphens, parentheses and square brackets "
                        "(document_name_for() makes one from a file name)",
                        what, kMaxDocumentNameBytes));
      }
      const std::size_t limit = document_size_unlimited(model, d.format) ? 0 : kMaxDocumentBytes;
      if (auto ok = validate_source(d.source, limit, api, what); !ok) return ok;
    }
    if (!m.documents.empty() && m.text.empty()) {
      return param_error(api, "messages",
                         fmt::format("message {} has a document but no text; Bedrock requires a "
                                     "text block beside documents, so add the question as text",
                                     i + 1));
    }
    images += m.images.size();
    documents += m.documents.size();
  }
  if (images > kMaxImagesPerRequest) {
    return param_error(api, "messages",
                       fmt::format("{} images given; Bedrock accepts at most {} per request",
                                   images, kMaxImagesPerRequest));
  }
  if (documents > kMaxDocumentsPerRequest) {
    return param_error(api, "messages",
                       fmt::format("{} documents given; Bedrock accepts at most {} per request",
                                   documents, kMaxDocumentsPerRequest));
  }
  return {};
}

void append_media(const Message& message, OJson& content) {
  for (const DocumentBlock& d : message.documents) {
    content.push_back(
        {{"document",
          {{"format", to_string(d.format)}, {"name", d.name}, {"source", source_json(d.source)}}}});
  }
  for (const ImageBlock& image : message.images) {
    content.push_back(
        {{"image", {{"format", to_string(image.format)}, {"source", source_json(image.source)}}}});
  }
}

}  // namespace bedrock::models::detail
