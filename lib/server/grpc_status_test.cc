#include "lib/server/grpc_status.h"

#include "gtest/gtest.h"

namespace reportpipe::server {
namespace {

TEST(ToGrpcStatusTest, KeepsCodeAndMessage) {
  const grpc::Status status = ToGrpcStatus(
      absl::InvalidArgumentError("invalid UTF-8 at byte offset 7"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "invalid UTF-8 at byte offset 7");
}

TEST(ToGrpcStatusTest, OkIsOk) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

TEST(ToGrpcStatusTest, EveryCodeKeepsItsNumber) {
  for (int code = 1; code <= 16; ++code) {
    const absl::Status in(static_cast<absl::StatusCode>(code), "x");
    EXPECT_EQ(static_cast<int>(ToGrpcStatus(in).error_code()), code)
        << in.ToString();
  }
}

TEST(ToGrpcStatusTest, UnknownCodeBecomesUnknown) {
  const absl::Status in(static_cast<absl::StatusCode>(42), "future");
  EXPECT_EQ(ToGrpcStatus(in).error_code(), grpc::StatusCode::UNKNOWN);
}

}  // namespace
}  // namespace reportpipe::server
