#include "services/extractor/labels.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/text/affixes.h"
#include "lib/text/numerals.h"
#include "lib/text/utf8.h"
#include "services/extractor/number_grammar.h"

namespace reportpipe::extractor {
namespace {

// A label needs at least two Han characters (6 bytes of UTF-8) to say what
// it counts: 率 alone or 性审查率 is a fragment.
constexpr size_t kMinLabelBytes = 6;

using text::HasPrefix;
using text::HasSuffix;

std::vector<std::string> LongestFirst(
    const google::protobuf::RepeatedPtrField<std::string>& words) {
  std::vector<std::string> out(words.begin(), words.end());
  std::sort(out.begin(), out.end(),
            [](const std::string& a, const std::string& b) {
              return a.size() > b.size();
            });
  return out;
}

// Words that hold a list separator (和, 及, 与) or a one-character stop word
// (共, 均) without being one: 报备及时率, 调解和解率, 参与处理, 涉及,
// 公共法律服务, 平均. A separator or stop word inside one is none. Not 共同
// or 共享: there 共 still ends a label (12个部门共同参与 → 部门).
constexpr std::string_view kWordsHoldingSeparators[] = {
    "及时", "涉及", "普及", "参与", "给与", "和解", "和谐"};
constexpr std::string_view kWordsHoldingStopWords[] = {"公共", "平均", "均衡"};

// Whether `part`, found at byte `p` of `s`, is inside one of `words` there.
template <size_t N>
bool InsideWord(std::string_view s, size_t p, std::string_view part,
                const std::string_view (&words)[N]) {
  // Every word listed is two characters, so only a part of one character can
  // stand inside one; FromLeft and StopWordEnd ask at every word they find.
  if (part.size() != 3) return false;
  for (const std::string_view word : words) {
    for (size_t k = word.find(part); k != std::string_view::npos;
         k = word.find(part, k + 1)) {
      if (p >= k && text::HasWordAt(s, p - k, word)) return true;
    }
  }
  return false;
}

// Whether 新 (new, on its own) stands right before byte `p` of `s`.
bool IsNewBefore(std::string_view s, size_t p) {
  constexpr size_t kHan = 3;  // bytes of a Han character in UTF-8
  if (p < kHan || s.compare(p - kHan, kHan, "新") != 0) return false;
  if (p < 2 * kHan) return true;
  const std::string_view before = s.substr(p - 2 * kHan, kHan);
  for (std::string_view w : {"重", "更", "创", "革", "刷", "最", "全", "清"}) {
    if (before == w) return false;
  }
  return true;
}

// Whether 的 and then a head stand in `s` from `from` up to the next 、 (or
// the end): 和州人大常委会备案的及时率, not 和终止审理的 (a 的 that ends the
// list says what all its items are).
bool DeBeforeNextComma(std::string_view s, size_t from) {
  const size_t comma = s.find("、", from);
  const std::string_view item =
      s.substr(from, comma == std::string_view::npos ? std::string_view::npos
                                                     : comma - from);
  const size_t de = item.find("的");
  return de != std::string_view::npos && de + 3 < item.size();
}

// Verbs that bring an entity into being on a register (设立, 登记).
bool IsRegistering(std::string_view verb) {
  for (std::string_view w : {"设立", "成立", "登记", "注册"}) {
    if (verb == w) return true;
  }
  return false;
}

// Whether `s` ends in a dash that may join a range (— – - ~ ～ －). Asked
// at every cut a label tries: the last byte rules nearly every text out
// (— ends in 94, – in 93, ～ in 9E, － in 8D).
bool EndsWithDash(std::string_view s) {
  switch (static_cast<unsigned char>(s.back())) {
    case '-':
    case '~':
      return true;
    case 0x94:
    case 0x93:
    case 0x9E:
    case 0x8D:
      break;
    default:
      return false;
  }
  for (std::string_view dash : {"—", "–", "～", "－"}) {
    if (HasSuffix(s, dash)) return true;
  }
  return false;
}

// Whether the separator (a three-byte character) at byte `p` of `s` is part
// of one of kWordsHoldingSeparators.
bool SeparatorInWord(std::string_view s, size_t p) {
  return InsideWord(s, p, s.substr(p, 3), kWordsHoldingSeparators);
}

// The first occurrence of `word` in `s` that is not inside a longer word
// (共 in 公共), or npos.
size_t FindStopWord(std::string_view s, std::string_view word) {
  for (size_t p = s.find(word); p != std::string_view::npos;
       p = s.find(word, p + 1)) {
    if (!InsideWord(s, p, word, kWordsHoldingStopWords)) return p;
  }
  return std::string_view::npos;
}

// Drops list separators, spaces, commas and brackets from both ends, except
// that "(" may begin a label and ")" end one: 合法性审查(备案) stays whole. A
// view, because StripTrailing asks at every cut FromLeft tries, and most of
// those asks change nothing.
std::string_view TrimSeparatorsView(std::string_view s) {
  static constexpr std::string_view kSeparators[] = {"、", "和", "及", "与",
                                                     " ",  ",",  "(",  ")"};
  // The bytes a separator that may go can begin with, and end with: most
  // asks trim nothing, and the two end bytes say so at once.
  using ByteSet = std::array<bool, 256>;
  static const ByteSet kFirstBytes = [] {
    ByteSet bytes{};
    for (const std::string_view sep : kSeparators) {
      if (sep != "(") bytes[static_cast<unsigned char>(sep.front())] = true;
    }
    return bytes;
  }();
  static const ByteSet kLastBytes = [] {
    ByteSet bytes{};
    for (const std::string_view sep : kSeparators) {
      if (sep != ")") bytes[static_cast<unsigned char>(sep.back())] = true;
    }
    return bytes;
  }();
  bool changed = true;
  while (changed && !s.empty()) {
    if (!kFirstBytes[static_cast<unsigned char>(s.front())] &&
        !kLastBytes[static_cast<unsigned char>(s.back())]) {
      break;
    }
    changed = false;
    for (const std::string_view sep : kSeparators) {
      // 及时率 opens with 及, 参与 ends with 与: neither is a list's.
      const bool in_word = sep.size() == 3;
      if (HasPrefix(s, sep) && sep != "(" &&
          !(in_word && SeparatorInWord(s, 0))) {
        s.remove_prefix(sep.size());
        changed = true;
      }
      if (HasSuffix(s, sep) && sep != ")" &&
          !(in_word && SeparatorInWord(s, s.size() - 3))) {
        s.remove_suffix(sep.size());
        changed = true;
      }
    }
  }
  return s;
}

// Whether leading_time_ (see Create) can match at the start of `s`: its
// words begin with 19/20, one of 今年当全同其, 近, or a numeral (五年间). Most
// labels begin otherwise, and this check is far cheaper than the regex.
bool MayStartWithTime(std::string_view s) {
  // Asked at every label FromLeft tries: a look-up of the first character,
  // no decoding and no comparison of words.
  static const text::HeadSet* const kTimeHeads = [] {
    auto* heads = new text::HeadSet();
    for (const std::string_view w : {"今", "年", "当", "全", "同", "其"}) {
      heads->AddWord(w);
    }
    heads->AddFirstByte('1');
    heads->AddFirstByte('2');
    return heads;
  }();
  static const text::HeadSet* const kNumerals = [] {
    auto* heads = new text::HeadSet();
    const std::string_view numerals = "一二两三四五六七八九十";
    for (size_t p = 0; p < numerals.size(); p += 3) {
      heads->AddWord(numerals.substr(p, 3));
    }
    return heads;
  }();
  if (s.empty()) return false;
  if (kTimeHeads->At(s, 0)) return true;
  // 五年间, 近三年: a numeral, then 年.
  const size_t at = HasPrefix(s, "近") ? 3 : 0;
  return s.size() >= at + 6 && kNumerals->At(s, at) &&
         s.compare(at + 3, 3, "年") == 0;
}

// Words after which what follows is a list of what was covered: the label
// is the thing before them and the last item (培训范围覆盖…及行政执法人员).
bool IsCoverageWord(std::string_view w) {
  return w == "覆盖" || w == "涉及" || w == "包括";
}

}  // namespace

namespace {

// The last code point of non-empty UTF-8 text.
char32_t LastCodePoint(std::string_view s) {
  // A label's words are mostly Han: a three-byte last character is read in
  // one step, without walking back over its bytes one at a time.
  if (s.size() >= 3) {
    const auto* u =
        reinterpret_cast<const unsigned char*>(s.data() + s.size() - 3);
    if ((u[0] & 0xF0) == 0xE0 && (u[1] & 0xC0) == 0x80 &&
        (u[2] & 0xC0) == 0x80) {
      return (u[0] & 0x0Fu) << 12 | (u[1] & 0x3Fu) << 6 | (u[2] & 0x3Fu);
    }
  }
  size_t p = s.size() - 1;
  while (p > 0 && (static_cast<unsigned char>(s[p]) & 0xC0) == 0x80) --p;
  char32_t c = 0;
  text::DecodeUtf8(s, p, &c);
  return c;
}

}  // namespace

void WordsByEnd::Add(const std::string& word) {
  if (word.empty()) return;
  last_byte_[static_cast<unsigned char>(word.back())] = true;
  const unsigned last_byte = static_cast<unsigned char>(word.back());
  if (word.size() == 1) {
    // Any byte may stand before a one-byte word.
    for (unsigned before = 0; before < 256; ++before) {
      last_two_.set(before << 8 | last_byte);
    }
  } else {
    last_two_.set(
        static_cast<unsigned>(static_cast<unsigned char>(word[word.size() - 2]))
            << 8 |
        last_byte);
  }
  const char32_t last = LastCodePoint(word);
  last_characters_.AddCodePoint(last);
  std::vector<std::string>& bucket = by_last_[last];
  bucket.push_back(word);
  std::sort(bucket.begin(), bucket.end(),
            [](const std::string& a, const std::string& b) {
              return a.size() > b.size();
            });
}

const std::vector<std::string>* WordsByEnd::EndingLike(
    std::string_view s) const {
  if (s.empty() || !last_byte_[static_cast<unsigned char>(s.back())]) {
    return nullptr;
  }
  if (s.size() >= 2 &&
      !last_two_.test(
          static_cast<unsigned>(static_cast<unsigned char>(s[s.size() - 2]))
              << 8 |
          static_cast<unsigned char>(s.back()))) {
    return nullptr;
  }
  const char32_t last = LastCodePoint(s);
  if (!last_characters_.Contains(last)) return nullptr;
  auto it = by_last_.find(last);
  return it == by_last_.end() ? nullptr : &it->second;
}

const std::string* WordsByEnd::LongestSuffixOf(std::string_view s) const {
  const std::vector<std::string>* bucket = EndingLike(s);
  if (bucket == nullptr) return nullptr;
  for (const std::string& w : *bucket) {
    if (s.size() > w.size() && HasSuffix(s, w)) return &w;
  }
  return nullptr;
}

const std::string* WordsByEnd::LongestSuffixOrSelf(std::string_view s) const {
  const std::vector<std::string>* bucket = EndingLike(s);
  if (bucket == nullptr) return nullptr;
  // Longest first: the first strict suffix is the answer; a word equal to
  // `s` is kept in case none follows.
  const std::string* self = nullptr;
  for (const std::string& w : *bucket) {
    if (s.size() > w.size()) {
      if (HasSuffix(s, w)) return &w;
    } else if (self == nullptr && w == s) {
      self = &w;
    }
  }
  return self;
}

bool WordsByEnd::Contains(std::string_view word) const {
  const std::vector<std::string>* bucket = EndingLike(word);
  if (bucket == nullptr) return false;
  for (const std::string& w : *bucket) {
    if (w == word) return true;
  }
  return false;
}

absl::StatusOr<std::unique_ptr<LabelRules>> LabelRules::Create(
    const config::v1::PatternPack& pack) {
  auto r = std::unique_ptr<LabelRules>(new LabelRules());
  for (const std::string& w : pack.label_cut_words()) r->cut_.Add(w);
  for (const std::string& w : pack.label_trailing_words()) r->trailing_.Add(w);
  for (const std::string& w : pack.label_bound_heads()) r->bound_heads_.Add(w);
  r->stop_ = LongestFirst(pack.label_stop_words());
  r->activities_ = LongestFirst(pack.label_activity_words());
  // Each rule below asks only where the word list it extends matched.
  for (const std::string& w : r->activities_) {
    if (w.empty() ||
        std::find(r->stop_.begin(), r->stop_.end(), w) == r->stop_.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "label_activity_words: \"", w, "\" is not a label_stop_words entry"));
    }
  }
  for (const std::string& w : pack.label_scope_words()) {
    if (!r->cut_.Contains(w)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "label_scope_words: \"", w, "\" is not a label_cut_words entry"));
    }
    r->scope_.Add(w);
  }
  for (const std::string& w : pack.label_attribute_words()) {
    r->attributes_.Add(w);
    r->longest_attribute_ = std::max(r->longest_attribute_, w.size());
  }
  for (const std::string& w : pack.label_event_verbs()) r->event_verbs_.Add(w);
  for (const std::string& w : r->stop_) r->stop_heads_.AddWord(w);
  // MayStartWithTime knows how each alternative begins: keep them agreed.
  r->leading_time_ = std::make_unique<RE2>(
      R"(^(?:(?:19|20)\d{2}年(?:度)?(?:以来)?|今年以来|今年|年内|当年|全年|同期|其中|)"
      // 五年间, 三年来, 近三年: a span of years, not what was counted.
      R"(近[一二两三四五六七八九十]年(?:间|来|以来)?|)"
      R"([一二两三四五六七八九十]年(?:间|来|以来))+)");
  // 降至 / 提高到 / 增至 / 拓展至: the level reached, read as a value; the
  // verb is no label.
  r->trailing_verb_ = std::make_unique<RE2>(
      absl::StrCat("(?:", pack.change_up(), "|", pack.change_down(),
                   "|降|增|拓展|扩展|延伸)(?:至|到|为)$"));
  if (!r->trailing_verb_->ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("change verbs: ", r->trailing_verb_->error()));
  }
  return r;
}

