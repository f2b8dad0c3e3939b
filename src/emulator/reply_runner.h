// Carries out a Reply (the Service's answer as data: respond, drop, truncate, stall, paced
// stream, each after its latency) through the shared server's Responder. Latency and pacing
// are timers on the connection, never sleeping threads, so thousands of delayed or paced
// answers share the I/O threads.
#pragma once

#include "bedrock/core/clock.h"
#include "bedrock/net/responder.h"
#include "service.h"

namespace bedrock::emulator {

// `stall_timeout` bounds a Stall (and a stream's stall cut without a length): the connection
// is let go after it even if the client never closes it.
void run_reply(Reply reply, net::Responder responder, Duration stall_timeout);

}  // namespace bedrock::emulator
