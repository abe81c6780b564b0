// End-to-end tests of SegmentReport: the one real report, SYNTHETIC reports
// under tests/fixtures/segmenter/ and SYNTHETIC strings written here (青禾县
// is fictional), and the inputs that must be refused.
#include "services/segmenter/segmenter.h"

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "google/protobuf/arena.h"
#include "gtest/gtest.h"
#include "services/segmenter/segmenter_test_util.h"

namespace reportpipe::segmenter {
namespace {

using ::reportpipe::segmenter::testing::Bytes;
using ::reportpipe::segmenter::testing::ExpectWellFormed;
using ::reportpipe::segmenter::testing::IsBody;
using ::reportpipe::segmenter::testing::Outline;
using ::reportpipe::segmenter::testing::ReadFixture;
using ::reportpipe::segmenter::testing::ReadPingluo;
using ::reportpipe::segmenter::testing::Segment;
using ::reportpipe::segmenter::testing::Sentences;
using ::reportpipe::segmenter::testing::StartsWith;
using ::reportpipe::segmenter::testing::Within;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// One expected SECTION or POINT of the real report.
struct Expected {
  v1::SegmentKind kind;
  int level;
  const char* path;
  const char* marker;  // as written in the file: half-width (一)
  const char* heading;
};

constexpr v1::SegmentKind kSection = v1::SEGMENT_KIND_SECTION;
constexpr v1::SegmentKind kPoint = v1::SEGMENT_KIND_POINT;

// Read off pingluo-2023.txt by hand: the file writes (一) with half-width
// brackets and the commas inside headings half-width too.
const Expected kPingluo[] = {
    {kSection, 1, "一", "一、", "主要工作情况"},
    {kSection, 2, "一/(一)", "(一)",
     "以习近平法治思想为指引,法治政府建设力度进一步加强"},
    {kPoint, 5, "一/(一)/一是", "一是", "高位谋划部署"},
    {kPoint, 5, "一/(一)/二是", "二是", "紧盯“关键少数”"},
    {kPoint, 5, "一/(一)/三是", "三是", "强化责任落实"},
    {kSection, 2, "一/(二)", "(二)",
     "以推进科学民主依法决策为目标,政府决策行为进一步规范"},
    {kPoint, 5, "一/(二)/一是", "一是", "完善行政决策机制"},
    {kPoint, 5, "一/(二)/二是", "二是", "加强规范性文件管理"},
    {kPoint, 5, "一/(二)/三是", "三是", "充分发挥法律顾问作用"},
    {kSection, 2, "一/(三)", "(三)",
     "以严格规范公正文明执法为标准,行政执法水平进一步提高"},
    {kPoint, 5, "一/(三)/一是", "一是", "严格行政执法主体资格管理"},
    {kPoint, 5, "一/(三)/二是", "二是", "扎实推进行政执法专项整治"},
    {kPoint, 5, "一/(三)/三是", "三是", "加大行政执法培训力度"},
    {kSection, 2, "一/(四)", "(四)",
     "以“放管服”改革为驱动,优化法治化营商环境举措进一步升级"},
    {kPoint, 5, "一/(四)/一是", "一是", "标准化运行,构建高效服务环境"},
    {kPoint, 5, "一/(四)/二是", "二是", "规范化供给,优化便民惠企举措"},
    {kPoint, 5, "一/(四)/三是", "三是", "便利化升级,强化全周期服务"},
    {kSection, 2, "一/(五)", "(五)",
     "以制约监督行政权力为保证,政府工作透明度和公信力进一步提升"},
    {kPoint, 5, "一/(五)/一是", "一是", "自觉接受人大监督和民主监督"},
    {kPoint, 5, "一/(五)/二是", "二是", "强化审计和司法监督"},
    {kPoint, 5, "一/(五)/三是", "三是", "全面推进信息公开工作"},
    {kSection, 2, "一/(六)", "(六)",
     "以依法防范处置风险为责任,社会治理法治化现代化进一步推进"},
    {kPoint, 5, "一/(六)/一是", "一是", "提升行政复议和应诉能力"},
    {kPoint, 5, "一/(六)/二是", "二是", "创新矛盾纠纷多元化解机制"},
    {kPoint, 5, "一/(六)/三是", "三是", "深化推进法治乡村建设"},
    {kSection, 1, "二", "二、", "存在的问题"},
    // No closing mark but 。 after these points, so the whole first
    // sentence is the heading.
    {kPoint, 5, "二/一是", "一是",
     "全县行政败诉率虽有下降,但仍高于全区平均水平,部分行政机关负责人出庭不"
     "出声,不能积极介入涉诉矛盾化解"},
    {kPoint, 5, "二/二是", "二是",
     "行政执法有待进一步规范,乡镇综合执法改革有待深化,执法人员法治素养和执"
     "法能力还需进一步提升"},
    {kPoint, 5, "二/三是", "三是",
     "依法行政能力还有欠缺,行政规范性文件制发和备案程序履行不够到位,衔接不够"
     "顺畅"},
    {kSection, 1, "三", "三、", "2024年工作计划"},
    {kSection, 2, "三/(一)", "(一)", "深入学习贯彻习近平法治思想"},
    {kSection, 2, "三/(二)", "(二)", "纵深推进法治政府建设"},
    {kSection, 2, "三/(三)", "(三)", "持续加强行政复议和行政应诉"},
    {kSection, 2, "三/(四)", "(四)", "深入推进严格规范公正文明执法"},
    {kSection, 2, "三/(五)", "(五)", "加快建设高素质法治人才队伍"},
};

class PingluoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    original_ = ReadPingluo();
    ASSERT_FALSE(original_.empty());
    absl::StatusOr<v1::SegmentedReport> r = Segment(original_);
    ASSERT_TRUE(r.ok()) << r.status();
    report_ = *std::move(r);
  }