std::string_view LabelRules::UnquoteView(std::string_view words,
                                         std::string* buffer) {
  // One pass over the bytes: the marks are ", “ ” ‘ ’ (E2 80 9C/9D/98/99)
  // and 「 」 『 』 (E3 80 8C–8F), whole code points, so dropping one never
  // forms another in valid UTF-8. The bytes between marks are copied a run
  // at a time; most labels have no mark and are not copied at all.
  size_t run = 0;  // the first byte not yet copied
  bool marked = false;
  for (size_t p = 0; p < words.size(); ++p) {
    const unsigned char c = static_cast<unsigned char>(words[p]);
    if (c != '"' && c != 0xE2 && c != 0xE3) continue;
    size_t mark = 0;
    if (c == '"') {
      mark = 1;
    } else if (p + 2 < words.size() &&
               static_cast<unsigned char>(words[p + 1]) == 0x80) {
      const unsigned char d = static_cast<unsigned char>(words[p + 2]);
      if (c == 0xE2 ? (d == 0x98 || d == 0x99 || d == 0x9C || d == 0x9D)
                    : (d >= 0x8C && d <= 0x8F)) {
        mark = 3;
      }
    }
    if (mark == 0) continue;
    if (!marked) {
      buffer->clear();
      buffer->reserve(words.size());
      marked = true;
    }
    buffer->append(words.data() + run, p - run);
    p += mark - 1;
    run = p + 1;
  }
  if (!marked) return TrimSeparatorsView(words);
  buffer->append(words.data() + run, words.size() - run);
  return TrimSeparatorsView(*buffer);
}

