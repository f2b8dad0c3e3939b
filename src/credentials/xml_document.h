// A small, strict XML reader for the STS Query API responses: elements, attributes (skipped),
// text with the five predefined entities and numeric character references, CDATA, comments,
// the XML declaration. DTDs are rejected (no entity expansion surprises). Private to
// bedrock_credentials.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bedrock/core/result.h"

namespace bedrock::credentials::cred_detail {

struct XmlElement {
  std::string name;  // local name: a namespace prefix ("sts:") is dropped
  std::string text;  // concatenated character data directly inside this element
  std::vector<XmlElement> children;

  // First direct child with this local name, or nullptr.
  const XmlElement* child(std::string_view child_name) const;
  // Follows a path of direct children ("AssumeRoleResult", "Credentials"); nullptr if absent.
  const XmlElement* find(std::initializer_list<std::string_view> path) const;
};

// Parses a whole document into its root element. Errors: InvalidResponse naming the byte
// offset of the first problem (unclosed or mismatched tag, bad entity, trailing content,
// nesting deeper than 64 levels).
Result<XmlElement> parse_xml(std::string_view document);

}  // namespace bedrock::credentials::cred_detail