  std::vector<const v1::Segment*> Headings() const {
    std::vector<const v1::Segment*> out;
    for (const v1::Segment& s : report_.segments()) {
      if (s.kind() == kSection || s.kind() == kPoint) out.push_back(&s);
    }
    return out;
  }

  std::string original_;
  v1::SegmentedReport report_;
};

TEST_F(PingluoTest, MetadataFromTitle) {
  const v1::ReportMetadata& md = report_.metadata();
  EXPECT_EQ(md.title(), "平罗县2023年度法治政府建设情况报告");
  EXPECT_EQ(md.region(), "平罗县");
  EXPECT_EQ(md.year(), 2023);
  EXPECT_EQ(md.report_type(), v1::REPORT_TYPE_SITUATION_REPORT);
  EXPECT_TRUE(md.is_law_based_government_report());
  EXPECT_FALSE(md.classification_reason().empty());
  EXPECT_EQ(md.plan_year(), 2024);
  EXPECT_EQ(Bytes(report_, md.title_span()), md.title());
  // UTF-8 input: the text is the original bytes, and hashed.
  EXPECT_EQ(report_.text(), original_);
  EXPECT_FALSE(report_.content_hash().empty());
}

// The streams build on an arena: the same report as SegmentReport gives,
// every segment made on that arena, and a refused report leaves the
// message as it was.
TEST_F(PingluoTest, SegmentReportIntoAnArenaMessageGivesTheSameReport) {
  v1::Report report;
  report.set_id("on an arena");
  report.set_text(original_);
  const absl::StatusOr<v1::SegmentedReport> on_heap = SegmentReport(report, {});
  ASSERT_TRUE(on_heap.ok()) << on_heap.status();
  google::protobuf::Arena arena;
  auto* on_arena =
      google::protobuf::Arena::CreateMessage<v1::SegmentedReport>(&arena);
  ASSERT_TRUE(SegmentReportInto(report, {}, on_arena).ok());
  EXPECT_EQ(on_arena->report_id(), "on an arena");
  EXPECT_EQ(on_arena->SerializeAsString(), on_heap->SerializeAsString());
  ASSERT_GT(on_arena->segments_size(), 100);
  for (const v1::Segment& segment : on_arena->segments()) {
    ASSERT_EQ(segment.GetArena(), &arena) << segment.path();
  }
  v1::Report broken;
  broken.set_text("\xff\xfe");
  auto* untouched =
      google::protobuf::Arena::CreateMessage<v1::SegmentedReport>(&arena);
  EXPECT_EQ(SegmentReportInto(broken, {}, untouched).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(untouched->ByteSizeLong(), 0u);
}

TEST_F(PingluoTest, TitleSegmentIsTheSecondLine) {
  ASSERT_GE(report_.segments_size(), 2);
  const v1::Segment& title = report_.segments(1);
  EXPECT_EQ(title.kind(), v1::SEGMENT_KIND_TITLE);
  EXPECT_EQ(title.level(), 0);
  EXPECT_EQ(title.parent(), -1);
  EXPECT_EQ(title.heading(), "平罗县2023年度法治政府建设情况报告");
  EXPECT_EQ(Bytes(report_, title.span()), title.heading());
  // "|\n" comes first.
  EXPECT_EQ(title.span().start(), 2u);
}

TEST_F(PingluoTest, WholeSectionAndPointTree) {
  const std::vector<const v1::Segment*> headings = Headings();
  ASSERT_EQ(headings.size(), std::size(kPingluo));
  for (size_t i = 0; i < headings.size(); ++i) {
    const v1::Segment& s = *headings[i];
    const Expected& e = kPingluo[i];
    SCOPED_TRACE(e.path);
    EXPECT_EQ(s.kind(), e.kind);
    EXPECT_EQ(s.level(), e.level);
    EXPECT_EQ(s.path(), e.path);
    EXPECT_EQ(s.marker(), e.marker);
    EXPECT_EQ(s.heading(), e.heading);
    // The original bytes at the heading span are the marker and the text.
    EXPECT_TRUE(StartsWith(Bytes(report_, s.heading_span()), e.marker));
    EXPECT_EQ(Bytes(report_, s.heading_span()),
              std::string(e.marker) + e.heading);
    EXPECT_TRUE(StartsWith(Bytes(report_, s.span()), e.marker));
    EXPECT_EQ(s.plan(), StartsWith(e.path, "三"));
  }
}

TEST_F(PingluoTest, ParentsAreTheEnclosingHeadings) {
  const auto& segs = report_.segments();
  for (int i = 0; i < segs.size(); ++i) {
    const v1::Segment& s = segs[i];
    if (s.kind() != kSection && s.kind() != kPoint) continue;
    SCOPED_TRACE(s.path());
    const size_t slash = s.path().rfind('/');
    if (slash == std::string::npos) {
      EXPECT_EQ(s.parent(), -1);
      continue;
    }
    ASSERT_GE(s.parent(), 0);
    ASSERT_LT(s.parent(), i);
    const v1::Segment& p = segs[s.parent()];
    EXPECT_EQ(p.path(), s.path().substr(0, slash));
    EXPECT_EQ(p.kind(), kSection);
    EXPECT_TRUE(Within(s.span(), p.span()));
  }
  ExpectWellFormed(report_);
}

TEST_F(PingluoTest, LevelOneSectionsTileTheBody) {
  std::vector<const v1::Segment*> top;
  for (const v1::Segment* s : Headings()) {
    if (s->level() == 1) top.push_back(s);
  }
  ASSERT_EQ(top.size(), 3u);
  // Each runs up to the line break before the next one.
  EXPECT_EQ(top[0]->span().end() + 1, top[1]->span().start());
  EXPECT_EQ(top[1]->span().end() + 1, top[2]->span().start());
  // The last ends with the text, before the page tail.
  const std::string_view last = Bytes(report_, top[2]->span());
  EXPECT_EQ(last.substr(last.size() - 3), "。");
  EXPECT_EQ(last.find("附件下载"), std::string_view::npos);
  // The intro paragraph has no section.
  const v1::Segment* intro = nullptr;
  for (const v1::Segment& s : report_.segments()) {
    if (s.kind() == v1::SEGMENT_KIND_PARAGRAPH) {
      intro = &s;
      break;
    }
  }
  ASSERT_NE(intro, nullptr);
  EXPECT_EQ(intro->parent(), -1);
  EXPECT_EQ(intro->path(), "");
  EXPECT_TRUE(StartsWith(Bytes(report_, intro->span()), "2023年,平罗县坚持"));
  EXPECT_LT(intro->span().end(), top[0]->span().start());
}

TEST_F(PingluoTest, PageResidueIsKeptOutOfTheBody) {
  std::vector<std::string> residue;
  for (const v1::Segment& s : report_.segments()) {
    if (s.kind() == v1::SEGMENT_KIND_RESIDUE) {
      EXPECT_EQ(s.parent(), -1);
      residue.emplace_back(Bytes(report_, s.span()));
    }
  }
  ASSERT_EQ(residue.size(), 2u);
  EXPECT_EQ(residue[0], "|");
  EXPECT_THAT(residue[1], HasSubstr("附件下载:"));
  EXPECT_THAT(residue[1], HasSubstr("扫一扫在手机上查看当前页面"));
  for (const v1::Segment& s : report_.segments()) {
    if (!IsBody(s)) continue;
    const std::string_view b = Bytes(report_, s.span());
    EXPECT_EQ(b.find("附件下载"), std::string_view::npos);
    EXPECT_EQ(b.find("扫一扫"), std::string_view::npos);
    EXPECT_EQ(b.find('|'), std::string_view::npos);
  }
  ExpectWellFormed(report_);  // no body segment overlaps residue
}

TEST_F(PingluoTest, SentencesNeverEndInsideQuotes) {
  int quoted = 0;
  for (const std::string& s : Sentences(report_)) {
    SCOPED_TRACE(s);
    int open = 0;
    for (size_t pos = s.find("“"); pos != std::string::npos;
         pos = s.find("“", pos + 1)) {
      ++open;
    }
    int close = 0;
    for (size_t pos = s.find("”"); pos != std::string::npos;
         pos = s.find("”", pos + 1)) {
      ++close;
    }
    EXPECT_EQ(open, close);
    if (open > 0) ++quoted;
    // Every sentence ends at a stop, a line end or the end of a run-in
    // heading's text; none is empty.
    EXPECT_FALSE(s.empty());
  }
  EXPECT_GT(quoted, 5);
  // A sentence with a quotation in it, whole.
  EXPECT_THAT(Sentences(report_),
              ::testing::Contains(
                  "坚持和发展新时代“枫桥经验”,打造县乡村(居)三级一站式矛盾纠纷"
                  "多元调解中心57个,充分发挥人民调解、司法调解、行政调解“三调联"
                  "动”制度优势,成功化解各类矛盾纠纷1774件,化解率99.4%。"));
}

TEST_F(PingluoTest, BodyOfRunInPoint) {
  // 一/(一)/二是: its paragraph holds the heading sentence and the rest of
  // the point, split into its sentences.
  const auto& segs = report_.segments();
  int point = -1;
  for (int i = 0; i < segs.size(); ++i) {
    if (segs[i].path() == "一/(一)/二是" && segs[i].kind() == kPoint) point = i;
  }
  ASSERT_GE(point, 0);
  std::vector<std::string> sentences;
  for (const v1::Segment& s : segs) {
    if (s.kind() == v1::SEGMENT_KIND_SENTENCE && s.path() == "一/(一)/二是") {
      EXPECT_TRUE(Within(s.span(), segs[point].span()));
      sentences.emplace_back(Bytes(report_, s.span()));
    }
  }
  EXPECT_THAT(sentences,
              ElementsAre("紧盯“关键少数”。",
                          "深入推进领导干部学法用法,建立党委(党组)领导干部日常学"
                          "法与考核、领导干部学法清单等制度。",
                          "聚焦提升领导干部法治思维能力,县政府常务会议开展会前学法"
                          "24次,党员干部法治素养和依法办事、依法行政能力明显增强。"));
}

// --- SYNTHETIC fixtures (tests/fixtures/segmenter/README.md) ---

TEST(SyntheticReportTest, LineByLineReportWithAllHeadingShapes) {
  absl::StatusOr<v1::SegmentedReport> r =
      Segment(ReadFixture("qinghe-2023.txt"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(
      Outline(*r),
      ElementsAre("1 一 2023年推进法治政府建设的主要举措和成效",
                  "2 一/(一) 压实法治建设责任",
                  "3 一/(一)/1 落实第一责任人职责",
                  "3 一/(一)/2 完善考核评价体系",
                  "2 一/(二) 规范重大行政决策",
                  // 3． runs on from 2、 under （二）.
                  "3 一/(二)/3 健全决策程序",
                  "4 一/(二)/3/(1) 严格合法性审查",
                  "4 一/(二)/3/(2) 深化决策公开",
                  // ① below level 4 stands at the point level; ② follows
                  // the ； as its sibling.
                  "5 一/(二)/3/(2)/① 公开征求意见3次",
                  "5 一/(二)/3/(2)/② 组织专家论证会2场",
                  "2 一/(三) 提升行政执法质效",
                  "5 一/(三)/一是 推进综合执法改革",
                  "5 一/(三)/二是 强化执法监督",
                  "1 二 存在的问题",
                  "5 二/一是 法治宣传覆盖面还不够广",
                  "5 二/二是 基层执法人员专业能力有待提升",
                  "1 三 2024年工作计划",
                  "2 三/(一) 深化法治政府示范创建",
                  "2 三/(二) 加强行政执法队伍建设"));
  ExpectWellFormed(*r);
  // Markers are reported as written, paths folded.
  for (const v1::Segment& s : r->segments()) {
    if (s.path() == "一/(一)") {
      EXPECT_EQ(s.marker(), "（一）");
    }
    if (s.path() == "一/(二)/3" && s.kind() == kSection) {
      EXPECT_EQ(s.marker(), "3．");
    }
    if (s.path() == "一/(二)/3/(1)" && s.kind() == kSection) {
      EXPECT_EQ(s.marker(), "（1）");
      EXPECT_TRUE(StartsWith(Bytes(*r, s.heading_span()), "（1）"));
    }
  }
}

TEST(SyntheticReportTest, StandaloneHeadingHasNoBodyCopyOfItself) {
  absl::StatusOr<v1::SegmentedReport> r =
      Segment(ReadFixture("qinghe-2023.txt"));
  ASSERT_TRUE(r.ok()) << r.status();
  for (const v1::Segment& s : r->segments()) {
    if (s.kind() != v1::SEGMENT_KIND_PARAGRAPH) continue;
    if (s.path() == "一/(二)/3/(1)") {
      EXPECT_EQ(Bytes(*r, s.span()), "审查县政府规范性文件12件，提出修改意见36条。");
    }
    if (s.path() == "一/(一)/1") {
      // Run-in heading: the paragraph goes on after it on the same line.
      EXPECT_TRUE(StartsWith(Bytes(*r, s.span()), "落实第一责任人职责。县政府"));
    }
  }
}

TEST(SyntheticReportTest, TrapsStayInTheBody) {
  absl::StatusOr<v1::SegmentedReport> r =
      Segment(ReadFixture("qinghe-2023.txt"));
  ASSERT_TRUE(r.ok()) << r.status();
  const std::vector<std::string> sentences = Sentences(*r);
  EXPECT_THAT(sentences, ::testing::Contains(
                             "全年办理行政处罚案件1.5万件，评查案卷300卷。"));
  EXPECT_THAT(sentences,
              ::testing::Contains("全年审查重大行政决策事项8件，统一是非判断标准，"
                                  "做到应审尽审。"));
  EXPECT_THAT(sentences,
              ::testing::Contains("整合执法队伍5支，其中一、二审行政案件12件全部结案。"));
  for (const v1::Segment& s : r->segments()) {
    EXPECT_NE(s.heading(), "二审行政案件12件全部结案");
    EXPECT_EQ(s.path().find("2021"), std::string::npos);
  }
}

TEST(SyntheticReportTest, WebResidueLinesAndTail) {
  absl::StatusOr<v1::SegmentedReport> r =
      Segment(ReadFixture("qinghe-2023.txt"));
  ASSERT_TRUE(r.ok()) << r.status();
  std::vector<std::string> residue;
  for (const v1::Segment& s : r->segments()) {
    if (s.kind() == v1::SEGMENT_KIND_RESIDUE) {
      residue.emplace_back(Bytes(*r, s.span()));
    }
  }
  EXPECT_THAT(residue,
              ElementsAre("|", "发布时间：2024-03-28 09:30", "来源：青禾县司法局",
                          "字号：[大 中 小]",
                          "【打印】【关闭】\n附件下载：\n扫一扫在手机上查看当前页面"));
  ExpectWellFormed(*r);
  // The last section ends with its text, before the page's buttons.
  const v1::Segment* last = nullptr;
  for (const v1::Segment& s : r->segments()) {
    if (s.kind() == kSection && s.level() == 1) last = &s;
  }
  ASSERT_NE(last, nullptr);
  const std::string_view b = Bytes(*r, last->span());
  EXPECT_EQ(b.find("【打印】"), std::string_view::npos);
  EXPECT_TRUE(b.size() >= 3 && b.substr(b.size() - 3) == "。");
  EXPECT_EQ(r->metadata().year(), 2023);
  EXPECT_EQ(r->metadata().plan_year(), 2024);
}

TEST(SyntheticReportTest, FlattenedPageOnOneLine) {
  const std::string flat = ReadFixture("qinghe-2023-flat.txt");
  ASSERT_EQ(flat.find('\n'), std::string::npos);
  absl::StatusOr<v1::SegmentedReport> r = Segment(flat);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->metadata().title(), "青禾县2023年度法治政府建设情况报告");
  EXPECT_EQ(r->metadata().region(), "青禾县");
  EXPECT_THAT(Outline(*r), ElementsAre("1 一 主要工作情况",
                                       "2 一/(一) 加强组织领导",
                                       "5 一/(一)/一是 健全议事机制",
                                       "5 一/(一)/二是 强化督察考核",
                                       "2 一/(二) 规范行政执法",
                                       "3 一/(二)/1 严格执法程序",
                                       "3 一/(二)/2 强化执法监督",
                                       "1 二 存在的问题",
                                       "5 二/一是 执法能力还有不足",
                                       "5 二/二是 普法宣传不够深入",
                                       "1 三 2024年工作计划",
                                       "2 三/(一) 深化审批制度改革",
                                       "2 三/(二) 加强法治队伍建设"));
  ExpectWellFormed(*r);
  // A heading that runs straight into the next marker is no paragraph.
  for (const v1::Segment& s : r->segments()) {
    if (s.kind() != v1::SEGMENT_KIND_PARAGRAPH) continue;
    EXPECT_NE(Bytes(*r, s.span()), "主要工作情况");
    EXPECT_NE(Bytes(*r, s.span()), "存在的问题");
  }
  std::vector<std::string> residue;
  for (const v1::Segment& s : r->segments()) {
    if (s.kind() == v1::SEGMENT_KIND_RESIDUE) {
      residue.emplace_back(Bytes(*r, s.span()));
    }
  }
  EXPECT_THAT(residue, ElementsAre("附件下载： 扫一扫在手机上查看当前页面"));
}

TEST(SyntheticReportTest, Gb18030IsConvertedAndSpansIndexTheUtf8Text) {
  const std::string utf8 = ReadFixture("qinghe-2023.txt");
  const std::string gb = ReadFixture("qinghe-2023.gb18030.txt");
  ASSERT_NE(gb, utf8);
  absl::StatusOr<v1::SegmentedReport> r = Segment(gb, v1::ENCODING_GB18030);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->text(), utf8);
  EXPECT_EQ(r->metadata().region(), "青禾县");
  absl::StatusOr<v1::SegmentedReport> from_utf8 = Segment(utf8);
  ASSERT_TRUE(from_utf8.ok());
  EXPECT_EQ(Outline(*r), Outline(*from_utf8));
  ExpectWellFormed(*r);
  for (const v1::Segment& s : r->segments()) {
    if (s.kind() == kSection) {
      EXPECT_TRUE(StartsWith(Bytes(*r, s.heading_span()), s.marker()));
    }
  }
}

TEST(SyntheticReportTest, Gb18030WithoutSayingSoIsRefused) {
  const absl::StatusOr<v1::SegmentedReport> r =
      Segment(ReadFixture("qinghe-2023.gb18030.txt"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("byte offset"));
  EXPECT_THAT(r.status().message(), HasSubstr("GB18030"));
}

TEST(LookAlikeTest, InformationDisclosureReport) {
  absl::StatusOr<v1::SegmentedReport> r =
      Segment(ReadFixture("lookalike-disclosure.txt"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->metadata().report_type(), v1::REPORT_TYPE_INFORMATION_DISCLOSURE);
  EXPECT_FALSE(r->metadata().is_law_based_government_report());
  EXPECT_THAT(r->metadata().classification_reason(), HasSubstr("信息公开"));
  EXPECT_EQ(r->metadata().year(), 2023);
  ExpectWellFormed(*r);
}

TEST(LookAlikeTest, WorkPlan) {
  absl::StatusOr<v1::SegmentedReport> r =
      Segment(ReadFixture("lookalike-plan.txt"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->metadata().report_type(), v1::REPORT_TYPE_WORK_PLAN);
  EXPECT_FALSE(r->metadata().is_law_based_government_report());
  EXPECT_THAT(r->metadata().classification_reason(), HasSubstr("工作要点"));
  EXPECT_EQ(r->metadata().year(), 2024);
}

TEST(LookAlikeTest, TemplateWithPlaceholders) {
  absl::StatusOr<v1::SegmentedReport> r =
      Segment(ReadFixture("lookalike-template.txt"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->metadata().report_type(), v1::REPORT_TYPE_TEMPLATE);
  EXPECT_FALSE(r->metadata().is_law_based_government_report());
  EXPECT_THAT(r->metadata().classification_reason(), HasSubstr("placeholder"));
  // XX县 and 20XX年 are blanks, not a region and a year.
  EXPECT_EQ(r->metadata().region(), "");
  EXPECT_EQ(r->metadata().year(), 0);
}

TEST(LookAlikeTest, CallerStatedTypeWins) {
  v1::Report report;
  report.set_text(ReadFixture("lookalike-plan.txt"));
  report.set_report_type(v1::REPORT_TYPE_WORK_REPORT);
  report.set_region("青禾县");
  report.set_year(2024);
  absl::StatusOr<v1::SegmentedReport> r =
      SegmentReport(report, SegmenterOptions{});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->metadata().report_type(), v1::REPORT_TYPE_WORK_REPORT);
  EXPECT_TRUE(r->metadata().is_law_based_government_report());
  EXPECT_THAT(r->metadata().classification_reason(), HasSubstr("caller"));
}

// --- SYNTHETIC strings ---

TEST(SyntheticReportTest, JointTitleOnTwoLines) {
  // SYNTHETIC.
  const std::string text =
      "中共青禾县委　青禾县人民政府\n"
      "关于2023年度法治政府建设情况的报告\n"
      "2023年，县委、县政府高度重视法治政府建设。\n"
      "一、主要工作情况\n"
      "全年审查规范性文件12件。\n";
  absl::StatusOr<v1::SegmentedReport> r = Segment(text);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->metadata().region(), "青禾县");
  EXPECT_EQ(r->metadata().year(), 2023);
  EXPECT_EQ(r->metadata().report_type(), v1::REPORT_TYPE_SITUATION_REPORT);
  EXPECT_TRUE(r->metadata().is_law_based_government_report());
  EXPECT_EQ(r->metadata().title(),
            "中共青禾县委　青禾县人民政府\n关于2023年度法治政府建设情况的报告");
  ASSERT_GE(r->segments_size(), 1);
  EXPECT_EQ(r->segments(0).kind(), v1::SEGMENT_KIND_TITLE);
  EXPECT_EQ(r->segments(0).heading(), r->metadata().title());
  EXPECT_THAT(Outline(*r), ElementsAre("1 一 主要工作情况"));
  ExpectWellFormed(*r);
}

TEST(SyntheticReportTest, FullWidthDigitsInTitleKeptAsWritten) {
  // SYNTHETIC.
  const std::string text =
      "青禾县２０２３年度法治政府建设情况报告\n一、主要工作情况\n全年培训120人次。\n";
  absl::StatusOr<v1::SegmentedReport> r = Segment(text);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->metadata().year(), 2023);
  EXPECT_EQ(r->metadata().region(), "青禾县");
  EXPECT_EQ(r->metadata().title(), "青禾县２０２３年度法治政府建设情况报告");
  EXPECT_EQ(Bytes(*r, r->metadata().title_span()), r->metadata().title());
}

TEST(SyntheticReportTest, CircledNumbersInsideAPointAreLevelSix) {
  // SYNTHETIC: ①② inside 一是, then 二是 goes on as the next point.
  const std::string text =
      "青禾县2023年度法治政府建设情况报告\n"
      "一、主要工作情况\n"
      "一是严格审查文件。①审查县政府文件9件；②审查部门文件14件。"
      "二是清理文件。废止文件3件。\n";
  absl::StatusOr<v1::SegmentedReport> r = Segment(text);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(Outline(*r), ElementsAre("1 一 主要工作情况",
                                       "5 一/一是 严格审查文件",
                                       "6 一/一是/① 审查县政府文件9件",
                                       "6 一/一是/② 审查部门文件14件",
                                       "5 一/二是 清理文件"));
  ExpectWellFormed(*r);
}

TEST(SyntheticReportTest, PlanSectionsAndPlanYear) {
  // SYNTHETIC: 下一步工作打算 names no year: the one after the report's.
  const std::string text =
      "青禾县2022年度法治政府建设情况报告\n"
      "一、主要工作情况\n"
      "全年办理行政复议案件36件。\n"
      "二、下一步工作打算\n"
      "（一）深化行政执法改革\n"
      "力争案卷评查合格率达到95%。\n";
  absl::StatusOr<v1::SegmentedReport> r = Segment(text);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->metadata().plan_year(), 2023);
  for (const v1::Segment& s : r->segments()) {
    if (s.kind() == v1::SEGMENT_KIND_TITLE) continue;
    EXPECT_EQ(s.plan(), StartsWith(s.path(), "二")) << s.path();
  }
  ExpectWellFormed(*r);
}

// An appendix after the plan (SYNTHETIC): 附表 at a line's start opens a part
// of its own at the top level, outside the plan; its table's rows (bars
// between the cells only) and its caption stay lines of their own; a point
// alone on its line is a sentence. 附件 inside a sentence, or opening one
// (附件材料齐全率…。), opens nothing.
TEST(SyntheticReportTest, AnAppendixAfterThePlanIsAPartOfItsOwn) {
  absl::StatusOr<v1::SegmentedReport> r = Segment(
      "白泉市2022年度法治政府建设情况报告\n"
      "一、主要工作\n全年办理行政复议案件312件，附件材料齐全。\n"
      "二、2023年工作安排\n一是全程网办率提高到95%以上\n"
      "附件材料齐全率达到100%。\n"
      "附表：2022年度法治政府建设主要指标\n"
      "指标名称 | 数值 | 单位 | 同比\n"
      "罚没款 | 2316.8 | 万元 | -12.6%\n");
  ASSERT_TRUE(r.ok()) << r.status();
  ExpectWellFormed(*r);
  EXPECT_THAT(Outline(*r), ElementsAre("1 一 主要工作", "1 二 2023年工作安排",
                                       "5 二/一是 全程网办率提高到95%以上",
                                       "1 附表 2022年度法治政府建设主要指标"));
  for (const v1::Segment& s : r->segments()) {
    if (s.kind() == v1::SEGMENT_KIND_TITLE) continue;
    EXPECT_EQ(s.plan(), StartsWith(s.path(), "二")) << s.path();
  }
  EXPECT_THAT(Sentences(*r),
              ElementsAre("全年办理行政复议案件312件，附件材料齐全。",
                          "全程网办率提高到95%以上", "附件材料齐全率达到100%。",
                          "指标名称 | 数值 | 单位 | 同比",
                          "罚没款 | 2316.8 | 万元 | -12.6%"));
}

// A government web page copied whole (mingzhou-2023, SYNTHETIC): the
// breadcrumb and the lines of metadata and buttons above the title are its
// head, the title below them is found, the headings set off in 【】 are
// sections, and the plan section is a plan.
TEST(SyntheticReportTest, AWebPageCopiedWhole) {
  absl::StatusOr<v1::SegmentedReport> r =
      Segment(ReadFixture("../corpus/mingzhou-2023.txt"));
  ASSERT_TRUE(r.ok()) << r.status();
  ExpectWellFormed(*r);
  EXPECT_EQ(r->metadata().region(), "茗州市");
  EXPECT_EQ(r->metadata().year(), 2023);
  EXPECT_TRUE(r->metadata().is_law_based_government_report());
  EXPECT_THAT(
      Outline(*r),
      ElementsAre("1 一 主要工作及成效",
                  "1 二 党政主要负责人履行推进法治建设第一责任人职责情况",
                  "1 三 存在的不足", "1 四 2024年工作安排"));
  int plan_sentences = 0;
  for (const v1::Segment& s : r->segments()) {
    if (s.kind() == v1::SEGMENT_KIND_SENTENCE && s.plan()) ++plan_sentences;
  }
  EXPECT_GT(plan_sentences, 3);
}

// Plan sections under other names: 下步工作, 明年工作重点 (not 谋划, which
// results sections use too: 高位谋划推进).
TEST(SyntheticReportTest, PlanSectionsUnderOtherNames) {
  for (const char* plan_heading : {"二、下步工作", "二、明年工作重点"}) {
    const std::string text = std::string(
                                 "青禾县2022年度法治政府建设情况报告\n"
                                 "一、主要工作情况\n"
                                 "全年办理行政复议案件36件。\n") +
                             plan_heading + "\n力争案卷评查合格率达到95%。\n";
    absl::StatusOr<v1::SegmentedReport> r = Segment(text);
    ASSERT_TRUE(r.ok()) << r.status();
    for (const v1::Segment& s : r->segments()) {
      if (s.kind() == v1::SEGMENT_KIND_TITLE) continue;
      EXPECT_EQ(s.plan(), StartsWith(s.path(), "二")) << plan_heading;
    }
  }
}

// A report that numbers its parts 1. 2. 3. has its plan at that level
// (5.2023年工作打算); in a report with 一、 a 1. heading is no plan section.
TEST(SyntheticReportTest, PlanSectionAtTheTopArabicLevel) {
  absl::StatusOr<v1::SegmentedReport> r = Segment(
      "青禾县2022年度法治政府建设情况报告\n"
      "1.主要工作\n全年办理行政复议案件36件。\n"
      "2.2023年工作打算\n力争案卷评查合格率达到95%。\n");
  ASSERT_TRUE(r.ok()) << r.status();
  for (const v1::Segment& s : r->segments()) {
    if (s.kind() == v1::SEGMENT_KIND_TITLE) continue;
    EXPECT_EQ(s.plan(), StartsWith(s.path(), "2")) << s.path();
  }
  EXPECT_EQ(r->metadata().plan_year(), 2023);
  absl::StatusOr<v1::SegmentedReport> nested = Segment(
      "青禾县2022年度法治政府建设情况报告\n"
      "一、主要工作\n（一）执法\n1.年度工作计划完成情况\n全年办结36件。\n");
  ASSERT_TRUE(nested.ok()) << nested.status();
  for (const v1::Segment& s : nested->segments()) EXPECT_FALSE(s.plan());
}

// --- Bad input ---

absl::Status StatusOf(std::string text,
                      v1::Encoding encoding = v1::ENCODING_UNSPECIFIED) {
  return Segment(std::move(text), encoding).status();
}

TEST(BadInputTest, InvalidUtf8NamesTheByteOffset) {
  // "青禾县" is 9 bytes; the stray 0xFF follows.
  for (v1::Encoding e : {v1::ENCODING_UNSPECIFIED, v1::ENCODING_UTF8}) {
    const absl::Status s = StatusOf("青禾县\xFF报告", e);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(s.message(), HasSubstr("byte offset 9"));
  }
}

TEST(BadInputTest, EmptyText) {
  const absl::Status s = StatusOf("");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("empty"));
}

