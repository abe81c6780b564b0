#include "services/extractor/extractor.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "google/protobuf/arena.h"
#include "gtest/gtest.h"
#include "lib/config/config_loader.h"
#include "lib/text/utf8.h"
#include "services/extractor/examples.h"
#include "services/extractor/gold_scorer.h"
#include "services/segmenter/segmenter.h"

namespace reportpipe::extractor {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kRoot = REPORTPIPE_SOURCE_DIR;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

class ExtractorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = config::LoadExtractorConfig(kRoot + "/config");
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    config_ = new config::ExtractorConfig(*std::move(loaded));
    auto created = Extractor::Create(*config_);
    ASSERT_TRUE(created.ok()) << created.status();
    extractor_ = created->release();
  }
  static void TearDownTestSuite() {
    delete extractor_;
    delete config_;
  }

  static v1::ExtractedReport ExtractFile(const std::string& path) {
    return ExtractText(path, ReadAll(path));
  }

  // Segments and extracts a report's text as the chain does.
  static v1::ExtractedReport ExtractText(const std::string& id,
                                         const std::string& text) {
    v1::Report report;
    report.set_id(id);
    report.set_text(text);
    auto segmented = segmenter::SegmentReport(report, {});
    EXPECT_TRUE(segmented.ok()) << segmented.status();
    auto extracted = extractor_->Extract(*segmented);
    EXPECT_TRUE(extracted.ok()) << extracted.status();
    return extracted.ok() ? *extracted : v1::ExtractedReport();
  }

  static config::ExtractorConfig* config_;
  static Extractor* extractor_;
};

config::ExtractorConfig* ExtractorTest::config_ = nullptr;
Extractor* ExtractorTest::extractor_ = nullptr;

// Every example in the pack and the catalog gives exactly what it lists:
// the phenomena (numerals, qualifiers, lists, changes, targets, non-metrics)
// and every indicator's own sentences.
TEST_F(ExtractorTest, EveryPackAndCatalogExamplePasses) {
  const ExampleReport report = CheckExamples(*extractor_, *config_);
  EXPECT_GT(report.examples, 100);
  for (const ExampleFailure& f : report.failures) {
    ADD_FAILURE() << f.owner << ": " << f.text << "\n  " << f.problem;
  }
}

TEST_F(ExtractorTest, EveryIndicatorHasAnExample) {
  for (const auto& indicator : config_->catalog.indicators()) {
    EXPECT_GT(indicator.examples_size(), 0) << indicator.id();
  }
}

// The real report against its gold file: the bar the issue sets.
TEST_F(ExtractorTest, RealReportMeetsTheGoldFile) {
  const std::string corpus = kRoot + "/../shared/corpus/";
  const v1::ExtractedReport extracted =
      ExtractFile(corpus + "pingluo-2023.txt");
  auto gold = LoadGold(corpus + "pingluo-2023.gold.jsonl");
  ASSERT_TRUE(gold.ok()) << gold.status();
  const GoldScore score = ScoreAgainstGold(*gold, extracted.metrics());
  std::string problems;
  for (const std::string& p : score.problems) problems += "\n  " + p;
  EXPECT_GE(score.recall, 0.98) << problems;
  EXPECT_GE(score.precision, 0.98) << problems;
  EXPECT_GE(score.label_accuracy, 0.95) << problems;
  EXPECT_EQ(score.required, 59);
}

// The SYNTHETIC reports in other phrasings (tests/fixtures/corpus/README.md)
// against their gold files: the same bar as the real report.
TEST_F(ExtractorTest, SyntheticReportsMeetTheirGoldFiles) {
  const std::string dir = kRoot + "/tests/fixtures/corpus/";
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string path = entry.path().string();
    if (entry.path().extension() != ".txt") continue;
    ++files;
    const std::string gold_path =
        path.substr(0, path.size() - 4) + ".gold.jsonl";
    auto gold = LoadGold(gold_path);
    ASSERT_TRUE(gold.ok()) << gold.status();
    const GoldScore score =
        ScoreAgainstGold(*gold, ExtractFile(path).metrics());
    std::string problems;
    for (const std::string& p : score.problems) problems += "\n  " + p;
    EXPECT_GE(score.recall, 0.98) << path << problems;
    EXPECT_GE(score.precision, 0.98) << path << problems;
    EXPECT_GE(score.label_accuracy, 0.93) << path << problems;
  }
  EXPECT_GE(files, 13);
}

