// The incremental event-stream decoder against the golden vectors of docs/wire-protocol.md §9.2,
// split at every byte boundary, and against corrupted, truncated and oversized frames.
#include "bedrock/models/event_stream_decoder.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <vector>

#include "bedrock/models/event_stream.h"

namespace bedrock::models {
namespace {

std::string unhex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

const std::string kChunkVector = unhex(
    "000000730000004b3a5edd6e0b3a6576656e742d74797065070005636875"
    "6e6b0d3a636f6e74656e742d747970650700106170706c69636174696f6e"
    "2f6a736f6e0d3a6d6573736167652d747970650700056576656e747b2262"
    "79746573223a2265794a68496a6f7866513d3d227dd3f547ed");
const std::string kExceptionVector = unhex(
    "0000008800000061de0175f40f3a657863657074696f6e2d747970650700137468726f74746c696e6745786365"
    "7074696f6e0d3a636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e0d3a6d65737361"
    "67652d74797065070009657863657074696f6e7b226d657373616765223a22736c6f7720646f776e227d832ee0"
    "72");

struct Seen {
  std::string event_type;
  std::string message_type;
  std::string exception_type;
  std::string payload;
};

// Feeds `stream` in pieces cut at `cuts` and collects what came out.
Result<std::vector<Seen>> decode_in_pieces(EventStreamDecoder& decoder, std::string_view stream,
                                           const std::vector<std::size_t>& cuts) {
  std::vector<Seen> seen;
  auto collect = [&](const EventStreamMessageView& m) -> Status {
    seen.push_back({std::string(m.string_header(":event-type").value_or("")),
                    std::string(m.string_header(":message-type").value_or("")),
                    std::string(m.string_header(":exception-type").value_or("")),
                    std::string(m.payload)});
    return {};
  };
  std::size_t from = 0;
  for (std::size_t cut : cuts) {
    auto st = decoder.feed(stream.substr(from, cut - from), collect);
    if (!st) return tl::unexpected<Error>(st.error());
    from = cut;
  }
  auto st = decoder.feed(stream.substr(from), collect);
  if (!st) return tl::unexpected<Error>(st.error());
  return seen;
}

std::uint32_t crc(std::string_view b) {
  return static_cast<std::uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(b.data()), static_cast<uInt>(b.size())));
}

void put_u32(std::string& s, std::size_t at, std::uint32_t v) {
  s[at] = static_cast<char>(v >> 24);
  s[at + 1] = static_cast<char>(v >> 16);
  s[at + 2] = static_cast<char>(v >> 8);
  s[at + 3] = static_cast<char>(v);
}

// Rewrites both CRCs after a test edited a frame, so only the edit itself is wrong.
void fix_crcs(std::string& frame) {
  put_u32(frame, 8, crc(std::string_view(frame).substr(0, 8)));
  put_u32(frame, frame.size() - 4, crc(std::string_view(frame).substr(0, frame.size() - 4)));
}

// The chunk vector of docs/wire-protocol.md §9.2 decodes to its three headers and payload.
TEST(EventStreamDecoder, DecodesTheReferenceChunkVector) {
  EventStreamDecoder decoder;
  auto seen = decode_in_pieces(decoder, kChunkVector, {});
  ASSERT_TRUE(seen) << seen.error().message;
  ASSERT_EQ(seen->size(), 1u);
  EXPECT_EQ((*seen)[0].event_type, "chunk");
  EXPECT_EQ((*seen)[0].message_type, "event");
  EXPECT_EQ((*seen)[0].payload, R"({"bytes":"eyJhIjoxfQ=="})");
  EXPECT_TRUE(decoder.at_message_boundary());
  EXPECT_EQ(decoder.messages_decoded(), 1u);
}

// Two messages split at every pair of byte boundaries come out whole and in order.
TEST(EventStreamDecoder, SplitsAtEveryPairOfBoundariesGiveTheSameMessages) {
  const std::string stream = kChunkVector + kExceptionVector;
  for (std::size_t a = 0; a <= stream.size(); ++a) {
    for (std::size_t b = a; b <= stream.size(); b += 7) {
      EventStreamDecoder decoder;
      auto seen = decode_in_pieces(decoder, stream, {a, b});
      ASSERT_TRUE(seen) << a << "," << b << ": " << seen.error().message;
      ASSERT_EQ(seen->size(), 2u) << a << "," << b;
      EXPECT_EQ((*seen)[0].payload, R"({"bytes":"eyJhIjoxfQ=="})");
      EXPECT_EQ((*seen)[1].message_type, "exception");
      EXPECT_EQ((*seen)[1].exception_type, "throttlingException");
      EXPECT_EQ((*seen)[1].payload, R"({"message":"slow down"})");
      EXPECT_TRUE(decoder.at_message_boundary());
    }
  }
}

