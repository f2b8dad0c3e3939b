// Event-stream messages against the byte-exact golden vectors of docs/wire-protocol.md §9.2.
#include "bedrock/models/event_stream.h"

#include <gtest/gtest.h>

namespace bedrock::models {
namespace {

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xF]);
  }
  return out;
}

// One `chunk` event: total 115, headers 75, prelude CRC 0x3a5edd6e, message CRC 0xd3f547ed.
TEST(EventStream, ChunkEventMatchesTheReferenceVector) {
  std::string out;
  append_event(out, "chunk", R"({"bytes":"eyJhIjoxfQ=="})");
  EXPECT_EQ(hex(out),
            "000000730000004b3a5edd6e0b3a6576656e742d74797065070005636875"
            "6e6b0d3a636f6e74656e742d747970650700106170706c69636174696f6e"
            "2f6a736f6e0d3a6d6573736167652d747970650700056576656e747b2262"
            "79746573223a2265794a68496a6f7866513d3d227dd3f547ed");
}

// An in-stream exception: the same framing with :exception-type and message-type exception.
TEST(EventStream, ExceptionMessageMatchesTheReferenceVector) {
  std::string out = "already here";
  append_event_stream_message(out,
                              {{":exception-type", "throttlingException"},
                               {":content-type", "application/json"},
                               {":message-type", "exception"}},
                              R"({"message":"slow down"})");
  EXPECT_EQ(out.substr(0, 12), "already here");  // appends
  EXPECT_EQ(hex(out.substr(12)),
            "0000008800000061de0175f40f3a657863657074696f6e2d7479706507001374"
            "68726f74746c696e67457863657074696f6e0d3a636f6e74656e742d74797065"
            "0700106170706c69636174696f6e2f6a736f6e0d3a6d6573736167652d747970"
            "65070009657863657074696f6e7b226d657373616765223a22736c6f7720646f"
            "776e227d832ee072");
}

}  // namespace
}  // namespace bedrock::models