// The SYNTHETIC reports read below that bar (tests/fixtures/held-out/
// README.md), each at no less than it is read now.
TEST_F(ExtractorTest, HeldOutReportsKeepTheirFloor) {
  struct Floor {
    const char* name;
    double recall, precision, labels;
  };
  for (const Floor& f : {Floor{"shiban-z-2024", 0.93, 1.0, 0.88}}) {
    const std::string path =
        kRoot + "/tests/fixtures/held-out/" + f.name + ".txt";
    auto gold = LoadGold(path.substr(0, path.size() - 4) + ".gold.jsonl");
    ASSERT_TRUE(gold.ok()) << gold.status();
    const GoldScore score =
        ScoreAgainstGold(*gold, ExtractFile(path).metrics());
    EXPECT_GE(score.recall, f.recall) << f.name;
    EXPECT_GE(score.precision, f.precision) << f.name;
    EXPECT_GE(score.label_accuracy, f.labels) << f.name;
  }
}

// A report turned into markdown (SYNTHETIC, 青禾县 is fictional): its title
// after #, a bold run-in heading, and a table of two years whose cells have
// no measure of their own. The report's year gives VALUEs, the year before
// PRIORs, each spanning its cell; the header and the rule give nothing.
TEST_F(ExtractorTest, ReadsAMarkdownTableOfTwoYears) {
  const std::string text =
      ("# 青禾县2023年度法治政府建设情况报告\n\n"
       "## 一、主要工作\n\n"
       "**（一）严格执法。**全年办理行政处罚案件6,842件。\n\n"
       "表1 2023年法治政府建设主要指标完成情况对照表\n"
       "| 指标 | 2022年 | 2023年 |\n"
       "|---|---|---|\n"
       "| 行政复议申请（件） | 548 | 612 |\n"
       "| 败诉率（%） | 9.2 | 6.8 |\n"
       "| 罚没款（万元） | 4,386.5 | 3,120 |\n"
       "\n"
       "| 单位 | 复议 | 诉讼 |\n"
       "| 市市场监管局 | 35 | 12 |\n");
  const v1::ExtractedReport extracted = ExtractText("markdown", text);
  EXPECT_EQ(extracted.report().metadata().region(), "青禾县");
  std::vector<std::string> got;
  for (const v1::Metric& m : extracted.metrics()) {
    got.push_back(absl::StrCat(
        m.indicator(), " ", m.value(), m.unit(), " ",
        v1::MetricKind_Name(m.kind()), " ",
        text.substr(m.span().start(), m.span().end() - m.span().start())));
  }
  EXPECT_THAT(got, ElementsAre("行政处罚案件 6842件 METRIC_KIND_VALUE 6,842件",
                               "行政复议申请 548件 METRIC_KIND_PRIOR 548",
                               "行政复议申请 612件 METRIC_KIND_VALUE 612",
                               "败诉率 9.2% METRIC_KIND_PRIOR 9.2",
                               "败诉率 6.8% METRIC_KIND_VALUE 6.8",
                               "罚没款 4.3865e+07元 METRIC_KIND_PRIOR 4,386.5",
                               "罚没款 3.12e+07元 METRIC_KIND_VALUE 3,120"));
  for (const v1::Metric& m : extracted.metrics()) {
    if (m.pattern() == "table.cell" && m.kind() == v1::METRIC_KIND_PRIOR) {
      EXPECT_EQ(m.period().year(), 2022) << m.indicator();
    }
  }
}

// The years of a table's header are the report's to compare with: a column
// after the report's year is a target.
TEST_F(ExtractorTest, ATableColumnAfterTheReportsYearIsATarget) {
  const v1::ExtractedReport extracted =
      ExtractText("plan-table",
                  "青禾县2023年度法治政府建设情况报告\n"
                  "一、主要工作\n"
                  "| 指标 | 2022年 | 2023年 | 2024年 |\n"
                  "| 败诉率（%） | 9.2 | 6.8 | 5 |\n");
  std::vector<std::string> kinds;
  for (const v1::Metric& m : extracted.metrics()) {
    kinds.push_back(
        absl::StrCat(m.value(), " ", v1::MetricKind_Name(m.kind())));
  }
  EXPECT_THAT(kinds,
              ElementsAre("9.2 METRIC_KIND_PRIOR", "6.8 METRIC_KIND_VALUE",
                          "5 METRIC_KIND_TARGET"));
}

