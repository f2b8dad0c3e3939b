// `invoke --attach FILE`, `invoke --tools FILE.json` and `invoke --schema FILE.json`: files turned
// into Converse image and document blocks, tool definitions and an output schema.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bedrock/core/result.h"
#include "bedrock/models/types.h"

namespace bedrock::cli {

// Files larger than this are refused unread: Bedrock's whole request body is at most 25 MB, so
// no attachment can be bigger.
inline constexpr std::size_t kMaxAttachmentFileBytes = 25'000'000;

// Adds each file to `message` as an image (png, jpg/jpeg, gif, webp) or a document (pdf, csv,
// doc, docx, xls, xlsx, html/htm, txt, md/markdown), by extension, case-insensitive. Document
// names come from the file names (models::document_name_for), made unique with " (2)", " (3)".
// Errors (Validation, naming the file): unknown extension, unreadable file, empty file, an image
// over 3.75 MiB, a document over 4.5 MiB (PDF and DOCX up to kMaxAttachmentFileBytes: Claude 4
// and Nova take them larger; the encoder applies the model's own limit).
Status attach_files(const std::vector<std::string>& paths, models::Message& message);

// A tool file: Bedrock's toolConfig ({"tools":[{"toolSpec":{...}}], "toolChoice":{...}?}) or a
// JSON array of tools, each {"toolSpec":{...}} or the spec itself: "name", "description"?,
// "inputSchema" ({"json": SCHEMA} or SCHEMA; absent = no arguments), "strict"?. toolChoice:
// {"auto":{}}, {"any":{}} or {"tool":{"name":N}}. Errors: Validation saying what is wrong.
Result<models::ToolConfig> parse_tool_file(std::string_view text);

// Reads and parses `path` (at most 1 MiB). Errors: Validation naming the file.
Result<models::ToolConfig> read_tool_file(const std::string& path);

// A JSON Schema for a structured answer (at most 1 MiB), named after the file: its stem with
// characters outside [a-zA-Z0-9_-] made '_', at most 64 (empty: the default name). The schema's
// own checks (a JSON object, bounded depth) are the encoder's. Errors: Validation naming the file.
Result<models::OutputSchema> read_schema_file(const std::string& path);

}  // namespace bedrock::cli
