#include "bedrock/http/curl_transport.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <mutex>
#include <vector>

#include "curl_handle.h"
#include "curl_setup.h"

namespace bedrock::http {
// LIFO so the most recently used handle, whose connection is warm, is lent first.
class CurlTransport::Pool {
 public:
  explicit Pool(std::size_t max_idle) : max_idle_(max_idle) {}

  std::unique_ptr<detail::CurlHandle> acquire(const CurlTransportOptions& options) {
    {
      std::lock_guard lock(mu_);
      if (!idle_.empty()) {
        auto handle = std::move(idle_.back());
        idle_.pop_back();
        return handle;
      }
    }
    return detail::CurlHandle::create(options);
  }

  void release(std::unique_ptr<detail::CurlHandle> handle) {
    {
      std::lock_guard lock(mu_);
      if (idle_.size() < max_idle_) {
        idle_.push_back(std::move(handle));
        return;
      }
    }
    handle.reset();  // closes its connection outside the lock
  }

  std::size_t idle() const {
    std::lock_guard lock(mu_);
    return idle_.size();
  }

 private:
  const std::size_t max_idle_;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<detail::CurlHandle>> idle_;
};

CurlTransport::CurlTransport() : CurlTransport(CurlTransportOptions{}) {}

CurlTransport::CurlTransport(CurlTransportOptions options)
    : options_(std::move(options)), pool_(std::make_unique<Pool>(options_.max_idle_handles)) {
  detail::global_init_once();
}

CurlTransport::~CurlTransport() = default;

std::size_t CurlTransport::idle_handles() const { return pool_->idle(); }

Result<Response> CurlTransport::send(const Request& request, const CallOptions& options) {
  auto handle = pool_->acquire(options_);
  if (!handle) return fail(ErrorCode::Unknown, "curl could not allocate a handle");
  auto result = handle->perform(request, options);
  pool_->release(std::move(handle));
  return result;
}

CurlTransportOptions options_from_environment(const Environment& env) {
  auto first = [&env](std::string_view lower, std::string_view upper) -> std::string {
    if (auto v = env.non_empty(lower)) return *v;
    if (auto v = env.non_empty(upper)) return *v;
    return {};
  };
  CurlTransportOptions options;
  options.ca_bundle = env.non_empty("AWS_CA_BUNDLE").value_or("");
  options.https_proxy = first("https_proxy", "HTTPS_PROXY");
  options.http_proxy = first("http_proxy", "HTTP_PROXY");
  options.no_proxy = first("no_proxy", "NO_PROXY");
  return options;
}

}  // namespace bedrock::http