// An appendix after the plan (SYNTHETIC): its own part, not the plan's (a
// point alone on its line is read, as a sentence), and
// a table typed with bars between the cells only, under a header that names
// what its columns hold. Each row gives a VALUE in its 单位 (万元 to 元) and
// a CHANGE whose direction is its sign (a rate's, with no measure written,
// in percentage points); a cell of — gives none. The caption
// and rows are lines of their own, not one run-on sentence.
TEST_F(ExtractorTest, ReadsAnAppendixTableOfValuesUnitsAndChanges) {
  const v1::ExtractedReport extracted =
      ExtractText("appendix",
                  "白泉市2022年度法治政府建设情况报告\n"
                  "一、主要工作\n全年办理行政复议案件312件。\n"
                  "二、2023年工作安排\n一是全程网办率提高到95%以上\n"
                  "附表：2022年度法治政府建设主要指标\n"
                  "指标名称 | 数值 | 单位 | 同比\n"
                  "罚没款 | 2316.8 | 万元 | -12.6%\n"
                  "行政诉讼败诉率 | 4.1 | % | -1.2个百分点\n"
                  "出庭应诉率 | 96.8 | % | —\n"
                  "复议纠错率 | 12.2 | % | -1.5\n");
  std::vector<std::string> read;
  for (const v1::Metric& m : extracted.metrics()) {
    read.push_back(absl::StrCat(m.indicator(), " ",
                                absl::StrFormat("%.10g", m.value()), " ",
                                m.unit(), " ", v1::MetricKind_Name(m.kind()),
                                " ", v1::Direction_Name(m.direction())));
  }
  EXPECT_THAT(
      read, ElementsAre(
                "行政复议案件 312 件 METRIC_KIND_VALUE DIRECTION_UNSPECIFIED",
                "全程网办率 95 % METRIC_KIND_TARGET DIRECTION_UNSPECIFIED",
                "罚没款 23168000 元 METRIC_KIND_VALUE DIRECTION_UNSPECIFIED",
                "罚没款 12.6 % METRIC_KIND_CHANGE DIRECTION_DOWN",
                "行政诉讼败诉率 4.1 % METRIC_KIND_VALUE DIRECTION_UNSPECIFIED",
                "行政诉讼败诉率 1.2 pp METRIC_KIND_CHANGE DIRECTION_DOWN",
                "出庭应诉率 96.8 % METRIC_KIND_VALUE DIRECTION_UNSPECIFIED",
                "复议纠错率 12.2 % METRIC_KIND_VALUE DIRECTION_UNSPECIFIED",
                "复议纠错率 1.5 pp METRIC_KIND_CHANGE DIRECTION_DOWN"));
}

// Text copied out of a PDF (tests/fixtures/segmenter/wrapped-pdf.txt,
// SYNTHETIC): a figure and its label on two lines, or on two pages with a
// page number and running header between, are read as one; the sentence a
// metric carries says what the report says, without the breaks and the
// page's residue, and spans still index the original bytes.
TEST_F(ExtractorTest, ReadsAcrossTheLineAndPageBreaksOfAPdf) {
  const std::string path = kRoot + "/tests/fixtures/segmenter/wrapped-pdf.txt";
  const v1::ExtractedReport extracted = ExtractFile(path);
  const std::string original = ReadAll(path);
  auto find = [&](double value, const std::string& unit) -> const v1::Metric* {
    for (const v1::Metric& m : extracted.metrics()) {
      if (m.value() == value && m.unit() == unit) return &m;
    }
    return nullptr;
  };
  const v1::Metric* sessions = find(21, "次");
  ASSERT_NE(sessions, nullptr);
  EXPECT_THAT(sessions->indicator(), HasSubstr("会前学法"));
  const v1::Metric* fines = find(43865000, "元");
  ASSERT_NE(fines, nullptr);
  EXPECT_THAT(fines->indicator(), HasSubstr("罚没款"));
  EXPECT_EQ(original.substr(fines->span().start(),
                            fines->span().end() - fines->span().start()),
            "4,386.5万元");
  EXPECT_EQ(fines->sentence(),
            "全县各执法部门全年办理行政处罚案件2,917件，依法收缴罚没款"
            "4,386.5万元，同比分别增长9.6%、4.2%。");
  const v1::Metric* cases_up = find(9.6, "%");
  const v1::Metric* fines_up = find(4.2, "%");
  ASSERT_TRUE(cases_up != nullptr && fines_up != nullptr);
  EXPECT_THAT(cases_up->indicator(), HasSubstr("行政处罚案件"));
  EXPECT_THAT(fines_up->indicator(), HasSubstr("罚没款"));
  EXPECT_EQ(fines_up->kind(), v1::METRIC_KIND_CHANGE);
  // No metric is read from the page number or the header (2024年度), and
  // no sentence keeps a break.
  ASSERT_GT(extracted.report().segments_size(), 0);
  for (const v1::Metric& m : extracted.metrics()) {
    EXPECT_EQ(m.sentence().find('\n'), std::string::npos) << m.sentence();
    for (const v1::Segment& s : extracted.report().segments()) {
      if (s.kind() != v1::SEGMENT_KIND_RESIDUE) continue;
      EXPECT_TRUE(m.span().end() <= s.span().start() ||
                  m.span().start() >= s.span().end())
          << m.indicator() << " " << m.value();
    }
  }
}

