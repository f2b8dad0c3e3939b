// Images and documents a generator's input may carry (a product photo, a PDF to summarize). They
// go into the first user turn of the task's call as Converse image and document blocks beside the
// instruction text, so such a call always goes through Converse, and only to models that read
// them (models::reads_images / reads_documents). Pure types and functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bedrock/core/result.h"
#include "bedrock/models/attachment.h"

namespace bedrock::content {

struct Attachments {
  std::vector<models::ImageBlock> images{};
  std::vector<models::DocumentBlock> documents{};

  bool empty() const { return images.empty() && documents.empty(); }
  std::size_t size() const { return images.size() + documents.size(); }
};

// Adds a file's bytes as an image or a document. The format is `format` when given (a wire
// spelling: "png", "jpeg", "pdf", ... ; "jpg" and "markdown" read as "jpeg" and "md"), else the
// file name's extension. A document is named after the file (models::document_name_for), made
// unique among the documents already there with " (2)", " (3)". Errors (Validation, naming the
// file): no or an unknown format, empty bytes, an image over models::kMaxImageBytes or a document
// over models::kMaxDocumentBytes, one image or document more than Bedrock takes per request.
Status add_attachment(Attachments& into, std::string_view file_name, std::string bytes,
                      std::string_view format = {});

// Bedrock's limits for attachments made some other way: counts, sizes, non-empty bytes or an S3
// location, valid and unique document names. Errors: Validation saying which attachment.
Status check_attachments(const Attachments& attachments);

// What the instruction text says about the attachments, appended to the rendered user turn:
// "\n\nAttached: the document \"Q3 report\" (pdf) and an image (png). They are part of the
// input." Empty for none.
std::string attachment_note(const Attachments& attachments);

// Input tokens the attachments add, for the pre-flight check (Bedrock counts them exactly; this
// errs low so a request Bedrock takes is not refused here): 1,600 per image (Claude's cost of a
// 1.15-megapixel image, the size it scales larger ones to), a text-like document (txt, md, csv,
// html) one token per 4 bytes, any other document (PDF, Office) one token per 32 bytes.
int estimate_attachment_tokens(const Attachments& attachments);

}  // namespace bedrock::content
