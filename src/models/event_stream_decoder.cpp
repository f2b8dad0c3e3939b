#include "bedrock/models/event_stream_decoder.h"

#include <algorithm>
#include <string>

#include "bedrock/core/crc32.h"

namespace bedrock::models {
namespace {

constexpr std::size_t kPreludeBytes = 12;
constexpr std::size_t kCrcBytes = 4;
constexpr std::size_t kMinMessageBytes = kPreludeBytes + kCrcBytes;

std::uint64_t read_be(std::string_view bytes, std::size_t at, std::size_t width) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < width; ++i) v = (v << 8) | static_cast<std::uint8_t>(bytes[at + i]);
  return v;
}

// Width in bytes of a fixed-size header value, or 0 for the length-prefixed and unknown types.
std::size_t fixed_width(EventStreamHeaderType type) {
  switch (type) {
    case EventStreamHeaderType::BoolTrue:
    case EventStreamHeaderType::BoolFalse:
      return 0;
    case EventStreamHeaderType::Byte:
      return 1;
    case EventStreamHeaderType::Short:
      return 2;
    case EventStreamHeaderType::Integer:
      return 4;
    case EventStreamHeaderType::Long:
    case EventStreamHeaderType::Timestamp:
      return 8;
    case EventStreamHeaderType::Uuid:
      return 16;
    case EventStreamHeaderType::ByteArray:
    case EventStreamHeaderType::String:
      return 0;
  }
  return 0;
}

// Sign-extends a big-endian two's-complement integer of `width` bytes.
std::int64_t signed_value(std::uint64_t raw, std::size_t width) {
  if (width == 8) return static_cast<std::int64_t>(raw);
  const std::uint64_t sign_bit = std::uint64_t{1} << (width * 8 - 1);
  return static_cast<std::int64_t>((raw ^ sign_bit) - sign_bit);
}

}  // namespace

std::optional<std::string_view> EventStreamMessageView::string_header(std::string_view name) const {
  for (const auto& h : headers) {
    if (h.name == name) {
      if (h.type != EventStreamHeaderType::String) return std::nullopt;
      return h.bytes;
    }
  }
  return std::nullopt;
}

Status EventStreamDecoder::fail_at(std::string what) {
  failed_ =
      Error::make(ErrorCode::InvalidResponse,
                  "event stream: " + what + " in the message at byte " + std::to_string(offset_));
  return tl::unexpected<Error>(*failed_);
}

Result<std::size_t> EventStreamDecoder::check_prelude(std::string_view prelude) {
  const auto total = static_cast<std::size_t>(read_be(prelude, 0, 4));
  const auto headers = static_cast<std::size_t>(read_be(prelude, 4, 4));
  if (crc32(prelude.substr(0, 8)) != read_be(prelude, 8, 4)) {
    return tl::unexpected<Error>(fail_at("prelude CRC mismatch").error());
  }
  if (total < kMinMessageBytes || headers > total - kMinMessageBytes) {
    return tl::unexpected<Error>(fail_at("impossible lengths (total " + std::to_string(total) +
                                         ", headers " + std::to_string(headers) + ")")
                                     .error());
  }
  if (total > limits_.max_message_bytes || headers > limits_.max_headers_bytes) {
    return tl::unexpected<Error>(fail_at("message of " + std::to_string(total) + " bytes with " +
                                         std::to_string(headers) +
                                         " header bytes is over the limit")
                                     .error());
  }
  return total;
}

