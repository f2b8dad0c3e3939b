// What the /api/ routes share for the life of the service: the model limits lookup, the token
// calibration every call learns from, and the map-reduce pool. Owned by the route handlers
// (a shared_ptr each), so it lives as long as the Router.
#pragma once

#include "bedrock/content/model_limits.h"
#include "bedrock/content/token_estimator.h"
#include "server/api/map_reduce_pool.h"

namespace bedrock::server {
class Service;
}

namespace bedrock::server::api {

struct ApiState {
  // Two jobs at a time, each fanning out to content's map_reduce.concurrency calls; eight more
  // may wait. A large document takes minutes of model time, so more would only queue upstream.
  static constexpr int kMapReduceWorkers = 2;
  static constexpr std::size_t kMapReduceQueue = 8;

  explicit ApiState(Service& s)
      : service(s), limits(content::registry_limits()), pool(kMapReduceWorkers, kMapReduceQueue) {}

  Service& service;
  content::LimitsLookup limits;
  content::TokenCalibration calibration;  // thread-safe
  MapReducePool pool;
};

}  // namespace bedrock::server::api
