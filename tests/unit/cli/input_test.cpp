#include "cli/input.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "bedrock/core/utf8.h"

namespace bedrock::cli {
namespace {

std::string temp_file(const std::string& name, const std::string& content) {
  auto dir =
      std::filesystem::temp_directory_path() / ("bedrock-cli-input-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = dir / name;
  std::ofstream(path, std::ios::binary) << content;
  return path.string();
}

// A file argument wins over stdin and is read byte for byte.
TEST(ReadInput, FileArgument) {
  std::istringstream in("ignored");
  auto text = read_input(temp_file("a.txt", "héllo\nworld"), in, false);
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(*text, "héllo\nworld");
}

// Piped stdin is read whole when no file is given.
TEST(ReadInput, PipedStdin) {
  std::istringstream in("from a pipe");
  auto text = read_input(std::nullopt, in, false);
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "from a pipe");
}

// Empty input, a terminal with no file, a missing file and bad UTF-8 are clear Validation errors.
TEST(ReadInput, ClearErrors) {
  std::istringstream empty("  \n\t ");
  auto r1 = read_input(std::nullopt, empty, false);
  ASSERT_FALSE(r1);
  EXPECT_EQ(r1.error().code, ErrorCode::Validation);
  EXPECT_NE(r1.error().message.find("empty"), std::string::npos);

  std::istringstream unused;
  auto r2 = read_input(std::nullopt, unused, true);
  ASSERT_FALSE(r2);
  EXPECT_NE(r2.error().message.find("FILE"), std::string::npos);

  auto r3 = read_input(std::string("/nonexistent/dir/x.txt"), unused, false);
  ASSERT_FALSE(r3);
  EXPECT_NE(r3.error().message.find("/nonexistent/dir/x.txt"), std::string::npos);

  std::istringstream bad(std::string("ok \xC3\x28 bad"));
  auto r4 = read_input(std::nullopt, bad, false);
  ASSERT_FALSE(r4);
  EXPECT_NE(r4.error().message.find("offset 3"), std::string::npos) << r4.error().message;
}

}  // namespace
}  // namespace bedrock::cli