std::string LabelRules::Unquote(std::string_view words) {
  std::string buffer;
  return std::string(UnquoteView(words, &buffer));
}

// A view into `s`, not a copy: every step cuts from its ends (separators,
// a trailing word, and the two patterns below, both anchored at the end), and
// FromLeft asks at each cut it tries. Each pattern's first match is what
// RE2::Replace would remove; with the pattern anchored at the end, removing
// it leaves a prefix.
std::string_view LabelRules::StripTrailing(std::string_view s) const {
  // A prefix of `s` without the match of `suffix_pattern` (anchored at the
  // end), if it matches and the prefix is long enough for a label.
  auto cut = [](std::string_view s, const RE2& suffix_pattern,
                std::string_view* out) {
    re2::StringPiece match;
    if (!suffix_pattern.Match(re2::StringPiece(s.data(), s.size()), 0, s.size(),
                              RE2::UNANCHORED, &match, 1)) {
      return false;
    }
    const size_t start = static_cast<size_t>(match.data() - s.data());
    if (start + match.size() != s.size() || start < kMinLabelBytes) {
      return false;
    }
    *out = s.substr(0, start);
    return true;
  };
  bool changed = true;
  while (changed && !s.empty()) {
    changed = false;
    s = TrimSeparatorsView(s);
    if (const std::string* w = trailing_.LongestSuffixOf(s)) {
      // 居民公约, 违法行为, 案件年均(达): a trailing word whose first
      // character closes a word stays but for the rest.
      // Only 约, 为 and 均 close such words: their bytes first, as this is
      // asked at every cut FromLeft tries.
      const std::string_view head = std::string_view(*w).substr(0, 3);
      const bool may_close = head == "约" || head == "为" || head == "均";
      char32_t first = 0;
      if (may_close) text::DecodeUtf8(*w, 0, &first);
      if (may_close && s.size() > w->size() &&
          ClosesWord(text::CodePointBefore(s, 0, s.size() - w->size()),
                     first)) {
        if (w->size() == 3) break;
        s.remove_suffix(w->size() - 3);
        changed = true;
        continue;
      }
      s.remove_suffix(w->size());
      changed = true;
      continue;
    }
    // 连续两年 (保持100%): a span of years says when, not what.
    static const RE2 years_phrase(
        "(?:连续|近)?[一二两三四五六七八九十\\d]+年(?:来|以来)?$");
    if (s.size() > kMinLabelBytes && HasSuffix(s, "年") &&
        cut(s, years_phrase, &s)) {
      changed = true;
      continue;
    }
    // 控制在1—2天: the range's lower bound, as the dash, is no label.
    static const RE2 range_low(
        "[0-9０-９.一二两三四五六七八九十]+(?:—|–|-|~|～|－)$");
    if (s.size() > kMinLabelBytes && EndsWithDash(s) && cut(s, range_low, &s)) {
      changed = true;
      continue;
    }
    // 降至 / 提高到: only labels that end in 至, 到 or 为 can hold one.
    if (s.size() > kMinLabelBytes &&
        (HasSuffix(s, "至") || HasSuffix(s, "到") || HasSuffix(s, "为")) &&
        cut(s, *trailing_verb_, &s)) {
      changed = true;
    }
  }
  return s;
}

