#include "services/extractor/extractor.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/text/content_hash.h"
#include "lib/text/normalized_text.h"
#include "lib/text/utf8.h"
#include "services/extractor/table_rows.h"

namespace reportpipe::extractor {
namespace {

void SetSpan(const text::NormalizedText& folded, size_t start, size_t end,
             v1::Span* span) {
  const text::ByteSpan original = folded.ToOriginal(start, end);
  span->set_start(static_cast<uint32_t>(original.start));
  span->set_end(static_cast<uint32_t>(original.end));
}

// White space that may stand beside a line break: \r of \r\n, spaces and
// tabs at a line's end or start, the form feed of a page break.
bool IsLineSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f';
}

// Adds `span` to the dropped spans, in order: one that meets or overlaps the
// last is merged into it.
void Drop(text::ByteSpan span, std::vector<text::ByteSpan>* out) {
  if (!out->empty() && span.start <= out->back().end) {
    out->back().end = std::max(out->back().end, span.end);
    return;
  }
  if (span.end > span.start) out->push_back(span);
}

// What the sentences of `report` hold that is no part of what they say, in
// order: the line breaks of a PDF-made text, whose lines break at the
// page's width, and the page's residue (page number, running header) where
// a page break falls inside a sentence. Empty for a text whose sentences
// hold no line break, as every scraped page's do. Spans are checked.
std::vector<text::ByteSpan> NotSaid(const v1::SegmentedReport& report) {
  std::vector<text::ByteSpan> out;
  const std::string_view t = report.text();
  // Most texts break no sentence: the residue is gathered only for one that
  // does.
  std::vector<text::ByteSpan> residue;
  bool residue_gathered = false;
  auto next_residue = residue.begin();
  size_t done = 0;  // sentences never overlap; this guards against any that do
  for (const v1::Segment& s : report.segments()) {
    if (s.kind() != v1::SEGMENT_KIND_SENTENCE) continue;
    size_t pos = std::max<size_t>(s.span().start(), done);
    const size_t end = s.span().end();
    if (pos >= end ||
        t.substr(pos, end - pos).find('\n') == std::string_view::npos) {
      continue;
    }
    if (!residue_gathered) {
      for (const v1::Segment& r : report.segments()) {
        if (r.kind() == v1::SEGMENT_KIND_RESIDUE) {
          residue.push_back({r.span().start(), r.span().end()});
        }
      }
      std::sort(residue.begin(), residue.end(),
                [](const text::ByteSpan& a, const text::ByteSpan& b) {
                  return a.start < b.start;
                });
      residue_gathered = true;
      next_residue = residue.begin();
    }
    while (pos < end) {
      while (next_residue != residue.end() && next_residue->end <= pos) {
        ++next_residue;
      }
      const bool residue_here =
          next_residue != residue.end() && next_residue->start < end;
      const size_t stop =
          residue_here ? std::max<size_t>(next_residue->start, pos) : end;
      // Each line break with the white space around it (\r\n, spaces
      // at a line's end, the form feed of a page break).
      for (size_t nl = t.find('\n', pos); nl < stop;
           nl = t.find('\n', nl + 1)) {
        size_t from = nl;
        size_t to = nl + 1;
        while (from > pos && IsLineSpace(t[from - 1])) --from;
        while (to < stop && IsLineSpace(t[to])) ++to;
        Drop({from, to}, &out);
        nl = to - 1;
      }
      if (!residue_here) break;
      Drop({stop, std::min<size_t>(next_residue->end, end)}, &out);
      pos = std::max<size_t>(pos, next_residue->end);
      ++next_residue;
    }
    done = end;
  }
  return out;
}

bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }
bool IsHan(char32_t c) { return c >= 0x3400 && c <= 0x9FFF; }

