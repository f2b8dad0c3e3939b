// CRC-32 against published check values and against zlib, an independent implementation, on
// every length up to a few folds and at every alignment, in one piece and continued.
#include "bedrock/core/crc32.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace bedrock {
namespace {

std::uint32_t zlib_crc(std::string_view bytes, std::uint32_t running = 0) {
  return static_cast<std::uint32_t>(
      crc32_z(running, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
}

std::string random_bytes(std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::string out(n, '\0');
  for (auto& c : out) c = static_cast<char>(rng());
  return out;
}

TEST(Crc32, MatchesPublishedCheckValues) {
  // The catalogue's check value for CRC-32/ISO-HDLC, the empty input, and the event-stream
  // prelude of docs/wire-protocol.md §9.2's chunk vector (its CRC field is 0x3a5edd6e).
  for (auto crc : {crc32, crc32_portable}) {
    EXPECT_EQ(crc("123456789", 0), 0xCBF43926u);
    EXPECT_EQ(crc("", 0), 0u);
    EXPECT_EQ(crc("", 0x12345678u), 0x12345678u);
    EXPECT_EQ(crc(std::string_view("\x00\x00\x00\x73\x00\x00\x00\x4b", 8), 0), 0x3A5EDD6Eu);
    EXPECT_EQ(crc("The quick brown fox jumps over the lazy dog", 0), 0x414FA339u);
  }
}

TEST(Crc32, EqualsZlibAtEveryLengthAndAlignment) {
  // Lengths 0..600 cover the table path, the single fold, the four-lane fold and every tail;
  // offsets 0..15 cover every alignment of the 16-byte loads.
  const std::string buffer = random_bytes(600 + 16, 1);
  for (std::size_t offset = 0; offset < 16; ++offset) {
    for (std::size_t length = 0; length <= 600; ++length) {
      const std::string_view bytes = std::string_view(buffer).substr(offset, length);
      const std::uint32_t expected = zlib_crc(bytes);
      ASSERT_EQ(crc32(bytes), expected) << "offset " << offset << " length " << length;
      ASSERT_EQ(crc32_portable(bytes), expected) << "offset " << offset << " length " << length;
    }
  }
}

TEST(Crc32, ContinuesARunningCrcLikeZlib) {
  // Splitting the input anywhere and continuing from the first part's CRC gives the whole CRC,
  // with a non-zero running value reaching the fold's first block.
  const std::string buffer = random_bytes(333, 2);
  const std::uint32_t whole = zlib_crc(buffer);
  for (std::size_t cut = 0; cut <= buffer.size(); ++cut) {
    const std::string_view head = std::string_view(buffer).substr(0, cut);
    const std::string_view tail = std::string_view(buffer).substr(cut);
    ASSERT_EQ(crc32(tail, crc32(head)), whole) << "cut " << cut;
    ASSERT_EQ(crc32_portable(tail, crc32_portable(head)), whole) << "cut " << cut;
  }
}

TEST(Crc32, EqualsZlibOnLargeRandomBuffers) {
  // Long inputs run the four-lane loop many times; random running values too.
  std::mt19937 rng(3);
  for (std::size_t length : {1000u, 4096u, 65536u + 7u, 1u << 20}) {
    const std::string bytes = random_bytes(length, static_cast<std::uint32_t>(length));
    const auto running = static_cast<std::uint32_t>(rng());
    EXPECT_EQ(crc32(bytes, running), zlib_crc(bytes, running)) << length;
    EXPECT_EQ(crc32_portable(bytes, running), zlib_crc(bytes, running)) << length;
  }
}

TEST(Crc32, DetectsEverySingleBitFlip) {
  // A CRC-32 catches every one-bit error; a broken fold constant would let some through.
  std::string bytes = random_bytes(200, 4);
  const std::uint32_t clean = crc32(bytes);
  for (std::size_t bit = 0; bit < bytes.size() * 8; ++bit) {
    bytes[bit / 8] = static_cast<char>(bytes[bit / 8] ^ (1 << (bit % 8)));
    ASSERT_NE(crc32(bytes), clean) << "bit " << bit;
    bytes[bit / 8] = static_cast<char>(bytes[bit / 8] ^ (1 << (bit % 8)));
  }
}

}  // namespace
}  // namespace bedrock
