#include "lib/server/log.h"

#include "gtest/gtest.h"

namespace reportpipe::server {
namespace {

TEST(FormatLogLineTest, WritesTimeLevelEventAndFieldsInOrder) {
  const absl::Time time =
      absl::FromUnixMillis(1714550400123);  // 2024-05-01T08:00:00.123Z
  EXPECT_EQ(FormatLogLine(time, Severity::kInfo, "server_started",
                          {{"service", "segmenter"}, {"port", 50051}}),
            "{\"time\":\"2024-05-01T08:00:00.123Z\",\"level\":\"info\","
            "\"event\":\"server_started\",\"service\":\"segmenter\","
            "\"port\":50051}");
}

TEST(FormatLogLineTest, NamesTheSeverityAndEscapesValues) {
  const std::string line =
      FormatLogLine(absl::UnixEpoch(), Severity::kError, "bad_flags",
                    {{"error", std::string("a \"quoted\"\nline")}});
  EXPECT_NE(line.find("\"time\":\"1970-01-01T00:00:00.000Z\""),
            std::string::npos);
  EXPECT_NE(line.find("\"level\":\"error\""), std::string::npos);
  EXPECT_NE(line.find("\"error\":\"a \\\"quoted\\\"\\nline\""),
            std::string::npos)
      << line;
}

}  // namespace
}  // namespace reportpipe::server
