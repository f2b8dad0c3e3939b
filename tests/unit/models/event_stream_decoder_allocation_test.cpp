// The event-stream decoder's hot path allocates nothing once its buffers have grown to the
// largest message seen. A binary of its own, because it replaces the global operator new to
// count allocations.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "bedrock/models/event_stream.h"
#include "bedrock/models/event_stream_decoder.h"

namespace {

std::atomic<bool> g_counting{false};
std::atomic<long> g_allocations{0};
const char* volatile g_escape = nullptr;

void* counted_allocation(std::size_t size) {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1);
  return std::malloc(size == 0 ? 1 : size);
}

}  // namespace

// These replacements pair malloc with free by design. GCC 12 at -O1 and above inlines them
// into the callers and then reports free() on memory from "operator new" (a false positive for
// replaced global operators: GCC bug 109224).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void* operator new(std::size_t size) {
  if (void* p = counted_allocation(size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
  if (void* p = counted_allocation(size)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return counted_allocation(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return counted_allocation(size);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace bedrock::models {
namespace {

// Counts the allocations made while `body` runs.
template <typename Body>
long allocations_during(Body&& body) {
  g_allocations = 0;
  g_counting = true;
  body();
  g_counting = false;
  return g_allocations.load();
}

TEST(EventStreamDecoderAllocation, SteadyStateAllocatesNothing) {
  // Messages of many sizes, whole in a read or split across reads of any size: after one pass has
  // sized the buffers, a second pass decodes every message without a single allocation.
  std::string stream;
  for (int i = 0; i < 300; ++i) {
    append_event(stream, "contentBlockDelta",
                 std::string(static_cast<std::size_t>(i * 7 % 400), 'x'));
  }
  EventStreamDecoder decoder;
  std::size_t payload_bytes = 0;
  const EventStreamDecoder::OnMessage on_message = [&](const EventStreamMessageView& m) -> Status {
    payload_bytes += m.payload.size() + (m.string_header(":event-type") ? 1 : 0);
    return {};
  };
  auto feed_all = [&](std::size_t read_size) {
    for (std::size_t at = 0; at < stream.size(); at += read_size) {
      ASSERT_TRUE(decoder.feed(std::string_view(stream).substr(at, read_size), on_message));
    }
  };
  feed_all(1);  // every message passes through the split-message buffer once
  ASSERT_EQ(decoder.messages_decoded(), 300u);
  const std::size_t first_pass = payload_bytes;

  for (std::size_t read_size : {std::size_t{1}, std::size_t{5}, std::size_t{12}, std::size_t{100},
                                std::size_t{333}, std::size_t{4096}, stream.size()}) {
    payload_bytes = 0;
    EXPECT_EQ(allocations_during([&] { feed_all(read_size); }), 0) << "read size " << read_size;
    EXPECT_EQ(payload_bytes, first_pass) << "read size " << read_size;
    EXPECT_TRUE(decoder.at_message_boundary());
  }
}

TEST(EventStreamDecoderAllocation, CounterSeesAllocations) {
  // The replaced operator new counts, so a zero above means no allocation rather than no counting.
  EXPECT_GE(allocations_during([] {
              std::string grown(1000, 'x');
              g_escape = grown.data();  // keeps the compiler from eliding the allocation
            }),
            1);
}

}  // namespace
}  // namespace bedrock::models
