#include "services/segmenter/segmenter.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/arena.h"
#include "lib/text/affixes.h"
#include "lib/text/content_hash.h"
#include "lib/text/normalized_text.h"
#include "lib/text/numerals.h"
#include "lib/text/utf8.h"
#include "re2/re2.h"
#include "services/segmenter/headings.h"
#include "services/segmenter/report_text.h"
#include "services/segmenter/residue.h"
#include "services/segmenter/sentences.h"
#include "services/segmenter/title.h"

namespace reportpipe::segmenter {
namespace {

using text::ByteSpan;

// A segment under construction, with its parent as a build-order id: the
// final list is sorted into document order and the ids remapped.
struct Draft {
  // Made where the report lives (on its arena, or on the heap when it has
  // none), so that Emit hands it to the report whole (AddAllocated): held by
  // value it would be swapped into the report's own copy and left behind
  // empty, and swapped again each time the vector grows. Null once emitted.
  v1::Segment* segment = nullptr;
  ByteSpan folded;
  int parent = -1;
  int rank = 0;  // among equal spans: containers before their contents
};

// Builds the segment list of one report.
class Builder {
 public:
  // The segments are made on `arena` (null: the heap).
  Builder(const text::NormalizedText& folded, const Residue& residue,
          google::protobuf::Arena* arena)
      : folded_(folded), t_(folded.text()), residue_(residue), arena_(arena) {}
  Builder(const Builder&) = delete;
  Builder& operator=(const Builder&) = delete;
  ~Builder() {
    // What an arena holds it frees; a heap segment not emitted is ours.
    if (arena_ != nullptr) return;
    for (Draft& d : drafts_) delete d.segment;
  }

  int Add(v1::SegmentKind kind, ByteSpan span, int parent, int rank) {
    Draft d;
    d.segment = google::protobuf::Arena::CreateMessage<v1::Segment>(arena_);
    d.segment->set_kind(kind);
    d.folded = span;
    d.parent = parent;
    d.rank = rank;
    SetSpan(span, d.segment->mutable_span());
    drafts_.push_back(std::move(d));
    return static_cast<int>(drafts_.size()) - 1;
  }

  v1::Segment& At(int id) { return *drafts_[id].segment; }

  void SetSpan(ByteSpan folded, v1::Span* out) const {
    const ByteSpan original = folded_.ToOriginal(folded.start, folded.end);
    out->set_start(static_cast<uint32_t>(original.start));
    out->set_end(static_cast<uint32_t>(original.end));
  }

  // Paragraphs and their sentences in [begin, end) of folded text, residue
  // left out. Each line is a paragraph, except where a line breaks off in
  // mid-sentence (BreaksOff): a PDF-made text breaks its lines at the page's
  // width, and such a line goes on in the next one, across a page's residue
  // (page number, running header), which the paragraph's span then holds.
  void AddBody(size_t begin, size_t end, int parent, const std::string& path,
               bool plan) {
    std::vector<ByteSpan> lines;
    size_t pos = begin;
    while (pos < end) {
      size_t eol = t_.find('\n', pos);
      if (eol == std::string::npos || eol > end) eol = end;
      for (const ByteSpan& piece : WithoutResidue(pos, eol)) {
        const ByteSpan p = Trim(piece);
        if (p.start < p.end) lines.push_back(p);
      }
      pos = eol + 1;
    }
    for (size_t i = 0; i < lines.size();) {
      ByteSpan p = lines[i];
      size_t next = i + 1;
      // A table's row (| 指标 | 2023年 |, or 指标 | 数值 | 单位 without the
      // outer bars) is a line of its own, whatever the line before it (a
      // caption) ends in.
      while (next < lines.size() && BreaksOff(lines[next - 1]) &&
             !TableLine(lines[next]) && !TableLine(lines[next - 1]) &&
             !(LabelledFigure(lines[next - 1]) &&
               !OpensWithPunctuation(lines[next])) &&
             OnlyALineBreakBetween(lines[next - 1].end, lines[next].start)) {
        p.end = lines[next].end;
        ++next;
      }
      const bool wrapped = next > i + 1;
      i = next;
      const int para = Add(v1::SEGMENT_KIND_PARAGRAPH, p, parent, 2);
      At(para).set_path(path);
      At(para).set_plan(plan);
      for (const ByteSpan& s : SplitSentences(t_, p.start, p.end, wrapped)) {
        const int sent = Add(v1::SEGMENT_KIND_SENTENCE, s, para, 3);
        At(sent).set_path(path);
        At(sent).set_plan(plan);
      }
    }
  }