// The words of `s` after the leading time words (2023年以来, 今年, 其中),
// as RE2::Replace with leading_time_ (anchored at the start) would leave them.
std::string_view LabelRules::WithoutLeadingTime(std::string_view s) const {
  if (!MayStartWithTime(s)) return s;
  re2::StringPiece match;
  if (!leading_time_->Match(re2::StringPiece(s.data(), s.size()), 0, s.size(),
                            RE2::UNANCHORED, &match, 1)) {
    return s;
  }
  // The pattern is anchored at the start: its match is a prefix.
  if (match.data() != s.data()) return s;
  return s.substr(match.size());
}

std::string LabelRules::FromLeft(std::string_view words) const {
  // Without quotation marks (a copy only if there were some); every step
  // after cuts views of it.
  std::string unquoted;
  std::string_view s = UnquoteView(words, &unquoted);
  // ——法治督察：… opens a line of a list with dashes; they name nothing.
  // FromLeft is called hundreds of times a report: the first byte first.
  while (!s.empty() &&
         (s[0] == '-' ||
          (static_cast<unsigned char>(s[0]) == 0xE2 && HasPrefix(s, "—")))) {
    s.remove_prefix(s[0] == '-' ? 1 : 3);
  }
  s = StripTrailing(TrimSeparatorsView(WithoutLeadingTime(s)));
  // Cut after the verb or filler that ends furthest right while leaving a
  // label of its own: try each code point boundary from the right.
  size_t best_end = 0;
  std::string_view coverage_head;
  size_t scope_word = 0;  // the size of the word cut, if one of scope
  std::string_view cut_word;
  for (size_t end = s.size(); end > 0; --end) {
    if (end < s.size() && text::IsContinuationByte(s[end])) {
      continue;  // not a code point boundary
    }
    const std::string* w = cut_.LongestSuffixOrSelf(s.substr(0, end));
    if (w == nullptr) continue;
    // 共 in 公共法律服务 is no cut, nor 依法 in 依法行政 (a field of work:
    // 研究依法行政工作5次 is of 依法行政).
    if (InsideWord(s, end - w->size(), *w, kWordsHoldingStopWords)) continue;
    if (std::string_view(*w) == "依法" && text::HasWordAt(s, end, "行政")) {
      continue;
    }
    // StripTrailing only shortens: a rest already too short fails below.
    if (s.size() - end < kMinLabelBytes) continue;
    const std::string& word = *w;
    const std::string_view rest = StripTrailing(s.substr(end));
    // 报送备案率: a rate of three characters keeps the verb that names it.
    constexpr size_t kShortRateBytes = 9;
    if (rest.size() < kMinLabelBytes || HasPrefix(rest, "率") ||
        HasPrefix(rest, "性") || bound_heads_.Contains(rest) ||
        (rest.size() <= kShortRateBytes && HasSuffix(rest, "率"))) {
      continue;
    }
    best_end = end;
    coverage_head = IsCoverageWord(word) ? s.substr(0, end - word.size())
                                         : std::string_view();
    scope_word = scope_.Contains(word) ? word.size() : 0;
    cut_word = word;
    break;
  }
  // 力争2023年…: a year may stand after the verb just cut, too.
  std::string label(WithoutLeadingTime(StripTrailing(s.substr(best_end))));
  // 人均办理处罚案件1.15件: an average before the verb says what the figure
  // is (each one's share), and stays with what is left.
  // (Each word ends in 均: FromLeft is asked hundreds of times a report, and
  // that one test rules nearly all of them out.)
  const std::string_view before = best_end > cut_word.size()
                                      ? s.substr(0, best_end - cut_word.size())
                                      : std::string_view();
  if (!label.empty() && HasSuffix(before, "均")) {
    for (const std::string_view average :
         {"人均", "案均", "件均", "户均", "年均", "日均", "月均", "平均"}) {
      if (!HasSuffix(before, average)) continue;
      // Not the 年均 of 近三年均 (均 there is "all of them").
      const char32_t previous =
          text::CodePointBefore(before, 0, before.size() - average.size());
      if (text::ChineseDigit(previous) < 0 &&
          !(previous >= U'0' && previous <= U'9')) {
        label.insert(0, average.data(), average.size());
      }
      break;
    }
  }
  // 新设立经营主体2.17万户: newly registered entities are a count of their
  // own (the stock is another), so 新 and the verb stay; not in 重新, 更新,
  // 创新, where 新 belongs to the word before. Only for registering verbs:
  // 新培育法律明白人 is still a count of 法律明白人.
  if (IsRegistering(cut_word) && !label.empty() &&
      IsNewBefore(s, best_end - cut_word.size())) {
    label = std::string("新").append(cut_word).append(label);
  }
  // “一网通办”平台全年办件: what is left after a word of time or scope is a
  // bare verb and object (办件), and the words before it name whose.
  // Each call is on words at least a scope word shorter, so this ends.
  if (scope_word > 0 && !label.empty() && label.size() <= kMinLabelBytes) {
    const std::string before = FromLeft(s.substr(0, best_end - scope_word));
    if (!before.empty()) label = before + label;
  }
  if (!coverage_head.empty()) {
    std::string head(coverage_head);
    for (const char* w : {"范围", "对象", "内容"}) {
      if (HasSuffix(head, w)) head.erase(head.size() - std::string(w).size());
    }
    head = FromLeft(head);
    std::vector<std::string> items = Items(label);
    if (!head.empty() && !items.empty()) label = head + items.back();
  }
  // 行政机关的败诉率 → 败诉率: what follows 的 is the thing counted. A head
  // of two characters (人员, 事项, 企业) says too little alone: 具有法律专业
  // 背景的人员 keeps what it counts.
  // A share keeps them: 适用简易程序的案件占比 is the share of the cases
  // that did, which 案件占比 alone does not say. So does a count of the
  // cases against someone (以市政府为被申请人的复议案件: not all of them).
  const size_t de = text::FindLast(label, "的");
  const bool share = HasSuffix(label, "占比") || HasSuffix(label, "比例") ||
                     HasSuffix(label, "比重");
  const bool against = HasPrefix(label, "以") && de != std::string::npos &&
                       label.find("为") < de;
  if (de != std::string::npos && !HasShortHeadAfterDe(label) &&
      (!(share || against) || de == 0)) {
    label = label.substr(de + 3);
  }
  // Nothing but a verb or filler, or a single character, is no label.
  if (label.size() < kMinLabelBytes || cut_.Contains(label) ||
      trailing_.Contains(label)) {
    return "";
  }
  return label;
}

