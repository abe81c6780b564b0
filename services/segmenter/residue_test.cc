// FindResidue: each alternative of the page-metadata and tail patterns,
// alone in a text that holds no other residue, and a clean text with none.
// Texts are SYNTHETIC.
#include "services/segmenter/residue.h"

#include <string>
#include <string_view>

#include "gtest/gtest.h"

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

TEST(ResidueTest, ACleanReportHasNone) {
  const std::string text = "一、主要工作\n全年办理案件12件,来访群众30人次。\n";
  const Residue r = FindResidue(text);
  EXPECT_TRUE(r.spans.empty());
  EXPECT_EQ(r.body_end, text.size());
  EXPECT_EQ(r.head_end, 0u);
}

}  // namespace
}  // namespace reportpipe::segmenter