TEST(BadInputTest, WhiteSpaceOnlyIncludingIdeographicSpace) {
  for (const char* text : {" \n\t\r\n", "\u3000\u3000\n\u3000", "\u00a0 \u3000"}) {
    const absl::Status s = StatusOf(text);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(s.message(), HasSubstr("white space"));
  }
}

TEST(BadInputTest, OverTheSizeLimit) {
  v1::Report report;
  report.set_text(ReadFixture("qinghe-2023.txt"));
  SegmenterOptions options;
  options.max_report_bytes = report.text().size() - 1;
  const absl::Status s = SegmentReport(report, options).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  options.max_report_bytes = report.text().size();
  EXPECT_TRUE(SegmentReport(report, options).ok());
}

TEST(BadInputTest, NulAndBinaryBytes) {
  const absl::Status nul = StatusOf(std::string("青禾县\0报告", 13));
  EXPECT_EQ(nul.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(nul.message(), HasSubstr("byte offset 9"));
  // A PNG header (0x89 is no UTF-8 lead byte), and control bytes.
  const absl::Status png = StatusOf(std::string("\x89PNG\r\n\x1a\n\0\0", 10));
  EXPECT_EQ(png.code(), absl::StatusCode::kInvalidArgument);
  const absl::Status ctrl = StatusOf("abc\x01\x02\x03 报告");
  EXPECT_EQ(ctrl.code(), absl::StatusCode::kInvalidArgument);
}

TEST(BadInputTest, HtmlPages) {
  for (const char* html :
       {"<!DOCTYPE html>\n<html><head><title>x</title></head><body>"
        "青禾县</body></html>",
        "  <html lang=\"zh\"><body>青禾县2023年度法治政府建设情况报告</body></html>",
        // A fragment of a page's body, as a scraper may save it.
        "<p>青禾县2023年度法治政府建设情况报告</p>\n<p>一、主要工作情况</p>",
        "<div class=\"article\">青禾县</div>"}) {
    const absl::Status s = StatusOf(html);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << html;
    EXPECT_THAT(s.message(), HasSubstr("HTML"));
  }
}

TEST(BadInputTest, JsonDocuments) {
  for (const char* json :
       {"{\"title\": \"青禾县2023年度法治政府建设情况报告\", \"text\": \"…\"}",
        " [{\"id\": 1}]\n"}) {
    const absl::Status s = StatusOf(json);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << json;
    EXPECT_THAT(s.message(), HasSubstr("JSON"));
  }
}

TEST(BadInputTest, InvalidGb18030NamesTheByteOffset) {
  // "青" in GBK is C7 E0; a lone lead byte at the end is cut short.
  const absl::Status s =
      StatusOf(std::string("\xC7\xE0\xBA", 3), v1::ENCODING_GB18030);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("offset"));
}

