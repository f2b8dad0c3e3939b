// Converse image and document blocks (docs/wire-protocol.md §8.1) checked as Bedrock does:
// formats from the service model, sizes and counts from Bedrock's documented limits, a
// document always beside a text block, and only for models that read them (capabilities.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "request.h"
#include "schema_check.h"

namespace bedrock::emulator::model::detail {

// Limits Bedrock documents for Converse attachments.
inline constexpr std::size_t kMaxImages = 20;
inline constexpr std::size_t kMaxImageBytes = 3'750'000;  // 3.75 MB
inline constexpr std::size_t kMaxDocuments = 5;
inline constexpr std::size_t kMaxDocumentBytes = 4'500'000;  // 4.5 MB

// Checks the image and document blocks of doc["messages"] (a list of objects). nullopt when
// they are fine or there are none.
std::optional<Error> check_attachments(const ModelInfo& model, const Json& doc);

// The image and document blocks of the last user turn of doc["messages"] (checked before), in
// block order, as the answer names them (EmulatedRequest::attachments): `document "Q3 report"
// (pdf, 1234 bytes)`, `image (png, 68 bytes)`.
std::vector<std::string> describe_attachments(const Json& doc);

}  // namespace bedrock::emulator::model::detail
