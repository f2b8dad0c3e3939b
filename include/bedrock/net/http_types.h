// The request and response types every handler of the shared server sees: Beast's HTTP/1.1
// messages with string bodies (bounded by ServerOptions before they are read).
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace bedrock::net {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

}  // namespace bedrock::net