TEST(BadInputTest, TextWithoutTitleIsSegmentedAndSaysSo) {
  // SYNTHETIC: no title line; still a text, so no error.
  absl::StatusOr<v1::SegmentedReport> r =
      Segment("一、主要工作情况\n全年审查文件12件。\n");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->metadata().is_law_based_government_report());
  EXPECT_FALSE(r->metadata().classification_reason().empty());
  EXPECT_THAT(Outline(*r), ElementsAre("1 一 主要工作情况"));
  ExpectWellFormed(*r);
}

// Text copied out of a PDF (SYNTHETIC): lines broken at the page's width
// join into their paragraphs, and a sentence goes on across a page number
// and running header, which are residue held whole inside it. A blank line
// still ends a paragraph, and the short lines of a signature stay apart.
TEST(WrappedReportTest, LinesBrokenAtThePageWidthJoinTheirParagraphs) {
  absl::StatusOr<v1::SegmentedReport> r =
      Segment(ReadFixture("wrapped-pdf.txt"));
  ASSERT_TRUE(r.ok()) << r.status();
  ExpectWellFormed(*r);
  EXPECT_THAT(
      Sentences(*r),
      ElementsAre(
          "县政府全年组织集中学法12次，县政府常务会议会前学法共计\n21次，"
          "新颁布的法律法规做到即出即学。",
          "全县各执法部门全年办理行政处罚案件2,917件，依法收缴罚没款\n— 1 —\n"
          "合成县2024年度法治政府建设情况报告\n4,386.5万元，同比分别增长9.6%、"
          "4.2%。",
          "部分乡镇合法性审核力量还比较薄弱，专职审核人员不足", "2名。",
          "合成县人民政府", "2025年3月12日"));
  std::vector<std::string> residue;
  for (const v1::Segment& s : r->segments()) {
    if (s.kind() == v1::SEGMENT_KIND_RESIDUE)
      residue.emplace_back(Bytes(*r, s.span()));
  }
  EXPECT_THAT(residue,
              ElementsAre("— 1 —", "合成县2024年度法治政府建设情况报告",
                          "— 2 —", "合成县2024年度法治政府建设情况报告"));
  EXPECT_EQ(r->metadata().region(), "合成县");
}