  // Whether a line is a table's row: it opens with a bar, or holds two.
  bool TableLine(ByteSpan line) const {
    if (t_[line.start] == '|') return true;
    const std::string_view text =
        std::string_view(t_).substr(line.start, line.end - line.start);
    const size_t bar = text.find('|');
    return bar != std::string_view::npos &&
           text.find('|', bar + 1) != std::string_view::npos;
  }

  // Whether a line breaks off in mid-sentence: long (a line of a page's
  // width, not a signature or a date), not a subtitle opened by a dash, and
  // ending in no mark that can end a paragraph.
  bool BreaksOff(ByteSpan line) const {
    constexpr size_t kLeastCodePoints = 15;
    size_t code_points = 0;
    for (size_t i = line.start; i < line.end && code_points < kLeastCodePoints;
         ++i) {
      code_points += text::IsContinuationByte(t_[i]) ? 0 : 1;
    }
    if (code_points < kLeastCodePoints) return false;
    std::string_view rest =
        std::string_view(t_).substr(line.start, line.end - line.start);
    // ——2024年2月27日在…会议上: a subtitle, a line of its own.
    if (text::HasPrefix(rest, "—") || text::HasPrefix(rest, "-")) return false;
    // Closing quotes and brackets after the mark belong to the sentence.
    for (bool closer = true; closer && !rest.empty();) {
      closer = false;
      for (std::string_view c : {"”", "’", "」", "』", ")", "》", "】", "\""}) {
        if (text::HasSuffix(rest, c)) {
          rest.remove_suffix(c.size());
          closer = true;
          break;
        }
      }
    }
    // | ends a table's row (| 败诉率（%） | 9.2 | 6.8 |): a line of its own.
    for (std::string_view mark : {"。", "!", "?", ";", ":", "…", "|"}) {
      if (text::HasSuffix(rest, mark)) return false;
    }
    return true;
  }

  // Whether a line is a label and its figure, a line of a data block
  // (败诉率：4.3%): a colon, then only a short figure that opens with a digit
  // or a numeral and ends in its measure. Such a line is whole though it ends
  // in no mark, unless the next line opens with punctuation and so goes on
  // with it (a PDF line broken after a figure: 案件：2,917件 / ，同比…).
  bool LabelledFigure(ByteSpan line) const {
    // A label of a few words with no sentence marks and not ending in a
    // digit (9:30 is a clock), then the figure: digits (grouped, with a
    // decimal) or numerals, 万 or 亿, and a measure of a few characters.
    static const RE2 data_line(
        R"(^[^,;。:]{2,30}[^0-9 ]:[ ]*)"
        R"((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:万|亿)?)"
        R"((?:%|[^\x00-\x7F是]{1,4}))");
    static const RE2 numeral_line(
        R"(^[^,;。:]{2,30}:[ ]*[零〇一二两三四五六七八九十百千万]+)"
        R"([^\x00-\x7F是零〇一二两三四五六七八九十百千万]{1,4})");
    const re2::StringPiece s(t_.data() + line.start, line.end - line.start);
    return RE2::FullMatch(s, data_line) || RE2::FullMatch(s, numeral_line);
  }

  // Whether a line opens with a mark that only continues a sentence.
  bool OpensWithPunctuation(ByteSpan line) const {
    const std::string_view s =
        std::string_view(t_).substr(line.start, line.end - line.start);
    for (std::string_view mark : {",", "、", "。", ";", ")", "%", "”"}) {
      if (text::HasPrefix(s, mark)) return true;
    }
    return false;
  }

