// Attachment formats by extension and Bedrock's document-name rule.
#include "bedrock/models/attachment.h"

#include <array>
#include <utility>

#include "bedrock/core/ascii.h"

namespace bedrock::models {
namespace {

constexpr std::array<std::pair<std::string_view, ImageFormat>, 5> kImageExtensions = {{
    {"png", ImageFormat::Png},
    {"jpeg", ImageFormat::Jpeg},
    {"jpg", ImageFormat::Jpeg},
    {"gif", ImageFormat::Gif},
    {"webp", ImageFormat::Webp},
}};

constexpr std::array<std::pair<std::string_view, DocumentFormat>, 11> kDocumentExtensions = {{
    {"pdf", DocumentFormat::Pdf},
    {"csv", DocumentFormat::Csv},
    {"doc", DocumentFormat::Doc},
    {"docx", DocumentFormat::Docx},
    {"xls", DocumentFormat::Xls},
    {"xlsx", DocumentFormat::Xlsx},
    {"html", DocumentFormat::Html},
    {"htm", DocumentFormat::Html},
    {"txt", DocumentFormat::Txt},
    {"md", DocumentFormat::Md},
    {"markdown", DocumentFormat::Md},
}};

std::string_view base_name(std::string_view path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view extension(std::string_view file_name) {
  const std::string_view base = base_name(file_name);
  const auto dot = base.find_last_of('.');
  return dot == std::string_view::npos ? std::string_view{} : base.substr(dot + 1);
}

template <typename Format, std::size_t N>
std::optional<Format> lookup(const std::array<std::pair<std::string_view, Format>, N>& table,
                             std::string_view file_name) {
  const std::string_view ext = extension(file_name);
  for (const auto& [spelling, format] : table) {
    if (iequals_ascii(ext, spelling)) return format;
  }
  return std::nullopt;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool name_char(char c) {
  const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  return alnum || c == '-' || c == '(' || c == ')' || c == '[' || c == ']';
}

}  // namespace

std::string_view to_string(ImageFormat format) {
  switch (format) {
    case ImageFormat::Png:
      return "png";
    case ImageFormat::Jpeg:
      return "jpeg";
    case ImageFormat::Gif:
      return "gif";
    case ImageFormat::Webp:
      return "webp";
  }
  return "png";
}

std::string_view to_string(DocumentFormat format) {
  switch (format) {
    case DocumentFormat::Pdf:
      return "pdf";
    case DocumentFormat::Csv:
      return "csv";
    case DocumentFormat::Doc:
      return "doc";
    case DocumentFormat::Docx:
      return "docx";
    case DocumentFormat::Xls:
      return "xls";
    case DocumentFormat::Xlsx:
      return "xlsx";
    case DocumentFormat::Html:
      return "html";
    case DocumentFormat::Txt:
      return "txt";
    case DocumentFormat::Md:
      return "md";
  }
  return "txt";
}

std::optional<ImageFormat> image_format_for(std::string_view file_name) {
  return lookup(kImageExtensions, file_name);
}

std::optional<DocumentFormat> document_format_for(std::string_view file_name) {
  return lookup(kDocumentExtensions, file_name);
}

bool valid_document_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxDocumentNameBytes) return false;
  bool after_space = false;
  for (char c : name) {
    if (is_space(c)) {
      if (after_space) return false;
      after_space = true;
      continue;
    }
    if (!name_char(c)) return false;
    after_space = false;
  }
  return true;
}

std::string document_name_for(std::string_view file_name) {
  std::string_view stem = base_name(file_name);
  if (const auto dot = stem.find_last_of('.'); dot != std::string_view::npos && dot > 0) {
    stem = stem.substr(0, dot);
  }
  std::string out;
  for (char c : stem) {
    if (out.size() >= kMaxDocumentNameBytes) break;
    if (is_space(c)) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(name_char(c) ? c : '-');
    }
  }
  // A hyphen run left by a multi-byte character reads better as one hyphen.
  std::string tidy;
  for (char c : out) {
    if (c == '-' && !tidy.empty() && tidy.back() == '-') continue;
    tidy.push_back(c);
  }
  const std::string_view trimmed = trim_ascii(tidy, " ");
  return trimmed.empty() ? std::string("document") : std::string(trimmed);
}

}  // namespace bedrock::models

namespace bedrock::models {
namespace {

struct MediaRow {
  std::string_view id_part;
  bool images;
  bool documents;
};

// The first row whose id_part the id contains decides; the order matters ("claude-3-5-haiku"
// before "claude-3", "nova-micro" before "nova-").
constexpr std::array<MediaRow, 15> kMediaRows = {{
    {"claude-3-7", true, true},
    {"claude-sonnet-4", true, true},
    {"claude-opus-4", true, true},
    {"claude-haiku-4", true, true},
    {"claude-3-5-haiku", false, true},
    {"claude-3", true, true},
    {"nova-micro", false, false},
    {"nova-", true, true},
    {"llama3-2-11b", true, true},
    {"llama3-2-90b", true, true},
    {"llama3", false, true},
    {"llama4", true, true},
    {"command-r", false, true},
    {"mistral-large", false, true},
    {"mistral-small", false, true},
}};

const MediaRow* media_row(std::string_view model_id) {
  for (const MediaRow& row : kMediaRows) {
    if (model_id.find(row.id_part) != std::string_view::npos) return &row;
  }
  return nullptr;
}

}  // namespace

bool reads_images(std::string_view model_id) {
  const MediaRow* row = media_row(model_id);
  return row != nullptr && row->images;
}

bool reads_documents(std::string_view model_id) {
  const MediaRow* row = media_row(model_id);
  return row != nullptr && row->documents;
}

}  // namespace bedrock::models
