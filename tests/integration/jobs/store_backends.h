// The backends the store contract runs against: a SQLite file in a temporary folder, and the
// throwaway PostgreSQL server the ctest fixture starts (scripts/test-postgres), one schema per
// test so tests never see each other's jobs.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "bedrock/jobs/job_store.h"

namespace bedrock::jobs::testing {

class StoreBackend {
 public:
  virtual ~StoreBackend() = default;
  // A URL for a fresh, empty store; empty (with `why` set) when the backend cannot run here.
  virtual std::string fresh_url(std::string& why) = 0;
  virtual std::string name() const = 0;
};

std::unique_ptr<StoreBackend> make_backend(const std::string& name);

// The fixture's state folder (BEDROCK_TEST_POSTGRES_STATE) and the server's admin URL; empty
// when PostgreSQL is not available (the tests then skip).
std::string postgres_state_dir();
std::string postgres_admin_url();

}  // namespace bedrock::jobs::testing
