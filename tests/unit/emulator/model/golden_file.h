// Comparing generated text with a golden file under tests/data/emulator_model/.
// Sections start with a "== name" line, so a failure names the section it is in. Setting
// BEDROCK_UPDATE_GOLDEN=1 rewrites the file from `actual` (and skips the test) after a
// deliberate change; review the diff before committing it.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace bedrock::emulator::model::testing {

inline void expect_matches_golden(const std::string& actual, const std::string& file_name) {
  const std::string path =
      std::string(BEDROCK_SOURCE_DIR) + "/tests/data/emulator_model/" + file_name;
  if (std::getenv("BEDROCK_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
    GTEST_SKIP() << "golden file rewritten: " << path;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden file " << path;
  std::stringstream expected;
  expected << in.rdbuf();
  std::istringstream want(expected.str()), got(actual);
  std::string want_line, got_line, section;
  int line = 0;
  while (std::getline(want, want_line)) {
    ++line;
    ASSERT_TRUE(std::getline(got, got_line)) << "output ends early at golden line " << line;
    if (want_line.rfind("== ", 0) == 0) section = want_line;
    EXPECT_EQ(got_line, want_line) << file_name << " line " << line << " in " << section;
  }
  EXPECT_FALSE(std::getline(got, got_line)) << "output has more lines than " << file_name;
}

}  // namespace bedrock::emulator::model::testing