void LabelRules::ShareRateWord(bool rate, std::vector<std::string>* items) {
  // The usual length of a rate word; where the word is longer (合法性审查率)
  // its last three characters still name the rate.
  constexpr size_t kRateWordBytes = 9;  // three Han characters
  if (items->size() < 2 || !rate) return;
  const std::string& last = items->back();
  if (!HasSuffix(last, "率") || last.size() <= kRateWordBytes) return;
  const std::string_view word =
      std::string_view(last).substr(last.size() - kRateWordBytes);
  // Only a whole character: the cut must fall on a lead byte.
  if (text::IsContinuationByte(word[0])) return;
  for (size_t i = 0; i + 1 < items->size(); ++i) {
    std::string& item = (*items)[i];
    bool measure = false;
    for (const std::string_view end : {"率", "度", "比例", "比重", "占比"}) {
      measure = measure || HasSuffix(item, end);
    }
    if (!measure) item.append(word);
  }
}

bool LabelRules::OpensWithStopWord(std::string_view s) const {
  for (const std::string& w : stop_) {
    if (!w.empty() && HasPrefix(s, w) &&
        !InsideWord(s, 0, w, kWordsHoldingStopWords)) {
      return true;
    }
  }
  return false;
}

bool LabelRules::HasShortHeadAfterDe(std::string_view label) {
  const size_t de = text::FindLast(label, "的");
  return de != std::string::npos && label.size() - de - 3 <= kMinLabelBytes;
}

