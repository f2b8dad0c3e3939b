// Images and documents in a Converse user turn (docs/wire-protocol.md §8.3): their formats, where
// their bytes come from, and the limits Bedrock documents, checked before anything is sent.
// Pure types and functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace bedrock::models {

enum class ImageFormat { Png, Jpeg, Gif, Webp };
enum class DocumentFormat { Pdf, Csv, Doc, Docx, Xls, Xlsx, Html, Txt, Md };

// The wire spelling ("png", "docx").
std::string_view to_string(ImageFormat format);
std::string_view to_string(DocumentFormat format);

// From a file name's extension, case-insensitive ("photo.JPG" -> Jpeg, "notes.markdown" -> Md);
// nullopt when the extension is not one Converse takes.
std::optional<ImageFormat> image_format_for(std::string_view file_name);
std::optional<DocumentFormat> document_format_for(std::string_view file_name);

// Where an attachment's content is: the bytes themselves (sent base64-encoded) or an S3 object
// Bedrock reads (s3Location; not every model accepts it, Bedrock says which). Exactly one is used:
// s3_uri when non-empty, else bytes.
struct MediaSource {
  std::string bytes{};         // raw file content, not base64
  std::string s3_uri{};        // "s3://bucket/key"
  std::string bucket_owner{};  // 12-digit account id; empty = the caller's own bucket

  static MediaSource from_bytes(std::string content) { return {std::move(content), {}, {}}; }
  static MediaSource from_s3(std::string uri, std::string owner = {}) {
    return {{}, std::move(uri), std::move(owner)};
  }
};

struct ImageBlock {
  ImageFormat format = ImageFormat::Png;
  MediaSource source{};
};

// Bedrock requires a text block in the same message; the encoder refuses a document alone
// rather than inventing a question (see encode_converse).
struct DocumentBlock {
  DocumentFormat format = DocumentFormat::Txt;
  std::string name{};  // see valid_document_name
  MediaSource source{};
};

// The limits of the service model's Message.content and Bedrock's API restrictions page
// (docs/wire-protocol.md §8.3). Sizes are of the raw bytes; "MB" is read as MiB, the larger
// reading, so nothing Bedrock accepts is refused here.
inline constexpr std::size_t kMaxImagesPerRequest = 20;
inline constexpr std::size_t kMaxImageBytes = 3'932'160;  // 3.75 MiB
inline constexpr std::size_t kMaxDocumentsPerRequest = 5;
inline constexpr std::size_t kMaxDocumentBytes = 4'718'592;  // 4.5 MiB
inline constexpr std::size_t kMaxDocumentNameBytes = 200;

// Bedrock's rule for DocumentBlock.name: 1-200 characters of ASCII letters and digits,
// whitespace (never two in a row), hyphens, parentheses and square brackets.
bool valid_document_name(std::string_view name);

// A valid document name made from a file name: the directory and extension dropped, every other
// character turned into a hyphen, whitespace runs into one space, cut to the length limit;
// "document" when nothing is left. "/tmp/Q3 report_v2.final.pdf" -> "Q3 report-v2-final".
std::string document_name_for(std::string_view file_name);

// Whether Converse takes image / document blocks for a model, from Bedrock's "supported models
// and model features" table, by the model id (base id, geo profile id or ARN: matched on the id's
// model part). Claude 3.5 Haiku and Nova Micro read no images; Nova Micro no documents either;
// ids the table does not list (Titan, Cohere Command, AI21, DeepSeek, gpt-oss, unknown ARNs) read
// neither, as the emulator's table says (src/emulator/model/capabilities.cpp): refusing early
// beats a ValidationException after the upload.
bool reads_images(std::string_view model_id);
bool reads_documents(std::string_view model_id);

}  // namespace bedrock::models
