// The tool and answer-format members of an OpenAI chat request: tools and tool_choice as a
// Converse ToolConfig, response_format as structured output. Private to the OpenAI routes.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>

#include "bedrock/models/types.h"
#include "chat_request.h"

namespace bedrock::server::openai {

// tools: function tools only. tool_choice: "auto", "required" (Converse "any"), a named function
// (Converse "tool"), or "none": Converse has no such choice, so the tools are left out of the
// request, unless the conversation already holds tool calls (Bedrock then needs their
// definitions) and the model decides. `prompt` receives the ToolConfig.
Parsed<void> translate_tools(const nlohmann::json& body, models::Prompt& prompt);

// response_format: nullopt for absent or {"type":"text"}; json_object is a schema asking for any
// object; json_schema carries its name, description and schema (strict or not, the answer is
// checked against it).
Parsed<std::optional<models::OutputSchema>> translate_response_format(const nlohmann::json& body);

}  // namespace bedrock::server::openai
