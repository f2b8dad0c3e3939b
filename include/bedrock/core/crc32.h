// CRC-32 as zlib, gzip and AWS event-stream framing define it (polynomial 0x04C11DB7, reflected,
// initial and final XOR 0xFFFFFFFF; the CRC of "123456789" is 0xCBF43926).
//
// Event-stream messages are a few hundred bytes each and every byte is checked, so the CRC is
// most of a streamed response's decoding time: on x86-64 CPUs with carry-less multiply
// (PCLMULQDQ, every x86-64 CPU since about 2010) it folds 64 bytes per step, elsewhere it reads
// 8 bytes per step through tables. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

namespace bedrock {

// The CRC of `bytes` continuing from `running`, the CRC of whatever came before them (0 for
// none), exactly as zlib's crc32(running, bytes, size): crc32(b, crc32(a)) == crc32(a + b).
std::uint32_t crc32(std::string_view bytes, std::uint32_t running = 0) noexcept;

// The table-driven form that crc32() uses where the CPU has no carry-less multiply and for short
// inputs; public so that both forms can be checked on any machine.
std::uint32_t crc32_portable(std::string_view bytes, std::uint32_t running = 0) noexcept;

}  // namespace bedrock
