#include "bedrock/credentials/process_provider.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "bedrock/core/json_nesting.h"
#include "credential_support.h"
#include "http_support.h"
#include "shell_split.h"
#include "subprocess.h"

namespace bedrock::credentials {

ProcessProvider::ProcessProvider(std::shared_ptr<const ProfileSources> sources, std::string profile,
                                 ProcessOptions options)
    : sources_(std::move(sources)), profile_(std::move(profile)), options_(options) {}

Result<Credentials> ProcessProvider::get() {
  auto command = sources_->get(profile_, "credential_process");
  if (!command) {
    return cred_detail::not_configured(
        fmt::format("credential_process (not set for profile {})", profile_));
  }
  std::string origin = sources_->merged.origin(profile_, "credential_process");
  std::string what = fmt::format("credential_process of profile {}{}{}", profile_,
                                 origin.empty() ? "" : " at ", origin);
  auto invalid = [&](std::string detail_text) {
    return fail(ErrorCode::ConfigurationInvalid, fmt::format("{}: {}", what, detail_text));
  };
  auto argv = cred_detail::shell_split(*command);
  if (!argv) return invalid(argv.error().message);
  if (argv->empty()) return invalid("the command is empty");

  cred_detail::ProcessLimits limits;
  limits.timeout = options_.timeout;
  auto ran = cred_detail::run_process(*argv, limits);
  if (!ran) return invalid(ran.error().message);
  if (ran->exit_code != 0) {
    std::string err = cred_detail::snippet(ran->err, 500);
    return invalid(fmt::format("'{}' exited with status {}{}{}", (*argv)[0], ran->exit_code,
                               err.empty() ? "" : ": ", err));
  }
  // Checked before parsing: the error paths dump parts of the document, and dump() recurses
  // once per level of nesting.
  if (json_nesting_exceeds(ran->out)) {
    return invalid(
        fmt::format("the command printed JSON nested deeper than {} levels", kMaxJsonNesting));
  }
  nlohmann::json doc = nlohmann::json::parse(ran->out, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return invalid("the command did not print a JSON object on stdout");
  }
  auto version = doc.find("Version");
  if (version == doc.end()) return invalid("the output has no Version (expected 1)");
  if (!version->is_number_integer() || version->get<long long>() != 1) {
    return invalid(fmt::format("unsupported Version {} (expected the integer 1)", version->dump()));
  }
  cred_detail::JsonCredentialShape shape;
  shape.token_field = "SessionToken";
  shape.token_required = false;
  shape.expiration_required = false;
  auto creds =
      cred_detail::credentials_from_json(ran->out, shape, "the command", std::string(name()));
  if (!creds) return invalid(creds.error().message);
  return creds;
}

}  // namespace bedrock::credentials
