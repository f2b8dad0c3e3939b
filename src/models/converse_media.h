// Converse image and document blocks (docs/wire-protocol.md §8.3): the checks Bedrock would answer
// with a ValidationException, made before sending, and the blocks' JSON. Private to bedrock_models.
#pragma once

#include <string_view>

#include "bedrock/core/result.h"
#include "bedrock/models/registry.h"
#include "bedrock/models/types.h"
#include "codec_support.h"

namespace bedrock::models::detail {

// Whether any message carries an image or a document.
bool uses_media(const Prompt& prompt);

// Images and documents only in user turns; at most kMaxImagesPerRequest images and
// kMaxDocumentsPerRequest documents in the request; each source either non-empty bytes within the
// size limit (documents: none for PDF on Claude 4 and later, PDF and DOCX on Nova, as Bedrock
// documents) or a well-formed s3:// URI with an optional 12-digit bucket owner; document names
// valid (attachment.h) and each message with a document also has text. Errors: Validation naming
// `api`, the message and the attachment.
Status validate_media(const Prompt& prompt, const ModelInfo& model, std::string_view api);

// Appends the message's documents, then its images (models read them before the question).
void append_media(const Message& message, OJson& content);

}  // namespace bedrock::models::detail
