#include "services/segmenter/residue.h"

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "lib/text/affixes.h"
#include "lib/text/heads.h"
#include "lib/text/utf8.h"
#include "re2/re2.h"

namespace reportpipe::segmenter {
namespace {

re2::StringPiece Piece(std::string_view s) { return {s.data(), s.size()}; }

// A line of nothing but punctuation and pipes (the scraped page's frame).
bool IsFrameLine(std::string_view line) {
  static const RE2 frame(R"(^[\s|｜\-_=*#>·•]*$)");
  return RE2::FullMatch(Piece(line), frame);
}

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\f'; }

// The words every match of the tail and page-metadata patterns below opens
// with: each alternative of each pattern begins with one of its set. Kept
// beside the patterns; the residue tests compare both scans.
constexpr std::string_view kTailOpeners[] = {"附件", "扫一", "【", "相关",
                                             "上一"};
constexpr std::string_view kMetaOpeners[] = {
    "发布", "信息", "来源", "字号", "浏览", "阅读", "访问", "【", "分享"};

template <size_t N>
bool OpensWithAnyOf(std::string_view t, size_t p,
                    const std::string_view (&words)[N]) {
  for (const std::string_view w : words) {
    if (text::HasWordAt(t, p, w)) return true;
  }
  return false;
}

// Where a word of either set begins in `t`, in order: one walk, a bit for
// each word's first two bytes to pass over nearly every character.
std::vector<size_t> OpenerPositions(std::string_view t) {
  static const text::HeadSet* const kHeads = [] {
    auto* heads = new text::HeadSet();
    for (const std::string_view w : kTailOpeners) heads->AddWord(w);
    for (const std::string_view w : kMetaOpeners) heads->AddWord(w);
    return heads;
  }();
  std::vector<size_t> at;
  for (size_t p = kHeads->Find(t, 0); p < t.size();
       p = kHeads->FindAfter(t, p)) {
    if (OpensWithAnyOf(t, p, kTailOpeners) ||
        OpensWithAnyOf(t, p, kMetaOpeners)) {
      at.push_back(p);
    }
  }
  return at;
}

// The lines of t[from, to), white space trimmed, blank ones left out.
std::vector<text::ByteSpan> Lines(std::string_view t, size_t from, size_t to) {
  std::vector<text::ByteSpan> lines;
  size_t pos = from;
  while (pos < to) {
    size_t eol = t.find('\n', pos);
    if (eol == std::string_view::npos || eol > to) eol = to;
    size_t a = pos;
    size_t b = eol;
    while (a < b && IsSpace(t[a])) ++a;
    while (b > a && IsSpace(t[b - 1])) --b;
    if (a < b) lines.push_back({a, b});
    pos = eol + 1;
  }
  return lines;
}

// Page furniture of a PDF-made text inside t[from, to): page numbers on
// lines of their own (— 3 —, -4-, 第3页, 第3页 共8页, 3/8), and the running
// header beside them: a line next to a page number that is the text's first
// line, or that stands next to one more than once. Left in the body, they
// would cut the sentence a page break falls in.
void AddPageResidue(std::string_view t, size_t from, size_t to,
                    std::vector<text::ByteSpan>* spans) {
  constexpr size_t kMostPageNumberBytes = 32;
  constexpr size_t kMostHeaderBytes = 160;
  static const RE2 page_number(
      R"((?:[-—–~]{1,3}\s*\d{1,3}\s*[-—–~]{1,3}|)"
      R"(第\s*\d{1,3}\s*页(?:\s*[,/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3}))");
  const std::vector<text::ByteSpan> lines = Lines(t, from, to);
  std::vector<bool> page(lines.size(), false);
  bool any = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    const text::ByteSpan& l = lines[i];
    if (l.end - l.start > kMostPageNumberBytes) continue;
    page[i] =
        RE2::FullMatch(Piece(t.substr(l.start, l.end - l.start)), page_number);
    any = any || page[i];
  }
  if (!any) return;
  auto text_of = [&](size_t i) {
    return t.substr(lines[i].start, lines[i].end - lines[i].start);
  };
  // The lines next to a page number, and how often each text stands there.
  std::vector<size_t> beside;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!page[i]) continue;
    spans->push_back(lines[i]);
    if (i > 0 && !page[i - 1]) beside.push_back(i - 1);
    if (i + 1 < lines.size() && !page[i + 1]) beside.push_back(i + 1);
  }
  // How often each text stands beside a page number: counted once, so that
  // a text of many short lines costs no more than a pass.
  absl::flat_hash_map<std::string_view, int> times;
  for (const size_t i : beside) ++times[text_of(i)];
  // The first line of the body: the title, where the text has one.
  const std::string_view first = text_of(0);
  for (const size_t i : beside) {
    const std::string_view line = text_of(i);
    if (line.size() > kMostHeaderBytes || line.find("。") != line.npos)
      continue;
    // A header beside two page numbers is pushed twice; FindResidue merges
    // the copies.
    if (times[line] >= 2 || (i > 0 && line == first))
      spans->push_back(lines[i]);
  }
}

}  // namespace

