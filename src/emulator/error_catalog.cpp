#include "error_catalog.h"

#include <array>

namespace bedrock::emulator {
namespace {

struct Entry {
  std::string_view name;
  int status;
  std::string_view message;
};

// Messages follow public captures of real responses where one exists (reference §2.1).
constexpr std::array kCatalog = {
    Entry{"ValidationException", 400,
          "Malformed input request, please reformat your input and try again."},
    Entry{"ServiceQuotaExceededException", 400,
          "Your request exceeds the service quota for your account. You can view your quotas "
          "at https://docs.aws.amazon.com/bedrock/latest/userguide/quotas.html."},
    Entry{"AccessDeniedException", 403,
          "You don't have access to the model with the specified model ID."},
    Entry{"ResourceNotFoundException", 404, "The provided model identifier is invalid."},
    Entry{"ModelTimeoutException", 408,
          "Model has timed out in processing the request. Try your request again."},
    Entry{"ModelErrorException", 424, "The model returned an error while processing the request."},
    Entry{"ThrottlingException", 429, "Too many requests, please wait before trying again."},
    Entry{"ModelNotReadyException", 429,
          "Model is not ready to serve inference requests. The AWS SDK will automatically retry "
          "the operation up to 5 times. For information about configuring automatic retries, "
          "see Retry behavior in the AWS SDKs and Tools reference guide."},
    Entry{"InternalServerException", 500,
          "The server encountered an internal error while processing the request."},
    Entry{"ServiceUnavailableException", 503, "Bedrock is unable to process your request."},
    // AWS front end (reference §2.5), not modelled by Bedrock.
    Entry{"UnrecognizedClientException", 403,
          "The security token included in the request is invalid."},
    Entry{"InvalidSignatureException", 403,
          "The request signature we calculated does not match the signature you provided. Check "
          "your AWS Secret Access Key and signing method. Consult the service documentation for "
          "details."},
    Entry{"IncompleteSignatureException", 400, "Authorization header requires a valid signature."},
    Entry{"MissingAuthenticationTokenException", 403, "Missing Authentication Token"},
    Entry{"ExpiredTokenException", 403, "The security token included in the request is expired"},
    Entry{"UnknownOperationException", 404, "Unknown operation"},
    Entry{"SerializationException", 400, "Could not parse the request body."},
};

}  // namespace

int status_of_error(std::string_view name) {
  for (const auto& e : kCatalog) {
    if (e.name == name) return e.status;
  }
  return 0;
}

std::string_view default_message(std::string_view name) {
  for (const auto& e : kCatalog) {
    if (e.name == name) return e.message;
  }
  return "An error occurred.";
}

}  // namespace bedrock::emulator
