// The Bedrock Runtime surface of the emulator as a function of one request: authenticate,
// route, validate the body for the model's family, apply quotas, faults and latency, and
// shape the reply. No sockets here; reply_runner.h carries out the reply's action.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "auth_verifier.h"
#include "bedrock/core/clock.h"
#include "bedrock/net/http_types.h"
#include "behavior.h"
#include "counters.h"
#include "fixtures.h"
#include "prompt_cache_store.h"

namespace bedrock::emulator {

using net::HttpRequest;
using net::HttpResponse;

enum class ReplyAction {
  Respond,   // write `response` after `delay`
  Drop,      // close the connection after `delay` without writing anything
  Truncate,  // write the headers and half of the body after `delay`, then close
  Stall,     // never answer; hold the connection until the client closes it (bounded)
  Stream,    // write `response`'s head chunked after `delay`, then `stream`'s events paced
};

// A streamed answer sent event by event: the first with the head (after Reply::delay), each
// later one `gap` after the previous was written; each event is one HTTP chunk. A fault may
// cut the stream after `cut_after` events.
struct StreamPlan {
  enum class Cut {
    None,
    Exception,  // send `exception_event`, then end the response normally
    Drop,       // close the connection
    Stall,      // send nothing for `stall` (zero: until the client closes; bounded by the
                // server's stall timeout), then carry on
  };
  std::vector<std::string> events;  // whole event-stream messages, in order
  Duration gap{};
  Cut cut = Cut::None;
  std::size_t cut_after = 0;
  std::string exception_event;
  Duration stall{};
};

struct Reply {
  HttpResponse response;
  Duration delay{};
  ReplyAction action = ReplyAction::Respond;
  std::shared_ptr<StreamPlan> stream;  // set for ReplyAction::Stream only
};

// The single place where an error becomes a response: status from the exception name,
// x-amzn-ErrorType "<name>:http://internal.amazon.com/coral/com.amazon.bedrock/",
// x-amzn-RequestId, Content-Type application/json, body {"message": ...} (plus
// `extra_json_members`, e.g. ",\"originalStatusCode\":500", inserted verbatim).
HttpResponse make_error_response(std::string_view error_type, std::string_view message,
                                 std::string_view request_id,
                                 std::string_view extra_json_members = {});

// A fresh request id in the UUID format Bedrock uses.
std::string new_request_id();

// Thread-safe; the referenced objects must outlive the Service.
class Service {
 public:
  Service(const AuthVerifier& auth, const Fixtures& fixtures, Behavior& behavior,
          Counters& counters, PromptCacheStore& prompt_cache, const Clock& clock)
      : auth_(auth),
        fixtures_(fixtures),
        behavior_(behavior),
        counters_(counters),
        prompt_cache_(prompt_cache),
        clock_(clock) {}

  Reply handle(const HttpRequest& request) const;

 private:
  const AuthVerifier& auth_;
  const Fixtures& fixtures_;
  Behavior& behavior_;
  Counters& counters_;
  PromptCacheStore& prompt_cache_;
  const Clock& clock_;
};

}  // namespace bedrock::emulator
