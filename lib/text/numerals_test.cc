#include "lib/text/numerals.h"

#include "gtest/gtest.h"

namespace reportpipe::text {
namespace {

TEST(ParseChineseNumberTest, ReadsHeadingOrdinals) {
  EXPECT_EQ(ParseChineseNumber("一"), 1);
  EXPECT_EQ(ParseChineseNumber("十"), 10);
  EXPECT_EQ(ParseChineseNumber("十二"), 12);
  EXPECT_EQ(ParseChineseNumber("二十"), 20);
  EXPECT_EQ(ParseChineseNumber("二十三"), 23);
}

TEST(ParseChineseNumberTest, ReadsCountsWithLargeUnits) {
  EXPECT_EQ(ParseChineseNumber("一百零八"), 108);
  EXPECT_EQ(ParseChineseNumber("两千"), 2000);
  EXPECT_EQ(ParseChineseNumber("六百"), 600);
  EXPECT_EQ(ParseChineseNumber("五万"), 50000);
  EXPECT_EQ(ParseChineseNumber("三万五千"), 35000);
  EXPECT_EQ(ParseChineseNumber("一亿二千万"), 120000000);
  EXPECT_EQ(ParseChineseNumber("十万"), 100000);
}

TEST(ParseChineseNumberTest, ReadsDigitByDigit) {
  EXPECT_EQ(ParseChineseNumber("二〇二三"), 2023);
}

TEST(ParseChineseNumberTest, RejectsOtherText) {
  EXPECT_EQ(ParseChineseNumber(""), std::nullopt);
  EXPECT_EQ(ParseChineseNumber("十项"), std::nullopt);
  EXPECT_EQ(ParseChineseNumber("12"), std::nullopt);
}

}  // namespace
}  // namespace reportpipe::text
