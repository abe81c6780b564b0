#include "lib/text/normalized_text.h"

#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "lib/text/utf8.h"
#include "tests/random_pieces.h"

namespace reportpipe::text {
namespace {

TEST(NormalizedTextTest, FoldsFullWidthForms) {
  const NormalizedText folded = NormalizedText::Fold("（一）２０２３年，１００％");
  EXPECT_EQ(folded.text(), "(一)2023年,100%");
}

TEST(NormalizedTextTest, FoldsSpacesAndTraditionalMultipliers) {
  EXPECT_EQ(NormalizedText::Fold("一\u3000二\r\n三萬四億").text(),
            "一 二 \n三万四亿");
}

TEST(NormalizedTextTest, MapsEverySpanBackToTheOriginalBytes) {
  const std::string original = "前言（六）办件１２３件，好";
  const NormalizedText folded = NormalizedText::Fold(original);
  const std::string& t = folded.text();
  for (const std::string needle : {"(六)", "123件", ",", "好", "前言"}) {
    const size_t pos = t.find(needle);
    ASSERT_NE(pos, std::string::npos) << needle;
    const ByteSpan span = folded.ToOriginal(pos, pos + needle.size());
    const std::string back =
        original.substr(span.start, span.end - span.start);
    // The original bytes fold to exactly the needle.
    EXPECT_EQ(NormalizedText::Fold(back).text(), needle) << back;
  }
  EXPECT_EQ(folded.ToOriginal(t.size()), original.size());
  // And back: every folded boundary survives the round trip.
  for (size_t i = 0; i <= t.size(); ++i) {
    if (i < t.size() && (static_cast<unsigned char>(t[i]) & 0xC0) == 0x80) {
      continue;
    }
    EXPECT_EQ(folded.FromOriginal(folded.ToOriginal(i)), i) << i;
  }
}

// FoldWithout leaves the dropped spans out (a line break, a page's residue)
// and still maps every kept span back to its original bytes; an offset
// inside a dropped span maps to where the span was.
TEST(NormalizedTextTest, FoldWithoutLeavesDroppedSpansOut) {
  const std::string original = "罚没款\n— 2 —\n页眉\n４,386.5万元，好";
  const size_t nl = original.find('\n');
  const size_t figure = original.find("４");
  // The line break, then the page number and header with their breaks.
  const NormalizedText folded =
      NormalizedText::FoldWithout(original, {{nl, nl + 1}, {nl + 1, figure}});
  const std::string& t = folded.text();
  EXPECT_EQ(t, "罚没款4,386.5万元,好");
  const size_t pos = t.find("4,386.5万元");
  const ByteSpan span =
      folded.ToOriginal(pos, pos + std::string("4,386.5万元").size());
  EXPECT_EQ(original.substr(span.start, span.end - span.start), "４,386.5万元");
  EXPECT_EQ(folded.ToOriginal(t.find("罚")), 0u);
  // A span that ends where a dropped span begins ends there, not past it.
  const ByteSpan label = folded.ToOriginal(0, std::string("罚没款").size());
  EXPECT_EQ(original.substr(label.start, label.end - label.start), "罚没款");
  EXPECT_EQ(folded.FromOriginal(nl + 4), t.find("4"));
  EXPECT_EQ(folded.ToOriginal(t.size()), original.size());
  for (size_t i = 0; i <= t.size(); ++i) {
    if (i < t.size() && (static_cast<unsigned char>(t[i]) & 0xC0) == 0x80) {
      continue;
    }
    EXPECT_EQ(folded.FromOriginal(folded.ToOriginal(i)), i) << i;
  }
  // Nothing dropped: the same as Fold.
  EXPECT_EQ(NormalizedText::FoldWithout(original, {}).text(),
            NormalizedText::Fold(original).text());
}

TEST(NormalizedTextTest, BytesThatAreNotUtf8BecomeQuestionMarks) {
  // A truncated 一 at the end, a stray continuation byte, an overlong '/'
  // and a surrogate, around text that folds (，→,).
  const std::string original =
      "a\x80，b\xC0\xAF c\xED\xA0\x80一\xE4\xB8";
  const NormalizedText folded = NormalizedText::Fold(original);
  EXPECT_EQ(folded.text(), "a?,b?? c???一??");
  EXPECT_TRUE(ValidateUtf8(folded.text()).ok());
  // Only ， shortened the text: the bytes after it map back by two.
  EXPECT_EQ(folded.ToOriginal(folded.text().size()), original.size());
}

TEST(NormalizedTextTest, IdentityForTextWithNothingToFold) {
  const std::string original = "平罗县2023年度法治政府建设情况报告\n";
  const NormalizedText folded = NormalizedText::Fold(original);
  EXPECT_EQ(folded.text(), original);
  for (size_t i = 0; i <= original.size(); ++i) {
    EXPECT_EQ(folded.ToOriginal(i), i);
  }
}

// Fold passes over U+4000-U+9FFF on its bytes without asking FoldCodePoint,
// on the grounds that only 萬 and 億 fold there. A fold added in that range
// must change Fold too; this test says so.
TEST(NormalizedTextTest, OnlyWanAndYiFoldAmongTheHanCharactersFoldSkips) {
  for (char32_t c = 0x4000; c <= 0x9FFF; ++c) {
    if (c == U'萬' || c == U'億') {
      EXPECT_NE(FoldCodePoint(c), c);
    } else {
      ASSERT_EQ(FoldCodePoint(c), c)
          << "U+" << std::hex << static_cast<uint32_t>(c);
    }
  }
  EXPECT_EQ(NormalizedText::Fold("三萬五千、两億").text(), "三万五千、两亿");
}

// Fold tests Han characters a word at a time and decodes everything else;
// either way each character must come out as FoldCodePoint says. Every BMP
// character, after a Han character (inside a run) and last in the text
// (where fewer than four bytes are left to read).
TEST(NormalizedTextTest, FoldsEveryBmpCharacterAsFoldCodePointSays) {
  for (char32_t c = 0x80; c <= 0xFFFF; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;  // surrogates are not UTF-8
    std::string in = "中";
    AppendUtf8(c, &in);
    in += "文";
    AppendUtf8(c, &in);
    std::string expected = "中";
    AppendUtf8(FoldCodePoint(c), &expected);
    expected += "文";
    AppendUtf8(FoldCodePoint(c), &expected);
    ASSERT_EQ(NormalizedText::Fold(in).text(), expected)
        << "U+" << std::hex << static_cast<uint32_t>(c);
  }
}

// Fold against the plain definition on long random texts, where it reads
// sixteen bytes at a time: each well-formed character as FoldCodePoint
// says, each byte of no such character a '?'; and every character's start
// maps back to where it stood. The pieces: plain Han and ASCII, 萬 and 億
// (which fold), punctuation that folds and that does not, a line break,
// \r and \t, and bytes that are not UTF-8 (a stray continuation, a lead
// cut short, a lead with a fourth byte after its character).
TEST(NormalizedTextTest, FoldsLongTextsAsTheDefinitionSays) {
  const std::vector<std::string> pieces = {"法治",
                                           "政府",
                                           "建设",
                                           "a",
                                           "7",
                                           "2023",
                                           " ",
                                           "\n",
                                           "萬",
                                           "億",
                                           "，",
                                           "。",
                                           "、",
                                           "（",
                                           "）",
                                           "％",
                                           "\r",
                                           "\t",
                                           "\xE3\x80\x80",
                                           "\x80",
                                           "\xE4\xB8",
                                           "\xE4\xB8\x80\x80",
                                           "é",
                                           "😀",
                                           "\x7F",
                                           "\xEF\xBC\x91"};
  testing::RandomPieces texts(pieces, 20261128, 0, 90);
  for (int i = 0; i < 3000; ++i) {
    const std::string t = texts.Next();
    std::string expected;
    std::vector<std::pair<size_t, size_t>> starts;  // (folded, original)
    bool well_formed = true;
    for (size_t p = 0; p < t.size();) {
      starts.emplace_back(expected.size(), p);
      const size_t length = kSequenceLength[static_cast<unsigned char>(t[p])];
      if (length > 0 && p + length <= t.size() &&
          ValidateUtf8(std::string_view(t).substr(p, length)).ok()) {
        char32_t c = 0;
        DecodeUtf8(t, p, &c);
        AppendUtf8(FoldCodePoint(c), &expected);
        p += length;
      } else {
        expected.push_back('?');
        well_formed = false;
        ++p;
      }
    }
    const NormalizedText folded = NormalizedText::Fold(t);
    ASSERT_EQ(folded.text(), expected) << i;
    EXPECT_EQ(folded.well_formed(), well_formed) << i;
    for (const auto& [at, from] : starts) {
      ASSERT_EQ(folded.ToOriginal(at), from) << i << " at " << at;
    }
  }
}

}  // namespace
}  // namespace reportpipe::text
