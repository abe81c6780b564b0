// Tests of FindTitle, ReadRegion and ReadMetadata. Every title here is
// SYNTHETIC: 青禾县, 云川市 and 青禾区 are fictional.
#include "services/segmenter/title.h"

#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/text/normalized_text.h"

namespace reportpipe::segmenter {
namespace {

using ::testing::HasSubstr;

std::string Folded(std::string_view s) {
  return text::NormalizedText::Fold(s).text();
}

std::string TitleOf(std::string_view folded, size_t from = 0) {
  const TitleSpan t = FindTitle(folded, from);
  return std::string(folded.substr(t.span.start, t.span.end - t.span.start));
}

// Metadata of a title alone, read on its folded form as the segmenter does.
v1::ReportMetadata Read(std::string_view title, std::string_view body = "") {
  return ReadMetadata(Folded(title), Folded(body));
}

TEST(ReadRegionTest, CountyBeforeYear) {
  EXPECT_EQ(ReadRegion("青禾县2023年度法治政府建设情况报告"), "青禾县");
}

TEST(ReadRegionTest, GovernmentAbout) {
  EXPECT_EQ(ReadRegion("青禾县人民政府关于2023年度法治政府建设情况的报告"),
            "青禾县");
}

TEST(ReadRegionTest, YearFirst) {
  EXPECT_EQ(ReadRegion("2025年青禾县法治政府建设情况"), "青禾县");
}

TEST(ReadRegionTest, CityAndDistrict) {
  EXPECT_EQ(ReadRegion("云川市青禾区人民政府2022年度法治政府建设工作报告"),
            "云川市青禾区");
}

TEST(ReadRegionTest, JointTitleSkipsThePartyCommittee) {
  EXPECT_EQ(ReadRegion("中共青禾县委 青禾县人民政府关于2023年度法治政府建设"
                       "情况的报告"),
            "青禾县");
  EXPECT_EQ(ReadRegion("中共青禾县委 青禾县人民政府\n关于2023年度法治政府建设"
                       "情况的报告"),
            "青禾县");
}

TEST(ReadRegionTest, TemplatePlaceholderIsNoRegion) {
  EXPECT_EQ(ReadRegion("XX县20XX年度法治政府建设情况报告"), "");
  EXPECT_EQ(ReadRegion("××县2023年度法治政府建设情况报告"), "");
}

TEST(ReadRegionTest, NoRegion) {
  EXPECT_EQ(ReadRegion("关于2023年度法治政府建设情况的报告"), "");
}

TEST(ReadMetadataTest, SituationReport) {
  const v1::ReportMetadata md = Read("青禾县2023年度法治政府建设情况报告");
  EXPECT_EQ(md.region(), "青禾县");
  EXPECT_EQ(md.year(), 2023);
  EXPECT_EQ(md.report_type(), v1::REPORT_TYPE_SITUATION_REPORT);
  EXPECT_TRUE(md.is_law_based_government_report());
  EXPECT_THAT(md.classification_reason(), HasSubstr("情况"));
}

TEST(ReadMetadataTest, GovernmentAboutSituation) {
  const v1::ReportMetadata md =
      Read("青禾县人民政府关于2023年度法治政府建设情况的报告");
  EXPECT_EQ(md.region(), "青禾县");
  EXPECT_EQ(md.year(), 2023);
  EXPECT_EQ(md.report_type(), v1::REPORT_TYPE_SITUATION_REPORT);
}

TEST(ReadMetadataTest, YearFirstWithoutReportWord) {
  const v1::ReportMetadata md = Read("2025年青禾县法治政府建设情况");
  EXPECT_EQ(md.region(), "青禾县");
  EXPECT_EQ(md.year(), 2025);
  EXPECT_EQ(md.report_type(), v1::REPORT_TYPE_SITUATION_REPORT);
  EXPECT_TRUE(md.is_law_based_government_report());
}

// A leader's report on the duties of first person responsible: filed under
// its own type, so that it never replaces the government's report.
TEST(ReadMetadataTest, DutyReport) {
  const v1::ReportMetadata md = Read(
      "雁坪县人民政府县长2022年度履行推进法治建设第一责任人职责情况的报告");
  EXPECT_EQ(md.region(), "雁坪县");
  EXPECT_EQ(md.year(), 2022);
  EXPECT_EQ(md.report_type(), v1::REPORT_TYPE_DUTY_REPORT);
  EXPECT_TRUE(md.is_law_based_government_report());
  EXPECT_EQ(Read("青禾县县长2023年度述法报告").report_type(),
            v1::REPORT_TYPE_DUTY_REPORT);
  EXPECT_EQ(Read("青禾县县长2023年度履行推进法治建设第一责任人职责情况")
                .report_type(),
            v1::REPORT_TYPE_DUTY_REPORT);
  // A combined title is the government's report; a 述法评议 is no report.
  EXPECT_EQ(Read("青禾县2023年法治政府建设年度报告暨县长履行推进法治建设"
                 "第一责任人职责情况报告")
                .report_type(),
            v1::REPORT_TYPE_SITUATION_REPORT);
  EXPECT_NE(Read("青禾县2023年度述法评议工作方案").report_type(),
            v1::REPORT_TYPE_DUTY_REPORT);
}

// A line of page furniture the residue does not know, before the title: a
// sure title a little below is taken; a body line that only names the
// family of reports is not.
TEST(FindTitleTest, ASureTitleAFewLinesDownIsTaken) {
  const std::string t =
      "网站导航 "
      "无障碍阅读\n\n青禾县人民政府关于2023年度法治政府建设情况的报告\n"
      "一、主要工作\n";
  EXPECT_EQ(TitleOf(t), "青禾县人民政府关于2023年度法治政府建设情况的报告");
  const std::string no_title =
      "县人大常委会:\n现将本县推进法治政府建设的有关工作情况报告如下。\n";
  EXPECT_EQ(TitleOf(no_title), "");
  // A heading is the body begun, never a title, though it names the family.
  const std::string heading_first =
      "县人大常委会:\n一、2023年法治政府建设情况\n全年办理案件12件。\n";
  EXPECT_EQ(TitleOf(heading_first), "");
}

// A 工作总结 is a work report.
TEST(ReadMetadataTest, WorkSummary) {
  const v1::ReportMetadata md = Read("哈达勒旗2019年法治政府建设工作总结");
  EXPECT_EQ(md.region(), "哈达勒旗");
  EXPECT_EQ(md.year(), 2019);
  EXPECT_EQ(md.report_type(), v1::REPORT_TYPE_WORK_REPORT);
  EXPECT_TRUE(md.is_law_based_government_report());
}

// A title typed with spaces about its figures.
TEST(ReadMetadataTest, YearWithASpaceBeforeNian) {
  EXPECT_EQ(Read("青禾县人民政府关于2023 年度法治政府建设情况的报告").year(),
            2023);
  EXPECT_EQ(
      Read("青禾县人民政府关于2023\u3000年度法治政府建设情况的报告").year(),
      2023);
  EXPECT_EQ(Read("青禾县人民政府关于2023  年度法治政府建设情况的报告").year(),
            2023);
  EXPECT_EQ(Read("青禾县人民政府关于2023法治政府建设情况的报告").year(), 0);
}

// A year in numerals (二〇二三年, 二零二三年, 二○二三年 with a white circle),
// in the title or opening the body, is read as its digits; the title is
// kept as written.
TEST(ReadMetadataTest, YearInNumerals) {
  for (const char* title :
       {"青禾县人民政府关于二〇二三年度法治政府建设情况的报告",
        "二零二三年度青禾县法治政府建设情况报告",
        "青禾县二○二三年法治政府建设工作报告"}) {
    const v1::ReportMetadata md = Read(title);
    EXPECT_EQ(md.year(), 2023) << title;
    EXPECT_EQ(md.region(), "青禾县") << title;
    EXPECT_EQ(md.title(), Folded(title));
  }
  EXPECT_EQ(Read("青禾县法治政府建设情况报告", "二〇二二年，全县…").year(),
            2022);
  // Not a year: fewer than four numerals, or no 年 after them.
  EXPECT_EQ(WithArabicYears("二〇二三年"), "2023年");
  EXPECT_EQ(WithArabicYears("一九九九年至二〇〇五年"), "1999年至2005年");
  EXPECT_EQ(WithArabicYears("二十三年"), "二十三年");
  EXPECT_EQ(WithArabicYears("二〇二三届"), "二〇二三届");
  // A text cut inside a character is read up to the cut, never past it: the
  // cut bytes sit at the very end of a heap block of their own size, where
  // AddressSanitizer sees a read past them.
  const std::string whole = "二〇二三";
  const auto block = std::make_unique<char[]>(10);
  std::memcpy(block.get(), whole.data(), 10);
  const std::string_view cut(block.get(), 10);
  EXPECT_EQ(WithArabicYears(cut), std::string(cut));
}

TEST(ReadMetadataTest, DistrictWorkReport) {
  const v1::ReportMetadata md =
      Read("云川市青禾区人民政府2022年度法治政府建设工作报告");
  EXPECT_EQ(md.region(), "云川市青禾区");
  EXPECT_EQ(md.year(), 2022);
  EXPECT_EQ(md.report_type(), v1::REPORT_TYPE_WORK_REPORT);
  EXPECT_TRUE(md.is_law_based_government_report());
}

TEST(ReadMetadataTest, LawBasedAdministrationWorkReport) {
  const v1::ReportMetadata md = Read(
      "青禾县人民政府关于2023年度法治政府建设（依法行政）工作情况的报告");
  EXPECT_EQ(md.report_type(), v1::REPORT_TYPE_WORK_REPORT);
  EXPECT_EQ(md.year(), 2023);
}

TEST(ReadMetadataTest, AnnualReport) {
  const v1::ReportMetadata md = Read("青禾县法治政府建设2023年度报告");
  EXPECT_EQ(md.report_type(), v1::REPORT_TYPE_ANNUAL_REPORT);
  EXPECT_EQ(md.year(), 2023);
  EXPECT_TRUE(md.is_law_based_government_report());
}

TEST(ReadMetadataTest, FullWidthDigitsInTitle) {
  const v1::ReportMetadata md = Read("青禾县２０２３年度法治政府建设情况报告");
  EXPECT_EQ(md.year(), 2023);
  EXPECT_EQ(md.region(), "青禾县");
}

TEST(ReadMetadataTest, YearFromTheBodyWhenTheTitleHasNone) {
  const v1::ReportMetadata md =
      Read("青禾县法治政府建设情况报告", "2023年，青禾县扎实推进法治政府建设。");
  EXPECT_EQ(md.year(), 2023);
}

TEST(ReadMetadataTest, InformationDisclosureIsALookAlike) {
  const v1::ReportMetadata md =
      Read("青禾县人民政府2023年政府信息公开工作年度报告");
  EXPECT_EQ(md.report_type(), v1::REPORT_TYPE_INFORMATION_DISCLOSURE);
  EXPECT_FALSE(md.is_law_based_government_report());
  EXPECT_THAT(md.classification_reason(), HasSubstr("政府信息公开"));
}

TEST(ReadMetadataTest, WorkPlanIsALookAlike) {
  const v1::ReportMetadata md = Read("青禾县2024年法治政府建设工作要点");
  EXPECT_EQ(md.report_type(), v1::REPORT_TYPE_WORK_PLAN);
  EXPECT_FALSE(md.is_law_based_government_report());
  EXPECT_FALSE(md.classification_reason().empty());
}

TEST(ReadMetadataTest, TemplateByTitle) {
  const v1::ReportMetadata md = Read("XX县20XX年度法治政府建设情况报告");
  EXPECT_EQ(md.report_type(), v1::REPORT_TYPE_TEMPLATE);
  EXPECT_FALSE(md.is_law_based_government_report());
  EXPECT_EQ(md.year(), 0);
}

TEST(ReadMetadataTest, TemplateByBodyPlaceholders) {
  const v1::ReportMetadata md =
      Read("青禾县2023年度法治政府建设情况报告",
           "全年开展专题学法＊次，审查规范性文件XX件，办理复议案件XX件。");
  EXPECT_EQ(md.report_type(), v1::REPORT_TYPE_TEMPLATE);
  EXPECT_FALSE(md.is_law_based_government_report());
  EXPECT_THAT(md.classification_reason(), HasSubstr("placeholder"));
}

// Markdown's bold about a figure (受理**126**件) is no placeholder; stars
// after a word still are (受理**件).
TEST(ReadMetadataTest, BoldFiguresAreNoPlaceholders) {
  EXPECT_NE(Read("青禾县2023年度法治政府建设情况报告",
                 "受理**126**件，办结**118**件，审结**9**件。")
                .report_type(),
            v1::REPORT_TYPE_TEMPLATE);
  EXPECT_EQ(Read("青禾县2023年度法治政府建设情况报告",
                 "受理**件，办结**件，审结**件。")
                .report_type(),
            v1::REPORT_TYPE_TEMPLATE);
}

TEST(ReadMetadataTest, OnePlaceholderLikeFigureIsNoTemplate) {
  // A single × in a real body (a multiplication) does not make a template.
  const v1::ReportMetadata md = Read("青禾县2023年度法治政府建设情况报告",
                                     "实行“5×8小时”值守，全年受理咨询120件。");
  EXPECT_EQ(md.report_type(), v1::REPORT_TYPE_SITUATION_REPORT);
}

TEST(ReadMetadataTest, OtherDocumentsAreNotReports) {
  const v1::ReportMetadata court = Read("云川市中级人民法院行政审判白皮书");
  EXPECT_EQ(court.report_type(), v1::REPORT_TYPE_OTHER);
  EXPECT_FALSE(court.is_law_based_government_report());
  const v1::ReportMetadata none = Read("");
  EXPECT_EQ(none.report_type(), v1::REPORT_TYPE_OTHER);
  EXPECT_FALSE(none.is_law_based_government_report());
  EXPECT_FALSE(none.classification_reason().empty());
}

// A gazette's notice wraps the report: its document number, its title
// (…关于印发《…报告》的通知), addressees, a paragraph of sentences, the office
// and date; the report's own title stands below them all.
TEST(FindTitleTest, TheReportInsideAGazettesNotice) {
  const std::string t = Folded(
      "青禾县政办发〔2024〕6号\n"
      "青禾县人民政府办公室关于印发《青禾县2023年度法治政府建设情况报告》的通知"
      "\n"
      "各乡镇人民政府，县政府各部门：\n"
      "现将《青禾县2023年度法治政府建设情况报告》印发给你们，请认真贯彻落实。\n"
      "青禾县人民政府办公室\n"
      "2024年3月20日\n"
      "青禾县2023年度法治政府建设情况报告\n"
      "一、主要工作\n");
  EXPECT_EQ(TitleOf(t), "青禾县2023年度法治政府建设情况报告");
  // Without the notice, a sentence ends the search for a title.
  const std::string plain = Folded(
      "青禾县政办发〔2024〕6号\n各乡镇人民政府：\n现将有关事项通知如下。\n"
      "青禾县2023年度法治政府建设情况报告\n");
  EXPECT_EQ(TitleOf(plain), "");
}

TEST(FindTitleTest, FirstLine) {
  const std::string t = Folded("青禾县2023年度法治政府建设情况报告\n2023年，青禾县…\n");
  const TitleSpan span = FindTitle(t, 0);
  EXPECT_EQ(TitleOf(t), "青禾县2023年度法治政府建设情况报告");
  EXPECT_EQ(span.body_start, span.span.end);
}

TEST(FindTitleTest, AfterLeadingResidue) {
  const std::string t = Folded("|\n青禾县2023年度法治政府建设情况报告\n正文。\n");
  EXPECT_EQ(TitleOf(t, 2), "青禾县2023年度法治政府建设情况报告");
}

TEST(FindTitleTest, JointTitleOnTwoLines) {
  const std::string t = Folded(
      "中共青禾县委　青禾县人民政府\n关于2023年度法治政府建设情况的报告\n"
      "2023年，县委、县政府……\n");
  EXPECT_EQ(TitleOf(t),
            "中共青禾县委 青禾县人民政府\n关于2023年度法治政府建设情况的报告");
}

TEST(FindTitleTest, FlattenedPageTakesTheHead) {
  const std::string t = Folded(
      "青禾县2023年度法治政府建设情况报告 2023年，青禾县扎实推进法治政府建设。"
      "一、主要工作情况 全年审查文件12件。");
  const TitleSpan span = FindTitle(t, 0);
  EXPECT_EQ(TitleOf(t), "青禾县2023年度法治政府建设情况报告");
  EXPECT_EQ(span.body_start, span.span.end);
}

TEST(FindTitleTest, BodyLineIsNoTitle) {
  const std::string t = Folded("2023年，青禾县扎实推进法治政府建设。\n");
  EXPECT_EQ(TitleOf(t), "");
}

TEST(FindTitleTest, HeadingLineIsNoTitle) {
  // 主要工作情况 holds a title word, but a line opening with a heading
  // marker is the first section, not the title.
  for (const char* line : {"一、主要工作情况\n全年审查文件12件。\n",
                           "（一）法治政府建设情况\n全年审查文件12件。\n",
                           "1.依法行政工作情况\n全年审查文件12件。\n"}) {
    const std::string t = Folded(line);
    EXPECT_EQ(TitleOf(t), "") << line;
    EXPECT_EQ(FindTitle(t, 0).body_start, 0u) << line;
  }
}


TEST(ReadRegionTest, RegionAfterGuanyu) {
  EXPECT_EQ(ReadRegion("关于石嘴山市2021年度依法行政工作情况的报告"), "石嘴山市");
}

TEST(ReadRegionTest, WholeCountyIsNoRegionName) {
  EXPECT_EQ(ReadRegion("2024年全县法治政府建设工作要点"), "");
  EXPECT_EQ(ReadRegion("本市2023年法治政府建设情况报告"), "");
}

// Departments publish these reports too: each is filed under the
// department, so it never stands for its government's report.
TEST(ReadRegionTest, DepartmentIsFiledUnderItsOwnName) {
  EXPECT_EQ(ReadRegion("青禾县市场监督管理局2025年法治政府建设工作情况报告"),
            "青禾县市场监督管理局");
  EXPECT_EQ(ReadRegion("云川市临水区生态环境局2024年度法治政府建设情况报告"),
            "云川市临水区生态环境局");
  EXPECT_EQ(ReadRegion("云川市住房和城乡建设局2023年法治政府建设情况报告"),
            "云川市住房和城乡建设局");
  EXPECT_EQ(ReadRegion("青禾县司法局2023年法治政府建设情况报告"),
            "青禾县司法局");
  EXPECT_EQ(ReadRegion("XX县司法局2023年法治政府建设情况报告"), "");
}

// A development zone's 管理委员会 is its government.
TEST(ReadRegionTest, ZoneCommittee) {
  EXPECT_EQ(
      ReadRegion(
          "松溥经济开发区管理委员会关于2023年度法治政府建设工作情况的报告"),
      "松溥经济开发区");
  EXPECT_EQ(ReadRegion("青禾高新区管委会2024年法治政府建设情况报告"),
            "青禾高新区");
  // A city's commission of that name is a department, filed as one.
  EXPECT_EQ(ReadRegion("云川市城市管理委员会2024年法治政府建设情况报告"),
            "云川市城市管理委员会");
}

// A 街道's office is its government.
TEST(ReadRegionTest, StreetOffice) {
  EXPECT_EQ(ReadRegion("云川市临水区青禾街道办事处2024年法治政府建设情况报告"),
            "云川市临水区青禾街道");
}

}  // namespace
}  // namespace reportpipe::segmenter
