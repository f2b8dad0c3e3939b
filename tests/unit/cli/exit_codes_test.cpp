#include "cli/exit_codes.h"

#include <gtest/gtest.h>

#include <set>

namespace bedrock::cli {
namespace {

// Each error class a script may want to react to has its own exit code.
TEST(ExitCodes, DistinctPerErrorClass) {
  EXPECT_EQ(exit_code_for(ErrorCode::Validation), kExitInput);
  EXPECT_EQ(exit_code_for(ErrorCode::InputTooLong), kExitInput);
  EXPECT_EQ(exit_code_for(ErrorCode::CredentialsNotFound), kExitConfiguration);
  EXPECT_EQ(exit_code_for(ErrorCode::InvalidSignature), kExitAuth);
  EXPECT_EQ(exit_code_for(ErrorCode::Throttling), kExitThrottled);
  EXPECT_EQ(exit_code_for(ErrorCode::ModelTimeout), kExitService);
  EXPECT_EQ(exit_code_for(ErrorCode::ConnectionFailed), kExitNetwork);
  EXPECT_EQ(exit_code_for(ErrorCode::DeadlineExceeded), kExitDeadline);
  EXPECT_EQ(exit_code_for(ErrorCode::ResourceNotFound), kExitNotFound);
  EXPECT_EQ(exit_code_for(ErrorCode::Cancelled), kExitCancelled);
  EXPECT_EQ(exit_code_for(ErrorCode::QueueFull), kExitThrottled);
  EXPECT_EQ(exit_code_for(ErrorCode::Unknown), kExitUnexpected);
}

// Every code that can be returned appears in the --help table.
TEST(ExitCodes, HelpListsEveryCode) {
  std::set<int> codes;
  for (int i = 0; i <= static_cast<int>(ErrorCode::Unknown); ++i) {
    codes.insert(exit_code_for(static_cast<ErrorCode>(i)));
  }
  codes.insert(kExitOk);
  codes.insert(kExitUsage);
  std::string help = exit_code_help();
  for (int code : codes) {
    EXPECT_NE(help.find("  " + std::to_string(code) + " "), std::string::npos) << code;
  }
}

}  // namespace
}  // namespace bedrock::cli
