#include "attachments.h"

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>

#include "bedrock/core/json_nesting.h"

namespace bedrock::cli {
namespace {

constexpr std::size_t kMaxToolFileBytes = 1024 * 1024;

std::string mib(std::uintmax_t bytes) {
  return fmt::format("{:.2f} MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

Result<std::string> read_file(const std::string& path, std::uintmax_t limit,
                              std::string_view what) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return fail(ErrorCode::Validation, fmt::format("cannot read {}: {}", path, ec.message()));
  if (size == 0) return fail(ErrorCode::Validation, fmt::format("{} is empty", path));
  if (size > limit) {
    return fail(ErrorCode::Validation,
                fmt::format("{} is {} ({} bytes); {} can be at most {} ({} bytes)", path, mib(size),
                            size, what, mib(limit), limit));
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return fail(ErrorCode::Validation,
                fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  }
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

std::string unique_name(std::string name, std::set<std::string>& taken) {
  if (taken.insert(name).second) return name;
  for (int n = 2;; ++n) {
    std::string candidate = fmt::format("{} ({})", name, n);
    // Keep within Bedrock's 200 characters by shortening the base.
    while (candidate.size() > models::kMaxDocumentNameBytes && !name.empty()) {
      name.pop_back();
      candidate = fmt::format("{} ({})", name, n);
    }
    if (taken.insert(candidate).second) return candidate;
  }
}

Result<models::ToolSpec> parse_tool(const nlohmann::json& entry, std::size_t i) {
  const auto bad = [i](std::string_view problem) {
    return fail(ErrorCode::Validation, fmt::format("tool {}: {}", i + 1, problem));
  };
  const nlohmann::json* spec = &entry;
  if (entry.is_object() && entry.contains("toolSpec")) spec = &entry["toolSpec"];
  if (!spec->is_object()) return bad("must be an object");
  models::ToolSpec out;
  auto name = spec->find("name");
  if (name == spec->end() || !name->is_string()) return bad("needs a string \"name\"");
  out.name = name->get<std::string>();
  if (auto d = spec->find("description"); d != spec->end()) {
    if (!d->is_string()) return bad("\"description\" must be a string");
    out.description = d->get<std::string>();
  }
  if (auto s = spec->find("inputSchema"); s != spec->end()) {
    const nlohmann::json& schema = s->is_object() && s->contains("json") ? (*s)["json"] : *s;
    if (!schema.is_object()) return bad("\"inputSchema\" must be a JSON schema object");
    out.input_schema_json = schema.dump();
  }
  if (auto strict = spec->find("strict"); strict != spec->end()) {
    if (!strict->is_boolean()) return bad("\"strict\" must be true or false");
    out.strict = strict->get<bool>();
  }
  return out;
}

Status parse_choice(const nlohmann::json& choice, models::ToolConfig& config) {
  const auto bad = [] {
    return fail(ErrorCode::Validation,
                "toolChoice must be {\"auto\":{}}, {\"any\":{}} or {\"tool\":{\"name\":NAME}}");
  };
  if (!choice.is_object() || choice.size() != 1) return bad();
  if (choice.contains("auto")) {
    config.choice = models::ToolChoice::Auto;
  } else if (choice.contains("any")) {
    config.choice = models::ToolChoice::Any;
  } else if (auto tool = choice.find("tool"); tool != choice.end()) {
    auto name = tool->is_object() ? tool->find("name") : tool->end();
    if (name == tool->end() || !name->is_string()) return bad();
    config.choice = models::ToolChoice::Tool;
    config.forced_tool = name->get<std::string>();
  } else {
    return bad();
  }
  return {};
}

}  // namespace

Status attach_files(const std::vector<std::string>& paths, models::Message& message) {
  std::set<std::string> names;
  for (const auto& d : message.documents) names.insert(d.name);
  for (const std::string& path : paths) {
    if (auto image = models::image_format_for(path)) {
      auto bytes = read_file(path, models::kMaxImageBytes, "an image");
      if (!bytes) return fail(bytes.error());
      message.images.push_back({*image, models::MediaSource::from_bytes(std::move(*bytes))});
      continue;
    }
    auto format = models::document_format_for(path);
    if (!format) {
      return fail(ErrorCode::Validation,
                  fmt::format("--attach {}: unknown file type; images: png, jpg, jpeg, gif, webp; "
                              "documents: pdf, csv, doc, docx, xls, xlsx, html, htm, txt, md",
                              path));
    }
    const bool model_decides =
        *format == models::DocumentFormat::Pdf || *format == models::DocumentFormat::Docx;
    auto bytes = read_file(
        path, model_decides ? kMaxAttachmentFileBytes : models::kMaxDocumentBytes, "a document");
    if (!bytes) return fail(bytes.error());
    message.documents.push_back({*format, unique_name(models::document_name_for(path), names),
                                 models::MediaSource::from_bytes(std::move(*bytes))});
  }
  return {};
}

Result<models::ToolConfig> parse_tool_file(std::string_view text) {
  if (json_nesting_exceeds(text)) {
    return fail(ErrorCode::Validation,
                fmt::format("the tool file nests deeper than {} levels", kMaxJsonNesting));
  }
  const auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return fail(ErrorCode::Validation, "the tool file is not valid JSON");
  const nlohmann::json* tools = &doc;
  models::ToolConfig config;
  if (doc.is_object()) {
    auto it = doc.find("tools");
    if (it == doc.end()) {
      return fail(ErrorCode::Validation,
                  "the tool file must be a JSON array of tools or an object with \"tools\"");
    }
    tools = &*it;
    if (auto choice = doc.find("toolChoice"); choice != doc.end()) {
      if (auto ok = parse_choice(*choice, config); !ok) return fail(ok.error());
    }
  }
  if (!tools->is_array() || tools->empty()) {
    return fail(ErrorCode::Validation, "the tool file defines no tools");
  }
  for (std::size_t i = 0; i < tools->size(); ++i) {
    auto spec = parse_tool((*tools)[i], i);
    if (!spec) return fail(spec.error());
    config.tools.push_back(std::move(*spec));
  }
  return config;
}

Result<models::ToolConfig> read_tool_file(const std::string& path) {
  auto text = read_file(path, kMaxToolFileBytes, "a tool file");
  if (!text) return fail(text.error());
  auto config = parse_tool_file(*text);
  if (!config) {
    return fail(ErrorCode::Validation, fmt::format("--tools {}: {}", path, config.error().message));
  }
  return config;
}

Result<models::OutputSchema> read_schema_file(const std::string& path) {
  auto text = read_file(path, kMaxToolFileBytes, "a schema file");
  if (!text) return fail(text.error());
  models::OutputSchema schema;
  for (char c : std::filesystem::path(path).stem().string()) {
    if (schema.name.size() == 64) break;
    const bool allowed = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
    schema.name += allowed ? c : '_';
  }
  schema.schema_json = std::move(*text);
  return schema;
}

}  // namespace bedrock::cli
