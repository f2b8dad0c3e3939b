#include "bedrock/content/attachments.h"

#include <fmt/format.h>

#include <set>

#include "bedrock/core/ascii.h"

namespace bedrock::content {
namespace {

constexpr int kImageTokens = 1'600;

std::string mib(std::size_t bytes) {
  return fmt::format("{:.2f} MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

// The file name as an error shows it: printable ASCII only, at most 100 bytes.
std::string shown(std::string_view file_name) {
  std::string out;
  for (char c : file_name.substr(0, 100)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out;
}

std::optional<models::ImageFormat> image_format_named(std::string_view format) {
  return models::image_format_for(fmt::format("x.{}", format));
}

std::optional<models::DocumentFormat> document_format_named(std::string_view format) {
  return models::document_format_for(fmt::format("x.{}", format));
}

std::string unique_name(std::string name, const std::vector<models::DocumentBlock>& documents) {
  std::set<std::string, std::less<>> taken;
  for (const auto& d : documents) taken.insert(d.name);
  if (!taken.count(name)) return name;
  for (int n = 2;; ++n) {
    std::string base = name;
    std::string candidate = fmt::format("{} ({})", base, n);
    while (candidate.size() > models::kMaxDocumentNameBytes && !base.empty()) {
      base.pop_back();
      candidate = fmt::format("{} ({})", base, n);
    }
    if (!taken.count(candidate)) return candidate;
  }
}

bool text_like(models::DocumentFormat f) {
  using F = models::DocumentFormat;
  return f == F::Txt || f == F::Md || f == F::Csv || f == F::Html;
}

Status check_source(const models::MediaSource& source, std::size_t limit, std::string_view what) {
  if (!source.s3_uri.empty()) return {};
  if (source.bytes.empty()) return fail(ErrorCode::Validation, fmt::format("{} is empty", what));
  if (source.bytes.size() > limit) {
    return fail(ErrorCode::Validation,
                fmt::format("{} is {} ({} bytes); Bedrock accepts at most {} ({} bytes)", what,
                            mib(source.bytes.size()), source.bytes.size(), mib(limit), limit));
  }
  return {};
}

}  // namespace

Status add_attachment(Attachments& into, std::string_view file_name, std::string bytes,
                      std::string_view format) {
  const std::string name = shown(file_name);
  std::optional<models::ImageFormat> image;
  std::optional<models::DocumentFormat> document;
  if (!format.empty()) {
    image = image_format_named(format);
    if (!image) document = document_format_named(format);
    if (!image && !document) {
      return fail(ErrorCode::Validation,
                  fmt::format("{}: unknown format \"{}\"; images: png, jpeg, gif, webp; "
                              "documents: pdf, csv, doc, docx, xls, xlsx, html, txt, md",
                              name, shown(format)));
    }
  } else {
    image = models::image_format_for(file_name);
    if (!image) document = models::document_format_for(file_name);
    if (!image && !document) {
      return fail(ErrorCode::Validation,
                  fmt::format("{}: unknown file type; images: png, jpg, jpeg, gif, webp; "
                              "documents: pdf, csv, doc, docx, xls, xlsx, html, txt, md",
                              name));
    }
  }
  if (bytes.empty()) return fail(ErrorCode::Validation, fmt::format("{} is empty", name));
  if (image) {
    if (auto ok = check_source(models::MediaSource::from_bytes(bytes), models::kMaxImageBytes,
                               fmt::format("the image {}", name));
        !ok) {
      return ok;
    }
    if (into.images.size() >= models::kMaxImagesPerRequest) {
      return fail(ErrorCode::Validation,
                  fmt::format("{}: at most {} images can go with one request", name,
                              models::kMaxImagesPerRequest));
    }
    into.images.push_back({*image, models::MediaSource::from_bytes(std::move(bytes))});
    return {};
  }
  if (bytes.size() > models::kMaxDocumentBytes) {
    return check_source(models::MediaSource::from_bytes(std::move(bytes)),
                        models::kMaxDocumentBytes, fmt::format("the document {}", name));
  }
  if (into.documents.size() >= models::kMaxDocumentsPerRequest) {
    return fail(ErrorCode::Validation,
                fmt::format("{}: at most {} documents can go with one request", name,
                            models::kMaxDocumentsPerRequest));
  }
  into.documents.push_back({*document,
                            unique_name(models::document_name_for(file_name), into.documents),
                            models::MediaSource::from_bytes(std::move(bytes))});
  return {};
}

Status check_attachments(const Attachments& a) {
  if (a.images.size() > models::kMaxImagesPerRequest) {
    return fail(ErrorCode::Validation,
                fmt::format("{} images given; Bedrock accepts at most {} per request",
                            a.images.size(), models::kMaxImagesPerRequest));
  }
  if (a.documents.size() > models::kMaxDocumentsPerRequest) {
    return fail(ErrorCode::Validation,
                fmt::format("{} documents given; Bedrock accepts at most {} per request",
                            a.documents.size(), models::kMaxDocumentsPerRequest));
  }
  for (std::size_t i = 0; i < a.images.size(); ++i) {
    if (auto ok = check_source(a.images[i].source, models::kMaxImageBytes,
                               fmt::format("image {}", i + 1));
        !ok) {
      return ok;
    }
  }
  std::set<std::string, std::less<>> names;
  for (std::size_t i = 0; i < a.documents.size(); ++i) {
    const models::DocumentBlock& d = a.documents[i];
    if (!models::valid_document_name(d.name)) {
      return fail(ErrorCode::Validation,
                  fmt::format("document {} has an invalid name; Bedrock allows 1-{} characters of "
                              "letters, digits, single spaces, hyphens, parentheses and brackets",
                              i + 1, models::kMaxDocumentNameBytes));
    }
    if (!names.insert(d.name).second) {
      return fail(
          ErrorCode::Validation,
          fmt::format("two documents are named \"{}\"; Bedrock needs unique names", d.name));
    }
    if (auto ok = check_source(d.source, models::kMaxDocumentBytes,
                               fmt::format("document \"{}\"", d.name));
        !ok) {
      return ok;
    }
  }
  return {};
}

std::string attachment_note(const Attachments& a) {
  if (a.empty()) return {};
  std::vector<std::string> parts;
  for (const auto& d : a.documents) {
    parts.push_back(fmt::format("the document \"{}\" ({})", d.name, models::to_string(d.format)));
  }
  for (std::size_t i = 0; i < a.images.size(); ++i) {
    parts.push_back(
        a.images.size() == 1
            ? fmt::format("an image ({})", models::to_string(a.images[i].format))
            : fmt::format("image {} ({})", i + 1, models::to_string(a.images[i].format)));
  }
  std::string list;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) list += i + 1 == parts.size() ? " and " : ", ";
    list += parts[i];
  }
  return fmt::format("\n\nAttached: {}. {} part of the input.", list,
                     a.size() == 1 ? "It is" : "They are");
}

int estimate_attachment_tokens(const Attachments& a) {
  long long tokens = static_cast<long long>(a.images.size()) * kImageTokens;
  for (const auto& d : a.documents) {
    const auto bytes = static_cast<long long>(d.source.bytes.size());
    tokens += text_like(d.format) ? (bytes + 3) / 4 : (bytes + 31) / 32;
  }
  return static_cast<int>(std::min<long long>(tokens, 1'000'000'000));
}

}  // namespace bedrock::content
