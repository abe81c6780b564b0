#include "services/segmenter/headings.h"

#include <array>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "lib/text/affixes.h"
#include "lib/text/heads.h"
#include "lib/text/numerals.h"
#include "lib/text/utf8.h"
#include "re2/re2.h"

namespace reportpipe::segmenter {

bool CanOpenMarker(char32_t c) {
  return c == '(' || (c >= '0' && c <= '9') || text::ChineseDigit(c) > 0 ||
         c == U'十' || c == U'第' || (c >= U'①' && c <= U'⑳');
}

namespace {

re2::StringPiece Piece(std::string_view s) { return {s.data(), s.size()}; }

constexpr int kMaxLevel = 6;
// A heading longer than this without a closing mark is cut at its first
// comma: it is a sentence that opens with a marker, not a title.
constexpr size_t kMaxHeadingBytes = 150;

// A marker candidate read at one position.
struct Candidate {
  int level = 0;  // 5 stands for both 一是 and ① until the parent is known
  int number = 0;
  bool circled = false;
  bool part = false;  // 第一部分: only at a line's start
  size_t length = 0;  // bytes of the marker
  std::string path_part;
};

int ChineseOrdinal(const std::string& s) {
  auto n = text::ParseChineseNumber(s);
  return n && *n > 0 && *n < 100 ? static_cast<int>(*n) : 0;
}

// Reads a marker at `pos` of folded text, if one starts there.
std::optional<Candidate> ReadMarker(std::string_view t, size_t pos) {
  // One static for the five patterns: each function-local static is a
  // guard check per call, and this function is called at every character
  // that may open a marker.
  struct Patterns {
    RE2 l1{R"(([一二三四五六七八九十]{1,3})、)"};
    RE2 part{R"(第([一二三四五六七八九十]{1,3})部分)"};
    RE2 l2{R"(\(([一二三四五六七八九十]{1,3})\))"};
    RE2 l3{R"((\d{1,2})(?:\.|、)([^\d]|$))"};
    RE2 l3_year{R"((\d{1,2})\.(?:19|20)\d{2}年)"};
    RE2 l4{R"(\((\d{1,2})\))"};
    RE2 l5{R"(([一二三四五六七八九十]{1,2})是)"};
  };
  static const Patterns* const kPatterns = new Patterns();
  const RE2& l1 = kPatterns->l1;
  const RE2& part = kPatterns->part;
  const RE2& l2 = kPatterns->l2;
  const RE2& l3 = kPatterns->l3;
  const RE2& l3_year = kPatterns->l3_year;
  const RE2& l4 = kPatterns->l4;
  const RE2& l5 = kPatterns->l5;
  // Most positions hold an ordinary Han character: rule them out without a
  // regex, which costs far more per call than this test.
  char32_t first = 0;
  const int first_length = text::DecodeUtf8(t, pos, &first);
  if (!CanOpenMarker(first)) return std::nullopt;
  const bool ordinal = text::ChineseDigit(first) > 0 || first == U'十';
  const bool circled = first >= U'①' && first <= U'⑳';
  if (ordinal) {
    // 一、 and 一是 close within four characters (十二、 is the longest).
    const std::string_view near = t.substr(pos, 15);
    if (near.find("、") == std::string_view::npos &&
        near.find("是") == std::string_view::npos) {
      return std::nullopt;
    }
  }
  const bool digit = first >= '0' && first <= '9';
  if (digit) {
    // 1. or 12、: one or two digits, then the dot or 、 (what l3 needs).
    const auto closes = [&](size_t at) {
      return at < t.size() && (t[at] == '.' || text::HasWordAt(t, at, "、"));
    };
    const bool two =
        pos + 1 < t.size() && t[pos + 1] >= '0' && t[pos + 1] <= '9';
    if (!closes(pos + 1) && !(two && closes(pos + 2))) return std::nullopt;
  }
  re2::StringPiece rest = Piece(t.substr(pos, 24));
  std::string num;
  re2::StringPiece whole;
  Candidate c;
  auto consumed = [&](const RE2& re) {
    re2::StringPiece in = rest;
    if (!RE2::Consume(&in, re, &num)) return false;
    c.length = static_cast<size_t>(in.data() - rest.data());
    return true;
  };
  // Each pattern is tried only at a character that can begin it (a regex
  // call costs far more than this test); the order l1 … l5 is unchanged.
  if (ordinal && consumed(l1)) {
    c.level = 1;
    c.number = ChineseOrdinal(num);
    c.path_part = num;
  } else if (first == U'第' && consumed(part)) {
    // 第一部分 stands where 一、 would: the same level and path (一), so a
    // report's sections line up with another's whichever marker it chose.
    c.level = 1;
    c.part = true;
    c.number = ChineseOrdinal(num);
    c.path_part = num;
  } else if (first == '(' && consumed(l2)) {
    c.level = 2;
    c.number = ChineseOrdinal(num);
    c.path_part = absl::StrCat("(", num, ")");
  } else if (re2::StringPiece in = rest;
             digit && RE2::Consume(&in, l3, &num, &whole)) {
    c.level = 3;
    (void)absl::SimpleAtoi(num, &c.number);
    c.length = static_cast<size_t>(in.data() - rest.data()) - whole.size();
    c.path_part = num;
  } else if (re2::StringPiece in = rest;
             digit && RE2::Consume(&in, l3_year, &num)) {
    // 5.2023年工作打算: a year right after the dot (5.2023 is no number
    // a heading would open with; 1.5万件 has no 年 four digits on).
    c.level = 3;
    (void)absl::SimpleAtoi(num, &c.number);
    c.length = num.size() + 1;
    c.path_part = num;
  } else if (first == '(' && consumed(l4)) {
    c.level = 4;
    (void)absl::SimpleAtoi(num, &c.number);
    c.path_part = absl::StrCat("(", num, ")");
  } else if (ordinal && consumed(l5)) {
    c.level = 5;
    c.number = ChineseOrdinal(num);
    c.path_part = absl::StrCat(num, "是");
  } else {
    if (!circled) return std::nullopt;
    c.level = 5;
    c.circled = true;
    c.number = static_cast<int>(first - U'①') + 1;
    c.length = first_length;
    c.path_part = std::string(t.substr(pos, c.length));
  }
  if (c.number <= 0) return std::nullopt;
  return c;
}

// True when a marker may start at `pos`: a line start (after spaces), or
// after a closing mark or white space. `comma` also admits , and 、, where
// the later points of a list (；二是 / ，二是) may stand.
// A heading set off as a web page sets it: 【一、主要工作】, ■ 压实责任.
bool AfterOpeningMark(std::string_view t, size_t begin, size_t pos) {
  return pos >= begin + 3 &&
         (t.compare(pos - 3, 3, "【") == 0 || t.compare(pos - 3, 3, "■") == 0);
}

bool AtBoundary(std::string_view t, size_t begin, size_t pos, bool comma) {
  if (pos == begin) return true;
  if (AfterOpeningMark(t, begin, pos)) {
    pos -= 3;
    if (pos == begin || t[pos - 1] == '\n' || t[pos - 1] == ' ') return true;
  }
  const char prev = t[pos - 1];
  // A markdown text sets headings off with * (**（三）严格执法。**).
  if (prev == '\n' || prev == ' ' || prev == ':' || prev == ';' ||
      prev == '!' || prev == '?' || prev == '*' || (comma && prev == ',')) {
    return true;
  }
  if (pos >= begin + 3) {
    const std::string_view prev3 = t.substr(pos - 3, 3);
    if (prev3 == "。" || (comma && prev3 == "、")) return true;
  }
  return false;
}

bool AtLineStart(std::string_view t, size_t begin, size_t pos) {
  // Spaces, and a markdown text's heading and bold marks (## 一、, **一是**).
  while (pos > begin &&
         (t[pos - 1] == ' ' || t[pos - 1] == '*' || t[pos - 1] == '#')) {
    --pos;
  }
  if (AfterOpeningMark(t, begin, pos)) {
    pos -= 3;
    while (pos > begin && t[pos - 1] == ' ') --pos;
  }
  return pos == begin || t[pos - 1] == '\n';
}

// True when `pos` follows the previous heading's text on the same line with
// no closing mark between: 一、主要工作情况(一)… on a flattened page.
bool DirectlyAfterHeading(std::string_view t, const std::vector<Heading>& out,
                          size_t pos) {
  if (out.empty() || out.back().point) return false;
  const size_t from = out.back().marker.end;
  if (pos < from || pos - from > kMaxHeadingBytes) return false;
  const std::string_view between = t.substr(from, pos - from);
  return between.find('\n') == std::string_view::npos &&
         between.find("。") == std::string_view::npos;
}

// One open heading while scanning: its level and the last number seen at each
// level below it.
struct Open {
  int level = 0;
  bool point = false;
  bool circled = false;  // ① rather than 一是
  std::array<int, kMaxLevel + 1> last_child{};
};

// Where a heading's text ends: the first 。!?; or : after the marker, the line
// end, or `limit` (the next marker), whichever comes first.
void EndHeading(std::string_view t, size_t limit, Heading* h) {
  size_t pos = h->marker.end;
  size_t end = limit;
  bool closed = false;
  bool spaced = false;
  while (pos < limit) {
    const char c = t[pos];
    if (c == '\n') {
      end = pos;
      break;
    }
    if (c == '!' || c == '?' || c == ';' || c == ':') {
      end = pos;
      closed = true;
      break;
    }
    // 【一、主要工作及成效】: the bracket that set the heading off ends it.
    if (text::HasWordAt(t, pos, "】")) {
      end = pos;
      break;
    }
    // Asked at every byte of the heading: the word test looks at the last
    // byte first, and calls memcmp only when that byte matches.
    if (text::HasWordAt(t, pos, "。")) {
      end = pos;
      closed = true;
      break;
    }
    // On a flattened page a section heading ends where a space separates it
    // from its body (二、存在问题 个别部门…). Points run on; their text is body.
    if (c == ' ' && !h->point && pos > h->marker.end + 3) {
      end = pos;
      spaced = true;
      break;
    }
    ++pos;
  }
  bool cut = false;
  if (!closed && end - h->marker.end > kMaxHeadingBytes) {
    const size_t comma = t.substr(h->marker.end, end - h->marker.end).find(',');
    if (comma != std::string_view::npos) {
      end = h->marker.end + comma;
      cut = true;
    }
  }
  // The comma before the next point (一是健全机制，二是…) is punctuation
  // between points, not part of the heading.
  size_t trimmed = end;
  while (trimmed > h->marker.end) {
    if (t[trimmed - 1] == ' ' || t[trimmed - 1] == ',') {
      --trimmed;
    } else if (trimmed - h->marker.end >= 3 &&
               text::HasWordAt(t, trimmed - 3, "、")) {
      trimmed -= 3;
    } else {
      break;
    }
  }
  // 第一部分　总体情况: the space after the marker is no part of the text.
  size_t first = h->marker.end;
  while (first < trimmed && t[first] == ' ') ++first;
  h->heading = {first, trimmed};
  // Standalone: nothing but white space after it on its line. On a
  // flattened page a section heading with no closing mark runs straight into
  // the next marker (一、主要工作情况(一)…); it stands alone just the same,
  // and its text is no body. A point's text is its body, so not for points.
  size_t after = end;
  while (after < t.size() && t[after] == ' ') ++after;
  h->standalone =
      !closed && !cut &&
      (after >= t.size() || t[after] == '\n' || (!h->point && after == limit) || spaced);
}

// The heads of every character CanOpenMarker admits: ( and the digits with
// anything after them, ①–⑳ (E2 91), the lead and second byte of 一–九 and
// 十 (E4 B8–BA, E5 85, E5 8D, E5 9B), and of 第 (E7 AC).
const text::HeadSet& MarkerHeads() {
  static const text::HeadSet* const kHeads = [] {
    auto* heads = new text::HeadSet();
    heads->AddFirstByte('(');
    for (char d = '0'; d <= '9'; ++d)
      heads->AddFirstByte(static_cast<unsigned char>(d));
    heads->AddPair(0xE2, 0x91);
    for (const unsigned char second : {0xB8, 0xB9, 0xBA})
      heads->AddPair(0xE4, second);
    for (const unsigned char second : {0x85, 0x8D, 0x9B})
      heads->AddPair(0xE5, second);
    heads->AddPair(0xE7, 0xAC);
    return heads;
  }();
  return *kHeads;
}

}  // namespace

bool MayOpenMarker(std::string_view t, size_t pos, size_t end) {
  return MarkerHeads().At(t.substr(0, end), pos);
}

std::vector<Heading> FindHeadings(std::string_view t, size_t begin,
                                  size_t end) {
  std::vector<Heading> out;
  std::vector<Open> stack = {Open{}};  // the root, level 0
  int last_level3 = 0;                 // level 3 may run on across (一)(二)
  const std::string_view upto_end = t.substr(0, end);
  const text::HeadSet& heads = MarkerHeads();
  const std::string_view body = t.substr(begin, end - begin);
  const bool sections_by_numeral =
      text::HasPrefix(body, "一、") ||
      body.find("\n一、") != std::string_view::npos;
  for (size_t pos = begin; pos < end;) {
    // Nearly every character opens no marker: the heads pass over them.
    pos = heads.Find(upto_end, pos);
    if (pos >= end) break;
    const size_t step =
        text::kSequenceLength[static_cast<unsigned char>(t[pos])];
    const std::optional<Candidate> c = ReadMarker(t.substr(0, end), pos);
    if (!c) {
      pos += step;
      continue;
    }
    const bool line_start = AtLineStart(t, begin, pos);
    // 报告第二部分 in running text refers to a part; it opens none. Nor
    // does one in a report whose sections are 一、 二、: there the parts
    // stand above them, and the 一、 numbering is what the paths follow.
    if (c->part && (!line_start || sections_by_numeral)) {
      pos += step;
      continue;
    }
    // Later points may follow a comma; a (一) may follow a heading on a
    // flattened line with nothing between.
    const bool boundary =
        AtBoundary(t, begin, pos, c->level == 5 && c->number > 1) ||
        c->level == 2;
    if (!boundary) {
      pos += step;
      continue;
    }
    // Mid-line, 一、二类 or 二、三季度 after a colon is a run of numerals, not
    // a section heading: the next numeral directly follows the marker.
    if (c->level == 1 && !line_start && pos + c->length < end) {
      char32_t next = 0;
      text::DecodeUtf8(t, pos + c->length, &next);
      if (text::ChineseDigit(next) == c->number + 1) {
        pos += step;
        continue;
      }
    }
    int level = c->level;
    // ① is level 6 inside a 一是 point, and so is every later circled number
    // of that list (② follows ①, which is then the innermost open point). A
    // circled list directly below a section stands at the point level.
    if (c->circled && stack.back().point &&
        (!stack.back().circled || stack.back().level == 6)) {
      level = 6;
    }
    // The parent is the innermost open heading above this level.
    size_t parent = stack.size() - 1;
    while (stack[parent].level >= level) --parent;
    const int expected = stack[parent].last_child[level] + 1;
    bool accept = c->number == expected;
    if (!accept && line_start && c->number == 1 && level >= 3) accept = true;
    if (!accept && level == 3 && c->number == last_level3 + 1 &&
        stack[parent].last_child[3] == 0) {
      accept = true;  // numbering that does not restart under (二)
    }
    // A bracketed (一) in running text needs more than its number: it must
    // be the expected one and follow a heading or boundary.
    if (accept && c->level == 2 && !AtBoundary(t, begin, pos, false) &&
        !DirectlyAfterHeading(t, out, pos)) {
      accept = false;
    }
    if (!accept) {
      pos += step;
      continue;
    }
    stack.resize(parent + 1);
    stack[parent].last_child[level] = c->number;
    if (level == 3) last_level3 = c->number;
    Open open;
    open.level = level;
    open.point = level >= 5;
    open.circled = c->circled;
    stack.push_back(open);

    Heading h;
    h.level = level;
    h.number = c->number;
    h.point = level >= 5;
    h.marker = {pos, pos + c->length};
    h.path_part = c->path_part;
    out.push_back(h);
    pos += c->length;
  }
  // Each heading's text ends at the next marker at the latest.
  for (size_t i = 0; i < out.size(); ++i) {
    const size_t limit = i + 1 < out.size() ? out[i + 1].marker.start : end;
    EndHeading(t, limit, &out[i]);
  }
  return out;
}

}  // namespace reportpipe::segmenter
