#include "attachments.h"

#include <fmt/format.h>

#include <set>

#include "capabilities.h"

namespace bedrock::emulator::model::detail {
namespace {

Error coral(std::string_view value, const std::string& path, std::string_view constraint) {
  return validation_error(
      fmt::format("1 validation error detected: Value {} at '{}' failed to satisfy constraint: "
                  "Member must {}",
                  value, path, constraint));
}

// The decoded size of a base64 text, from its length (the bytes are not needed).
std::size_t decoded_size(const std::string& base64) {
  std::size_t n = base64.size();
  std::size_t padding = 0;
  while (padding < 2 && n > padding && base64[n - 1 - padding] == '=') ++padding;
  return n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1) - (n % 4 == 0 ? padding : 0);
}

// The format enum and the source union shared by image and document blocks; `bytes_limit`
// caps a bytes source. `kind` is "image" or "document".
std::optional<Error> check_block(const Json& block, const std::string& where, std::string_view kind,
                                 std::initializer_list<std::string_view> formats,
                                 bool format_required, std::size_t bytes_limit) {
  if (!block.is_object())
    return coral(fmt::format("'{}'", shown(block)), where, "be of type structure");
  const auto format = block.find("format");
  if (format == block.end() || format->is_null()) {
    if (format_required) return coral("null", where + ".format", "not be null");
  } else {
    bool known = false;
    std::string set;
    for (std::string_view f : formats) {
      known = known || *format == f;
      set += (set.empty() ? "" : ", ") + std::string(f);
    }
    if (!known) {
      return coral(fmt::format("'{}'", shown(*format)), where + ".format",
                   fmt::format("satisfy enum value set: [{}]", set));
    }
  }
  const auto source = block.find("source");
  if (source == block.end() || source->is_null()) {
    return coral("null", where + ".source", "not be null");
  }
  if (!source->is_object() || source->size() != 1) {
    return coral(fmt::format("'{}'", shown(*source)), where + ".source",
                 "have exactly one member set");
  }
  const auto bytes = source->find("bytes");
  if (bytes != source->end()) {
    if (!bytes->is_string() || bytes->get_ref<const std::string&>().empty()) {
      return coral("''", where + ".source.bytes", "have length greater than or equal to 1");
    }
    if (decoded_size(bytes->get_ref<const std::string&>()) > bytes_limit) {
      // Bedrock's exact wording for an oversized attachment is not known; this names the limit.
      return validation_error(fmt::format(
          "The {} at {}.source.bytes is larger than the maximum size of {} bytes. Reduce its "
          "size and try again.",
          kind, where, bytes_limit));
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<Error> check_attachments(const ModelInfo& model, const Json& doc) {
  const Json& messages = doc["messages"];
  std::size_t images = 0;
  std::size_t documents = 0;
  std::set<std::string, std::less<>> names;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const auto content = messages[i].find("content");
    if (content == messages[i].end() || !content->is_array()) continue;
    bool has_document = false;
    bool has_text = false;
    for (std::size_t j = 0; j < content->size(); ++j) {
      const Json& block = (*content)[j];
      if (!block.is_object()) continue;
      const std::string where = fmt::format("messages.{}.member.content.{}.member", i + 1, j + 1);
      has_text = has_text || block.contains("text");
      if (const auto image = block.find("image"); image != block.end()) {
        if (!supports(model, Capability::Images)) {
          return validation_error(
              "This model doesn't support the image content block that you provided. Remove the "
              "image and try again.");
        }
        if (auto e = check_block(*image, where + ".image", "image", {"png", "jpeg", "gif", "webp"},
                                 true, kMaxImageBytes)) {
          return e;
        }
        if (++images > kMaxImages) {
          return validation_error(
              fmt::format("You can't include more than {} images in a request.", kMaxImages));
        }
      }
      const auto document = block.find("document");
      if (document == block.end()) continue;
      if (!supports(model, Capability::Documents)) {
        return validation_error(
            "This model doesn't support the document content block that you provided. Remove "
            "the document and try again.");
      }
      if (auto e = check_block(*document, where + ".document", "document",
                               {"pdf", "csv", "doc", "docx", "xls", "xlsx", "html", "txt", "md"},
                               false, kMaxDocumentBytes)) {
        return e;
      }
      const auto name = document->find("name");
      if (name == document->end() || !name->is_string()) {
        return coral("null", where + ".document.name", "not be null");
      }
      const std::string& text = name->get_ref<const std::string&>();
      if (text.empty() || text.size() > 200) {
        return coral(fmt::format("'{}'", shown(*name)), where + ".document.name",
                     "have length between 1 and 200");
      }
      if (!names.insert(text).second) {
        return validation_error("Messages can't contain duplicate document names.");
      }
      if (++documents > kMaxDocuments) {
        return validation_error(
            fmt::format("You can't include more than {} documents in a request.", kMaxDocuments));
      }
      has_document = true;
    }
    if (has_document && !has_text) {
      return validation_error("A text block must be included when using documents.");
    }
  }
  return std::nullopt;
}

namespace {

// A string member, or `fallback` when absent or of another type (never throws).
std::string string_or(const Json& object, std::string_view key, std::string_view fallback) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return std::string(fallback);
  return it->get<std::string>();
}

}  // namespace

std::vector<std::string> describe_attachments(const Json& doc) {
  std::vector<std::string> out;
  const auto messages = doc.find("messages");
  if (messages == doc.end() || !messages->is_array()) return out;
  const Json* last_user = nullptr;
  for (const Json& m : *messages) {
    if (m.is_object() && string_or(m, "role", "") == "user") last_user = &m;
  }
  if (last_user == nullptr) return out;
  const auto content = last_user->find("content");
  if (content == last_user->end() || !content->is_array()) return out;
  const auto size = [](const Json& block) -> std::string {
    const auto source = block.find("source");
    if (source == block.end() || !source->is_object()) return "";
    const auto bytes = source->find("bytes");
    if (bytes == source->end() || !bytes->is_string()) return ", from S3";
    return fmt::format(", {} bytes", decoded_size(bytes->get_ref<const std::string&>()));
  };
  for (const Json& block : *content) {
    if (!block.is_object()) continue;
    if (const auto image = block.find("image"); image != block.end() && image->is_object()) {
      out.push_back(fmt::format("image ({}{})", string_or(*image, "format", "?"), size(*image)));
    }
    if (const auto d = block.find("document"); d != block.end() && d->is_object()) {
      out.push_back(fmt::format("document \"{}\" ({}{})", string_or(*d, "name", ""),
                                string_or(*d, "format", "?"), size(*d)));
    }
  }
  return out;
}

}  // namespace bedrock::emulator::model::detail