// One byte at a time is the worst case for buffering; the result is the same.
TEST(EventStreamDecoder, ByteAtATime) {
  std::string stream;
  for (int i = 0; i < 20; ++i) append_event(stream, "contentBlockDelta", std::to_string(i));
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < stream.size(); ++i) cuts.push_back(i);
  EventStreamDecoder decoder;
  auto seen = decode_in_pieces(decoder, stream, cuts);
  ASSERT_TRUE(seen);
  ASSERT_EQ(seen->size(), 20u);
  EXPECT_EQ((*seen)[19].payload, "19");
}

// A flipped bit anywhere in the prelude CRC's cover or the message is caught by a CRC.
TEST(EventStreamDecoder, EveryFlippedByteIsRefused) {
  for (std::size_t i = 0; i < kChunkVector.size(); ++i) {
    std::string bad = kChunkVector;
    bad[i] = static_cast<char>(bad[i] ^ 0x20);
    EventStreamDecoder decoder;
    auto seen = decode_in_pieces(decoder, bad, {});
    ASSERT_FALSE(seen) << "byte " << i;
    EXPECT_EQ(seen.error().code, ErrorCode::InvalidResponse);
    const std::string& m = seen.error().message;
    EXPECT_TRUE(m.find("CRC") != std::string::npos || m.find("length") != std::string::npos ||
                m.find("limit") != std::string::npos)
        << "byte " << i << ": " << m;
  }
}

// An error is final: the stream cannot be resynchronised after it.
TEST(EventStreamDecoder, AnErrorIsFinal) {
  std::string bad = kChunkVector;
  bad[100] = 'X';
  EventStreamDecoder decoder;
  auto first = decode_in_pieces(decoder, bad, {});
  ASSERT_FALSE(first);
  EXPECT_NE(first.error().message.find("message CRC mismatch"), std::string::npos);
  auto again = decoder.feed(kChunkVector, [](const EventStreamMessageView&) -> Status {
    ADD_FAILURE() << "no message after an error";
    return {};
  });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message, first.error().message);
}

// The error names the stream offset of the bad message.
TEST(EventStreamDecoder, ErrorNamesTheOffset) {
  std::string stream = kChunkVector + kChunkVector;
  stream[kChunkVector.size() + 50] ^= 1;
  EventStreamDecoder decoder;
  auto seen = decode_in_pieces(decoder, stream, {});
  ASSERT_FALSE(seen);
  EXPECT_NE(seen.error().message.find("at byte 115"), std::string::npos) << seen.error().message;
}

// A stream cut mid-message leaves the decoder off a boundary, so the caller can tell.
TEST(EventStreamDecoder, TruncatedStreamIsVisible) {
  for (std::size_t cut = 1; cut < kChunkVector.size(); ++cut) {
    EventStreamDecoder decoder;
    auto seen = decode_in_pieces(decoder, std::string_view(kChunkVector).substr(0, cut), {});
    ASSERT_TRUE(seen);
    EXPECT_TRUE(seen->empty());
    EXPECT_FALSE(decoder.at_message_boundary());
    EXPECT_EQ(decoder.buffered_bytes(), cut);
  }
}

// A prelude announcing more than the limit is refused before anything is buffered.
TEST(EventStreamDecoder, OversizedMessageIsRefusedFromItsPrelude) {
  std::string prelude(12, '\0');
  put_u32(prelude, 0, 0xFFFFFFF0u);
  put_u32(prelude, 4, 0);
  put_u32(prelude, 8, crc(std::string_view(prelude).substr(0, 8)));
  EventStreamDecoder decoder;
  auto seen = decode_in_pieces(decoder, prelude, {});
  ASSERT_FALSE(seen);
  EXPECT_NE(seen.error().message.find("over the limit"), std::string::npos);
  EXPECT_EQ(decoder.buffered_bytes(), 0u);

  EventStreamDecoder small(EventStreamDecoder::Limits{100, 50});
  auto refused = decode_in_pieces(small, kChunkVector, {});  // 115 bytes > 100
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("over the limit"), std::string::npos);
}

// Lengths that cannot describe a message (total under 16, headers past the end) are refused.
TEST(EventStreamDecoder, ImpossibleLengthsAreRefused) {
  for (auto [total, headers] : {std::pair{15u, 0u}, std::pair{16u, 1u}, std::pair{115u, 100u}}) {
    std::string frame = kChunkVector;
    put_u32(frame, 0, total);
    put_u32(frame, 4, headers);
    put_u32(frame, 8, crc(std::string_view(frame).substr(0, 8)));
    EventStreamDecoder decoder;
    auto seen = decode_in_pieces(decoder, frame, {});
    ASSERT_FALSE(seen) << total << "/" << headers;
    EXPECT_NE(seen.error().message.find("impossible lengths"), std::string::npos);
  }
}