// An earlier year's figure stated with 为 is a PRIOR of the figure before;
// the report's own year so stated is not.
TEST_F(ExtractorTest, AYearsFigureWithWeiIsAPriorOnlyForAnEarlierYear) {
  const std::string sentence = "全年新收复议案件18件，2023年为15件。";
  const std::vector<v1::Metric> in_2024 =
      extractor_->ExtractSentence(sentence, false, 2024);
  ASSERT_EQ(in_2024.size(), 2u);
  EXPECT_EQ(in_2024[1].kind(), v1::METRIC_KIND_PRIOR);
  EXPECT_THAT(in_2024[1].indicator(), HasSubstr("复议案件"));
  const std::vector<v1::Metric> in_2023 =
      extractor_->ExtractSentence(sentence, false, 2023);
  ASSERT_EQ(in_2023.size(), 2u);
  EXPECT_NE(in_2023[1].kind(), v1::METRIC_KIND_PRIOR);
}

// The same text with Windows line ends (\r\n): the \r goes with the break.
TEST_F(ExtractorTest, ReadsAcrossCrLfLineBreaks) {
  std::string text =
      ReadAll(kRoot + "/tests/fixtures/segmenter/wrapped-pdf.txt");
  std::string crlf;
  for (const char c : text) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  v1::Report report;
  report.set_id("crlf");
  report.set_text(crlf);
  auto segmented = segmenter::SegmentReport(report, {});
  ASSERT_TRUE(segmented.ok()) << segmented.status();
  auto extracted = extractor_->Extract(*segmented);
  ASSERT_TRUE(extracted.ok()) << extracted.status();
  bool fines = false;
  for (const v1::Metric& m : extracted->metrics()) {
    EXPECT_EQ(m.sentence().find('\r'), std::string::npos) << m.sentence();
    if (m.value() == 43865000) {
      fines = true;
      EXPECT_THAT(m.indicator(), HasSubstr("罚没款"));
      EXPECT_EQ(
          crlf.substr(m.span().start(), m.span().end() - m.span().start()),
          "4,386.5万元");
    }
  }
  EXPECT_TRUE(fines);
}

// The real report typed with spaces about its figures (办理案件 35 件, 达
// 100% , 2023 年), in the three kinds of space a copied text holds: the same
// metrics, each span covering its figure with the spaces inside it.
TEST_F(ExtractorTest, SpacesAboutFiguresAreReadAsIfAbsent) {
  const std::string text =
      ReadAll(kRoot + "/../shared/corpus/pingluo-2023.txt");
  auto digit = [](char32_t c) { return c >= '0' && c <= '9'; };
  auto han = [](char32_t c) { return c >= 0x3400 && c <= 0x9FFF; };
  const std::string_view spaces[] = {" ", "\xC2\xA0", "\xE3\x80\x80"};
  std::string spaced;
  int added = 0;
  for (size_t p = 0; p < text.size();) {
    char32_t c = 0;
    const int n = text::DecodeUtf8(text, p, &c);
    spaced.append(text, p, n);
    p += n;
    char32_t next = 0;
    if (p < text.size()) text::DecodeUtf8(text, p, &next);
    if (((digit(c) || c == '%') && han(next)) || (han(c) && digit(next))) {
      spaced.append(spaces[added++ % 3]);
    }
  }
  ASSERT_GT(added, 100);
  const v1::ExtractedReport plain =
      ExtractFile(kRoot + "/../shared/corpus/pingluo-2023.txt");
  v1::Report report;
  report.set_id("spaced");
  report.set_text(spaced);
  auto segmented = segmenter::SegmentReport(report, {});
  ASSERT_TRUE(segmented.ok()) << segmented.status();
  EXPECT_EQ(segmented->metadata().year(), 2023);
  auto extracted = extractor_->Extract(*segmented);
  ASSERT_TRUE(extracted.ok()) << extracted.status();
  ASSERT_EQ(extracted->metrics_size(), plain.metrics_size());
  auto without_spaces = [&](const v1::Span& span) {
    std::string out;
    for (size_t p = span.start(); p < span.end();) {
      bool space = false;
      for (const std::string_view s : spaces) {
        if (spaced.compare(p, s.size(), s) == 0) {
          p += s.size();
          space = true;
          break;
        }
      }
      if (!space) out += spaced[p++];
    }
    return out;
  };
  for (int i = 0; i < plain.metrics_size(); ++i) {
    const v1::Metric& a = plain.metrics(i);
    const v1::Metric& b = extracted->metrics(i);
    EXPECT_EQ(b.value(), a.value()) << a.indicator();
    EXPECT_EQ(b.unit(), a.unit()) << a.indicator();
    EXPECT_EQ(b.indicator(), a.indicator());
    EXPECT_EQ(b.kind(), a.kind()) << a.indicator();
    EXPECT_EQ(without_spaces(b.span()),
              text.substr(a.span().start(), a.span().end() - a.span().start()));
  }
}

