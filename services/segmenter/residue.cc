#include "services/segmenter/residue.h"

#include <algorithm>

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

}  // namespace

Residue FindResidue(std::string_view t) {
  Residue r;
  r.body_end = t.size();
  // Leading frame lines and page furniture before the title.
  size_t pos = 0;
  static const RE2 head_line(
      R"(^\s*(?:首页|当前位置|您当前的位置|您的位置|网站首页)[^\n]*$)");
  while (pos < t.size()) {
    size_t eol = t.find('\n', pos);
    if (eol == std::string_view::npos) eol = t.size();
    const std::string_view line = t.substr(pos, eol - pos);
    if (!IsFrameLine(line) && !RE2::FullMatch(Piece(line), head_line)) break;
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
  re2::StringPiece scan = Piece(t.substr(t.size() / 2));
  re2::StringPiece m;
  if (RE2::PartialMatch(scan, tail, &m)) {
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
  re2::StringPiece body = Piece(t.substr(0, r.body_end));
  const char* base = t.data();
  while (RE2::FindAndConsume(&body, meta, &m)) {
    r.spans.push_back({static_cast<size_t>(m.data() - base),
                       static_cast<size_t>(m.data() - base) + m.size()});
  }
  // The tail's residue span covers its text, not the white space around it.
  size_t tail_start = r.body_end;
  size_t tail_end = t.size();
  while (tail_start < tail_end && IsSpace(t[tail_start])) ++tail_start;
  while (tail_end > tail_start && IsSpace(t[tail_end - 1])) --tail_end;
  if (tail_start < tail_end) r.spans.push_back({tail_start, tail_end});
  std::sort(r.spans.begin(), r.spans.end(),
            [](const text::ByteSpan& a, const text::ByteSpan& b) {
              return a.start < b.start;
            });
  return r;
}

}  // namespace reportpipe::segmenter