// The spaces set about figures in a text typed with them (办理案件 35 件, 达
// 100% 以上, 1,234.5 万元, 2 000 人), as spans of the original in order: read
// as if absent, as the reports' figures are written without them. Spaces
// between words stay. Read on the folded text, where every kind of space
// (the ideographic, the no-break, a tab) is ' ' and every digit ASCII: one
// fast search, and most texts hold no space at all.
std::vector<text::ByteSpan> SpacesAboutFigures(
    const text::NormalizedText& folded) {
  std::vector<text::ByteSpan> out;
  const std::string_view t = folded.text();
  for (size_t head = t.find(' '); head != std::string_view::npos;) {
    size_t end = head;
    while (end < t.size() && t[end] == ' ') ++end;
    if (end >= t.size()) break;
    const char32_t before = text::CodePointBefore(t, 0, head);
    char32_t after = 0;
    text::DecodeUtf8(t, end, &after);
    // 2 000: a group of three digits, and nothing more, after one space.
    const bool group = IsDigit(before) && end - head == 1 &&
                       end + 3 <= t.size() && IsDigit(t[end]) &&
                       IsDigit(t[end + 1]) && IsDigit(t[end + 2]) &&
                       (end + 3 == t.size() || !IsDigit(t[end + 3]));
    if (((IsDigit(before) || before == '%') && IsHan(after)) ||
        (IsDigit(before) && after == '%') ||
        (IsHan(before) && IsDigit(after)) || group) {
      out.push_back({folded.ToOriginal(head), folded.ToOriginal(end)});
    }
    head = t.find(' ', end);
  }
  return out;
}

// Two lists of spans, each in order, as one in order, spans that meet or
// overlap merged.
std::vector<text::ByteSpan> Merged(const std::vector<text::ByteSpan>& a,
                                   const std::vector<text::ByteSpan>& b) {
  std::vector<text::ByteSpan> both;
  both.reserve(a.size() + b.size());
  std::merge(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(both),
             [](const text::ByteSpan& x, const text::ByteSpan& y) {
               return x.start < y.start;
             });
  std::vector<text::ByteSpan> out;
  for (const text::ByteSpan& span : both) Drop(span, &out);
  return out;
}