std::string LabelRules::FromRight(std::string_view words,
                                  bool object_only) const {
  std::string unquoted;
  std::string_view s = UnquoteView(words, &unquoted);
  // 的 ties the number to its noun: no part of the label.
  if (HasPrefix(s, "的")) s.remove_prefix(3);
  size_t end = StopWordEnd(s);
  if (!object_only) end = ActivityEnd(s, end);
  // 分五期对执法人员开展轮训: 对 says whom the activity is for, and goes
  // when an activity follows; elsewhere it may open a word (对口支援单位).
  if (HasPrefix(s, "对")) {
    const std::string_view rest = s.substr(3);
    const size_t stop = StopWordEnd(rest);
    const size_t with_activity = ActivityEnd(rest, stop);
    if (with_activity != stop) {
      s = rest;
      end = with_activity;
    }
  }
  std::string label(StripTrailing(s.substr(0, end)));
  if (label.size() < kMinLabelBytes || cut_.Contains(label) ||
      trailing_.Contains(label)) {
    return "";
  }
  return label;
}

size_t LabelRules::StopWordEnd(std::string_view s) const {
  // Each stop word counts at its first occurrence only, and only if a label
  // can stand before it there; the earliest such is the end. One walk over
  // the heads of the words (lib/text/heads.h) finds the first occurrences in
  // order, where a search for each of some 25 words read the text each time.
  if (stop_.size() > 64) {
    size_t end = s.size();
    for (const std::string& w : stop_) {
      const size_t p = FindStopWord(s, w);
      if (p != std::string::npos && p >= kMinLabelBytes && p < end) end = p;
    }
    return end;
  }
  uint64_t seen = 0;
  for (size_t p = stop_heads_.Find(s, 0); p < s.size();
       p = stop_heads_.FindAfter(s, p)) {
    for (size_t i = 0; i < stop_.size(); ++i) {
      const uint64_t bit = uint64_t{1} << i;
      // An empty word is found at 0, too early to count (as find says).
      if ((seen & bit) != 0 || stop_[i].empty() ||
          !text::HasWordAt(s, p, stop_[i]) ||
          InsideWord(s, p, stop_[i], kWordsHoldingStopWords)) {
        continue;
      }
      seen |= bit;
      if (p >= kMinLabelBytes) return p;
    }
  }
  return s.size();
}