// Every span points at the number in the original bytes, and the sentence
// and section come along.
TEST_F(ExtractorTest, IdentityCopyCarriesTheSameMetricsWithoutTheText) {
  v1::Report report;
  report.set_id("pingluo");
  report.set_source("shared corpus");
  report.set_text(ReadAll(kRoot + "/../shared/corpus/pingluo-2023.txt"));
  auto segmented = segmenter::SegmentReport(report, {});
  ASSERT_TRUE(segmented.ok()) << segmented.status();
  const std::string hash = segmented->content_hash();
  ASSERT_FALSE(hash.empty());
  segmented->clear_content_hash();  // the extractor must compute it then
  auto whole = extractor_->Extract(*segmented, ReportCopy::kWhole);
  auto identity = extractor_->Extract(*segmented, ReportCopy::kIdentity);
  ASSERT_TRUE(whole.ok() && identity.ok());
  EXPECT_EQ(whole->report().text(), report.text());
  EXPECT_GT(whole->report().segments_size(), 0);
  EXPECT_TRUE(identity->report().text().empty());
  EXPECT_EQ(identity->report().segments_size(), 0);
  EXPECT_EQ(identity->report().content_hash(), hash);
  EXPECT_EQ(identity->report().report_id(), "pingluo");
  EXPECT_EQ(identity->report().source(), "shared corpus");
  EXPECT_EQ(identity->report().metadata().SerializeAsString(),
            whole->report().metadata().SerializeAsString());
  ASSERT_EQ(identity->metrics_size(), whole->metrics_size());
  ASSERT_GT(identity->metrics_size(), 50);
  for (int i = 0; i < identity->metrics_size(); ++i) {
    EXPECT_EQ(identity->metrics(i).SerializeAsString(),
              whole->metrics(i).SerializeAsString());
  }
}

// Examples and fuzzed packs reach ExtractSentence without a UTF-8 check: the
// bytes that are not UTF-8 fold to '?' and the rest is read as usual (the
// pack fuzzer found a read past the end of a label here once).
TEST_F(ExtractorTest, SentenceWithBytesThatAreNotUtf8IsStillRead) {
  const std::vector<v1::Metric> metrics = extractor_->ExtractSentence(
      "\xE4\xB8全年办理行政复议案件\xB8\xE4\xB8"
      "12件\xE4",
      false, 2023);
  ASSERT_EQ(metrics.size(), 1u);
  EXPECT_EQ(metrics[0].value(), 12);
  EXPECT_EQ(metrics[0].unit(), "件");
}

TEST_F(ExtractorTest, SpansPointIntoTheOriginalText) {
  const std::string path = kRoot + "/../shared/corpus/pingluo-2023.txt";
  const v1::ExtractedReport extracted = ExtractFile(path);
  const std::string& text = extracted.report().text();
  ASSERT_GT(extracted.metrics_size(), 50);
  for (const v1::Metric& m : extracted.metrics()) {
    ASSERT_LE(m.span().end(), text.size());
    const std::string at =
        text.substr(m.span().start(), m.span().end() - m.span().start());
    EXPECT_NE(at.find_first_of("0123456789"), std::string::npos) << at;
    EXPECT_THAT(m.sentence(), HasSubstr(at));
    EXPECT_FALSE(m.section().empty()) << m.indicator();
    EXPECT_FALSE(m.indicator().empty()) << at;
  }
}

TEST_F(ExtractorTest, FullWidthNumbersMapBackToTheirOriginalBytes) {
  v1::Report report;
  report.set_text(
      "青禾县2023年度法治政府建设情况报告\n全年办理行政处罚案件１，２０５件。"
      "\n");
  auto segmented = segmenter::SegmentReport(report, {});
  ASSERT_TRUE(segmented.ok());
  auto extracted = extractor_->Extract(*segmented);
  ASSERT_TRUE(extracted.ok());
  ASSERT_EQ(extracted->metrics_size(), 1);
  const v1::Metric& m = extracted->metrics(0);
  EXPECT_EQ(m.value(), 1205);
  EXPECT_EQ(
      report.text().substr(m.span().start(), m.span().end() - m.span().start()),
      "１，２０５件");
}