// The bytes of original[start, end) outside the `dropped` spans (in order).
std::string Said(std::string_view original, size_t start, size_t end,
                 const std::vector<text::ByteSpan>& dropped) {
  std::string out;
  size_t pos = start;
  auto d = std::lower_bound(
      dropped.begin(), dropped.end(), start,
      [](const text::ByteSpan& span, size_t at) { return span.end <= at; });
  for (; d != dropped.end() && d->start < end; ++d) {
    if (d->start > pos) out.append(original.substr(pos, d->start - pos));
    pos = std::max(pos, d->end);
  }
  if (pos < end) out.append(original.substr(pos, end - pos));
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Extractor>> Extractor::Create(
    const config::ExtractorConfig& config) {
  auto e = std::unique_ptr<Extractor>(new Extractor());
  absl::StatusOr<std::unique_ptr<SentenceReader>> reader =
      SentenceReader::Create(config.pack, config.catalog);
  if (!reader.ok()) return reader.status();
  e->reader_ = *std::move(reader);
  e->pack_version_ =
      absl::StrCat(config.pack.name(), "@", config.pack.version(), "+catalog@",
                   config.catalog.version());
  return e;
}

absl::StatusOr<v1::ExtractedReport> Extractor::Extract(
    const v1::SegmentedReport& report, ReportCopy copy) const {
  v1::ExtractedReport out;
  if (absl::Status status = ExtractInto(report, copy, &out); !status.ok()) {
    return status;
  }
  return out;
}

namespace {

// Whether folded offset `next` starts the line right after the one that
// ends at `previous`: only spaces and one line break between.
bool NextLineOf(std::string_view t, size_t previous, size_t next) {
  if (previous == 0 || previous > next) return false;
  int breaks = 0;
  for (size_t p = previous; p < next; ++p) {
    if (t[p] == '\n') {
      ++breaks;
    } else if (t[p] != ' ') {
      return false;
    }
  }
  return breaks == 1;
}

}  // namespace

absl::Status Extractor::ExtractInto(const v1::SegmentedReport& report,
                                    ReportCopy copy,
                                    v1::ExtractedReport* out) const {
  const std::string& original = report.text();
  // Folding reads every sequence as ValidateUtf8 would: the text is read
  // once, and ValidateUtf8 only says where a bad one is.
  text::NormalizedText folded = text::NormalizedText::Fold(original);
  if (!folded.well_formed()) {
    const absl::Status valid = text::ValidateUtf8(original);
    return absl::InvalidArgumentError(
        absl::StrCat("segmented report ", report.report_id(), ": ",
                     valid.ok() ? "the text is not UTF-8" : valid.message()));
  }
  for (int i = 0; i < report.segments_size(); ++i) {
    const v1::Span& span = report.segments(i).span();
    if (span.start() > span.end() || span.end() > original.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("segmented report ", report.report_id(), ": segment ", i,
                       " spans bytes ", span.start(), "-", span.end(), " of a ",
                       original.size(), "-byte text"));
    }
  }
  // Line breaks and page residue inside sentences are read as if absent:
  // 罚没款⏎4,386.5万元 is one figure with its label.
  const std::vector<text::ByteSpan> breaks = NotSaid(report);
  // 办理案件 35 件 is read as 办理案件35件 (the sentence a metric carries
  // keeps its spaces: they say nothing false, and only line breaks are taken
  // out of it).
  std::vector<text::ByteSpan> not_said = breaks;
  if (const std::vector<text::ByteSpan> spaces = SpacesAboutFigures(folded);
      !spaces.empty()) {
    not_said = Merged(breaks, spaces);
  }
  if (!not_said.empty()) {
    folded = text::NormalizedText::FoldWithout(original, not_said);
  }
  out->set_pattern_pack_version(pack_version_);
  google::protobuf::RepeatedPtrField<v1::Metric>* metrics =
      out->mutable_metrics();
  int last_paragraph = -2;
  // A view of a metric's indicator already built: metrics stay where they
  // are as more are added (RepeatedPtrField holds pointers).
  std::string_view previous_topic;
  // Every number of the text in one pass; each sentence takes its own.
  const std::vector<Mention> all = reader_->FindNumbers(folded.text());
  auto next_mention = all.begin();
  std::vector<Mention> mentions;
  // What a table's header row names each column (empty outside a table).
  std::vector<TableColumn> table_columns;
  size_t table_end = 0;  // where the last row of a table ended
  for (const v1::Segment& segment : report.segments()) {
    if (segment.kind() != v1::SEGMENT_KIND_SENTENCE) continue;
    if (segment.parent() != last_paragraph) {
      last_paragraph = segment.parent();
      previous_topic = {};
    }
    SentenceContext context;
    context.text = folded.text();
    context.begin = folded.FromOriginal(segment.span().start());
    context.end = folded.FromOriginal(segment.span().end());
    context.plan = segment.plan();
    context.report_year = report.metadata().year();
    context.previous_topic = previous_topic;
    // Sentences come in document order and never overlap; a number outside
    // every sentence (in a heading line or the title) is no metric.
    while (next_mention != all.end() && next_mention->start < context.begin)
      ++next_mention;
    const int first = metrics->size();
    std::vector<FoundSpan> found;
    // A table's row (| 败诉率（%） | 9.2 | 6.8 |) under a header of years or
    // of what its columns hold (指标名称 | 数值 | 单位 | 同比); a header row
    // sets the columns of the rows right below it (a line that is no row,
    // or a blank line, ends the table). A row of a table without such a
    // header, or of another width, is read as a sentence.
    const std::optional<std::vector<TableCell>> row =
        TableRow(folded.text(), context.begin, context.end);
    if (!row || !NextLineOf(folded.text(), table_end, context.begin)) {
      table_columns.clear();
    }
    if (row) {
      table_end = context.end;
      if (std::optional<std::vector<TableColumn>> columns =
              HeaderColumns(*row)) {
        table_columns = *std::move(columns);
        continue;
      }
    }
    if (row && row->size() == table_columns.size()) {
      found = reader_->ReadTableRow(*row, table_columns, context, metrics);
    } else {
      mentions.clear();
      for (auto m = next_mention; m != all.end() && m->start < context.end;
           ++m) {
        if (m->end <= context.end) mentions.push_back(*m);
      }
      if (mentions.empty()) {
        previous_topic = {};
        continue;
      }
      context.mentions = &mentions;
      found = reader_->Read(context, metrics);
    }
    std::string_view sentence = std::string_view(original).substr(
        segment.span().start(), segment.span().end() - segment.span().start());
    std::string said;
    if (!breaks.empty() && sentence.find('\n') != std::string_view::npos) {
      said =
          Said(original, segment.span().start(), segment.span().end(), breaks);
      sentence = said;
    }
    // The next sentence's fallback topic is this sentence's first count
    // (none if it has none: a topic from further back is a guess).
    std::string_view first_count;
    for (size_t i = 0; i < found.size(); ++i) {
      v1::Metric* m = metrics->Mutable(first + static_cast<int>(i));
      m->set_section(segment.path());
      m->set_sentence(sentence.data(), sentence.size());
      SetSpan(folded, found[i].start, found[i].end, m->mutable_span());
      *m->mutable_sentence_span() = segment.span();
      if (first_count.empty() && m->kind() == v1::METRIC_KIND_VALUE &&
          m->unit() != "%" && m->unit() != "pp") {
        first_count = m->indicator();
      }
    }
    previous_topic = first_count;
  }
  if (copy == ReportCopy::kWhole) {
    *out->mutable_report() = report;
    return absl::OkStatus();
  }
  if (copy == ReportCopy::kNone) return absl::OkStatus();
  v1::SegmentedReport* identity = out->mutable_report();
  identity->set_report_id(report.report_id());
  identity->set_source(report.source());
  *identity->mutable_metadata() = report.metadata();
  identity->set_content_hash(report.content_hash().empty()
                                 ? text::ContentHash(original)
                                 : report.content_hash());
  return absl::OkStatus();
}

