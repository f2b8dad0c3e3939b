#include "server/page/routes.h"

#include <string>

#include "server/page/assets.h"
#include "server/page/etag.h"
#include "server/request_scope.h"

namespace bedrock::server::page {
namespace {

namespace http = boost::beast::http;

// Only the page's own files and its own API: no inline script or style, no other origin, no
// framing. blob: lets the download button save the answer as a file.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

boost::beast::string_view beast_view(std::string_view s) { return {s.data(), s.size()}; }

void serve(const Asset& asset, const ScopePtr& scope, const net::HttpRequest& request) {
  const auto if_none_match = request[http::field::if_none_match];
  const bool fresh =
      etag_matches(std::string_view(if_none_match.data(), if_none_match.size()), asset.etag);
  net::HttpResponse response{fresh ? http::status::not_modified : http::status::ok, 11};
  response.set(http::field::etag, beast_view(asset.etag));
  response.set(http::field::cache_control, "no-cache");
  response.set("Content-Security-Policy", beast_view(kContentSecurityPolicy));
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "no-referrer");
  if (!fresh) {
    response.set(http::field::content_type, beast_view(asset.content_type));
    response.body() = std::string(asset.body);
  }
  scope->send(std::move(response));
}

Route asset_route(std::string path, std::string name, const Asset& asset) {
  return Route{
      "GET",
      std::move(path),
      std::move(name),
      ErrorStyle::Content,
      [&asset](const ScopePtr& scope, net::HttpRequest& request) { serve(asset, scope, request); },
      /*open=*/true};
}

}  // namespace

void add_routes(Router& router, Service&) {
  for (const Asset& asset : assets()) {
    // Metrics and the access log label each file ("page.app.js"); / is "page.index".
    router.add(
        asset_route(std::string(asset.path), "page." + std::string(asset.path.substr(1)), asset));
    if (asset.path == "/index.html") router.add(asset_route("/", "page.index", asset));
  }
}

}  // namespace bedrock::server::page