TEST_F(ExtractorTest, PlanSectionFiguresAreTargets) {
  v1::Report report;
  report.set_text(
      "青禾县2023年度法治政府建设情况报告\n一、主要成效\n败诉率为12%。\n"
      "二、2024年工作计划\n行政机关负责人出庭应诉率达到100%。\n");
  auto segmented = segmenter::SegmentReport(report, {});
  ASSERT_TRUE(segmented.ok());
  auto extracted = extractor_->Extract(*segmented);
  ASSERT_TRUE(extracted.ok());
  ASSERT_EQ(extracted->metrics_size(), 2);
  EXPECT_EQ(extracted->metrics(0).kind(), v1::METRIC_KIND_VALUE);
  EXPECT_EQ(extracted->metrics(1).kind(), v1::METRIC_KIND_TARGET);
  EXPECT_EQ(extracted->metrics(1).section(), "二");
}

// A figure's year is the first written as digits (19xx年, 20xx年) in its
// clause before it; the report's year when the clause names none.
TEST_F(ExtractorTest, AFigureTakesTheFirstYearWrittenInItsClause) {
  const struct {
    const char* sentence;
    int year;
  } kCases[] = {
      {"2019年和2020年共办理行政复议案件12件。", 2019},
      {"1999年设立的调解中心受理纠纷12件。", 1999},
      {"上年度结转行政复议案件12件。", 2023},
      {"全年办理行政复议案件12件，2021年为9件。", 2023},
  };
  for (const auto& c : kCases) {
    const std::vector<v1::Metric> metrics =
        extractor_->ExtractSentence(c.sentence, /*plan=*/false, 2023);
    ASSERT_FALSE(metrics.empty()) << c.sentence;
    EXPECT_EQ(metrics[0].value(), 12) << c.sentence;
    EXPECT_EQ(metrics[0].period().year(), c.year) << c.sentence;
  }
}

// A figure after a target marker (力争, 确保 …) is a target; one after a
// cumulative marker (累计, 连续 …) covers that period. Both kinds are found
// by one scan for the first marker of either and a second for the other
// kind from there: each order, each alone, and neither.
// The sentences are SYNTHETIC.
TEST_F(ExtractorTest, TargetAndCumulativeMarkersApplyToTheFiguresAfterThem) {
  const struct {
    const char* sentence;
    std::vector<v1::MetricKind> kinds;
    std::vector<std::string> periods;  // "" for the report's year
  } kCases[] = {
      {"调解纠纷12件，力争调解成功率达到95%。",
       {v1::METRIC_KIND_VALUE, v1::METRIC_KIND_TARGET},
       {"", ""}},
      {"调解纠纷12件，累计调解纠纷300件。",
       {v1::METRIC_KIND_VALUE, v1::METRIC_KIND_VALUE},
       {"", "累计"}},
      {"力争调解纠纷12件，累计调解纠纷300件。",
       {v1::METRIC_KIND_TARGET, v1::METRIC_KIND_TARGET},
       {"", "累计"}},
      {"调解纠纷12件，累计调解纠纷300件，确保调解成功率达到95%。",
       {v1::METRIC_KIND_VALUE, v1::METRIC_KIND_VALUE, v1::METRIC_KIND_TARGET},
       {"", "累计", "累计"}},
      {"连续3年调解纠纷超过12件，计划再调解纠纷30件。",
       {v1::METRIC_KIND_VALUE, v1::METRIC_KIND_VALUE, v1::METRIC_KIND_TARGET},
       {"连续", "连续", "连续"}},
      {"调解纠纷12件，调解成功率95%。",
       {v1::METRIC_KIND_VALUE, v1::METRIC_KIND_VALUE},
       {"", ""}},
  };
  for (const auto& c : kCases) {
    const std::vector<v1::Metric> metrics =
        extractor_->ExtractSentence(c.sentence, /*plan=*/false, 2023);
    ASSERT_EQ(metrics.size(), c.kinds.size()) << c.sentence;
    for (size_t i = 0; i < metrics.size(); ++i) {
      EXPECT_EQ(metrics[i].kind(), c.kinds[i]) << c.sentence << " #" << i;
      EXPECT_EQ(metrics[i].period().text(), c.periods[i])
          << c.sentence << " #" << i;
      EXPECT_EQ(metrics[i].period().kind(), c.periods[i].empty()
                                                ? v1::PERIOD_KIND_YEAR
                                                : v1::PERIOD_KIND_CUMULATIVE)
          << c.sentence << " #" << i;
    }
  }
}

