#include "xml_document.h"

#include <fmt/format.h>

#include <cstdint>

namespace bedrock::credentials::cred_detail {
namespace {

constexpr int kMaxDepth = 64;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == ':' || c == '-' || c == '.' || static_cast<unsigned char>(c) >= 0x80;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class Parser {
 public:
  explicit Parser(std::string_view doc) : doc_(doc) {}

  Result<XmlElement> document() {
    if (doc_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // UTF-8 byte order mark
    if (auto s = skip_misc(); !s) return fail(s.error());
    if (pos_ >= doc_.size() || doc_[pos_] != '<') return error("expected a root element");
    XmlElement root;
    if (auto s = element(root, 0); !s) return fail(s.error());
    if (auto s = skip_misc(); !s) return fail(s.error());
    if (pos_ != doc_.size()) return error("content after the root element");
    return root;
  }

 private:
  tl::unexpected<Error> error(std::string_view what) const {
    return fail(ErrorCode::InvalidResponse,
                fmt::format("malformed XML at byte {}: {}", pos_, what));
  }

  bool starts_with(std::string_view s) const { return doc_.substr(pos_, s.size()) == s; }

  void skip_spaces() {
    while (pos_ < doc_.size() && is_space(doc_[pos_])) ++pos_;
  }

  // Skips past `terminator`; false when it never comes.
  bool skip_past(std::string_view terminator) {
    size_t end = doc_.find(terminator, pos_);
    if (end == std::string_view::npos) return false;
    pos_ = end + terminator.size();
    return true;
  }

  // Whitespace, comments and processing instructions (the XML declaration) around the root.
  Status skip_misc() {
    for (;;) {
      skip_spaces();
      if (starts_with("<?")) {
        if (!skip_past("?>")) return error("unterminated processing instruction");
      } else if (starts_with("<!--")) {
        if (!skip_past("-->")) return error("unterminated comment");
      } else if (starts_with("<!")) {
        return error("DTDs are not accepted");
      } else {
        return {};
      }
    }
  }

  std::string_view name() {
    size_t start = pos_;
    while (pos_ < doc_.size() && is_name_char(doc_[pos_])) ++pos_;
    return doc_.substr(start, pos_ - start);
  }

  static std::string local(std::string_view qualified) {
    size_t colon = qualified.rfind(':');
    return std::string(colon == std::string_view::npos ? qualified : qualified.substr(colon + 1));
  }

  Status entity(std::string& out) {
    size_t end = doc_.find(';', pos_);
    if (end == std::string_view::npos || end - pos_ > 12) return error("bad entity reference");
    std::string_view ref = doc_.substr(pos_ + 1, end - pos_ - 1);
    if (ref == "amp") {
      out += '&';
    } else if (ref == "lt") {
      out += '<';
    } else if (ref == "gt") {
      out += '>';
    } else if (ref == "quot") {
      out += '"';
    } else if (ref == "apos") {
      out += '\'';
    } else if (ref.size() > 1 && ref[0] == '#') {
      bool hex = ref[1] == 'x' || ref[1] == 'X';
      std::string_view num = ref.substr(hex ? 2 : 1);
      if (num.empty()) return error("bad character reference");
      uint32_t cp = 0;
      for (char c : num) {
        int v = -1;
        if (c >= '0' && c <= '9') v = c - '0';
        if (hex && c >= 'a' && c <= 'f') v = c - 'a' + 10;
        if (hex && c >= 'A' && c <= 'F') v = c - 'A' + 10;
        if (v < 0) return error("bad character reference");
        cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(v);
        if (cp > 0x10FFFF) return error("character reference out of range");
      }
      if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) return error("invalid character reference");
      append_utf8(out, cp);
    } else {
      return error("unknown entity");
    }
    pos_ = end + 1;
    return {};
  }

  Status attributes() {
    for (;;) {
      skip_spaces();
      if (pos_ >= doc_.size()) return error("unterminated start tag");
      if (doc_[pos_] == '>' || doc_[pos_] == '/') return {};
      if (name().empty()) return error("bad attribute name");
      skip_spaces();
      if (!starts_with("=")) return error("attribute without '='");
      ++pos_;
      skip_spaces();
      if (pos_ >= doc_.size() || (doc_[pos_] != '"' && doc_[pos_] != '\'')) {
        return error("unquoted attribute value");
      }
      char quote = doc_[pos_++];
      size_t end = doc_.find(quote, pos_);
      if (end == std::string_view::npos) return error("unterminated attribute value");
      if (doc_.substr(pos_, end - pos_).find('<') != std::string_view::npos) {
        return error("'<' in attribute value");
      }
      pos_ = end + 1;
    }
  }

  Status element(XmlElement& out, int depth) {
    if (depth >= kMaxDepth) return error("elements nested too deeply");
    ++pos_;  // '<'
    std::string_view qualified = name();
    if (qualified.empty()) return error("bad element name");
    out.name = local(qualified);
    if (auto s = attributes(); !s) return s;
    if (starts_with("/>")) {
      pos_ += 2;
      return {};
    }
    ++pos_;  // '>'
    for (;;) {
      if (pos_ >= doc_.size()) return error(fmt::format("unclosed element <{}>", out.name));
      char c = doc_[pos_];
      if (c == '&') {
        if (auto s = entity(out.text); !s) return s;
      } else if (c != '<') {
        out.text += c;
        ++pos_;
      } else if (starts_with("</")) {
        pos_ += 2;
        std::string_view closing = name();
        if (closing != qualified) {
          return error(fmt::format("</{}> closes <{}>", closing, qualified));
        }
        skip_spaces();
        if (!starts_with(">")) return error("bad end tag");
        ++pos_;
        return {};
      } else if (starts_with("<!--")) {
        if (!skip_past("-->")) return error("unterminated comment");
      } else if (starts_with("<![CDATA[")) {
        size_t start = pos_ + 9;
        if (!skip_past("]]>")) return error("unterminated CDATA section");
        out.text.append(doc_.substr(start, pos_ - 3 - start));
      } else if (starts_with("<?")) {
        if (!skip_past("?>")) return error("unterminated processing instruction");
      } else if (starts_with("<!")) {
        return error("DTDs are not accepted");
      } else {
        out.children.emplace_back();
        if (auto s = element(out.children.back(), depth + 1); !s) return s;
      }
    }
  }

  std::string_view doc_;
  size_t pos_ = 0;
};

}  // namespace

const XmlElement* XmlElement::child(std::string_view child_name) const {
  for (const auto& c : children) {
    if (c.name == child_name) return &c;
  }
  return nullptr;
}

const XmlElement* XmlElement::find(std::initializer_list<std::string_view> path) const {
  const XmlElement* at = this;
  for (std::string_view step : path) {
    at = at->child(step);
    if (at == nullptr) return nullptr;
  }
  return at;
}

Result<XmlElement> parse_xml(std::string_view document) { return Parser(document).document(); }

}  // namespace bedrock::credentials::cred_detail
