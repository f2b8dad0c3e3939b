// The messages of an OpenAI chat request as a Converse prompt. Private to the OpenAI routes.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "bedrock/models/types.h"
#include "chat_request.h"

namespace bedrock::server::openai {

// system and developer messages, in order, become the system prompt (joined by a blank line;
// Converse has one system prompt, ahead of the conversation); user, assistant and tool messages
// become turns, consecutive turns of one role merged into one (Converse requires them to
// alternate; a tool message is the user's tool result). Errors name the message and member.
Parsed<models::Prompt> translate_messages(const nlohmann::json& messages);

// Appends `text` to `into`, after `separator` when `into` already holds something; empty text
// adds nothing (how a message's text parts become one string).
void join(std::string& into, std::string_view text, std::string_view separator);

}  // namespace bedrock::server::openai
