#include "lib/text/utf8.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace reportpipe::text {
namespace {

using ::testing::HasSubstr;

TEST(ValidateUtf8Test, AcceptsChineseAndAscii) {
  EXPECT_TRUE(ValidateUtf8("平罗县2023年度, 100%").ok());
  EXPECT_TRUE(ValidateUtf8("").ok());
}

TEST(ValidateUtf8Test, NamesTheOffsetOfTheFirstBadByte) {
  const std::string bad = std::string("平罗") + "\xff" + "县";
  const absl::Status status = ValidateUtf8(bad);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("byte offset 6"));
  EXPECT_THAT(status.message(), HasSubstr("0xff"));
}

TEST(ValidateUtf8Test, RejectsTruncatedSequenceAtEnd) {
  const std::string truncated = std::string("县") .substr(0, 2);
  EXPECT_THAT(ValidateUtf8("ab" + truncated).message(),
              HasSubstr("byte offset 2"));
}

TEST(ValidateUtf8Test, RejectsOverlongAndSurrogates) {
  EXPECT_FALSE(ValidateUtf8("\xc0\xaf").ok());          // overlong '/'
  EXPECT_FALSE(ValidateUtf8("\xe0\x80\xaf").ok());      // overlong
  EXPECT_FALSE(ValidateUtf8("\xed\xa0\x80").ok());      // surrogate
  EXPECT_FALSE(ValidateUtf8("\xf4\x90\x80\x80").ok());  // above U+10FFFF
}

TEST(DecodeUtf8Test, RoundTripsThroughAppend) {
  const std::u32string cps = {U'a', U'é', U'县', U'（', 0x1F600};
  std::string utf8;
  for (char32_t c : cps) AppendUtf8(c, &utf8);
  size_t pos = 0;
  for (char32_t want : cps) {
    char32_t got;
    pos += DecodeUtf8(utf8, pos, &got);
    EXPECT_EQ(got, want);
  }
  EXPECT_EQ(pos, utf8.size());
}

TEST(Gb18030Test, ConvertsGbkBytes) {
  // 平罗县 in GBK/GB18030.
  const std::string gbk = "\xc6\xbd\xc2\xde\xcf\xd8";
  auto utf8 = Gb18030ToUtf8(gbk);
  ASSERT_TRUE(utf8.ok()) << utf8.status();
  EXPECT_EQ(*utf8, "平罗县");
}

TEST(Gb18030Test, RejectsInvalidBytesWithOffset) {
  auto utf8 = Gb18030ToUtf8(std::string("ab\xc6", 3));
  EXPECT_FALSE(utf8.ok());
  EXPECT_THAT(utf8.status().message(), HasSubstr("byte offset 2"));
}

TEST(IsBlankTest, SeesOnlyAsciiWhiteSpace) {
  EXPECT_TRUE(IsBlank(" \n\t\r "));
  EXPECT_TRUE(IsBlank(""));
  EXPECT_FALSE(IsBlank(" x "));
}

}  // namespace
}  // namespace reportpipe::text