Residue FindResidue(std::string_view t, ResidueScan scan) {
  Residue r;
  r.body_end = t.size();
  // Leading frame lines and page furniture before the title.
  size_t pos = 0;
  static const RE2 head_line(
      R"(^\s*(?:首页|当前位置|您当前的位置|您的位置|网站首页)[^\n]*$)");
  // A line of the page's metadata and buttons only: 发布时间：2024-03-15
  // 10:20 来源：市司法局 浏览次数：1268, 【字体：大 中 小】 打印.
  static const RE2 meta_line(
      R"(^(?:\s|(?:发布时间|发布日期|时间|日期)\s*:\s*[0-9\-/:年月日 ]{4,24}\d|)"
      R"((?:信息)?来源\s*:\s*[^\s,。;]{1,30}|作者\s*:\s*[^\s,。;]{1,20}|)"
      R"((?:浏览|阅读|访问|点击)(?:次数|量)?\s*:\s*\d+|)"
      R"(【?\s*(?:字号|字体)\s*:?\s*[\[【]?\s*大\s*中\s*小\s*[\]】]?|)"
      R"(【?\s*(?:打印|关闭|收藏|分享)(?:本页|窗口)?\s*】?)+$)");
  while (pos < t.size()) {
    size_t eol = t.find('\n', pos);
    if (eol == std::string_view::npos) eol = t.size();
    const std::string_view line = t.substr(pos, eol - pos);
    if (!IsFrameLine(line) && !RE2::FullMatch(Piece(line), head_line) &&
        !RE2::FullMatch(Piece(line), meta_line)) {
      break;
    }
    if (!text::IsBlank(line)) r.spans.push_back({pos, eol});
    pos = eol + (eol < t.size() ? 1 : 0);
  }
  r.head_end = pos;

  // The tail: from the first tail marker in the second half of the text on.
  // 【打印】【关闭】 there are the page's buttons below the article; left in the
  // body they would sit inside the last section's span.
  static const RE2 tail(
      R"((附件下载|扫一扫在手机上查看当前页面|扫一扫在手机打开当前页|)"
      R"(【\s*(?:打印|关闭)(?:本页|窗口)?\s*】|相关链接\s*:|上一篇\s*:))");
  const bool by_words = scan == ResidueScan::kWordStarts;
  const std::vector<size_t> openers =
      by_words ? OpenerPositions(t) : std::vector<size_t>();
  re2::StringPiece m;
  bool tail_found = false;
  if (by_words) {
    // The leftmost match is the first that matches where it opens.
    for (const size_t p : openers) {
      if (p < t.size() / 2 || !OpensWithAnyOf(t, p, kTailOpeners)) continue;
      tail_found = tail.Match(Piece(t), p, t.size(), RE2::ANCHOR_START, &m, 1);
      if (tail_found) break;
    }
  } else {
    tail_found = RE2::PartialMatch(Piece(t.substr(t.size() / 2)), tail, &m);
  }
  if (tail_found) {
    size_t start = static_cast<size_t>(m.data() - t.data());
    // Take the white space before it too.
    while (start > 0 && (t[start - 1] == ' ' || t[start - 1] == '\n')) --start;
    r.body_end = start;
  }

  // Page metadata inside the body: 发布时间 2024-03-28, 来源 司法局,
  // 字号 [大 中 小], 浏览次数 12, 【打印】 【关闭】.
  static const RE2 meta(
      R"((发布时间\s*:\s*[0-9\-/:年月日 ]{4,24}\d|)"
      R"((?:信息)?来源\s*:\s*[^\s,。;]{1,30}|)"
      R"(字号\s*:?\s*\[?\s*大\s*中\s*小\s*\]?|)"
      R"((?:浏览|阅读|访问)(?:次数|量)?\s*:\s*\d+|)"
      R"(【\s*(?:打印|关闭|收藏|分享)\s*】|分享到\s*:))");
  const std::string_view body = t.substr(0, r.body_end);
  if (by_words) {
    // As FindAndConsume: each match from the end of the one before.
    size_t from = 0;
    for (const size_t p : openers) {
      if (p >= body.size()) break;
      if (p < from || !OpensWithAnyOf(t, p, kMetaOpeners)) continue;
      if (meta.Match(Piece(body), p, body.size(), RE2::ANCHOR_START, &m, 1)) {
        r.spans.push_back({p, p + m.size()});
        from = p + m.size();
      }
    }
  } else {
    re2::StringPiece rest = Piece(body);
    while (RE2::FindAndConsume(&rest, meta, &m)) {
      const size_t p = static_cast<size_t>(m.data() - t.data());
      r.spans.push_back({p, p + m.size()});
    }
  }
  AddPageResidue(t, r.head_end, r.body_end, &r.spans);
  // The tail's residue span covers its text, not the white space around it.
  size_t tail_start = r.body_end;
  size_t tail_end = t.size();
  while (tail_start < tail_end && IsSpace(t[tail_start])) ++tail_start;
  while (tail_end > tail_start && IsSpace(t[tail_end - 1])) --tail_end;
  if (tail_start < tail_end) r.spans.push_back({tail_start, tail_end});
  // In order and apart: overlapping spans (a header line beside two page
  // numbers is found twice; page metadata may sit inside a header line)
  // become one, so that a reader can find the span at a position by halving.
  std::sort(r.spans.begin(), r.spans.end(),
            [](const text::ByteSpan& a, const text::ByteSpan& b) {
              return a.start < b.start;
            });
  std::vector<text::ByteSpan> merged;
  for (const text::ByteSpan& span : r.spans) {
    if (!merged.empty() && span.start < merged.back().end) {
      merged.back().end = std::max(merged.back().end, span.end);
    } else {
      merged.push_back(span);
    }
  }
  r.spans = std::move(merged);
  return r;
}

}  // namespace reportpipe::segmenter
