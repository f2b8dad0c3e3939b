#include "response_head.h"

#include <array>
#include <charconv>

namespace bedrock::net {

void serialize_head(const HttpResponse& response, std::string& out) {
  out.clear();
  out.append("HTTP/");
  out.push_back(static_cast<char>('0' + response.version() / 10 % 10));
  out.push_back('.');
  out.push_back(static_cast<char>('0' + response.version() % 10));
  out.push_back(' ');
  std::array<char, 8> code{};
  const auto end = std::to_chars(code.data(), code.data() + code.size(), response.result_int()).ptr;
  out.append(code.data(), end);
  out.push_back(' ');
  const auto reason = response.reason();
  out.append(reason.data(), reason.size());
  out.append("\r\n");
  for (const auto& field : response) {
    const auto name = field.name_string();
    const auto value = field.value();
    out.append(name.data(), name.size()).append(": ").append(value.data(), value.size());
    out.append("\r\n");
  }
  out.append("\r\n");
}

}  // namespace bedrock::net
