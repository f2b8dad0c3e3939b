#include "chat_messages.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string_view>

#include "bedrock/core/base64.h"
#include "bedrock/models/attachment.h"

namespace bedrock::server::openai {
namespace {

using Json = nlohmann::json;

// "data:<media type>[;base64],<data>" -> (media type, bytes).
struct DataUrl {
  std::string media_type;
  std::string bytes;
};

Parsed<DataUrl> read_data_url(std::string_view url, const std::string& param) {
  constexpr std::string_view kData = "data:";
  if (url.substr(0, kData.size()) != kData) {
    return problem(
        "only data: URLs are accepted (the server fetches nothing from the network); "
        "send the image as data:image/png;base64,...",
        param);
  }
  const auto comma = url.find(',');
  if (comma == std::string_view::npos)
    return problem("the data: URL has no ',' before its data", param);
  std::string_view head = url.substr(kData.size(), comma - kData.size());
  constexpr std::string_view kBase64 = ";base64";
  if (head.size() < kBase64.size() || head.substr(head.size() - kBase64.size()) != kBase64) {
    return problem("the data: URL must be base64-encoded (data:<type>;base64,<data>)", param);
  }
  head.remove_suffix(kBase64.size());
  auto bytes = base64_decode_lenient(url.substr(comma + 1));
  if (!bytes) return problem("the data: URL's data is not valid base64", param);
  return DataUrl{std::string(head), std::move(*bytes)};
}

Parsed<models::ImageBlock> read_image(const Json& part, const std::string& param) {
  const auto image = part.find("image_url");
  const Json* url = nullptr;
  if (image != part.end() && image->is_object()) {
    if (auto u = image->find("url"); u != image->end() && u->is_string()) url = &*u;
  }
  if (url == nullptr) return problem("an image_url part needs image_url.url, a string", param);
  auto data = read_data_url(url->get_ref<const std::string&>(), param + ".image_url.url");
  if (!data) return tl::unexpected(data.error());
  // "image/jpeg" -> "photo.jpeg": the models layer knows the formats by file name.
  const auto slash = data->media_type.find('/');
  const bool is_image = data->media_type.substr(0, slash) == "image" && slash != std::string::npos;
  auto format = is_image ? models::image_format_for("image." + data->media_type.substr(slash + 1))
                         : std::nullopt;
  if (!format) {
    return problem(fmt::format("image type '{}' is not one Bedrock reads (png, jpeg, gif, webp)",
                               data->media_type),
                   param + ".image_url.url");
  }
  return models::ImageBlock{*format, models::MediaSource::from_bytes(std::move(data->bytes))};
}

Parsed<models::DocumentBlock> read_file_part(const Json& part, const std::string& param) {
  const auto file = part.find("file");
  if (file == part.end() || !file->is_object()) return problem("a file part needs file", param);
  const auto data = file->find("file_data");
  const auto name = file->find("filename");
  if (data == file->end() || !data->is_string() || name == file->end() || !name->is_string()) {
    return problem(
        "a file part needs file.file_data (a data: URL) and file.filename; file_id is not "
        "supported",
        param + ".file");
  }
  const auto& filename = name->get_ref<const std::string&>();
  auto format = models::document_format_for(filename);
  if (!format) {
    return problem(fmt::format("file '{}' is not a document type Bedrock reads (pdf, csv, doc, "
                               "docx, xls, xlsx, html, txt, md)",
                               filename),
                   param + ".file.filename");
  }
  auto bytes = read_data_url(data->get_ref<const std::string&>(), param + ".file.file_data");
  if (!bytes) return tl::unexpected(bytes.error());
  return models::DocumentBlock{*format, models::document_name_for(filename),
                               models::MediaSource::from_bytes(std::move(bytes->bytes))};
}

// Text of `content`: a string, null (when `null_ok`), or an array of text parts (and, when
// `refusal_ok`, refusal parts). `message` receives images and files when it is given.
Parsed<std::string> read_content(const Json& content, const std::string& param,
                                 models::Message* message, bool null_ok = false) {
  if (content.is_string()) return content.get<std::string>();
  if (content.is_null() && null_ok) return std::string();
  if (!content.is_array()) return problem("content must be a string or an array of parts", param);
  std::string text;
  for (std::size_t i = 0; i < content.size(); ++i) {
    const Json& part = content[i];
    const std::string at = fmt::format("{}[{}]", param, i);
    const auto type = part.is_object() ? part.find("type") : part.end();
    if (type == part.end() || !type->is_string()) return problem("a content part needs a type", at);
    const auto& kind = type->get_ref<const std::string&>();
    if (kind == "text" || kind == "refusal") {
      const auto value = part.find(kind);
      if (value == part.end() || !value->is_string()) {
        return problem(fmt::format("a {} part needs {}, a string", kind, kind), at);
      }
      join(text, value->get_ref<const std::string&>(), "\n");
      continue;
    }
    if (message != nullptr && kind == "image_url") {
      auto image = read_image(part, at);
      if (!image) return tl::unexpected(image.error());
      message->images.push_back(std::move(*image));
      continue;
    }
    if (message != nullptr && kind == "file") {
      auto document = read_file_part(part, at);
      if (!document) return tl::unexpected(document.error());
      message->documents.push_back(std::move(*document));
      continue;
    }
    return problem(fmt::format("content parts of type '{}' are not supported here", kind),
                   at + ".type", "unsupported_value");
  }
  return text;
}

Parsed<std::vector<models::ToolUse>> read_tool_calls(const Json& calls, const std::string& param) {
  if (!calls.is_array()) return problem("tool_calls must be an array", param);
  std::vector<models::ToolUse> out;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const Json& call = calls[i];
    const std::string at = fmt::format("{}[{}]", param, i);
    const auto id = call.is_object() ? call.find("id") : call.end();
    const auto function = call.is_object() ? call.find("function") : call.end();
    if (id == call.end() || !id->is_string() || function == call.end() || !function->is_object()) {
      return problem("a tool call needs id and function", at);
    }
    const auto name = function->find("name");
    if (name == function->end() || !name->is_string()) {
      return problem("a tool call needs function.name", at + ".function.name");
    }
    models::ToolUse use{id->get<std::string>(), name->get<std::string>(), "{}"};
    const auto arguments = function->find("arguments");
    if (arguments != function->end() && arguments->is_string() &&
        !arguments->get_ref<const std::string&>().empty()) {
      const auto parsed = Json::parse(arguments->get_ref<const std::string&>(), nullptr, false);
      if (!parsed.is_object()) {
        return problem("function.arguments must be a JSON object as a string",
                       at + ".function.arguments");
      }
      use.input_json = parsed.dump(-1, ' ', false, Json::error_handler_t::replace);
    }
    out.push_back(std::move(use));
  }
  return out;
}

// message.thinking_blocks as chat_response.h spells them: Claude's signed reasoning, sent back.
Parsed<std::vector<models::ReasoningBlock>> read_thinking_blocks(const Json& blocks,
                                                                 const std::string& param) {
  if (!blocks.is_array()) return problem("thinking_blocks must be an array", param);
  std::vector<models::ReasoningBlock> out;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const Json& b = blocks[i];
    const std::string at = fmt::format("{}[{}]", param, i);
    auto text = [&](const char* name) -> const std::string* {
      const auto it = b.is_object() ? b.find(name) : b.end();
      return it != b.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
    };
    const std::string* type = text("type");
    if (type != nullptr && *type == "thinking" && text("thinking") && text("signature")) {
      out.push_back({*text("thinking"), *text("signature"), {}});
    } else if (type != nullptr && *type == "redacted_thinking" && text("data")) {
      out.push_back({{}, {}, *text("data")});
    } else {
      return problem(
          "a thinking block is {\"type\":\"thinking\",\"thinking\",\"signature\"} or "
          "{\"type\":\"redacted_thinking\",\"data\"}",
          at);
    }
  }
  return out;
}

