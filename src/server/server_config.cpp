#include "server/server_config.h"

#include <boost/asio/ip/address.hpp>

namespace bedrock::server {

bool is_loopback_host(const std::string& host) {
  if (host == "localhost") return true;
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(host, ec);
  return !ec && address.is_loopback();
}

}  // namespace bedrock::server
