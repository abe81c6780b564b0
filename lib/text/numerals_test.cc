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

// Numeral runs no report writes, which would overflow int64_t if read:
// refused, not wrapped (UBSan found 亿 after 亿 in a random string).
TEST(ParseChineseNumberTest, RefusesWhatReachesTenToTheEighteenth) {
  EXPECT_TRUE(ParseChineseNumber("亿亿").has_value());  // under 10^17
  EXPECT_EQ(ParseChineseNumber("亿亿亿"), std::nullopt);
  EXPECT_EQ(ParseChineseNumber("五亿亿亿亿亿亿亿亿亿"), std::nullopt);
  EXPECT_EQ(ParseChineseNumber("一二三四五六七八九一二三四五六七八九"),
            int64_t{123'456'789'123'456'789});
  EXPECT_EQ(ParseChineseNumber("九九九九九九九九九九九九九九九九九九九"),
            std::nullopt);
}

TEST(ParseChineseNumberTest, RejectsOtherText) {
  EXPECT_EQ(ParseChineseNumber(""), std::nullopt);
  EXPECT_EQ(ParseChineseNumber("十项"), std::nullopt);
  EXPECT_EQ(ParseChineseNumber("12"), std::nullopt);
}

}  // namespace
}  // namespace reportpipe::text
