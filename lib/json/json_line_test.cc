#include "lib/json/json_line.h"

#include "gtest/gtest.h"

namespace reportpipe::json {
namespace {

TEST(JsonLineTest, WritesFieldsInOrder) {
  JsonLine line;
  line.Add("indicator", "败诉率").Add("value", 21.6).Add("count", 3).Add("ok", true);
  EXPECT_EQ(line.str(),
            R"({"indicator":"败诉率","value":21.6,"count":3,"ok":true})");
}

TEST(JsonLineTest, EscapesQuotesBackslashesAndControls) {
  JsonLine line;
  line.Add("s", std::string_view("a\"b\\c\nd\x01", 8));
  EXPECT_EQ(line.str(), R"({"s":"a\"b\\c\nd\u0001"})");
}

TEST(FormatNumberTest, ShortestRoundTrip) {
  EXPECT_EQ(FormatNumber(579500), "579500");
  EXPECT_EQ(FormatNumber(14.39), "14.39");
  EXPECT_EQ(FormatNumber(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(FormatNumber(-2.4), "-2.4");
}

}  // namespace
}  // namespace reportpipe::json
