// FindResidue: each alternative of the page-metadata and tail patterns,
// alone in a text that holds no other residue, a clean text with none, and
// the scan from word starts against RE2's own scan on random texts. Texts
// are SYNTHETIC.
#include "services/segmenter/residue.h"

#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "tests/random_pieces.h"

namespace reportpipe::segmenter {
namespace {

std::string Spanned(std::string_view text, const text::ByteSpan& span) {
  return std::string(text.substr(span.start, span.end - span.start));
}

TEST(ResidueTest, EachPageMetadataAloneIsFound) {
  const std::string body = "一、主要工作\n全年办理案件12件。\n";
  for (const char* meta :
       {"发布时间:2024-03-28 09:30", "信息来源:合成县司法局",
        "来源:合成县司法局", "字号:[大 中 小]", "浏览次数:12", "阅读量:30",
        "访问:7", "【收藏】", "分享到:"}) {
    const std::string text = body + meta + "\n" + body;
    const Residue r = FindResidue(text);
    ASSERT_EQ(r.spans.size(), 1u) << meta;
    EXPECT_EQ(Spanned(text, r.spans[0]), meta);
    EXPECT_EQ(r.body_end, text.size()) << meta;
  }
}

// Lines of a page's metadata and buttons above the title are its head:
// they end where the title begins, each a span of residue.
TEST(ResidueTest, MetadataLinesBeforeTheTitleAreTheHead) {
  const std::string head =
      "首页 > 政务公开 > 法治政府建设\n\n"
      "发布时间:2024-03-15 10:20 来源:市司法局 浏览次数:1268\n\n"
      "【字体:大 中 小】 打印\n\n";
  const std::string text = head +
                           "合成市人民政府关于2023年度法治政府建设情况的报告\n"
                           "一、主要工作\n全年办理案件12件。\n";
  const Residue r = FindResidue(text);
  EXPECT_EQ(r.head_end, head.size());
  ASSERT_EQ(r.spans.size(), 3u);
  EXPECT_EQ(Spanned(text, r.spans[2]), "【字体:大 中 小】 打印");
  // A line with a word of its own is no metadata line, and ends the head.
  const std::string worded = "发布时间:2024-03-15 全年办理案件12件\n";
  EXPECT_EQ(FindResidue(worded + "一、主要工作\n").head_end, 0u);
}

TEST(ResidueTest, EachTailMarkerAloneEndsTheBody) {
  const std::string body =
      "一、主要工作\n全年办理案件12件。\n二、存在问题\n无。\n";
  for (const char* tail :
       {"附件下载:", "扫一扫在手机上查看当前页面", "扫一扫在手机打开当前页",
        "【打印本页】", "【 关闭窗口 】", "相关链接:合成县政府网",
        "上一篇:合成县报告"}) {
    const std::string text = body + body + tail;
    const Residue r = FindResidue(text);
    EXPECT_EQ(r.body_end, 2 * body.size() - 1) << tail;  // the line end too
    ASSERT_FALSE(r.spans.empty()) << tail;
    EXPECT_EQ(Spanned(text, r.spans.back()), tail);
  }
}

// A PDF's page furniture: page numbers on lines of their own in their usual
// shapes, and the running header that stands beside them more than once. A
// body line beside a page number only once, and numbers inside sentences,
// are no residue.
TEST(ResidueTest, PageNumbersAndTheRunningHeaderOfAPdf) {
  const std::string header = "合成县2024年度法治政府建设情况报告";
  for (const char* number :
       {"— 3 —", "-4-", "- 5 -", "第6页", "第 7 页 共 9 页", "8/9"}) {
    const std::string text =
        "合成县人民政府关于2024年度法治政府建设情况的报告\n"
        "全年办理案件\n" +
        std::string(number) + "\n" + header + "\n12件,来访群众\n" + number +
        "\n" + header + "\n30人次。\n";
    const Residue r = FindResidue(text);
    ASSERT_EQ(r.spans.size(), 4u) << number;
    EXPECT_EQ(Spanned(text, r.spans[0]), number);
    EXPECT_EQ(Spanned(text, r.spans[1]), header);
    EXPECT_EQ(Spanned(text, r.spans[3]), header);
  }
  // Beside page numbers once only, and not the first line: body text.
  const std::string once =
      "合成县报告\n全年办理案件12件,来访群众\n— 3 —\n30人次,调解纠纷\n";
  const Residue r = FindResidue(once);
  ASSERT_EQ(r.spans.size(), 1u);
  EXPECT_EQ(Spanned(once, r.spans[0]), "— 3 —");
}

TEST(ResidueTest, ACleanReportHasNone) {
  const std::string text = "一、主要工作\n全年办理案件12件,来访群众30人次。\n";
  const Residue r = FindResidue(text);
  EXPECT_TRUE(r.spans.empty());
  EXPECT_EQ(r.body_end, text.size());
  EXPECT_EQ(r.head_end, 0u);
}

// Random texts of the patterns' pieces, their opening words (alone, too,
// and near misses that share a first character), numbers and line ends:
// both scans give the same spans, body end and head end.
TEST(ResidueTest, WordStartsFindWhatRe2Finds) {
  const std::vector<std::string> pieces = {
      "发布时间", "发布",
      "发展",     ":",
      " ",        "2024-03-28",
      "09:30",    "信息",
      "来源",     "来",
      "司法局",   "字号",
      "[",        "大",
      "中",       "小",
      "]",        "浏览",
      "阅读",     "访问",
      "次数",     "量",
      "12",       "【",
      "】",       "打印",
      "关闭",     "收藏",
      "分享",     "分享到",
      "分别",     "附件下载",
      "附件",     "扫一扫在手机上查看当前页面",
      "扫一扫",   "扫一扫在手机打开当前页",
      "本页",     "窗口",
      "相关链接", "相关",
      "上一篇",   "上一",
      "上",       "全年办理案件",
      "。",       "\n",
      "首页",     "|"};
  testing::RandomPieces texts(pieces, 20261127, 0, 40);
  size_t spans = 0;
  for (int i = 0; i < 5000; ++i) {
    const std::string text = texts.Next();
    const Residue fast = FindResidue(text, ResidueScan::kWordStarts);
    const Residue reference = FindResidue(text, ResidueScan::kRe2);
    ASSERT_EQ(fast.body_end, reference.body_end) << text;
    ASSERT_EQ(fast.head_end, reference.head_end) << text;
    ASSERT_EQ(fast.spans.size(), reference.spans.size()) << text;
    for (size_t k = 0; k < fast.spans.size(); ++k) {
      EXPECT_EQ(fast.spans[k].start, reference.spans[k].start) << text;
      EXPECT_EQ(fast.spans[k].end, reference.spans[k].end) << text;
    }
    spans += reference.spans.size();
  }
  EXPECT_GT(spans, 2000u);
}

}  // namespace
}  // namespace reportpipe::segmenter
