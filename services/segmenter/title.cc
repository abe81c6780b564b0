#include "services/segmenter/title.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "lib/text/affixes.h"
#include "lib/text/utf8.h"
#include "re2/re2.h"

namespace reportpipe::segmenter {
namespace {

re2::StringPiece Piece(std::string_view s) { return {s.data(), s.size()}; }

// Words that mark a line as a title of this family of documents.
const RE2& TitleWord() {
  static const RE2 re(
      "报告|情况|法治政府|依法行政|工作要点|实施方案|白皮书|统计公报|年度报告");
  return re;
}

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\f'; }

// The line after `line_end`, white space trimmed, and where it starts.
std::string_view NextLine(std::string_view t, size_t line_end, size_t* start) {
  size_t next = line_end;
  while (next < t.size() && IsSpace(t[next])) ++next;
  size_t next_end = t.find('\n', next);
  if (next_end == std::string_view::npos) next_end = t.size();
  std::string_view line = t.substr(next, next_end - next);
  while (!line.empty() && IsSpace(line.back())) line.remove_suffix(1);
  *start = next;
  return line;
}

// 关于…的报告 standing alone on the line below its issuers.
bool IsAboutLine(std::string_view line) {
  return line.substr(0, sizeof("关于") - 1) == "关于" &&
         line.size() >= sizeof("报告") - 1 &&
         line.substr(line.size() - (sizeof("报告") - 1)) == "报告" &&
         line.size() <= 240;
}

// A line of issuers and nothing else (中共X县委 X县人民政府): the first half
// of a joint title, which names no title word of its own.
bool IsIssuerLine(std::string_view line) {
  static const RE2 issuers(
      R"(^(?:[^ 。,:;]{2,30}?(?:人民政府|政府|委员会|委|办公室)[ ]*){1,3}$)");
  return line.size() <= 120 && RE2::FullMatch(Piece(line), issuers);
}

// The digit of a numeral a year may be written in (二〇二三年, 二零二三,
// 二○二三 with a white circle), or -1.
int YearDigit(char32_t c) {
  if (c == U'〇' || c == U'零' || c == U'○') return 0;
  static const std::u32string kDigits = U"一二三四五六七八九";
  const size_t d = kDigits.find(c);
  return d == std::u32string::npos ? -1 : static_cast<int>(d) + 1;
}

}  // namespace

TitleSpan FindTitle(std::string_view t, size_t from) {
  TitleSpan out;
  size_t pos = from;
  while (pos < t.size() && IsSpace(t[pos])) ++pos;
  size_t line_end = t.find('\n', pos);
  if (line_end == std::string_view::npos) line_end = t.size();
  std::string_view line = t.substr(pos, line_end - pos);
  while (!line.empty() && IsSpace(line.back())) line.remove_suffix(1);
  out.span = {pos, pos};
  out.body_start = pos;
  if (line.empty()) return out;
  // A report without a title starts with its first heading, and headings
  // such as 一、主要工作情况 hold title words too.
  static const RE2 heading(
      R"(^(?:[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\)|)"
      R"(\d{1,2}[.、]\D|\(\d{1,2}\)))");
  if (RE2::PartialMatch(Piece(line), heading)) return out;
  if (!RE2::PartialMatch(Piece(line), TitleWord())) {
    // A joint title may put its issuers on a line of their own, which holds
    // no title word; the 关于…的报告 line below completes it.
    size_t next = 0;
    const std::string_view second = NextLine(t, line_end, &next);
    if (IsIssuerLine(line) && IsAboutLine(second)) {
      out.span = {pos, next + second.size()};
      out.body_start = out.span.end;
      return out;
    }
    // A few lines of a page's furniture the residue did not know may stand
    // before the title: a short line a little below that can only be this
    // family's title (X法治政府建设…情况的报告) is taken.
    static const RE2 sure_title(
        R"(^[^ 。,:;!?]{4,60}(?:法治政府|依法行政|法治建设)[^ 。,:;!?]{0,40})"
        R"((?:报告|总结|情况)$)");
    // A gazette's notice may wrap the report (X政办发〔2024〕6号, …关于印发
    // 《…报告》的通知, its addressees, a paragraph, the office and date):
    // its lines, sentences included, stand before the report's own title.
    static const RE2 notice(R"(关于印发.{0,60}(?:报告|总结).{0,4}的通知$)");
    bool in_notice = false;
    size_t end = line_end;
    for (int i = 0; i < (in_notice ? 16 : 6) && end < t.size(); ++i) {
      size_t start = 0;
      const std::string_view candidate = NextLine(t, end, &start);
      if (!in_notice && RE2::PartialMatch(Piece(candidate), notice)) {
        in_notice = true;
      }
      // The body has begun: a heading (一、2023年法治政府建设情况) or a
      // sentence (but for the notice's own).
      if (RE2::PartialMatch(Piece(candidate), heading) ||
          (!in_notice && candidate.find("。") != std::string_view::npos)) {
        break;
      }
      if (candidate.size() <= 180 &&
          RE2::FullMatch(Piece(candidate), sure_title)) {
        out.span = {start, start + candidate.size()};
        out.body_start = out.span.end;
        return out;
      }
      end = t.find('\n', start);
      if (end == std::string_view::npos) break;
    }
    return out;
  }
  // A title is short and is no sentence. On a flattened page the line is the
  // whole report: the title is its head, up to the end of 报告 or to the first
  // space or sentence mark.
  static const RE2 head(
      R"(^([^ 。,:;!?]{4,90}?(?:报告|情况|工作要点|实施方案)))"
      R"((?:[ ]|$|[^的报告情况]))");
  std::string_view title = line;
  if (line.size() > 240 || (line.find("。") != std::string_view::npos)) {
    re2::StringPiece m;
    if (!RE2::PartialMatch(Piece(line), head, &m)) return out;
    title = std::string_view(m.data(), m.size());
  }
  out.span = {pos, pos + title.size()};
  out.body_start = out.span.end;
  // 中共X县委 X县人民政府 on one line, 关于…的报告 on the next.
  if (title.size() == line.size() && !(title.find("报告") != std::string_view::npos)) {
    size_t next = 0;
    const std::string_view second = NextLine(t, line_end, &next);
    if (IsAboutLine(second)) {
      out.span.end = next + second.size();
      out.body_start = out.span.end;
    }
  }
  return out;
}

std::string WithArabicYears(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t pos = 0;
  while (pos < s.size()) {
    // Four numerals of 19xx or 20xx, then 年.
    int year = 0;
    int digits = 0;
    size_t p = pos;
    for (; digits < 4 && p < s.size(); ++digits) {
      // A cut text may end inside a sequence: never decode past its end.
      if (p + text::kSequenceLength[static_cast<unsigned char>(s[p])] >
          s.size()) {
        break;
      }
      char32_t c = 0;
      const int n = text::DecodeUtf8(s, p, &c);
      const int d = YearDigit(c);
      if (d < 0) break;
      year = year * 10 + d;
      p += static_cast<size_t>(n);
    }
    if (digits == 4 && text::HasWordAt(s, p, "年") && year >= 1900 &&
        year < 2100) {
      absl::StrAppend(&out, year);
      pos = p;
      continue;
    }
    const size_t length =
        text::kSequenceLength[static_cast<unsigned char>(s[pos])];
    const size_t step = length > 0 ? length : 1;
    out.append(s.substr(pos, step));  // substr stops at the end
    pos += step;
  }
  return out;
}

std::string ReadRegion(std::string_view title) {
  std::string t = WithArabicYears(title);
  // A markdown title: # 沄川市…, **…**.
  static const RE2 markup(R"(^[# ]+|\*\*)");
  RE2::GlobalReplace(&t, markup, "");
  // Issuers before the region: 中共X县委 (the party committee) and the
  // government's own name, in joint titles.
  static const RE2 party(R"(^中共[^ ]{1,20}?委(?:员会)?[ ]*)");
  RE2::Replace(&t, party, "");
  // 关于石嘴山市2021年度…的报告: the region follows 关于.
  static const RE2 about(R"(^关于)");
  RE2::Replace(&t, about, "");
  // The region is the run of names ending in an administrative suffix
  // before 人民政府/政府/办事处 (a 街道's government)/关于/the year/法治.
  static const RE2 region(
      R"(^(?:\d{4}年(?:度)?)?((?:[^ \d()（）]{1,12}?)"
      R"((?:自治区|自治州|自治县|特别行政区|新区|省|市|州|盟|县|区|旗|镇|乡|街道)){1,3}))"
      R"((?:人民政府|政府|办事处|关于|党委|委员会|[ ]|\d|法治|依法|$))");
  // A template's XX县 or ××市 is a blank to fill in, not a region; 全县 and
  // 本市 refer to one without naming it.
  static const RE2 placeholder(R"([X×*]|^(?:全|本|我|该)(?:省|市|县|区|旗|州)$)");
  std::string name;
  // The name a pattern read, unless it is a template's blank.
  auto named = [&] {
    return RE2::PartialMatch(name, placeholder) ? std::string() : name;
  };
  if (RE2::PartialMatch(t, region, &name)) return named();
  // A development zone's 管理委员会 (管委会) is its government, as a 街道's
  // 办事处 is: its report is filed under the zone's name.
  static const RE2 zone(
      R"(^(?:\d{4}年(?:度)?)?([^ \d()（）]{1,16}?)"
      R"((?:开发区|高新区|园区|新区|试验区|合作区))(?:管理委员会|管委会))");
  if (RE2::PartialMatch(t, zone, &name)) return named();
  // A department's report (X市市场监督管理局2025年…) is filed under the
  // department, the region's name and its own: its figures are the
  // department's, and under the region alone it would stand for, and as a
  // new version replace, the government's report of that year.
  static const RE2 department(
      R"(^(?:\d{4}年(?:度)?)?([^ \d()（）]{1,12}?)"
      R"((?:自治区|自治州|自治县|新区|省|市|州|盟|县|区|旗|镇|乡|街道))"
      R"([^ \d()（）]{0,16}?(?:局|厅|委员会|委|办公室)))");
  if (RE2::PartialMatch(t, department, &name)) return named();
  // 2025年X县法治政府建设情况: the year first.
  static const RE2 after_year(
      R"(\d{4}年(?:度)?((?:[^ \d]{1,12}?)(?:自治区|省|市|州|盟|县|区|旗)+))"
      R"((?:人民政府|政府|法治|依法))");
  if (RE2::PartialMatch(t, after_year, &name)) return named();
  return "";
}

v1::ReportMetadata ReadMetadata(std::string_view title, std::string_view body) {
  v1::ReportMetadata md;
  md.set_title(std::string(title));
  md.set_region(ReadRegion(title));
  // 二〇二三年度: a year in numerals is read as its digits.
  const std::string arabic_title = WithArabicYears(title);
  title = arabic_title;
  int year = 0;
  // A text typed with spaces about its figures says 2023 年.
  static const RE2 year_re(R"(((?:19|20)\d{2})[ \x{A0}\x{3000}]{0,2}年)");
  std::string digits;
  const std::string body_head =
      WithArabicYears(body.substr(0, std::min<size_t>(body.size(), 600)));
  if (RE2::PartialMatch(Piece(title), year_re, &digits) ||
      RE2::PartialMatch(Piece(body_head), year_re, &digits)) {
    (void)absl::SimpleAtoi(digits, &year);
  }
  md.set_year(year);

  // Templates: placeholders where the figures and names should be.
  // A run of stars after a digit closes markdown's bold (受理**126**件): it
  // stands for no figure. A run after a word does (受理**件).
  static const RE2 placeholder(
      R"((?:^|[^0-9*＊])(?:[*＊×]+|X{1,3}|XX)(?:次|件|个|项|人|名|场|家|%|县|市|区|年))");
  int placeholders = 0;
  re2::StringPiece scan = Piece(body);
  // Every placeholder holds *, ＊, × or X: a report with none of them (most
  // reports) skips the regex's scan of its whole body.
  const bool may_hold = body.find('*') != std::string_view::npos ||
                        body.find('X') != std::string_view::npos ||
                        body.find("＊") != std::string_view::npos ||
                        body.find("×") != std::string_view::npos;
  while (may_hold && placeholders < 3 &&
         RE2::FindAndConsume(&scan, placeholder)) {
    ++placeholders;
  }
  const bool template_title = RE2::PartialMatch(Piece(title), placeholder) ||
                              (title.find("XX") != std::string_view::npos) ||
                              (title.find("××") != std::string_view::npos);
  // Compiled once: these run for every report.
  static const RE2 kPlanTitle("工作要点|实施方案|工作计划|行动方案");
  static const RE2 kOtherTitle("白皮书|统计公报|审判|法院|检察院");
  static const RE2 kLawBasedTitle("法治政府|依法行政|法治建设");
  static const RE2 kWorkReportTitle("工作报告|工作情况|工作总结");
  static const RE2 kSituationTitle("情况");
  static const RE2 kDutyTitle("第一责任人|述法");
  static const RE2 kNotDutyReport("暨|方案|评议|办法|规定|通知|意见");
  auto set = [&md](v1::ReportType type, bool law_based, std::string reason) {
    md.set_report_type(type);
    md.set_is_law_based_government_report(law_based);
    md.set_classification_reason(std::move(reason));
  };
  if (template_title || placeholders >= 2) {
    set(v1::REPORT_TYPE_TEMPLATE, false,
        "placeholders such as *次 or XX件 stand where figures should be: a "
        "template, not a published report");
  } else if (title.empty()) {
    set(v1::REPORT_TYPE_OTHER, false,
        "no title was found in the first lines, so the report type cannot be "
        "read");
  } else if ((title.find("信息公开") != std::string_view::npos)) {
    set(v1::REPORT_TYPE_INFORMATION_DISCLOSURE, false,
        "title names 政府信息公开: an information-disclosure annual report");
  } else if (RE2::PartialMatch(Piece(title), kPlanTitle)) {
    set(v1::REPORT_TYPE_WORK_PLAN, false,
        "title names a plan (工作要点/实施方案): its figures are targets");
  } else if (RE2::PartialMatch(Piece(title), kOtherTitle)) {
    set(v1::REPORT_TYPE_OTHER, false,
        "title names a court or statistics publication, not a government's "
        "annual report");
  } else if (RE2::PartialMatch(Piece(title), kDutyTitle) &&
             !RE2::PartialMatch(Piece(title), kNotDutyReport)) {
    // A combined title (法治政府建设年度报告暨…第一责任人职责情况报告) is the
    // government's report; a plan or rules for 述法评议 are no reports.
    set(v1::REPORT_TYPE_DUTY_REPORT, true,
        "title names 第一责任人 or 述法: a leader's report on the duties of "
        "building the rule of law, kept apart from the government's report");
  } else if (RE2::PartialMatch(Piece(title), kLawBasedTitle)) {
    if (RE2::PartialMatch(Piece(title), kWorkReportTitle)) {
      set(v1::REPORT_TYPE_WORK_REPORT, true,
          "title names 法治政府建设 and 工作报告 (or 工作情况, 工作总结)");
    } else if (RE2::PartialMatch(Piece(title), kSituationTitle)) {
      set(v1::REPORT_TYPE_SITUATION_REPORT, true,
          "title names 法治政府建设 and 情况(报告)");
    } else {
      set(v1::REPORT_TYPE_ANNUAL_REPORT, true,
          "title names 法治政府建设 and 年度报告");
    }
  } else {
    set(v1::REPORT_TYPE_OTHER, false,
        "title does not name 法治政府建设 or 依法行政: " + std::string(title));
  }
  return md;
}

}  // namespace reportpipe::segmenter
