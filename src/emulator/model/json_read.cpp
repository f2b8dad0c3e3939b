#include "json_read.h"

#include <simdjson.h>

#include <cstdint>

namespace bedrock::emulator::model::detail {
namespace {

// Above this the fast path's gain no longer matters next to reading the body, and the
// per-thread simdjson parser would keep buffers sized for the largest body it has seen.
constexpr std::size_t kFastPathMaxBytes = 64 * 1024;

Json from_simdjson(simdjson::dom::element element) {
  switch (element.type()) {
    case simdjson::dom::element_type::OBJECT: {
      Json object = Json::object();
      // Assignment, so a repeated key keeps its last value, as nlohmann's parser does.
      const simdjson::dom::object fields = element.get_object().value_unsafe();
      for (auto field : fields) {
        object[std::string(field.key)] = from_simdjson(field.value);
      }
      return object;
    }
    case simdjson::dom::element_type::ARRAY: {
      Json array = Json::array();
      auto& items = array.get_ref<Json::array_t&>();
      const simdjson::dom::array elements = element.get_array().value_unsafe();
      for (auto item : elements) items.push_back(from_simdjson(item));
      return array;
    }
    case simdjson::dom::element_type::STRING:
      return Json(std::string(element.get_string().value_unsafe()));
    case simdjson::dom::element_type::INT64: {
      // nlohmann stores a non-negative integer as unsigned.
      const std::int64_t value = element.get_int64().value_unsafe();
      return value >= 0 ? Json(static_cast<std::uint64_t>(value)) : Json(value);
    }
    case simdjson::dom::element_type::UINT64:
      return Json(element.get_uint64().value_unsafe());
    case simdjson::dom::element_type::DOUBLE:
      return Json(element.get_double().value_unsafe());
    case simdjson::dom::element_type::BOOL:
      return Json(element.get_bool().value_unsafe());
    case simdjson::dom::element_type::NULL_VALUE:
      return Json(nullptr);
  }
  return Json(nullptr);
}

}  // namespace

Json parse_json(std::string_view body) {
  if (body.size() <= kFastPathMaxBytes) {
    thread_local simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(body.data(), body.size()).get(root) == simdjson::SUCCESS) {
      return from_simdjson(root);
    }
  }
  return Json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
}

}  // namespace bedrock::emulator::model::detail