// Every header value type of the format is read, with sign extension for the integers.
TEST(EventStreamDecoder, ReadsEveryHeaderType) {
  std::string headers;
  auto name = [&](std::string_view n, std::uint8_t type) {
    headers.push_back(static_cast<char>(n.size()));
    headers.append(n);
    headers.push_back(static_cast<char>(type));
  };
  name("t", 0);
  name("f", 1);
  name("b", 2);
  headers.push_back(static_cast<char>(0xFE));  // -2
  name("s", 3);
  headers.append("\x80\x00", 2);  // -32768
  name("i", 4);
  headers.append("\x00\x01\x00\x00", 4);  // 65536
  name("l", 5);
  headers.append("\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF", 8);  // -1
  name("a", 6);
  headers.append("\x00\x03\x01\x02\x03", 5);
  name("str", 7);
  headers.append("\x00\x02hi", 4);
  name("ts", 8);
  headers.append("\x00\x00\x01\x8c\x00\x00\x00\x00", 8);
  name("u", 9);
  headers.append("0123456789abcdef", 16);
  std::string frame(12, '\0');
  frame += headers + "payload" + std::string(4, '\0');
  put_u32(frame, 0, static_cast<std::uint32_t>(frame.size()));
  put_u32(frame, 4, static_cast<std::uint32_t>(headers.size()));
  fix_crcs(frame);

  EventStreamDecoder decoder;
  std::vector<EventStreamHeaderView> got;
  std::string payload;
  auto st = decoder.feed(frame, [&](const EventStreamMessageView& m) -> Status {
    got.assign(m.headers.begin(), m.headers.end());
    payload = std::string(m.payload);
    EXPECT_EQ(m.string_header("str"), std::optional<std::string_view>("hi"));
    EXPECT_EQ(m.string_header("a"), std::nullopt);  // a byte array is not a string
    return {};
  });
  ASSERT_TRUE(st) << st.error().message;
  ASSERT_EQ(got.size(), 10u);
  EXPECT_EQ(got[0].integer, 1);
  EXPECT_EQ(got[1].integer, 0);
  EXPECT_EQ(got[2].integer, -2);
  EXPECT_EQ(got[3].integer, -32768);
  EXPECT_EQ(got[4].integer, 65536);
  EXPECT_EQ(got[5].integer, -1);
  EXPECT_EQ(got[6].type, EventStreamHeaderType::ByteArray);
  EXPECT_EQ(got[6].bytes, std::string_view("\x01\x02\x03", 3));
  EXPECT_EQ(got[8].integer, 0x18c00000000LL);
  EXPECT_EQ(got[9].bytes, "0123456789abcdef");
  EXPECT_EQ(payload, "payload");
}

// Malformed headers inside a frame whose CRCs are right are refused, never read past.
TEST(EventStreamDecoder, MalformedHeadersAreRefused) {
  const std::vector<std::string> bad_headers = {
      std::string("\x00", 1),  // empty name
      std::string("\x05"
                  "ab",
                  3),                            // name longer than the headers
      std::string("\x01x\x0a", 3),               // unknown type 10
      std::string("\x01x\x07\x00", 4),           // string length cut
      std::string("\x01x\x07\x00\x09short", 9),  // string value overruns
      std::string("\x01x\x05\x00\x00", 5),       // long cut
      std::string("\x01x\x09"
                  "0123",
                  7),  // uuid cut
  };
  for (const auto& headers : bad_headers) {
    std::string frame(12, '\0');
    frame += headers + std::string(4, '\0');
    put_u32(frame, 0, static_cast<std::uint32_t>(frame.size()));
    put_u32(frame, 4, static_cast<std::uint32_t>(headers.size()));
    fix_crcs(frame);
    EventStreamDecoder decoder;
    auto seen = decode_in_pieces(decoder, frame, {});
    ASSERT_FALSE(seen) << ::testing::PrintToString(headers);
    EXPECT_EQ(seen.error().code, ErrorCode::InvalidResponse);
  }
}

// The callback's error stops decoding and comes back unchanged.
TEST(EventStreamDecoder, CallbackErrorStopsDecoding) {
  const std::string stream = kChunkVector + kChunkVector;
  EventStreamDecoder decoder;
  int calls = 0;
  auto st = decoder.feed(stream, [&](const EventStreamMessageView&) -> Status {
    ++calls;
    return fail(ErrorCode::Cancelled, "stop here");
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::Cancelled);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace bedrock::models