size_t LabelRules::ActivityEnd(std::string_view s, size_t end) const {
  // A label of more than this is a clause, not a name: the activity is left
  // out then, as before.
  constexpr size_t kMaxLabelBytes = 60;  // twenty Han characters
  for (const std::string& activity : activities_) {
    if (!text::HasWordAt(s, end, activity)) continue;
    const size_t after = end + activity.size();
    size_t next = s.size();
    for (const std::string& w : stop_) {
      if (w.empty()) continue;  // found everywhere; StopWordEnd skips it too
      const size_t p = FindStopWord(s.substr(after), w);
      if (p != std::string::npos && after + p < next) next = after + p;
    }
    // The activity needs an object of its own (开展法治体检, not 开展 alone).
    if (next - after < kMinLabelBytes || next > kMaxLabelBytes) return end;
    return next;
  }
  return end;
}

std::vector<std::string> LabelRules::VerbsOfOneObject(
    std::string_view words) const {
  constexpr size_t kVerbBytes = 6;  // two Han characters: 制定, 修改, 刑事
  const std::string s = Unquote(words);
  const std::vector<std::string_view> raw = SplitItems(s);
  if (raw.size() < 2) return {};
  // The object: what follows the last item's first two characters.
  const std::string_view last = raw.back();
  if (last.size() < kVerbBytes + kMinLabelBytes ||
      text::IsContinuationByte(last[kVerbBytes])) {
    return {};
  }
  const std::string_view object = StripTrailing(last.substr(kVerbBytes));
  // 撤销(含变更…): an aside is no object.
  if (object.size() < kMinLabelBytes || object.front() == '(') return {};
  std::vector<std::string> out;
  for (size_t i = 0; i + 1 < raw.size(); ++i) {
    // Two characters each; the first item may carry the clause's words
    // before its verb (全年制定).
    const std::string_view item = raw[i];
    if (item.size() < kVerbBytes || (i > 0 && item.size() != kVerbBytes) ||
        text::IsContinuationByte(item[item.size() - kVerbBytes])) {
      return {};
    }
    out.push_back(std::string(item.substr(item.size() - kVerbBytes)) +
                  std::string(object));
  }
  out.push_back(std::string(last.substr(0, kVerbBytes)) + std::string(object));
  return out;
}