// A line-by-line report whose lines all end in their marks is read as
// before: no line joins the next, whatever its length.
TEST(WrappedReportTest, LinesThatEndInTheirMarksStayApart) {
  absl::StatusOr<v1::SegmentedReport> r = Segment(
      "合成县2024年度法治政府建设情况报告\n"
      "一、主要成效\n"
      "县政府全年组织集中学法12次，常务会议会前学法共计21次：\n"
      "全县各执法部门全年办理行政处罚案件2,917件（同比增长9.6%）\n"
      "依法收缴罚没款4,386.5万元。\n");
  ASSERT_TRUE(r.ok()) << r.status();
  ExpectWellFormed(*r);
  // The second line ends in a bracket, not a mark: it runs on, as a PDF's
  // would. The first ends in ：.
  EXPECT_THAT(
      Sentences(*r),
      ElementsAre("县政府全年组织集中学法12次，常务会议会前学法共计21次：",
                  "全县各执法部门全年办理行政处罚案件2,917件（同比增长9.6%）\n"
                  "依法收缴罚没款4,386.5万元。"));
}

// A block of data, one label and its figure a line (败诉率：4.3%), though
// its lines end in no mark: each line is a sentence of its own. A line
// broken just after a figure still joins the next when that one goes on
// with punctuation.
TEST(WrappedReportTest, LabelledFiguresOneALineStayApart) {
  absl::StatusOr<v1::SegmentedReport> r = Segment(
      "合成县2024年度法治政府建设情况报告\n"
      "主要数据\n"
      "行政机关负责人出庭应诉率：100%\n"
      "行政复议直接纠错率：11.5%\n"
      "全年新增的行政规范性文件数量：1,530件\n"
      "全县各执法部门全年办理的行政处罚案件：2,917\n"
      "件，同比增长9.6%。\n"
      "全县各执法部门全年办理的行政许可事项：3,104件\n"
      "，同比增长4.2%。\n"
      "区政府于2024年3月12日上午9:30召开\n"
      "常务会议。\n"
      "全县各乡镇法治建设的主要经验：两个坚持和三个统一\n"
      "落到实处。\n");
  ASSERT_TRUE(r.ok()) << r.status();
  ExpectWellFormed(*r);
  EXPECT_THAT(Sentences(*r),
              ElementsAre("主要数据", "行政机关负责人出庭应诉率：100%",
                          "行政复议直接纠错率：11.5%",
                          "全年新增的行政规范性文件数量：1,530件",
                          "全县各执法部门全年办理的行政处罚案件：2,917\n"
                          "件，同比增长9.6%。",
                          "全县各执法部门全年办理的行政许可事项：3,104件\n"
                          "，同比增长4.2%。",
                          "区政府于2024年3月12日上午9:30召开\n常务会议。",
                          "全县各乡镇法治建设的主要经验：两个坚持和三个统一\n"
                          "落到实处。"));
}

}  // namespace
}  // namespace reportpipe::segmenter