// A count whose clause names nothing takes the clause before; when a 。
// ends that clause inside the sentence (a sentence the segmenter kept
// whole, or an example), the clause before ends where the 。 starts. The
// sentence is SYNTHETIC.
TEST_F(ExtractorTest, APreviousClauseEndedByAFullStopGivesTheLabel) {
  const std::vector<v1::Metric> metrics = extractor_->ExtractSentence(
      "规范政府信息公开申请。全年办理18件。", /*plan=*/false, 2023);
  ASSERT_EQ(metrics.size(), 1u);
  EXPECT_EQ(metrics[0].value(), 18);
  EXPECT_EQ(metrics[0].indicator(), "规范政府信息公开申请");
  EXPECT_EQ(metrics[0].pattern(), "count.previous_clause");
}

// SYNTHETIC, after a blind report: the applications refused (不予受理) are
// no count of those accepted, and a share cut (压缩比例) is of the time cut
// before it.
TEST_F(ExtractorTest, ARefusalIsNotAnAcceptanceAndACutShareNamesWhatWasCut) {
  const v1::ExtractedReport extracted = ExtractText(
      "refused",
      "某县2023年法治政府建设情况报告\n一、主要工作\n"
      "全年收到行政复议申请186件，受理177件（其中不予受理9件）。"
      "推行“拿地即开工”，全流程审批时限由80个工作日压缩至20个工作日，"
      "压缩比例达75%。\n");
  int refused = 0, accepted = 0, cut = 0;
  for (const v1::Metric& m : extracted.metrics()) {
    if (m.value() == 9) {
      ++refused;
      EXPECT_THAT(m.indicator(), HasSubstr("不予受理"));
      EXPECT_NE(m.canonical_id(), "reconsideration.accepted");
    }
    if (m.value() == 177) {
      ++accepted;
      EXPECT_EQ(m.canonical_id(), "reconsideration.accepted");
    }
    if (m.value() == 75) {
      ++cut;
      EXPECT_THAT(m.indicator(), HasSubstr("审批时限压缩比例"));
    }
  }
  EXPECT_EQ(refused, 1);
  EXPECT_EQ(accepted, 1);
  EXPECT_EQ(cut, 1);
}

