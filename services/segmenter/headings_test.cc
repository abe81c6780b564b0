// Tests of FindHeadings on folded text. Every text here is SYNTHETIC, written
// in the style of the published reports (青禾县 is fictional).
#include "services/segmenter/headings.h"

#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/text/normalized_text.h"
#include "lib/text/utf8.h"

namespace reportpipe::segmenter {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// The headings of a text after folding, as "<level> <path part> <heading>"
// strings, plus the folded text for span checks.
class Found {
 public:
  explicit Found(std::string_view original)
      : folded_(text::NormalizedText::Fold(original).text()),
        headings_(FindHeadings(folded_, 0, folded_.size())) {}

  std::vector<std::string> Outline() const {
    std::vector<std::string> out;
    for (const Heading& h : headings_) {
      out.push_back(absl::StrCat(h.level, " ", h.path_part, " ",
                                 Text(h.heading)));
    }
    return out;
  }

  std::string Text(text::ByteSpan s) const {
    return folded_.substr(s.start, s.end - s.start);
  }

  const std::vector<Heading>& headings() const { return headings_; }

 private:
  std::string folded_;
  std::vector<Heading> headings_;
};

// MayOpenMarker's byte test lets through every character a marker can begin
// with (ReadMarker asks CanOpenMarker first), and rules out the Han
// characters around them.
TEST(MayOpenMarkerTest, EveryMarkerCharacterPassesAndOthersAreRuledOut) {
  int passed = 0;
  for (char32_t c = 0x20; c < 0x10000; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    std::string s;
    text::AppendUtf8(c, &s);
    if (CanOpenMarker(c)) {
      EXPECT_TRUE(MayOpenMarker(s, 0, s.size())) << static_cast<int>(c);
    }
    passed += MayOpenMarker(s, 0, s.size()) ? 1 : 0;
  }
  // Of the 20,992 CJK ideographs, only the three-byte blocks of the
  // numerals pass: a few hundred characters, not the thousands whose lead
  // byte alone is E4 or E5.
  EXPECT_LT(passed, 1000);
  EXPECT_TRUE(CanOpenMarker(U'两'));
  EXPECT_TRUE(CanOpenMarker(U'⑳'));
  EXPECT_FALSE(CanOpenMarker(U'零'));  // 零、 opens no section
  EXPECT_FALSE(CanOpenMarker(U'县'));
  EXPECT_FALSE(MayOpenMarker("县", 0, 3));
  EXPECT_FALSE(MayOpenMarker("一", 0, 1));  // its second byte lies past end
}

// A web page sets its headings off with 【】: the marker after 【 opens a
// heading, and 】 ends its text.
TEST(FindHeadingsTest, HeadingsInSquareBrackets) {
  const Found found(
      "【一、主要工作及成效】\n全年办理案件12件。\n【二、2024年工作安排】\n"
      "力争办结率达到95%。\n");
  EXPECT_THAT(found.Outline(),
              ElementsAre("1 一 主要工作及成效", "1 二 2024年工作安排"));
}

TEST(FindHeadingsTest, FullWidthAndHalfWidthLevelTwo) {
  const Found full("一、主要工作情况\n（一）加强组织领导\n（二）规范行政决策\n");
  const Found half("一、主要工作情况\n(一)加强组织领导\n(二)规范行政决策\n");
  const std::vector<std::string> expected = {
      "1 一 主要工作情况", "2 (一) 加强组织领导", "2 (二) 规范行政决策"};
  EXPECT_EQ(full.Outline(), expected);
  EXPECT_EQ(half.Outline(), expected);
  ASSERT_EQ(full.headings().size(), 3u);
  EXPECT_EQ(full.Text(full.headings()[1].marker), "(一)");
  EXPECT_TRUE(full.headings()[1].standalone);
  EXPECT_FALSE(full.headings()[1].point);
}

// A flattened page puts a space between a section heading and its body; the
// heading ends there and the body is no part of it. A point runs on.
TEST(FindHeadingsTest, FlattenedHeadingEndsAtTheSpaceBeforeItsBody) {
  const Found page(
      "现将情况报告如下：一、主要成效 （一）执法监督。一是开展检查 共120次。"
      "二、存在问题 个别部门法治意识有待提高。");
  EXPECT_EQ(page.Outline(),
            (std::vector<std::string>{"1 一 主要成效", "2 (一) 执法监督",
                                      "5 一是 开展检查 共120次", "1 二 存在问题"}));
  ASSERT_EQ(page.headings().size(), 4u);
  EXPECT_TRUE(page.headings()[3].standalone);
}

TEST(FindHeadingsTest, LevelThreeDotCommaAndFullWidthDot) {
  const Found f(
      "(一)健全制度\n"
      "1.完善决策程序。全年审查8件。\n"
      "2、强化合法性审查。审查文件12件。\n"
      "3．推进政务公开。公开信息300条。\n");
  EXPECT_THAT(f.Outline(), ElementsAre("2 (一) 健全制度",
                                       "3 1 完善决策程序",
                                       "3 2 强化合法性审查",
                                       "3 3 推进政务公开"));
  // Run-in: closed by 。, text goes on.
  EXPECT_FALSE(f.headings()[1].standalone);
  EXPECT_EQ(f.Text(f.headings()[3].marker), "3.");
}

TEST(FindHeadingsTest, LevelFourBracketedDigits) {
  const Found f(
      "1.规范执法\n（1）严格执法程序\n办理案件120件。\n(2)落实三项制度\n");
  EXPECT_THAT(f.Outline(), ElementsAre("3 1 规范执法",
                                       "4 (1) 严格执法程序",
                                       "4 (2) 落实三项制度"));
}

TEST(FindHeadingsTest, RunInHeadingEndsAtTheFullStop) {
  const Found f("（一）强化组织领导。县政府常务会议研究法治工作4次。\n");
  ASSERT_EQ(f.headings().size(), 1u);
  const Heading& h = f.headings()[0];
  EXPECT_EQ(f.Text(h.heading), "强化组织领导");
  EXPECT_FALSE(h.standalone);
  EXPECT_EQ(h.level, 2);
  EXPECT_EQ(h.number, 1);
}

TEST(FindHeadingsTest, StandaloneHeadingOnItsOwnLine) {
  const Found f("一、主要工作情况  \n全年办理案件12件。\n");
  ASSERT_EQ(f.headings().size(), 1u);
  EXPECT_TRUE(f.headings()[0].standalone);
  EXPECT_EQ(f.Text(f.headings()[0].heading), "主要工作情况");
}

TEST(FindHeadingsTest, PointsDirectlyUnderLevelOne) {
  const Found f(
      "一、存在的问题\n"
      "一是执法能力有待提升。二是普法宣传不够深入；三是监督机制还不健全。\n");
  EXPECT_THAT(f.Outline(), ElementsAre("1 一 存在的问题",
                                       "5 一是 执法能力有待提升",
                                       "5 二是 普法宣传不够深入",
                                       "5 三是 监督机制还不健全"));
  EXPECT_TRUE(f.headings()[1].point);
}

TEST(FindHeadingsTest, LaterPointsMayFollowAComma) {
  const Found f("一、主要工作\n一是健全机制，二是强化考核，三是加强培训。\n");
  EXPECT_THAT(f.Outline(), ElementsAre("1 一 主要工作", "5 一是 健全机制",
                                       "5 二是 强化考核", "5 三是 加强培训"));
}

TEST(FindHeadingsTest, LevelThreeNumbersRunOnUnderTheNextLevelTwo) {
  const Found f(
      "(一)加强组织领导\n1.健全机制。\n2.强化考核。\n"
      "(二)规范行政执法\n3.严格执法。\n4.强化监督。\n");
  EXPECT_THAT(f.Outline(),
              ElementsAre("2 (一) 加强组织领导", "3 1 健全机制",
                          "3 2 强化考核", "2 (二) 规范行政执法",
                          "3 3 严格执法", "3 4 强化监督"));
}

TEST(FindHeadingsTest, LevelThreeNumbersRestartUnderTheNextLevelTwo) {
  const Found f(
      "(一)加强组织领导\n1.健全机制。\n2.强化考核。\n"
      "(二)规范行政执法\n1.严格执法。\n2.强化监督。\n");
  EXPECT_THAT(f.Outline(),
              ElementsAre("2 (一) 加强组织领导", "3 1 健全机制",
                          "3 2 强化考核", "2 (二) 规范行政执法",
                          "3 1 严格执法", "3 2 强化监督"));
}

TEST(FindHeadingsTest, CircledNumbersBelowLevelFour) {
  const Found f("(1)深化决策公开\n①公开征求意见3次；②组织专家论证2场。\n");
  EXPECT_THAT(f.Outline(), ElementsAre("4 (1) 深化决策公开",
                                       "5 ① 公开征求意见3次",
                                       "5 ② 组织专家论证2场"));
}

// Markers past the first ten: 十一、, two-digit 10. and 12、, ⑩ … ⑫. The
// scan passes most characters over on their first byte and tries a digit
// only when . or 、 follows within two digits; these must still be found.
TEST(FindHeadingsTest, TwoDigitAndTenPlusMarkers) {
  const char* const kSections[] = {"一", "二", "三", "四", "五",   "六",
                                   "七", "八", "九", "十", "十一", "十二"};
  const char* const kCircled[] = {"①", "②", "③", "④", "⑤", "⑥",
                                  "⑦", "⑧", "⑨", "⑩", "⑪", "⑫"};
  std::string text;
  for (const char* n : kSections) absl::StrAppend(&text, n, "、专项工作\n");
  for (int i = 1; i <= 12; ++i) {
    absl::StrAppend(&text, i, i % 2 == 1 ? "." : "、", "事项完成。\n");
  }
  absl::StrAppend(&text, "(1)具体措施\n");
  for (const char* c : kCircled) absl::StrAppend(&text, c, "措施;");
  const Found f(text);
  const std::vector<std::string> outline = f.Outline();
  ASSERT_EQ(outline.size(), 12u + 12u + 1u + 12u)
      << absl::StrJoin(outline, "|");
  EXPECT_EQ(outline[9], "1 十 专项工作");
  EXPECT_EQ(outline[10], "1 十一 专项工作");
  EXPECT_EQ(outline[11], "1 十二 专项工作");
  EXPECT_EQ(outline[12 + 9], "3 10 事项完成");
  EXPECT_EQ(outline[12 + 11], "3 12 事项完成");
  EXPECT_EQ(outline[24], "4 (1) 具体措施");
  EXPECT_EQ(outline[25 + 9], "5 ⑩ 措施");
  EXPECT_EQ(outline[25 + 11], "5 ⑫ 措施");
  EXPECT_EQ(f.Text(f.headings()[12 + 11].marker), "12、");
}

TEST(FindHeadingsTest, CircledNumbersInsideAPoint) {
  const Found f(
      "一、主要工作\n一是严格审查。①审查县政府文件9件；②审查部门文件14件。"
      "二是清理文件。废止3件。\n");
  EXPECT_THAT(f.Outline(), ElementsAre("1 一 主要工作", "5 一是 严格审查",
                                       "6 ① 审查县政府文件9件",
                                       "6 ② 审查部门文件14件",
                                       "5 二是 清理文件"));
}

TEST(FindHeadingsTest, HeadingWithTheYear) {
  const Found f(
      "一、2023年推进法治政府建设的主要举措和成效\n全年审查文件12件。\n"
      "二、2024年工作计划\n");
  EXPECT_THAT(f.Outline(),
              ElementsAre("1 一 2023年推进法治政府建设的主要举措和成效",
                          "1 二 2024年工作计划"));
}

TEST(FindHeadingsTest, FlattenedPageMarkersMidLine) {
  const Found f(
      "现将有关情况报告如下：一、主要工作情况（一）加强组织领导。一是健全机制。"
      "召开会议4次；二是强化考核。（二）规范执法。1.严格程序。办理案件120件。"
      "2.强化监督。二、存在的问题 一是能力不足。");
  EXPECT_THAT(f.Outline(),
              ElementsAre("1 一 主要工作情况", "2 (一) 加强组织领导",
                          "5 一是 健全机制", "5 二是 强化考核",
                          "2 (二) 规范执法", "3 1 严格程序", "3 2 强化监督",
                          "1 二 存在的问题", "5 一是 能力不足"));
  // 主要工作情况 runs straight into （一）: a heading on its own.
  EXPECT_TRUE(f.headings()[0].standalone);
  EXPECT_FALSE(f.headings()[2].standalone);
}

TEST(FindHeadingsTest, DecimalNumberIsNoHeading) {
  const Found f("一、主要工作\n全年办理案件。1.5万件均按期办结。\n");
  EXPECT_THAT(f.Outline(), ElementsAre("1 一 主要工作"));
}

TEST(FindHeadingsTest, UnifiedIsNoPoint) {
  // 统一是非标准: 一是 after 统 has no boundary before it.
  const Found f("一、主要工作\n全县统一是非标准。坚持统一是前提。\n");
  EXPECT_THAT(f.Outline(), ElementsAre("1 一 主要工作"));
}

TEST(FindHeadingsTest, PlanPeriodInBracketsIsNoHeading) {
  const Found f(
      "一、主要工作\n制定《青禾县法治政府建设实施方案（2021—2025年）》。"
      "（2021—2025年）规划有序推进。\n");
  EXPECT_THAT(f.Outline(), ElementsAre("1 一 主要工作"));
}

TEST(FindHeadingsTest, StrayLevelOneMarkerMidSentence) {
  const Found f(
      "一、主要工作\n其中一、二审案件12件，二、三季度办结率均达100%。\n"
      "二、存在的问题\n");
  EXPECT_THAT(f.Outline(), ElementsAre("1 一 主要工作", "1 二 存在的问题"));
}

TEST(FindHeadingsTest, NumeralEnumerationAfterAColonIsNoHeading) {
  // Before the first section, ：一、二类 must not open section 一 (which
  // would then reject the real 一、 below it).
  const Found f(
      "全县分两类推进：一、二类事项全部办结。\n一、主要工作情况\n"
      "全年办结。\n二、存在的问题\n");
  EXPECT_THAT(f.Outline(),
              ElementsAre("1 一 主要工作情况", "1 二 存在的问题"));
}

TEST(FindHeadingsTest, FirstResponsiblePersonIsNoMarker) {
  const Found f(
      "一、主要工作\n党政主要负责人履行推进法治建设第一责任人职责。"
      "第一是关键。\n");
  EXPECT_THAT(f.Outline(), ElementsAre("1 一 主要工作"));
}

TEST(FindHeadingsTest, OutOfSequenceNumberIsNoHeading) {
  // Only 一 is open: a 三、 after a full stop is a list in the text, not the
  // third section.
  const Found f("一、主要工作\n分三类推进。三、四月集中开展培训。\n");
  EXPECT_THAT(f.Outline(), ElementsAre("1 一 主要工作"));
}

// 第一部分 is a level-1 marker with the path of 一、, at a line's start only:
// 报告第二部分 in a sentence opens nothing, and the space after the marker is
// no part of the heading's text.
TEST(FindHeadingsTest, PartsAreLevelOneAtALinesStart) {
  const Found f(
      "第一部分　统筹谋划\n（一）压实责任\n全年办结。第二部分见下。\n"
      "第二部分 依法决策\n1.规范文件\n第三部分存在的不足\n");
  EXPECT_THAT(f.Outline(),
              ElementsAre("1 一 统筹谋划", "2 (一) 压实责任", "1 二 依法决策",
                          "3 1 规范文件", "1 三 存在的不足"));
}

// In a report whose sections are 一、 二、 the parts above them open none:
// the 一、 numbering is what the paths follow.
TEST(FindHeadingsTest, PartsAboveNumeralSectionsOpenNone) {
  const Found f(
      "第一部分 工作情况\n一、加强领导\n二、完善制度\n第二部分 存在问题\n"
      "三、短板\n");
  EXPECT_THAT(f.Outline(),
              ElementsAre("1 一 加强领导", "1 二 完善制度", "1 三 短板"));
}

// 5.2023年工作打算: a year right after the dot is no decimal (5.2023); the
// marker is 5. all the same. 1.5万件 stays a number.
TEST(FindHeadingsTest, ArabicMarkerBeforeAYear) {
  const Found f(
      "1.主要工作\n全年办件1.5万件。\n2.存在的不足\n5.2023年工作打算\n"
      "3.2023年工作打算\n");
  EXPECT_THAT(f.Outline(), ElementsAre("3 1 主要工作", "3 2 存在的不足",
                                       "3 3 2023年工作打算"));
}

TEST(FindHeadingsTest, RangeLimitsTheScan) {
  const std::string t =
      text::NormalizedText::Fold("一、主要工作\n全年办案。\n二、存在的问题\n")
          .text();
  const size_t second = t.find("二、");
  const std::vector<Heading> hs = FindHeadings(t, 0, second);
  ASSERT_EQ(hs.size(), 1u);
  EXPECT_LE(hs[0].heading.end, second);
  EXPECT_THAT(FindHeadings(t, t.size(), t.size()), IsEmpty());
}

}  // namespace
}  // namespace reportpipe::segmenter
