// Tests of SplitSentences on folded text. Every text here is SYNTHETIC.
#include "services/segmenter/sentences.h"

#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/text/normalized_text.h"

namespace reportpipe::segmenter {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// The sentences of a whole text, folded first as the segmenter does.
std::vector<std::string> Split(std::string_view original) {
  const std::string t = text::NormalizedText::Fold(original).text();
  std::vector<std::string> out;
  for (const text::ByteSpan& s : SplitSentences(t, 0, t.size())) {
    out.push_back(t.substr(s.start, s.end - s.start));
  }
  return out;
}

TEST(SplitSentencesTest, AtFullStopExclamationQuestionAndSemicolon) {
  // Full-width ！？； fold to ASCII; the mark stays with its sentence.
  EXPECT_THAT(Split("全年办理案件12件。成效明显！如何巩固？持续推进；久久为功。"),
              ElementsAre("全年办理案件12件。", "成效明显!", "如何巩固?",
                          "持续推进;", "久久为功。"));
}

TEST(SplitSentencesTest, AtLineEnds) {
  EXPECT_THAT(Split("开展培训3次\n审查文件12件。\n\n"),
              ElementsAre("开展培训3次", "审查文件12件。"));
}

TEST(SplitSentencesTest, NotAtTheLineEndsOfAWrappedParagraph) {
  const std::string t = "开展培训\n3次，审查文件\n12件。\n下一句";
  std::vector<std::string> out;
  for (const text::ByteSpan& s : SplitSentences(t, 0, t.size(), true)) {
    out.push_back(t.substr(s.start, s.end - s.start));
  }
  EXPECT_THAT(out, ElementsAre("开展培训\n3次，审查文件\n12件。", "下一句"));
}

TEST(SplitSentencesTest, LastSentenceWithoutMark) {
  EXPECT_THAT(Split("审查文件12件。办结率100%"),
              ElementsAre("审查文件12件。", "办结率100%"));
}

TEST(SplitSentencesTest, NotInsideChineseQuotes) {
  EXPECT_THAT(
      Split("推行“谁执法谁普法。谁主管谁负责”责任制。群众满意。"),
      ElementsAre("推行“谁执法谁普法。谁主管谁负责”责任制。", "群众满意。"));
}

TEST(SplitSentencesTest, NotInsideBookTitleMarks) {
  EXPECT_THAT(Split("印发《关于加强执法监督的意见；试行》等文件。全年办结。"),
              ElementsAre("印发《关于加强执法监督的意见;试行》等文件。",
                          "全年办结。"));
}

TEST(SplitSentencesTest, NotInsideBrackets) {
  EXPECT_THAT(Split("完成验收（含复查。抽查）工作。另有3件在办。"),
              ElementsAre("完成验收(含复查。抽查)工作。", "另有3件在办。"));
}

TEST(SplitSentencesTest, NestedQuotesAndBrackets) {
  EXPECT_THAT(Split("学习《条例（“修订稿。”）》。随后考试。"),
              ElementsAre("学习《条例(“修订稿。”)》。", "随后考试。"));
}

TEST(SplitSentencesTest, ClosingQuoteAfterTheMarkStaysWithTheSentence) {
  EXPECT_THAT(Split("县长强调：“要依法行政。”全县落实。"),
              ElementsAre("县长强调:“要依法行政。”全县落实。"));
  EXPECT_THAT(Split("他说：要依法行政。”全县落实。"),
              ElementsAre("他说:要依法行政。”", "全县落实。"));
}

TEST(SplitSentencesTest, QuoteLeftOpenAtLineEndIsClosedThere) {
  EXPECT_THAT(Split("开展“法律进乡村活动。\n审查文件12件。开展培训3次。"),
              ElementsAre("开展“法律进乡村活动。", "审查文件12件。",
                          "开展培训3次。"));
}

TEST(SplitSentencesTest, LongUnbalancedQuoteDoesNotSwallowTheParagraph) {
  // A stray “ with many sentences after it on the same line: every one of
  // them still stands on its own, the first included.
  std::string text = "开展“法律进乡村活动。";
  std::vector<std::string> expected = {"开展“法律进乡村活动。"};
  for (int i = 0; i < 60; ++i) {
    text += "组织宣讲活动三十余场次。";
    expected.push_back("组织宣讲活动三十余场次。");
  }
  ASSERT_GT(text.size(), 1000u);
  EXPECT_EQ(Split(text), expected);
}

TEST(SplitSentencesTest, LongUnbalancedBracketDoesNotSwallowTheParagraph) {
  std::string text = "印发《实施方案。";
  for (int i = 0; i < 60; ++i) text += "审查文件12件。";
  const std::vector<std::string> got = Split(text);
  ASSERT_EQ(got.size(), 61u);
  EXPECT_EQ(got.front(), "印发《实施方案。");
  EXPECT_EQ(got.back(), "审查文件12件。");
}

TEST(SplitSentencesTest, BalancedLongQuotationAfterAStrayOne) {
  // The stray “ is ignored; a later, closed quotation still holds.
  std::string text = "开展“普法活动。";
  for (int i = 0; i < 50; ++i) text += "审查文件12件。";
  text += "推行“谁执法谁普法。谁主管谁负责”制度。";
  const std::vector<std::string> got = Split(text);
  ASSERT_EQ(got.size(), 52u);
  EXPECT_EQ(got.back(), "推行“谁执法谁普法。谁主管谁负责”制度。");
}

TEST(SplitSentencesTest, SpacesTrimmedAndEmptyDropped) {
  EXPECT_THAT(Split("  审查文件12件。   开展培训3次。  "),
              ElementsAre("审查文件12件。", "开展培训3次。"));
  EXPECT_THAT(Split(" \n \n"), IsEmpty());
  EXPECT_THAT(Split(""), IsEmpty());
}

TEST(SplitSentencesTest, RangeWithinText) {
  const std::string t = "标题\n审查文件12件。开展培训3次。\n尾部";
  const size_t begin = t.find("审查");
  const size_t end = t.find("\n尾部");
  std::vector<std::string> got;
  for (const text::ByteSpan& s : SplitSentences(t, begin, end)) {
    EXPECT_GE(s.start, begin);
    EXPECT_LE(s.end, end);
    got.push_back(t.substr(s.start, s.end - s.start));
  }
  EXPECT_THAT(got, ElementsAre("审查文件12件。", "开展培训3次。"));
}

}  // namespace
}  // namespace reportpipe::segmenter