  // Whether only white space with one line break (no blank line) stands
  // between folded offsets `from` and `to`; or page residue and white space
  // (blank lines around a page number are the page's, not a paragraph's).
  // A line break there must be: pieces of one line split by residue (a
  // 浏览次数 in mid-line) are never joined. The form feed pdftotext puts at
  // each page break is white space too.
  bool OnlyALineBreakBetween(size_t from, size_t to) const {
    const std::vector<ByteSpan> gaps = WithoutResidue(from, to);
    size_t outside = 0;
    for (const ByteSpan& gap : gaps) outside += gap.end - gap.start;
    const bool residue = outside < to - from;
    int all_breaks = 0;
    for (const ByteSpan& gap : gaps) {
      int breaks = 0;
      for (size_t i = gap.start; i < gap.end; ++i) {
        if (t_[i] == '\n') {
          ++all_breaks;
          if (++breaks > 1 && !residue) return false;
        } else if (t_[i] != ' ' && t_[i] != '\f') {
          return false;
        }
      }
    }
    return all_breaks > 0;
  }

  ByteSpan Trim(ByteSpan s) const {
    while (s.start < s.end && (t_[s.start] == ' ' || t_[s.start] == '\n'))
      ++s.start;
    while (s.end > s.start && (t_[s.end - 1] == ' ' || t_[s.end - 1] == '\n'))
      --s.end;
    return s;
  }

