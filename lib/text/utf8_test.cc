#include "lib/text/utf8.h"

#include <random>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/text/normalized_text.h"

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

// The Unicode definition of well-formed UTF-8 (Table 3-7), byte range by
// byte range, as slow as it is plain: the offset of the first byte that
// starts no well-formed sequence, or npos. The fast paths of ValidateUtf8
// must agree with it everywhere.
size_t FirstBadByteByTable(std::string_view s) {
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  size_t i = 0;
  auto in = [&](size_t k, unsigned lo, unsigned hi) {
    return i + k < s.size() && b[i + k] >= lo && b[i + k] <= hi;
  };
  auto tail = [&](size_t k) { return in(k, 0x80, 0xBF); };
  while (i < s.size()) {
    const unsigned c = b[i];
    size_t len = 0;
    if (c <= 0x7F) {
      len = 1;
    } else if (c >= 0xC2 && c <= 0xDF && tail(1)) {
      len = 2;
    } else if (c == 0xE0 && in(1, 0xA0, 0xBF) && tail(2)) {
      len = 3;
    } else if (((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) &&
               tail(1) && tail(2)) {
      len = 3;
    } else if (c == 0xED && in(1, 0x80, 0x9F) && tail(2)) {
      len = 3;
    } else if (c == 0xF0 && in(1, 0x90, 0xBF) && tail(2) && tail(3)) {
      len = 4;
    } else if (c >= 0xF1 && c <= 0xF3 && tail(1) && tail(2) && tail(3)) {
      len = 4;
    } else if (c == 0xF4 && in(1, 0x80, 0x8F) && tail(2) && tail(3)) {
      len = 4;
    }
    if (len == 0) return i;
    i += len;
  }
  return std::string_view::npos;
}

TEST(ValidateUtf8Test, AgreesWithTheUnicodeTableOnRandomBytes) {
  // Bytes around every boundary of the table, so that near misses are
  // common.
  const unsigned char bytes[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F,
                                 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0,
                                 0xE1, 0xE4, 0xE9, 0xEC, 0xED, 0xEE, 0xEF,
                                 0xF0, 0xF1, 0xF4, 0xF5, 0xFF};
  std::mt19937 rng(11272026);
  int valid_three_byte = 0;  // valid, with a sequence the fast path takes
  for (int round = 0; round < 50000; ++round) {
    std::string s;
    const int n = 1 + static_cast<int>(rng() % 8);
    for (int i = 0; i < n; ++i) {
      // Half continuation bytes, as after the leads of real text.
      s.push_back(static_cast<char>(rng() % 2 ? bytes[rng() % std::size(bytes)]
                                              : 0x80 + rng() % 0x40));
    }
    const size_t bad = FirstBadByteByTable(s);
    const absl::Status status = ValidateUtf8(s);
    ASSERT_EQ(status.ok(), bad == std::string_view::npos)
        << absl::CHexEscape(s);
    // Folding reads the sequences by the same table (the extractor asks it
    // instead of ValidateUtf8).
    ASSERT_EQ(NormalizedText::Fold(s).well_formed(),
              bad == std::string_view::npos)
        << absl::CHexEscape(s);
    if (!status.ok()) {
      EXPECT_THAT(status.message(),
                  HasSubstr(absl::StrCat("at byte offset ", bad, " ")))
          << absl::CHexEscape(s);
    } else {
      for (const unsigned char c : s) {
        if (c >= 0xE1 && c <= 0xEF && c != 0xED) {
          ++valid_three_byte;
          break;
        }
      }
    }
  }
  EXPECT_GT(valid_three_byte, 100);  // the fast path's valid side was run
}

TEST(ValidateUtf8Test, AgreesWithTheUnicodeTableOnEveryThreeByteString) {
  // Every string of three bytes: the one-word test of a three-byte
  // sequence sees each combination of lead and continuation bytes here.
  // With exactly three bytes the word is read byte by byte; the strings led
  // by E0-EF run again with an ASCII byte after them, which changes neither
  // answer, so that the four-byte load is tested on all of them too.
  int disagreements = 0;
  int valid = 0;
  const auto check = [&](const std::string& s) {
    const bool ok = ValidateUtf8(s).ok();
    if (ok != (FirstBadByteByTable(s) == std::string_view::npos)) {
      ++disagreements;
      if (disagreements < 5) ADD_FAILURE() << absl::CHexEscape(s);
    }
    return ok;
  };
  std::string s(3, '\0');
  for (uint32_t v = 0; v < (1u << 24); ++v) {
    s[0] = static_cast<char>(v >> 16);
    s[1] = static_cast<char>(v >> 8);
    s[2] = static_cast<char>(v);
    valid += check(s);
    if ((v >> 20) == 0xE) check(s + "a");
  }
  EXPECT_EQ(disagreements, 0);
  // 128^3 all ASCII, 2 x 128 x 1,920 with one two-byte sequence, and
  // 61,440 three-byte sequences: the count the Unicode table gives.
  EXPECT_EQ(valid, 2650112);
}

TEST(ValidateUtf8Test, AgreesWithTheUnicodeTableOnLongMixedText) {
  // Runs of ASCII (for the eight-byte test), runs of Han characters (for
  // the three-byte run) and near misses between them, in strings long
  // enough that every path meets every other.
  std::mt19937 rng(20261127);
  const unsigned char odd[] = {0x80, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED,
                               0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0x00, 0x7F};
  int invalid = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    const int pieces = 1 + static_cast<int>(rng() % 12);
    for (int p = 0; p < pieces; ++p) {
      switch (rng() % 4) {
        case 0:  // ASCII
          for (int k = static_cast<int>(rng() % 13); k > 0; --k) {
            s.push_back(static_cast<char>(0x20 + rng() % 0x5F));
          }
          break;
        case 1:  // Han characters: lead E4..E9, two continuation bytes
          for (int k = static_cast<int>(rng() % 6); k > 0; --k) {
            s.push_back(static_cast<char>(0xE4 + rng() % 6));
            s.push_back(static_cast<char>(0x80 + rng() % 0x40));
            s.push_back(static_cast<char>(0x80 + rng() % 0x40));
          }
          break;
        case 2:  // a three-byte sequence with any lead E0..EF, maybe broken
          s.push_back(static_cast<char>(0xE0 + rng() % 16));
          s.push_back(static_cast<char>(rng() % 8 ? 0x80 + rng() % 0x40
                                                  : rng() % 0x100));
          if (rng() % 4) s.push_back(static_cast<char>(0x80 + rng() % 0x40));
          break;
        default:  // one byte near a boundary of the table
          if (rng() % 3 == 0) s.push_back(static_cast<char>(odd[rng() % 14]));
          break;
      }
    }
    const size_t bad = FirstBadByteByTable(s);
    const absl::Status status = ValidateUtf8(s);
    ASSERT_EQ(status.ok(), bad == std::string_view::npos)
        << absl::CHexEscape(s);
    // Folding reads the sequences by the same table (the extractor asks it
    // instead of ValidateUtf8).
    ASSERT_EQ(NormalizedText::Fold(s).well_formed(),
              bad == std::string_view::npos)
        << absl::CHexEscape(s);
    if (!status.ok()) {
      ++invalid;
      EXPECT_THAT(status.message(),
                  HasSubstr(absl::StrCat("at byte offset ", bad, " ")))
          << absl::CHexEscape(s);
    }
  }
  // Both sides were run many times.
  EXPECT_GT(invalid, 2000);
  EXPECT_LT(invalid, 18000);
}

TEST(IsBlankTest, SeesOnlyAsciiWhiteSpace) {
  EXPECT_TRUE(IsBlank(" \n\t\r "));
  EXPECT_TRUE(IsBlank(""));
  EXPECT_FALSE(IsBlank(" x "));
}

}  // namespace
}  // namespace reportpipe::text