std::vector<std::string_view> LabelRules::SplitItems(std::string_view s) {
  std::vector<std::string_view> items;
  size_t start = 0;
  // 、 和 及 与 are E3 80 81, E5 92 8C, E5 8F 8A and E4 B8 8E: a byte that
  // is none of their leads is passed over without comparing words (this
  // loop asks at every byte of the clause).
  static constexpr std::string_view kSeparators[] = {"、", "和", "及", "与"};
  // A bracketed aside belongs to the item before it: in 撤销(含变更、确认违法)
  // the 、 inside lists what 撤销 covers, not more items. The text is folded,
  // so （ ） arrive as ( ).
  int depth = 0;
  const bool has_list_comma = s.find("、") != std::string_view::npos;
  for (size_t p = 0; p < s.size();) {
    const unsigned char lead = static_cast<unsigned char>(s[p]);
    if (lead == '(' || lead == ')') {
      depth = lead == '(' ? depth + 1 : std::max(0, depth - 1);
      ++p;
      continue;
    }
    bool separator = false;
    if (depth == 0 && lead >= 0xE3 && lead <= 0xE5) {
      separator = std::any_of(
          std::begin(kSeparators), std::end(kSeparators),
          [&](std::string_view sep) { return text::HasWordAt(s, p, sep); });
      // 报备及时率, 参与处理: a word, not two items.
      separator = separator && !SeparatorInWord(s, p);
      // 报省政府和州人大常委会备案的及时率、规范率: where 、 lists the items,
      // a 和 followed by 的 in its item joins the words of one modifier.
      separator = separator && !(has_list_comma && lead != 0xE3 &&
                                 DeBeforeNextComma(s, p + 3));
    }
    if (!separator) {
      ++p;
      continue;
    }
    items.push_back(s.substr(start, p - start));
    p += 3;  // every separator is one three-byte character
    start = p;
  }
  items.push_back(s.substr(start));
  return items;
}

std::vector<std::string> LabelRules::Items(std::string_view words) const {
  const std::string s = Unquote(words);
  const std::vector<std::string_view> items = SplitItems(s);
  std::vector<std::string> out;
  for (size_t i = 0; i < items.size(); ++i) {
    // The first item carries the verbs of the clause; the rest stand alone.
    std::string label =
        i == 0 ? FromLeft(items[i]) : std::string(StripTrailing(items[i]));
    if (!label.empty()) out.push_back(label);
  }
  return out;
}

}  // namespace reportpipe::extractor