  // Document order: by start, longer first, containers before contents.
  void Emit(v1::SegmentedReport* out) {
    std::vector<int> order(drafts_.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    std::stable_sort(order.begin(), order.end(), [this](int a, int b) {
      const Draft& x = drafts_[a];
      const Draft& y = drafts_[b];
      if (x.folded.start != y.folded.start)
        return x.folded.start < y.folded.start;
      if (x.rank != y.rank) return x.rank < y.rank;
      return x.folded.end > y.folded.end;
    });
    std::vector<int> index(drafts_.size());
    for (size_t i = 0; i < order.size(); ++i)
      index[order[i]] = static_cast<int>(i);
    for (int id : order) {
      Draft& d = drafts_[id];
      d.segment->set_parent(d.parent < 0 ? -1 : index[d.parent]);
      // The same arena (or none) on both sides: the pointer is taken as is.
      out->mutable_segments()->AddAllocated(d.segment);
      d.segment = nullptr;
    }
  }

 private:
  std::vector<ByteSpan> WithoutResidue(size_t begin, size_t end) const {
    std::vector<ByteSpan> out;
    size_t pos = begin;
    // The spans are in order and apart (FindResidue): the first that can
    // reach `begin` is found by halving (a PDF's text holds residue on every
    // page, and this is asked at every line), then they are read in order
    // until `end`.
    auto r = std::lower_bound(
        residue_.spans.begin(), residue_.spans.end(), begin,
        [](const ByteSpan& span, size_t at) { return span.start < at; });
    if (r != residue_.spans.begin())
      --r;  // one that starts before may reach in
    for (; r != residue_.spans.end() && r->start < end; ++r) {
      if (r->end <= pos) continue;
      if (r->start > pos) out.push_back({pos, r->start});
      pos = std::max(pos, r->end);
    }
    if (pos < end) out.push_back({pos, end});
    return out;
  }

  const text::NormalizedText& folded_;
  const std::string& t_;
  const Residue& residue_;
  google::protobuf::Arena* const arena_;
  std::vector<Draft> drafts_;
};

// A section that sets out plans rather than results.
bool IsPlanHeading(std::string_view heading, int* year) {
  static const RE2 plan(
      R"(((?:19|20)\d{2})?年?(?:度)?.{0,12}(?:计划|打算|思路|安排|展望|目标任务)|)"
      R"(下一步|下步|今后|明年|来年|努力方向)");
  std::string digits;
  if (!RE2::PartialMatch(re2::StringPiece(heading.data(), heading.size()), plan,
                         &digits)) {
    return false;
  }
  if (!digits.empty()) (void)absl::SimpleAtoi(digits, year);
  return true;
}

// An appendix the report carries after its sections (附表：2022年度主要指标,
// 附件：1.…): a part of its own at the top level, so that its tables are
// not read as the plan whose section it follows. Only a line's start, after
// the last heading found (附件 in a sentence is a word), and only the first.
void AddAppendix(std::string_view t, size_t body_begin, size_t body_end,
                 const Residue& residue, int level,
                 std::vector<Heading>* headings) {
  // A web page's 附件下载： is its furniture, not the report's appendix.
  auto in_residue = [&residue](size_t at) {
    for (const ByteSpan& r : residue.spans) {
      if (r.start <= at && at < r.end) return true;
    }
    return false;
  };
  size_t from = body_begin;
  for (const Heading& h : *headings) {
    if (!h.point) from = std::max(from, h.heading.end);
  }
  for (size_t line = from; line < body_end;) {
    size_t eol = t.find('\n', line);
    if (eol == std::string_view::npos || eol > body_end) eol = body_end;
    size_t at = line;
    while (at < eol && t[at] == ' ') ++at;
    const std::string_view rest = t.substr(at, eol - at);
    for (const std::string_view word : {"附表", "附件", "附:"}) {
      if (!text::HasPrefix(rest, word) || line == from || in_residue(at)) {
        continue;
      }
      // 附表：, 附件1, 附表 2, or the word alone: not 附件材料齐全率达到100%。,
      // a sentence that opens with the word; nor a line that ends one.
      const std::string_view next = rest.substr(word.size());
      char32_t after_word = 0;
      if (!next.empty()) text::DecodeUtf8(next, 0, &after_word);
      const bool opens = next.empty() || next[0] == ':' || next[0] == ' ' ||
                         (next[0] >= '0' && next[0] <= '9') ||
                         text::ChineseDigit(after_word) >= 0;
      if (!opens || rest.find("。") != std::string_view::npos) continue;
      Heading h;
      h.level = level;
      const size_t word_bytes = word == "附:" ? 3 : word.size();
      // The marker runs to the heading's first word: 附表：, as 一、 does.
      size_t heading_start = at + word_bytes;
      while (heading_start < eol &&
             (t[heading_start] == ':' || t[heading_start] == ' ')) {
        ++heading_start;
      }
      // An empty 附件： that nothing follows (a web page's) is none.
      const std::string_view below =
          eol < body_end ? t.substr(eol, body_end - eol) : std::string_view();
      if (heading_start == eol &&
          below.find_first_not_of(" \n") == std::string_view::npos) {
        return;
      }
      h.marker = {at, heading_start};
      h.heading = {heading_start, eol};
      h.standalone = true;
      h.path_part = std::string(t.substr(at, word_bytes));
      auto after = std::find_if(
          headings->begin(), headings->end(),
          [at](const Heading& other) { return other.marker.start > at; });
      headings->insert(after, std::move(h));
      return;
    }
    line = eol + 1;
  }
}

// The original bytes of a folded span.
std::string Original(const text::NormalizedText& folded,
                     const std::string& original, ByteSpan span) {
  const ByteSpan o = folded.ToOriginal(span.start, span.end);
  return original.substr(o.start, o.end - o.start);
}

}  // namespace

absl::StatusOr<v1::SegmentedReport> SegmentReport(
    const v1::Report& report, const SegmenterOptions& options) {
  v1::SegmentedReport out;
  if (absl::Status status = SegmentReportInto(report, options, &out);
      !status.ok()) {
    return status;
  }
  return out;
}

absl::Status SegmentReportInto(const v1::Report& report,
                               const SegmenterOptions& options,
                               v1::SegmentedReport* out) {
  absl::StatusOr<std::string> utf8 =
      DecodeReportText(report, options.max_report_bytes);
  if (!utf8.ok()) return utf8.status();
  const text::NormalizedText folded = text::NormalizedText::Fold(*utf8);
  const std::string& t = folded.text();

  const Residue residue = FindResidue(t);
  const TitleSpan title = FindTitle(t, residue.head_end);
  const size_t body_begin = std::min(title.body_start, residue.body_end);
  const size_t body_end = residue.body_end;
  const std::string_view title_text = std::string_view(t).substr(
      title.span.start, title.span.end - title.span.start);

  out->set_report_id(report.id());
  out->set_source(report.source());
  v1::ReportMetadata* md = out->mutable_metadata();
  *md = ReadMetadata(title_text, std::string_view(t).substr(
                                     body_begin, body_end - body_begin));
  // The title is read on the folded form but reported as written (２０２３
  // stays full-width), like the TITLE segment's heading.
  md->set_title(Original(folded, *utf8, title.span));
  // What the caller states wins over what the title says.
  if (!report.region().empty()) md->set_region(report.region());
  if (report.year() != 0) md->set_year(report.year());
  if (report.report_type() != v1::REPORT_TYPE_UNSPECIFIED) {
    md->set_report_type(report.report_type());
    md->set_is_law_based_government_report(report.report_type() <=
                                           v1::REPORT_TYPE_DUTY_REPORT);
    md->set_classification_reason("report type given by the caller");
  }
  if (!report.title().empty()) md->set_title(report.title());

  Builder builder(folded, residue, out->GetArena());
  if (title.span.end > title.span.start) {
    const int id = builder.Add(v1::SEGMENT_KIND_TITLE, title.span, -1, 0);
    builder.At(id).set_level(0);
    builder.At(id).set_heading(Original(folded, *utf8, title.span));
    builder.SetSpan(title.span, builder.At(id).mutable_heading_span());
    builder.SetSpan(title.span, md->mutable_title_span());
  }
  for (const ByteSpan& r : residue.spans) {
    builder.Add(v1::SEGMENT_KIND_RESIDUE, r, -1, 0);
  }

  std::vector<Heading> headings = FindHeadings(t, body_begin, body_end);
  {
    int level = 6;
    for (const Heading& h : headings) {
      if (!h.point) level = std::min(level, h.level);
    }
    // Only below sections: a report of points alone has no part to add.
    if (level < 5) {
      AddAppendix(t, body_begin, body_end, residue, level, &headings);
    }
  }
  builder.AddBody(body_begin,
                  headings.empty() ? body_end : headings.front().marker.start,
                  -1, "", false);
  struct Open {
    int level;
    int id;
    std::string path;
    bool plan;
  };
  std::vector<Open> stack;
  // A plan is a section of level 一、 or (一); or of the top level where a
  // report numbers its parts 1. 2. 3. (5.2023年工作打算).
  int top_level = 6;
  for (const Heading& h : headings) {
    if (!h.point) top_level = std::min(top_level, h.level);
  }
  const int deepest_plan_level = std::max(2, top_level);
  for (size_t i = 0; i < headings.size(); ++i) {
    const Heading& h = headings[i];
    while (!stack.empty() && stack.back().level >= h.level) stack.pop_back();
    // The section runs to the next heading at its level or above.
    size_t end = body_end;
    for (size_t j = i + 1; j < headings.size(); ++j) {
      if (headings[j].level <= h.level) {
        end = headings[j].marker.start;
        break;
      }
    }
    const ByteSpan span = builder.Trim({h.marker.start, end});
    const int parent = stack.empty() ? -1 : stack.back().id;
    const int id =
        builder.Add(h.point ? v1::SEGMENT_KIND_POINT : v1::SEGMENT_KIND_SECTION,
                    span, parent, 1);
    v1::Segment& s = builder.At(id);
    s.set_level(h.level);
    s.set_marker(Original(folded, *utf8, h.marker));
    s.set_heading(Original(folded, *utf8, h.heading));
    // Plans are recognised on the folded form; paths use it too, so that
    // they compare across full- and half-width reports.
    const std::string heading_text =
        t.substr(h.heading.start, h.heading.end - h.heading.start);
    builder.SetSpan({h.marker.start, h.heading.end}, s.mutable_heading_span());
    const std::string path =
        stack.empty() ? h.path_part
                      : absl::StrCat(stack.back().path, "/", h.path_part);
    s.set_path(path);
    int plan_year = 0;
    const bool plan = (!stack.empty() && stack.back().plan) ||
                      (h.level <= deepest_plan_level && !h.point &&
                       IsPlanHeading(heading_text, &plan_year));
    s.set_plan(plan);
    if (plan && md->plan_year() == 0) {
      md->set_plan_year(
          plan_year != 0 ? plan_year : (md->year() != 0 ? md->year() + 1 : 0));
    }
    stack.push_back({h.level, id, path, plan});
    // Its own body runs to the next heading of any level.
    // A point (一是, ①) is content, not a title: its words are read even
    // when they stand alone on their line (一是全程网办率提高到95%以上).
    const size_t body_from =
        h.standalone && !h.point ? h.heading.end : h.marker.end;
    const size_t body_to =
        i + 1 < headings.size() ? headings[i + 1].marker.start : body_end;
    builder.AddBody(body_from, body_to, id, path, plan);
  }
  builder.Emit(out);
  out->set_content_hash(text::ContentHash(*utf8));
  out->set_text(*std::move(utf8));
  return absl::OkStatus();
}

}  // namespace reportpipe::segmenter