// A turn joins the previous one when both have the same role (Converse wants them to alternate).
void append_turn(std::vector<models::Message>& turns, models::Message m) {
  if (turns.empty() || turns.back().role != m.role) {
    turns.push_back(std::move(m));
    return;
  }
  models::Message& last = turns.back();
  join(last.text, m.text, "\n\n");
  for (auto& x : m.reasoning) last.reasoning.push_back(std::move(x));
  for (auto& x : m.tool_uses) last.tool_uses.push_back(std::move(x));
  for (auto& x : m.tool_results) last.tool_results.push_back(std::move(x));
  for (auto& x : m.images) last.images.push_back(std::move(x));
  for (auto& x : m.documents) last.documents.push_back(std::move(x));
}

}  // namespace

void join(std::string& into, std::string_view text, std::string_view separator) {
  if (text.empty()) return;
  if (!into.empty()) into += separator;
  into += text;
}

Parsed<models::Prompt> translate_messages(const Json& messages) {
  if (!messages.is_array() || messages.empty()) {
    return problem("messages must be a non-empty array", "messages");
  }
  models::Prompt prompt;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const Json& m = messages[i];
    const std::string at = fmt::format("messages[{}]", i);
    const auto role = m.is_object() ? m.find("role") : m.end();
    if (role == m.end() || !role->is_string())
      return problem("a message needs a role", at + ".role");
    const auto& name = role->get_ref<const std::string&>();
    const auto content = m.find("content");
    static const Json kNull;
    const Json& body = content == m.end() ? kNull : *content;
    if (name == "system" || name == "developer") {
      auto text = read_content(body, at + ".content", nullptr);
      if (!text) return tl::unexpected(text.error());
      join(prompt.system, *text, "\n\n");
    } else if (name == "user") {
      models::Message turn{models::Role::User};
      auto text = read_content(body, at + ".content", &turn);
      if (!text) return tl::unexpected(text.error());
      turn.text = std::move(*text);
      append_turn(prompt.messages, std::move(turn));
    } else if (name == "assistant") {
      models::Message turn{models::Role::Assistant};
      auto text = read_content(body, at + ".content", nullptr, /*null_ok=*/true);
      if (!text) return tl::unexpected(text.error());
      turn.text = std::move(*text);
      if (auto calls = m.find("tool_calls"); calls != m.end() && !calls->is_null()) {
        auto uses = read_tool_calls(*calls, at + ".tool_calls");
        if (!uses) return tl::unexpected(uses.error());
        turn.tool_uses = std::move(*uses);
      }
      if (auto blocks = m.find("thinking_blocks"); blocks != m.end() && !blocks->is_null()) {
        auto reasoning = read_thinking_blocks(*blocks, at + ".thinking_blocks");
        if (!reasoning) return tl::unexpected(reasoning.error());
        turn.reasoning = std::move(*reasoning);
      }
      append_turn(prompt.messages, std::move(turn));
    } else if (name == "tool") {
      const auto id = m.find("tool_call_id");
      if (id == m.end() || !id->is_string()) {
        return problem("a tool message needs tool_call_id, a string", at + ".tool_call_id");
      }
      auto text = read_content(body, at + ".content", nullptr);
      if (!text) return tl::unexpected(text.error());
      models::Message turn{models::Role::User};
      turn.tool_results.push_back({id->get<std::string>(), std::move(*text)});
      append_turn(prompt.messages, std::move(turn));
    } else {
      return problem(
          fmt::format("role '{}' is not supported (system, developer, user, assistant, tool)",
                      name),
          at + ".role", "unsupported_value");
    }
  }
  return prompt;
}

}  // namespace bedrock::server::openai