TEST_F(ExtractorTest, RejectsASegmentOutsideTheText) {
  v1::SegmentedReport report;
  report.set_report_id("broken");
  report.set_text("短文本");
  v1::Segment* s = report.add_segments();
  s->set_kind(v1::SEGMENT_KIND_SENTENCE);
  s->mutable_span()->set_start(2);
  s->mutable_span()->set_end(400);
  auto extracted = extractor_->Extract(report);
  EXPECT_EQ(extracted.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(extracted.status().message(), HasSubstr("segment 0"));
}

// The streams build on an arena: the answer must be the one Extract gives,
// with every metric on that arena, and a refused report must leave the
// message as it was.
TEST_F(ExtractorTest, ExtractIntoAnArenaMessageGivesTheSameReport) {
  v1::Report report;
  report.set_id("pingluo");
  report.set_text(ReadAll(kRoot + "/../shared/corpus/pingluo-2023.txt"));
  google::protobuf::Arena arena;
  auto* segmented =
      google::protobuf::Arena::CreateMessage<v1::SegmentedReport>(&arena);
  ASSERT_TRUE(segmenter::SegmentReportInto(report, {}, segmented).ok());
  for (ReportCopy copy : {ReportCopy::kWhole, ReportCopy::kIdentity}) {
    auto on_heap = extractor_->Extract(*segmented, copy);
    ASSERT_TRUE(on_heap.ok()) << on_heap.status();
    auto* on_arena =
        google::protobuf::Arena::CreateMessage<v1::ExtractedReport>(&arena);
    ASSERT_TRUE(extractor_->ExtractInto(*segmented, copy, on_arena).ok());
    EXPECT_EQ(on_arena->SerializeAsString(), on_heap->SerializeAsString());
    ASSERT_GT(on_arena->metrics_size(), 50);
    for (const v1::Metric& metric : on_arena->metrics()) {
      ASSERT_EQ(metric.GetArena(), &arena) << metric.indicator();
    }
  }
  // Both refusals: text that is not UTF-8, a segment outside the text.
  v1::SegmentedReport not_utf8;
  not_utf8.set_text("\xff");
  v1::SegmentedReport outside = *segmented;
  outside.mutable_segments(3)->mutable_span()->set_end(
      static_cast<uint32_t>(outside.text().size() + 1));
  for (const v1::SegmentedReport* broken : {&not_utf8, &outside}) {
    auto* untouched =
        google::protobuf::Arena::CreateMessage<v1::ExtractedReport>(&arena);
    EXPECT_EQ(
        extractor_->ExtractInto(*broken, ReportCopy::kWhole, untouched).code(),
        absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(untouched->ByteSizeLong(), 0u);
    EXPECT_FALSE(untouched->has_report());
  }
}

// ExtractMoving gives what ExtractInto(kWhole) gives; on one arena the
// report's text and segments are moved over, not copied (the same bytes);
// on two arenas they are copied; a refusal leaves both messages as they were.
TEST_F(ExtractorTest, ExtractMovingMovesTheReportOnOneArena) {
  v1::Report report;
  report.set_id("pingluo");
  report.set_text(ReadAll(kRoot + "/../shared/corpus/pingluo-2023.txt"));
  auto segmented = segmenter::SegmentReport(report, {});
  ASSERT_TRUE(segmented.ok()) << segmented.status();
  auto whole = extractor_->Extract(*segmented, ReportCopy::kWhole);
  ASSERT_TRUE(whole.ok()) << whole.status();

  google::protobuf::Arena arena;
  auto* request =
      google::protobuf::Arena::CreateMessage<v1::SegmentedReport>(&arena);
  *request = *segmented;
  const char* text_bytes = request->text().data();
  auto* answer =
      google::protobuf::Arena::CreateMessage<v1::ExtractedReport>(&arena);
  ASSERT_TRUE(extractor_->ExtractMoving(request, answer).ok());
  EXPECT_EQ(answer->SerializeAsString(), whole->SerializeAsString());
  EXPECT_EQ(answer->report().text().data(), text_bytes);
  EXPECT_TRUE(request->text().empty());

  google::protobuf::Arena other;
  auto* elsewhere =
      google::protobuf::Arena::CreateMessage<v1::SegmentedReport>(&other);
  *elsewhere = *segmented;
  auto* copied =
      google::protobuf::Arena::CreateMessage<v1::ExtractedReport>(&arena);
  ASSERT_TRUE(extractor_->ExtractMoving(elsewhere, copied).ok());
  EXPECT_EQ(copied->SerializeAsString(), whole->SerializeAsString());
  EXPECT_EQ(copied->report().GetArena(), &arena);

  v1::SegmentedReport broken = *segmented;
  broken.mutable_segments(3)->mutable_span()->set_end(
      static_cast<uint32_t>(broken.text().size() + 1));
  const std::string before = broken.SerializeAsString();
  v1::ExtractedReport untouched;
  EXPECT_EQ(extractor_->ExtractMoving(&broken, &untouched).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(untouched.ByteSizeLong(), 0u);
  EXPECT_EQ(broken.SerializeAsString(), before);
}

TEST_F(ExtractorTest, RejectsTextThatIsNotUtf8) {
  v1::SegmentedReport report;
  report.set_text("\xff\xfe");
  auto extracted = extractor_->Extract(report);
  EXPECT_EQ(extracted.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(extracted.status().message(), HasSubstr("byte offset 0"));
}

TEST(ExtractorConfigTest, ABadPatternIsNamedInTheError) {
  config::ExtractorConfig config;
  config.pack.set_name("broken");
  config.pack.add_non_metrics()->set_pattern("(unclosed");
  auto created = Extractor::Create(config);
  EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(created.status().message(), HasSubstr("(unclosed"));
}

TEST(ExtractorConfigTest, AnIndicatorWithoutTermsIsRefused) {
  config::ExtractorConfig config;
  config.catalog.add_indicators()->set_id("empty.indicator");
  auto created = Extractor::Create(config);
  EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(created.status().message(), HasSubstr("empty.indicator"));
}

TEST(ConfigLoaderTest, ASyntaxErrorNamesFileAndLine) {
  const std::string dir = ::testing::TempDir() + "/bad_config";
  std::filesystem::create_directories(dir + "/packs");
  std::filesystem::create_directories(dir + "/catalog");
  std::ofstream(dir + "/packs/law_based_government.textproto")
      << "name: \"x\"\nunits { word: }\n";
  std::ofstream(dir + "/catalog/indicators.textproto") << "version: \"1\"\n";
  auto loaded = config::LoadExtractorConfig(dir);
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(loaded.status().message(), HasSubstr("line 2"));
}

}  // namespace
}  // namespace reportpipe::extractor