absl::Status Extractor::ExtractMoving(v1::SegmentedReport* report,
                                      v1::ExtractedReport* out) const {
  if (absl::Status status = ExtractInto(*report, ReportCopy::kNone, out);
      !status.ok()) {
    return status;
  }
  // Swap exchanges pointers on one arena, and copies across two.
  out->mutable_report()->Swap(report);
  return absl::OkStatus();
}

std::vector<v1::Metric> Extractor::ExtractSentence(std::string_view sentence,
                                                   bool plan,
                                                   int report_year) const {
  text::NormalizedText folded = text::NormalizedText::Fold(sentence);
  if (const std::vector<text::ByteSpan> spaces = SpacesAboutFigures(folded);
      !spaces.empty()) {
    folded = text::NormalizedText::FoldWithout(sentence, spaces);
  }
  SentenceContext context;
  context.text = folded.text();
  context.begin = 0;
  context.end = folded.text().size();
  context.plan = plan;
  context.report_year = report_year;
  google::protobuf::RepeatedPtrField<v1::Metric> metrics;
  const std::vector<FoundSpan> found = reader_->Read(context, &metrics);
  std::vector<v1::Metric> out;
  out.reserve(found.size());
  for (size_t i = 0; i < found.size(); ++i) {
    SetSpan(folded, found[i].start, found[i].end,
            metrics.Mutable(i)->mutable_span());
    out.push_back(std::move(*metrics.Mutable(i)));
  }
  return out;
}

}  // namespace reportpipe::extractor