Status EventStreamDecoder::decode_message(std::string_view message, const OnMessage& on_message) {
  const std::size_t total = message.size();
  // The prelude's CRC (already checked) is the running CRC of its first 8 bytes, so the
  // message CRC continues from it instead of reading those bytes again.
  const auto prelude_crc = static_cast<std::uint32_t>(read_be(message, 8, 4));
  const std::uint32_t message_crc = crc32(message.substr(8, total - 8 - kCrcBytes), prelude_crc);
  if (message_crc != read_be(message, total - kCrcBytes, 4)) {
    return fail_at("message CRC mismatch");
  }
  const std::size_t headers_end = kPreludeBytes + static_cast<std::size_t>(read_be(message, 4, 4));
  headers_.clear();
  std::size_t at = kPreludeBytes;
  while (at < headers_end) {
    const std::size_t name_length = static_cast<std::uint8_t>(message[at]);
    if (name_length == 0 || headers_end - at < 2 + name_length) {
      return fail_at("header name overruns the headers");
    }
    EventStreamHeaderView header;
    header.name = message.substr(at + 1, name_length);
    at += 1 + name_length;
    const auto type_byte = static_cast<std::uint8_t>(message[at++]);
    if (type_byte > static_cast<std::uint8_t>(EventStreamHeaderType::Uuid)) {
      return fail_at("header '" + std::string(header.name) + "' has unknown type " +
                     std::to_string(type_byte));
    }
    header.type = static_cast<EventStreamHeaderType>(type_byte);
    if (header.type == EventStreamHeaderType::String ||
        header.type == EventStreamHeaderType::ByteArray) {
      if (headers_end - at < 2) return fail_at("header value length overruns the headers");
      const auto length = static_cast<std::size_t>(read_be(message, at, 2));
      at += 2;
      if (headers_end - at < length) return fail_at("header value overruns the headers");
      header.bytes = message.substr(at, length);
      at += length;
    } else if (header.type == EventStreamHeaderType::BoolTrue ||
               header.type == EventStreamHeaderType::BoolFalse) {
      header.integer = header.type == EventStreamHeaderType::BoolTrue ? 1 : 0;
    } else {
      const std::size_t width = fixed_width(header.type);
      if (headers_end - at < width) return fail_at("header value overruns the headers");
      if (header.type == EventStreamHeaderType::Uuid) {
        header.bytes = message.substr(at, width);
      } else {
        header.integer = signed_value(read_be(message, at, width), width);
      }
      at += width;
    }
    headers_.push_back(header);
  }
  EventStreamMessageView view{headers_,
                              message.substr(headers_end, total - headers_end - kCrcBytes)};
  offset_ += total;
  ++messages_;
  auto status = on_message(view);
  if (!status) failed_ = status.error();
  return status;
}

Status EventStreamDecoder::feed(std::string_view bytes, const OnMessage& on_message) {
  if (failed_) return tl::unexpected<Error>(*failed_);
  // First finish a message that an earlier feed left incomplete.
  while (!buffer_.empty() && !bytes.empty()) {
    if (needed_ == 0) {
      const std::size_t take = std::min(kPreludeBytes - buffer_.size(), bytes.size());
      buffer_.append(bytes.substr(0, take));
      bytes.remove_prefix(take);
      if (buffer_.size() < kPreludeBytes) return {};
      auto total = check_prelude(buffer_);
      if (!total) return tl::unexpected<Error>(total.error());
      needed_ = *total;
      buffer_.reserve(needed_);
    }
    const std::size_t take = std::min(needed_ - buffer_.size(), bytes.size());
    buffer_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    if (buffer_.size() < needed_) return {};
    auto status = decode_message(buffer_, on_message);
    buffer_.clear();
    needed_ = 0;
    if (!status) return status;
  }
  // Then every whole message straight from the caller's bytes, without copying.
  while (bytes.size() >= kPreludeBytes) {
    auto total = check_prelude(bytes.substr(0, kPreludeBytes));
    if (!total) return tl::unexpected<Error>(total.error());
    if (bytes.size() < *total) {
      needed_ = *total;
      buffer_.reserve(needed_);
      break;
    }
    auto status = decode_message(bytes.substr(0, *total), on_message);
    bytes.remove_prefix(*total);
    if (!status) return status;
  }
  buffer_.append(bytes);
  return {};
}

}  // namespace bedrock::models
