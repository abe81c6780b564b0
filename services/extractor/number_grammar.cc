#include "services/extractor/number_grammar.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "lib/text/affixes.h"
#include "lib/text/numerals.h"
#include "lib/text/utf8.h"
#include "services/extractor/clauses.h"

namespace reportpipe::extractor {
namespace {

re2::StringPiece Piece(std::string_view s) { return {s.data(), s.size()}; }
std::string_view View(re2::StringPiece s) { return {s.data(), s.size()}; }

// Words in the order an alternation tries them: longest first, so that
// 个工作日 wins over 个.
std::vector<std::string> InPatternOrder(std::vector<std::string> words) {
  std::sort(words.begin(), words.end(),
            [](const std::string& a, const std::string& b) {
              return a.size() != b.size() ? a.size() > b.size() : a < b;
            });
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

// Alternation of literal words, in pattern order.
std::string Alternation(const std::vector<std::string>& words) {
  std::vector<std::string> quoted;
  for (const std::string& w : InPatternOrder(words)) {
    quoted.push_back(RE2::QuoteMeta(w));
  }
  return absl::StrJoin(quoted, "|");
}

bool IsDigit(re2::StringPiece t, size_t p) {
  return p < t.size() && t[p] >= '0' && t[p] <= '9';
}

bool StartsWithAt(re2::StringPiece t, size_t p, std::string_view word) {
  return text::HasWordAt(std::string_view(t.data(), t.size()), p, word);
}

// One of 零〇一二两三四五六七八九十百千万亿 at byte p (each 3 bytes in UTF-8).
bool IsChineseNumeral(re2::StringPiece t, size_t p) {
  if (p + 3 > t.size()) return false;
  static const std::u32string kNumerals = U"零〇一二两三四五六七八九十百千万亿";
  char32_t c;
  if (text::DecodeUtf8(std::string_view(t.data(), t.size()), p, &c) != 3)
    return false;
  return kNumerals.find(c) != std::u32string::npos;
}

// A digit among 一二两三四五六七八九十: 百 or 万 alone is no number.
// Whether `number` is made of 百, 千, 万 and 亿 alone (千万, 百亿).
bool IsPowersOfTen(std::string_view number) {
  static const std::u32string kPowers = U"百千万亿";
  if (number.empty()) return false;
  for (size_t p = 0; p < number.size();) {
    char32_t c;
    const size_t n = text::DecodeUtf8(number, p, &c);
    if (n == 0 || kPowers.find(c) == std::u32string::npos) return false;
    p += n;
  }
  return true;
}

bool HasChineseDigit(std::string_view number) {
  static const std::u32string kDigits = U"一二两三四五六七八九十";
  for (size_t p = 0; p < number.size();) {
    char32_t c;
    const size_t n = text::DecodeUtf8(number, p, &c);
    if (n == 0) return false;
    if (kDigits.find(c) != std::u32string::npos) return true;
    p += n;
  }
  return false;
}

// The code point that ends just before `pos`, or 0 at `begin`.
bool IsAsciiAlnum(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

// Whether 内 follows at `at` as a word of its own (not 内容, 内设, 内部).
bool WithinFollows(std::string_view s, size_t at) {
  if (s.compare(at, 3, "内") != 0) return false;
  for (std::string_view w : {"内容", "内设", "内部", "内外"}) {
    if (s.compare(at, w.size(), w) == 0) return false;
  }
  return true;
}

// Whether a clause ends at `pos` of folded text: the text's end, a line's
// end, or a mark that ends a clause (, ; : ! ? 。 、 ) after folding).
bool EndsClause(std::string_view t, size_t pos) {
  if (pos >= t.size()) return true;
  const char c = t[pos];
  if (c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')' ||
      c == '\n') {
    return true;
  }
  return text::HasWordAt(t, pos, "。") || text::HasWordAt(t, pos, "、");
}

// Whether the qualifier `word` (a view into `sentence`) is the last
// character of a word: 约 in 公约, 节约, 条约, 签约 and the like (also before
// 为: 居民公约为12份).
bool EndsWordBefore(std::string_view sentence, re2::StringPiece word) {
  if (View(word) != "约" && View(word) != "约为") return false;
  const size_t at = static_cast<size_t>(word.data() - sentence.data());
  return ClosesWord(text::CodePointBefore(sentence, 0, at), U'约');
}

}  // namespace

std::optional<std::pair<std::string, double>> NumberGrammar::Unit(
    std::string_view word) const {
  if (word == "%") return std::make_pair(std::string("%"), 1.0);
  const auto found =
      units_by_word_.find(absl::string_view(word.data(), word.size()));
  if (found == units_by_word_.end() || found->second.empty()) {
    return std::nullopt;
  }
  const UnitInfo& info = units_[found->second.front()].second;
  return std::make_pair(info.canonical, info.factor);
}

bool ClosesWord(char32_t before, char32_t last) {
  std::u32string_view openers;
  switch (last) {
    case U'约':
      // Not 规 nor 简: 法规约40件, 精简约三成 are about so much; 村规民约
      // ends in 民约.
      openers = U"公节条合契预签履制违特邀誓民";
      break;
    case U'为':
      openers = U"行作认";
      break;
    case U'均':
      openers = U"人户年日月季";
      break;
    default:
      return false;
  }
  return openers.find(before) != std::u32string_view::npos;
}

double RoundFigure(double value) {
  if (!std::isfinite(value)) return value;
  if (std::abs(value) < 1e9) return std::round(value * 1e6) / 1e6;
  // 1.08万亿元: past 2^53 millionths the rounding above is none; keep twelve
  // significant digits instead (a report's figures have far fewer). Powers
  // of ten up to 10^22 are exact doubles: scale by one, never by its inverse.
  const int digits =
      static_cast<int>(std::floor(std::log10(std::abs(value)))) + 1;
  if (digits <= 12) {
    const double scale = std::pow(10.0, 12 - digits);
    return std::round(value * scale) / scale;
  }
  const double unit = std::pow(10.0, digits - 12);
  return std::round(value / unit) * unit;
}

bool IsTimeUnit(std::string_view unit) {
  return unit == "工作日" || unit == "自然日" || unit == "小时" ||
         unit == "天" || unit == "日" || unit == "分钟" || unit == "个月";
}

std::optional<double> ParseNumber(std::string_view number) {
  constexpr std::string_view kPercentOf = "百分之";
  if (number.substr(0, kPercentOf.size()) == kPercentOf) {
    number.remove_prefix(kPercentOf.size());
  } else if (const size_t of = number.find("分之");
             of != std::string_view::npos) {
    // 十分之一: one part of ten, in percent.
    std::optional<double> whole = ParseNumber(number.substr(0, of));
    std::optional<double> part = ParseNumber(number.substr(of + 6));
    if (!whole || !part || *whole == 0) return std::nullopt;
    return *part / *whole * 100;
  } else if (const size_t slash = number.find('/');
             slash != std::string_view::npos) {
    // 1/4: a fraction, in percent.
    std::optional<double> part = ParseNumber(number.substr(0, slash));
    std::optional<double> whole = ParseNumber(number.substr(slash + 1));
    if (!whole || !part || *whole == 0) return std::nullopt;
    return *part / *whole * 100;
  }
  if (number == "半") return 0.5;
  // 减少一半: a share, in percent.
  if (number == "一半") return 50;
  // 八点五: a Chinese decimal, the digits after 点 read one by one.
  if (const size_t point = number.find("点"); point != std::string_view::npos) {
    std::optional<double> whole = ParseNumber(number.substr(0, point));
    std::optional<int64_t> digits =
        text::ParseChineseNumber(number.substr(point + 3));
    if (!whole || !digits) return std::nullopt;
    const size_t places = (number.size() - point - 3) / 3;
    return *whole + static_cast<double>(*digits) /
                        std::pow(10.0, static_cast<double>(places));
  }
  if (number.empty()) return std::nullopt;
  if (number[0] >= '0' && number[0] <= '9') {
    // Digits, commas and one point, with at most 15 digits: the digits as an
    // integer (exact in a double below 2^53) divided by a power of ten
    // (exact up to 10^22) is one correctly rounded division, the same double
    // strtod gives. Every number of a report goes through here; strtod,
    // and the copy it needs for its terminating NUL, cost several times more.
    constexpr int kMaxDigits = 15;
    int64_t mantissa = 0;
    int digit_count = 0;
    int decimals = -1;  // digits after the point; -1 before any point
    bool plain = true;
    for (const char c : number) {
      if (c >= '0' && c <= '9') {
        // Longer numbers go to strtod, before the integer could overflow.
        if (++digit_count > kMaxDigits) break;
        mantissa = mantissa * 10 + (c - '0');
        if (decimals >= 0) ++decimals;
      } else if (c == '.' && decimals < 0) {
        decimals = 0;
      } else if (c != ',') {
        plain = false;
        break;
      }
    }
    if (plain && digit_count <= kMaxDigits && decimals != 0) {
      static constexpr double kPowersOfTen[] = {
          1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
          1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
      const double whole = static_cast<double>(mantissa);
      return decimals < 0 ? whole : whole / kPowersOfTen[decimals];
    }
    std::string digits;
    for (char c : number) {
      if (c != ',') digits.push_back(c);
    }
    char* end = nullptr;
    const double v = std::strtod(digits.c_str(), &end);
    if (end != digits.c_str() + digits.size()) return std::nullopt;
    return v;
  }
  std::optional<int64_t> n = text::ParseChineseNumber(number);
  if (!n) return std::nullopt;
  return static_cast<double>(*n);
}

absl::StatusOr<std::unique_ptr<NumberGrammar>> NumberGrammar::Create(
    const config::v1::PatternPack& pack) {
  auto g = std::unique_ptr<NumberGrammar>(new NumberGrammar());
  // 成 (八成) and 番 (翻了一番) are read here, not through the pack: neither
  // is a measure with a factor.
  std::vector<std::string> unit_words = {"成", "番"};
  for (const config::v1::Unit& u : pack.units()) {
    // An empty measure word would let a bare number match (the pattern's
    // alternation would hold an empty choice), against what the pack means.
    if (u.word().empty()) {
      return absl::InvalidArgumentError(
          "a unit has an empty word: every number needs a measure word");
    }
    UnitInfo info;
    info.canonical = u.canonical().empty() ? u.word() : u.canonical();
    info.factor = u.factor() == 0 ? 1 : u.factor();
    info.before_noun = u.before_noun();
    info.only_after.assign(u.only_after().begin(), u.only_after().end());
    g->units_by_word_[u.word()].push_back(g->units_.size());
    g->units_.emplace_back(u.word(), info);
    unit_words.push_back(u.word());
  }
  std::vector<std::string> before, between, after;
  for (const config::v1::QualifierWord& q : pack.qualifiers()) {
    if (q.word().empty()) {
      return absl::InvalidArgumentError("a qualifier has an empty word");
    }
    switch (q.position()) {
      case config::v1::QualifierWord::POSITION_BEFORE:
        g->before_.emplace_back(q.word(), q.qualifier());
        before.push_back(q.word());
        break;
      case config::v1::QualifierWord::POSITION_BETWEEN:
        g->between_.emplace_back(q.word(), q.qualifier());
        between.push_back(q.word());
        break;
      case config::v1::QualifierWord::POSITION_AFTER:
        g->after_.emplace_back(q.word(), q.qualifier());
        after.push_back(q.word());
        break;
      default:
        return absl::InvalidArgumentError(
            absl::StrCat("qualifier '", q.word(), "' has no position"));
    }
  }
  // Every character the pattern below can match, from its own text and from
  // the pack's words, for NextWindow; kept beside the pattern, which uses
  // nothing else (the number grammar tests compare the two on every
  // report, example and many random strings).
  // The numerals and 半, each three bytes in UTF-8.
  constexpr std::string_view kHanOpeners =
      "零〇一二两三四五六七八九十百千万亿半";
  constexpr std::string_view kPatternCharacters = "0123456789.,/分之点";
  for (char digit = '0'; digit <= '9'; ++digit) {
    g->opener_heads_.AddFirstByte(static_cast<unsigned char>(digit));
  }
  for (size_t p = 0; p < kHanOpeners.size(); p += 3) {
    g->opener_heads_.AddWord(kHanOpeners.substr(p, 3));
  }
  g->match_characters_.Add(kHanOpeners);
  g->match_characters_.Add(kPatternCharacters);
  // A share ends in 之 (百分之五), a fraction's / or 一半's 半.
  g->match_needs_.Add("之/半");
  for (const std::string& w : unit_words) {
    g->match_characters_.Add(w);
    if (!w.empty()) {
      size_t last = w.size() - 1;
      while (last > 0 && (static_cast<unsigned char>(w[last]) & 0xC0) == 0x80)
        --last;
      g->match_needs_.Add(std::string_view(w).substr(last));
    }
  }
  for (const auto* words : {&before, &between, &after}) {
    for (const std::string& w : *words) g->match_characters_.Add(w);
  }
  for (const std::string& w : before) {
    g->longest_before_ = std::max(g->longest_before_, w.size());
  }
  g->before_words_ = PrefixWords(InPatternOrder(before));
  g->between_words_ = PrefixWords(InPatternOrder(between));
  g->unit_words_ = PrefixWords(InPatternOrder(unit_words));
  g->after_words_ = PrefixWords(InPatternOrder(after));
  // Groups: 1 qualifier before; 2 a share, which carries its own unit
  // (百分之五, 十分之一, 1/4, 一半); or 3 a number, 4 between, 5 multiplier,
  // 6 between and 7 the measure word it needs; 8 qualifier after. Only a
  // number with its measure word matches at all: numerals in running text
  // (统一, 一是, 二十大) then cost the DFA scan and nothing more.
  const std::string pattern = absl::StrCat(
      "(", Alternation(before), ")?",
      "(?:(百分之(?:\\d+(?:\\.\\d+)?|[零〇一二两三四五六七八九十百]+(?:点["
      "零〇一二三四五六七八九]+)?)",
      // 千分之三 and 万分之五 are shares too (0.3 %, 0.05 %).
      "|[一二三四五六七八九十千万]+分之[一二三四五六七八九十]+|\\d+/\\d+|一半)",
      "|(\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?",
      "|[零〇一二两三四五六七八九十百千万亿]+|半)", "(", Alternation(between),
      ")?(千万|亿|万|千)?(", Alternation(between), ")?", "(",
      Alternation(unit_words), "))", "(", Alternation(after), ")?");
  // A large budget: the pattern's Unicode alternations make a big DFA, and a
  // DFA that runs out of memory falls back to the NFA, many times slower.
  RE2::Options options;
  options.set_max_mem(64 << 20);
  g->number_ = std::make_unique<RE2>(pattern, options);
  if (!g->number_->ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("number pattern: ", g->number_->error()));
  }
  std::vector<std::string> names;
  for (const config::v1::NonMetric& n : pack.non_metrics()) {
    RE2 check(n.pattern());
    if (!check.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "non_metrics pattern '", n.pattern(), "': ", check.error()));
    }
    names.push_back(absl::StrCat("(?:", n.pattern(), ")"));
  }
  g->non_metric_ =
      std::make_unique<RE2>(names.empty() ? "$^" : absl::StrJoin(names, "|"));
  if (!g->non_metric_->ok()) {
    return absl::InvalidArgumentError(g->non_metric_->error());
  }
  return g;
}

bool NumberGrammar::Accept(std::string_view t, size_t begin, const Mention& m,
                           std::string_view unit_word) const {
  const char32_t before = text::CodePointBefore(t, begin, m.start);
  // Part of a code, a date or a formula: G6, 2024-03-28, 1/4, 1+5+N.
  // 3-5个工作日: a range's upper bound, after one to three digits and a
  // hyphen (a date, 2024-03-28, has four digits or another hyphen before).
  bool range = false;
  if (before == '-') {
    size_t p = m.start - 1;                 // the hyphen
    if (p > begin && t[p - 1] == '%') --p;  // 10%-15%
    const size_t digits_end = p;
    while (p > begin &&
           ((t[p - 1] >= '0' && t[p - 1] <= '9') || t[p - 1] == '.')) {
      --p;
    }
    const size_t digits = digits_end - p;
    const char32_t ahead = text::CodePointBefore(t, begin, p);
    // 2000-5000元 is a range; 2024-03-28 a date (its ends differ in length).
    const size_t upper_digits = m.number_end - m.number_start;
    // A comma after a digit groups thousands (1,000-2,000); after a word it
    // ends a clause.
    const bool grouped =
        ahead == ',' && p >= begin + 2 && t[p - 2] >= '0' && t[p - 2] <= '9';
    range = digits >= 1 && (digits <= 3 || digits == upper_digits) &&
            t[p] != '.' && !IsAsciiAlnum(ahead) && ahead != '-' &&
            ahead != '.' && ahead != '/' && !grouped;
  }
  if (IsAsciiAlnum(before) || before == '.' || (before == '-' && !range) ||
      before == '/' || before == '+' || before == '#') {
    return false;
  }
  // 10:30 and 1:2 are a time and a ratio; after a word's colon (联合检查：
  // 42次, folded from ：) the figure is that word's.
  if (before == ':' &&
      (m.start - begin < 2 ||
       IsAsciiAlnum(text::CodePointBefore(t, begin, m.start - 1)))) {
    return false;
  }
  if (m.number_end < t.size()) {
    const char c = t[m.number_end];
    if (c == '-' || c == '/' || c == '+' || c == ':') return false;
  }
  if (unit_word == "分") {
    // A score (95.6分): after Arabic digits only (十分重视 is "very"), not a
    // clock's minutes (9时30分, 9点30分), and not the head of another word
    // (5个分局 has its own unit; 3分钟 is a longer unit the pattern prefers).
    if (m.chinese || before == U'时' || before == U'点') return false;
    if (m.end < t.size()) {
      char32_t next = 0;
      text::DecodeUtf8(t, m.end, &next);
      static const std::u32string kWords = U"局行院会级类支队站所别期批之配工";
      if (kWords.find(next) != std::u32string::npos) return false;
    }
  }
  // 2850元/吨: a price per measure, no sum of money.
  if ((unit_word == "元" || unit_word == "万元" || unit_word == "亿元") &&
      m.end < t.size() && t[m.end] == '/') {
    return false;
  }
  if (unit_word == "日") {
    // A span of days (45日以内), not a date's day: none after 月 or 初 (3月
    // 28日, 初五日), none after Chinese numerals (二十日 is read as a date
    // as often as a span), none before the words of a day's time or a
    // deadline (20日前, 28日上午, 5日起). And a bare N日 only after a word
    // of duration (审理期限为45日; 于5日举办, 1日至7日 are dates).
    if (m.chinese || before == U'月' || before == U'初') return false;
    if (m.qualifier == v1::QUALIFIER_EXACT) {
      const size_t from = m.start - begin > 12 ? m.start - 12 : begin;
      const std::string_view words = t.substr(from, m.start - from);
      bool duration = false;
      for (std::string_view w : {"期限", "时限", "周期", "用时", "时间", "缩短",
                                 "压缩", "压减", "平均", "为期", "历时"}) {
        duration = duration || words.find(w) != std::string_view::npos;
      }
      if (!duration) return false;
    }
    for (std::string_view w : {"前", "起", "上午", "下午", "晚", "召开", "举行",
                               "至", "到", "—", "-"}) {
      if (text::HasWordAt(t, m.end, w)) return false;
    }
  }
  if (unit_word == "番") {
    // Only 翻(了)一番 is a doubling: 一番努力, 三番五次 are words.
    const std::string_view head = t.substr(begin, m.start - begin);
    return text::HasSuffix(head, "翻") || text::HasSuffix(head, "翻了");
  }
  if (m.chinese) {
    // 第二批, 每两年: ordinals and frequencies. 一 with a unit is almost
    // always an article (一次性, 一批, 一件事), not a count.
    if (before == U'第' || before == U'每' || before == U'逐') return false;
    // 三四次 is three or four, a guess; 统一一次性 runs a word's 一 into a
    // numeral. Two digits side by side make no Chinese number.
    for (size_t p = m.number_start; p + 6 <= m.number_end; p += 3) {
      char32_t a = 0, b = 0;
      text::DecodeUtf8(t, p, &a);
      text::DecodeUtf8(t, p + 3, &b);
      if (text::ChineseDigit(a) > 0 && text::ChineseDigit(b) > 0) return false;
    }
    // But 撤销一件。 and 创建示范村一个， end their clause with it: a count;
    // not in a rule of how often (每季度至少研究一次).
    if (m.value == 1) {
      if (!EndsClause(t, m.end)) return false;
      const size_t clause = ClauseBegin(t, begin, m.start);
      if (t.substr(clause, m.start - clause).find("每") !=
          std::string_view::npos) {
        return false;
      }
    }
    // 几十名, 数十次, 数百万元: a vague amount, no figure (人数一百人 is one:
    // its numeral opens with a digit's word).
    const std::string_view numeral = t.substr(
        m.number_start, std::min<size_t>(3, m.number_end - m.number_start));
    if ((before == U'几' || before == U'数') &&
        (numeral == "十" || numeral == "百" || numeral == "千" ||
         numeral == "万")) {
      return false;
    }
    // 集中在欠薪、厂房租赁、征迁补偿三类: the size of the list just named,
    // as 两件事 is, not a figure of its own. Only a classifier of kinds
    // counts so (新收两件、办结两件 are figures), and only right after a
    // short last item.
    if (unit_word == "类" || unit_word == "种" || unit_word == "个" ||
        unit_word == "项") {
      const size_t clause_start = ClauseBegin(t, begin, m.start);
      const std::string_view clause =
          t.substr(clause_start, m.start - clause_start);
      double items = 1;
      for (size_t p = clause.find("、"); p != std::string_view::npos;
           p = clause.find("、", p + 3)) {
        ++items;
      }
      const size_t last = clause.rfind("、");
      const bool short_last =
          last != std::string_view::npos && clause.size() - (last + 3) <= 18;
      if (items > 1 && items == m.value && short_last) return false;
    }
  }
  if (unit_word == "成") {
    // 八成 is a ratio; 成立, 成员, 成效 are words.
    const char32_t next = m.end < t.size() ? [&] {
      char32_t c;
      text::DecodeUtf8(t, m.end, &c);
      return c;
    }() : 0;
    static const std::u32string kWords = U"立员果效为功本交熟绩都型";
    if (kWords.find(next) != std::u32string::npos) return false;
  }
  const auto same_word = units_by_word_.find(
      absl::string_view(unit_word.data(), unit_word.size()));
  if (same_word == units_by_word_.end()) return true;
  for (const size_t i : same_word->second) {
    const UnitInfo& info = units_[i].second;
    if (info.only_after.empty()) continue;
    const std::string_view head = t.substr(begin, m.start - begin);
    bool ok = false;
    for (const std::string& a : info.only_after) {
      ok = ok || text::HasSuffix(head, a);
    }
    if (!ok) return false;
  }
  return true;
}

PrefixWords::PrefixWords(std::vector<std::string> words_in_order)
    : words_(std::move(words_in_order)) {
  for (size_t i = 0; i < words_.size(); ++i) {
    const std::string& w = words_[i];
    if (w.empty()) continue;
    const auto first = static_cast<unsigned char>(w[0]);
    if (w.size() == 1) {
      one_byte_words_.set(first);
      // A one-byte word begins a text of any second byte: it goes in every
      // bucket of its first byte, in its place in the order.
      for (int second = 0; second < 256; ++second) {
        by_head_[static_cast<uint16_t>(Head(first, second))].push_back(i);
      }
    } else {
      const size_t head = Head(first, static_cast<unsigned char>(w[1]));
      heads_.set(head);
      by_head_[static_cast<uint16_t>(head)].push_back(i);
    }
  }
}

re2::StringPiece PrefixWords::FirstIn(re2::StringPiece text) const {
  if (text.empty()) return re2::StringPiece();
  const auto first = static_cast<unsigned char>(text[0]);
  const std::string_view view(text.data(), text.size());
  if (text.size() == 1) {
    for (const std::string& w : words_) {
      if (w.size() == 1 && w[0] == text[0])
        return re2::StringPiece(text.data(), 1);
    }
    return re2::StringPiece();
  }
  // operator[], not test(): the indexes are in range by construction.
  const size_t head = Head(first, static_cast<unsigned char>(text[1]));
  if (!one_byte_words_[first] && !heads_[head]) return re2::StringPiece();
  // Only the words that share the text's first two bytes are compared, in
  // the pattern's order: with the measure words of seizures (米, 头, 箱…)
  // the units are many, and most share a lead byte with the text.
  const auto bucket = by_head_.find(static_cast<uint16_t>(head));
  if (bucket == by_head_.end()) return re2::StringPiece();
  for (const size_t i : bucket->second) {
    const std::string& w = words_[i];
    if (text::HasPrefix(view, w)) {
      return re2::StringPiece(text.data(), w.size());
    }
  }
  return re2::StringPiece();
}

size_t NumberGrammar::SplitFrom(re2::StringPiece piece,
                                re2::StringPiece* groups) const {
  constexpr size_t kCannotSay = re2::StringPiece::npos;
  for (int i = 1; i < 9; ++i) groups[i] = re2::StringPiece();
  auto rest = [&](size_t p) { return piece.substr(p); };
  size_t p = 0;
  groups[1] = before_words_.FirstIn(piece);
  p += groups[1].size();
  // The share alternatives come first in the pattern: 百分之五, 十分之一
  // (also 二百分之… after the numeral run), 1/4.
  if (StartsWithAt(piece, p, "百分之")) return kCannotSay;
  const size_t number_start = p;
  if (IsDigit(piece, p)) {
    while (IsDigit(piece, p)) ++p;
    if (p < piece.size() &&
        (piece[p] == '/' || (piece[p] == ',' && IsDigit(piece, p + 1)))) {
      return kCannotSay;
    }
    if (p < piece.size() && piece[p] == '.' && IsDigit(piece, p + 1)) {
      ++p;
      while (IsDigit(piece, p)) ++p;
    }
  } else if (IsChineseNumeral(piece, p)) {
    while (IsChineseNumeral(piece, p)) p += 3;
    if (StartsWithAt(piece, p, "分之")) return kCannotSay;
  } else if (StartsWithAt(piece, p, "半")) {
    p += 3;
  } else {
    return kCannotSay;
  }
  groups[3] = piece.substr(number_start, p - number_start);
  groups[4] = between_words_.FirstIn(rest(p));
  p += groups[4].size();
  // In the pattern's order: 千万 before 千. None follows a numeral run,
  // which takes them all in (三千万). 百 is none after digits: 0.5百分点 is
  // 0.5 pp, not a score of 50.
  for (const std::string_view m : {"千万", "亿", "万", "千"}) {
    if (StartsWithAt(piece, p, m)) {
      groups[5] = piece.substr(p, m.size());
      p += m.size();
      break;
    }
  }
  groups[6] = between_words_.FirstIn(rest(p));
  p += groups[6].size();
  groups[7] = unit_words_.FirstIn(rest(p));
  if (groups[7].empty()) return kCannotSay;
  p += groups[7].size();
  groups[8] = after_words_.FirstIn(rest(p));
  p += groups[8].size();
  // The pattern is complete here: each part took the choice the pattern
  // tries first, and none had to be undone.
  groups[0] = piece.substr(0, p);
  return p;
}

bool NumberGrammar::SplitFast(re2::StringPiece match,
                              re2::StringPiece* groups) const {
  // RE2 found the same match when the reading ends where RE2's does.
  return SplitFrom(match, groups) == match.size();
}

bool NumberGrammar::NextWindow(std::string_view t, size_t pos, size_t* from,
                               size_t* to, size_t* opener_at) const {
  // Every match holds a number, and its number opens with a digit, a numeral
  // or 半 (百分之 and 十分之 with a numeral too), at most longest_before_
  // bytes after the match's start.
  const size_t size = t.size();
  auto code_point_at = [&t](size_t p) {
    char32_t c = 0;
    text::DecodeUtf8(t, p, &c);
    return c;
  };
  // This walk visits every character of the text: the heads (whole first
  // characters: a digit, a numeral, 半) pass over nearly all of them
  // sixteen bytes at a time (lib/text/heads.h).
  const size_t opener = opener_heads_.Find(t, pos);
  if (opener >= size) return false;
  const size_t start = text::NextBoundary(
      t, opener > pos + longest_before_ ? opener - longest_before_ : pos,
      opener);
  // A match is a run of the pattern's characters: one that starts in
  // [start, end) cannot reach past the first other character after the
  // opener. Its unit (or 之, / or 半 for a share) comes after its number, so
  // after the opener: a window without one holds no match.
  size_t end = opener;
  bool needed = false;
  while (end < size) {
    const char32_t c = code_point_at(end);
    if (!match_characters_.Contains(c)) break;
    needed = needed || match_needs_.Contains(c);
    end += text::kSequenceLength[static_cast<unsigned char>(t[end])];
  }
  *from = needed ? start : end;  // an empty window: nothing to ask RE2
  *to = end;
  *opener_at = opener;
  return true;
}

bool NumberGrammar::FirstMatchInWindow(std::string_view t, size_t from,
                                       size_t opener, size_t to,
                                       re2::StringPiece* groups,
                                       bool* split) const {
  // At each start, reading the parts off the text first: when that
  // completes the pattern it is the match RE2 would find there (the first
  // choice at every step, none undone), and RE2 is not asked at all.
  auto read_at = [&](size_t s) {
    *split =
        SplitFrom(Piece(t.substr(s, to - s)), groups) != re2::StringPiece::npos;
    return *split;
  };
  for (size_t s = from; s < opener;
       s += text::kSequenceLength[static_cast<unsigned char>(t[s])]) {
    if (before_words_.FirstIn(Piece(t.substr(s, to - s))).empty()) continue;
    if (read_at(s) ||
        number_->Match(Piece(t), s, to, RE2::ANCHOR_START, groups, 1)) {
      return true;
    }
  }
  // At the opener: the reading, else one unanchored search from there,
  // which also finds a match that starts after the opener (when the opener
  // begins none): one RE2 call where a window holds no match at all.
  return read_at(opener) ||
         number_->Match(Piece(t), opener, to, RE2::UNANCHORED, groups, 1);
}

bool NumberGrammar::ReadRange(std::string_view sentence, size_t begin,
                              double factor, Mention* upper,
                              std::vector<Mention>* out) const {
  // The mark between the ends of a range, just before the upper one.
  const size_t at = upper->start - begin;
  size_t mark = 0;
  for (const std::string_view w : {"至", "到", "—", "–", "-", "~"}) {
    if (at >= w.size() && sentence.compare(at - w.size(), w.size(), w) == 0) {
      mark = w.size();
      break;
    }
  }
  if (mark == 0) return true;
  const size_t lower_end = at - mark;
  // 10%—15%, 3个—5个: the lower end is a mention of its own. Not a from-to
  // (从85%到93%, 由15个工作日至5个工作日), and it runs upward.
  if (!out->empty() && out->back().end == begin + lower_end) {
    Mention& lower = out->back();
    if (lower.unit != upper->unit || lower.value >= upper->value) return true;
    if (mark == 3 && (sentence.compare(at - 3, 3, "至") == 0 ||
                      sentence.compare(at - 3, 3, "到") == 0)) {
      const std::string_view head = sentence.substr(0, lower.start - begin);
      const size_t clause = ClauseBegin(head, 0, head.size());
      const std::string_view words = head.substr(clause);
      if (words.find("由") != std::string_view::npos ||
          words.find("从") != std::string_view::npos) {
        return true;
      }
    }
    if (lower.qualifier == v1::QUALIFIER_EXACT) {
      lower.qualifier = v1::QUALIFIER_AT_LEAST;
    }
    if (upper->qualifier == v1::QUALIFIER_EXACT) {
      upper->qualifier = v1::QUALIFIER_AT_MOST;
    }
    return true;
  }
  // 3至5个工作日: a bare number before the mark takes the upper end's unit.
  size_t lower_start = lower_end;
  bool chinese = false;
  while (lower_start > 0 && ((sentence[lower_start - 1] >= '0' &&
                              sentence[lower_start - 1] <= '9') ||
                             sentence[lower_start - 1] == '.')) {
    --lower_start;
  }
  if (lower_start == lower_end) {
    while (lower_start >= 3 &&
           IsChineseNumeral(Piece(sentence), lower_start - 3)) {
      lower_start -= 3;
    }
    chinese = lower_start < lower_end;
  }
  if (lower_start == lower_end || chinese != upper->chinese) return true;
  // 第3至5条: a range of ordinals, and its upper end no figure either.
  const char32_t before = text::CodePointBefore(sentence, 0, lower_start);
  if (before == U'第') return false;
  // Nor part of a code or a longer number (1,000至2,000元: a comma after a
  // digit).
  const bool grouped = before == ',' && lower_start >= 2 &&
                       sentence[lower_start - 2] >= '0' &&
                       sentence[lower_start - 2] <= '9';
  if (IsAsciiAlnum(before) || before == '.' || before == '-' || before == '/' ||
      grouped) {
    return true;
  }
  if (!out->empty() && out->back().end > begin + lower_start) return true;
  const std::string_view written =
      sentence.substr(lower_start, lower_end - lower_start);
  const std::optional<double> value = ParseNumber(written);
  if (!value) return true;
  // 三至五万人: the numeral run of the upper end took its power of ten in
  // (五万), which the lower end (三) shares.
  double scale = factor;
  if (chinese) {
    const std::string_view upper_number = sentence.substr(
        upper->number_start - begin, upper->number_end - upper->number_start);
    double power = 1;
    for (size_t p = upper_number.size(); p >= 3; p -= 3) {
      const std::string_view c = upper_number.substr(p - 3, 3);
      const double f = c == "百"   ? 1e2
                       : c == "千" ? 1e3
                       : c == "万" ? 1e4
                       : c == "亿" ? 1e8
                                   : 0;
      if (f == 0) break;
      power *= f;
    }
    const std::string_view last = written.substr(written.size() - 3);
    if (last != "十" && last != "百" && last != "千" && last != "万" &&
        last != "亿") {
      scale *= power;
    }
  }
  // A range runs upward (5至3 is none), within a factor of a thousand.
  if (*value * scale >= upper->value || *value * scale * 1000 < upper->value) {
    return true;
  }
  Mention lower = *upper;
  lower.start = begin + lower_start;
  lower.end = begin + lower_end;
  lower.number_start = lower.start;
  lower.number_end = lower.end;
  lower.value = RoundFigure(*value * scale);
  lower.qualifier = v1::QUALIFIER_AT_LEAST;
  lower.doubled = false;
  if (upper->qualifier == v1::QUALIFIER_EXACT) {
    upper->qualifier = v1::QUALIFIER_AT_MOST;
  }
  out->push_back(lower);
  return true;
}

std::vector<Mention> NumberGrammar::Find(std::string_view t, size_t begin,
                                         size_t end, Method method) const {
  std::vector<Mention> out;
  const std::string_view sentence = t.substr(begin, end - begin);
  const bool fast = method == Method::kFast;
  // Names with numerals, in text order. A name is looked for clause by
  // clause, each clause a text of its own (pack.proto): kRe2 reads every
  // clause at the first number, kFast only the clauses a number stands in.
  // Most text holds no number.
  std::vector<std::pair<size_t, size_t>> names;
  size_t next_name = 0;
  size_t names_scanned_to = 0;  // in `sentence`
  auto find_names_in_clause = [&](size_t clause_start, size_t clause_end) {
    const std::string_view clause =
        sentence.substr(clause_start, clause_end - clause_start);
    size_t p = 0;
    while (p < clause.size()) {
      re2::StringPiece match;
      if (!non_metric_->Match(Piece(clause), p, clause.size(), RE2::UNANCHORED,
                              &match, 1)) {
        break;
      }
      const size_t s = clause_start + (match.data() - clause.data());
      names.emplace_back(begin + s, begin + s + match.size());
      p = s - clause_start + std::max<size_t>(match.size(), 1);
    }
  };
  // Reads the clauses of [from, to), which starts at a clause's start or at
  // a delimiter and ends at a delimiter or the text's end, and holds
  // delimiters only in [split_from, split_to): the caller knows where the
  // rest has none, and the walk for them reads only that part again.
  auto find_names = [&](size_t from, size_t to, size_t split_from,
                        size_t split_to) {
    size_t clause_start = from;
    for (size_t p = split_from; p < split_to;) {
      size_t delimiter = 0;
      if (!IsDelimiterAt(sentence, p, &delimiter)) {
        ++p;
        continue;
      }
      if (p > clause_start) find_names_in_clause(clause_start, p);
      p += delimiter;
      clause_start = p;
    }
    if (to > clause_start) find_names_in_clause(clause_start, to);
    names_scanned_to = std::max(names_scanned_to, to);
  };
  re2::StringPiece groups[9];
  size_t pos = 0;
  while (pos < sentence.size()) {
    // The match and its parts come from SplitFrom's reading where it can
    // say; otherwise the match from RE2's DFA, its parts from SplitFast or
    // from RE2's submatch search over the match's bytes alone.
    size_t from = pos, to = sentence.size(), opener = 0;
    if (fast) {
      if (!NextWindow(sentence, pos, &from, &to, &opener)) break;
      if (from == to) {
        pos = to;
        continue;
      }
    }
    bool split = false;
    if (fast ? !FirstMatchInWindow(sentence, from, opener, to, groups, &split)
             : !number_->Match(Piece(sentence), from, to, RE2::UNANCHORED,
                               groups, 1)) {
      if (!fast) break;
      pos = to;
      continue;
    }
    if (!fast || !(split || SplitFast(groups[0], groups))) {
      const re2::StringPiece match = groups[0];
      if (!number_->Match(match, 0, match.size(), RE2::ANCHOR_BOTH, groups,
                          9)) {
        // Cannot happen: the same pattern matched these bytes just now.
        pos = (match.data() - sentence.data()) +
              std::max<size_t>(match.size(), 1);
        continue;
      }
    }
    const size_t match_start = groups[0].data() - sentence.data();
    const size_t match_end = match_start + groups[0].size();
    pos = std::max(match_end, match_start + 1);
    // Step over a partial UTF-8 sequence after an empty advance.
    pos = text::NextBoundary(sentence, pos, sentence.size());
    const bool share = !groups[2].empty();
    const re2::StringPiece number_group = share ? groups[2] : groups[3];
    const std::string_view written = View(number_group);
    // A bare 1/4 is a date or a code unless a qualifier says it is a share.
    if (written.find('/') != std::string_view::npos && groups[1].empty() &&
        groups[8].empty()) {
      continue;
    }
    const std::string_view number = written;
    std::optional<double> value = ParseNumber(number);
    if (!value) continue;
    Mention m;
    m.start = begin + match_start;
    m.end = begin + match_end;
    m.number_start = begin + (number_group.data() - sentence.data());
    m.number_end = m.number_start + number_group.size();
    m.chinese = !(number[0] >= '0' && number[0] <= '9') && !share;
    const std::string_view unit_word = share ? "%" : View(groups[7]);
    double factor = 1;
    // 3千余人, 2千万元, 1.2万件: a multiplier after Arabic digits.
    if (groups[5] == "千") factor = 1e3;
    if (groups[5] == "万") factor = 1e4;
    if (groups[5] == "千万") factor = 1e7;
    if (groups[5] == "亿") factor = 1e8;
    if (unit_word == "成") {
      factor *= 10;
      m.unit = "%";
      // 九成五: five more points after the tens (95 %), as 一成半 (15 %); a
      // qualifier may follow it (九成五以上).
      char32_t next = 0;
      if (match_end + 3 <= sentence.size()) {
        text::DecodeUtf8(sentence, match_end, &next);
      }
      // 一成半: half a tenth more (15 %).
      const int digit = next == U'半' ? 5 : text::ChineseDigit(next);
      // Only where the digit ends the figure: the sentence's end, a mark,
      // or a qualifier (九成五以上; not 九成一线干部).
      const size_t after_digit = match_end + 3;
      const bool digit_ends =
          after_digit >= sentence.size() ||
          static_cast<unsigned char>(sentence[after_digit]) < 0x80 ||
          sentence.compare(after_digit, 3, "。") == 0 ||
          sentence.compare(after_digit, 3, "、") == 0 ||
          !after_words_.FirstIn(Piece(sentence.substr(after_digit))).empty();
      if (groups[8].empty() && digit >= 1 && digit <= 9 && digit_ends) {
        *value += digit / 10.0;
        const size_t extended = match_end + 3;
        const re2::StringPiece after =
            after_words_.FirstIn(Piece(sentence.substr(extended)));
        groups[8] = after;
        m.end = begin + extended + after.size();
        pos = std::max(pos, extended + after.size());
      }
    } else if (unit_word == "个" &&
               (sentence.compare(match_end, 9, "半小时") == 0 ||
                sentence.compare(match_end, 6, "半月") == 0)) {
      // 1个半小时, 两个半月: half a measure more, in that measure.
      const bool hours = sentence.compare(match_end, 9, "半小时") == 0;
      *value += 0.5;
      m.unit = hours ? "小时" : "个月";
      const size_t extended = match_end + (hours ? 9 : 6);
      m.end = begin + extended;
      pos = std::max(pos, extended);
      groups[8] = after_words_.FirstIn(Piece(sentence.substr(extended)));
      if (!groups[8].empty()) {
        m.end += groups[8].size();
        pos = std::max(pos, extended + groups[8].size());
      }
    } else if (unit_word == "番") {
      // Doubled n times: the rise is 2^n - 1 of what it was.
      if (*value < 1 || *value > 10 || *value != std::floor(*value)) continue;
      *value = std::pow(2.0, *value) - 1;
      factor = 100;
      m.unit = "%";
      m.doubled = true;
    } else if (unit_word == "%") {
      m.unit = "%";
    } else {
      const auto same_word = units_by_word_.find(
          absl::string_view(unit_word.data(), unit_word.size()));
      if (same_word != units_by_word_.end()) {
        for (const size_t i : same_word->second) {
          const UnitInfo& info = units_[i].second;
          m.unit = info.canonical;
          factor *= info.factor;
          m.before_noun = info.before_noun;
        }
      }
    }
    // 4.02万 is 40200, not 40199.999999999996: round away the binary error of
    // the multiplication (figures in reports never carry 7 decimals).
    m.value = RoundFigure(*value * factor);
    if (m.chinese) {
      // A Chinese numeral needs a digit: 万人 and 千家万户 are words. Powers
      // of ten alone (百, 千万, 千亿) count only after a qualifier (超百份,
      // 近千人, 近万人, 逾千万元).
      const bool qualified = !groups[1].empty() || !groups[4].empty();
      // 半个工作日, 半小时: half is a figure of its own (not in 上半年).
      // 用时由半天压缩到1.5小时, but not 每周半天驻点 (a schedule).
      const char32_t before_half =
          text::CodePointBefore(sentence, 0, m.number_start - begin);
      // Nor 下半天, 下午半天.
      constexpr std::u32string_view kNotBeforeHalfADay = U"周月日天午上下";
      const bool half =
          number == "半" &&
          (text::HasPrefix(unit_word, "个") || unit_word == "小时" ||
           (unit_word == "天" &&
            kNotBeforeHalfADay.find(before_half) == std::u32string_view::npos));
      if (!HasChineseDigit(number) && !half &&
          !(qualified && IsPowersOfTen(number))) {
        continue;
      }
    }
    m.qualifier = v1::QUALIFIER_EXACT;
    auto lookup = [](const auto& table, re2::StringPiece word,
                     v1::Qualifier* q) {
      for (const auto& [w, qual] : table) {
        if (View(word) == w) *q = qual;
      }
    };
    if (!groups[8].empty()) lookup(after_, groups[8], &m.qualifier);
    if (!groups[6].empty()) lookup(between_, groups[6], &m.qualifier);
    if (!groups[4].empty()) lookup(between_, groups[4], &m.qualifier);
    // A qualifier before the figure is applied last, over one after it
    // (超过5万件以上 is MORE_THAN), but for one before the sentence's 为:
    // the one after the figure stands nearer it (约为十分之一强 is MORE_THAN).
    const bool before_wei = text::HasSuffix(View(groups[1]), "为");
    // 上 qualifies only a power of ten (上百人次); before another number it
    // is no qualifier (本科以上128人, 线上3场), as before it was one.
    const bool bare_shang = View(groups[1]) == "上" && !IsPowersOfTen(number);
    if (!groups[1].empty() && !bare_shang &&
        !EndsWordBefore(sentence, groups[1])) {
      if (!before_wei || m.qualifier == v1::QUALIFIER_EXACT) {
        lookup(before_, groups[1], &m.qualifier);
      }
    } else if (!groups[1].empty()) {
      // 居民公约12份: the 约 closes a word (公约), it qualifies nothing.
      m.start += groups[1].size();
    }
    // 几 and 来 between a number and its measure: only after a round one
    // (十几次, 六十来件, 百来场): 12345来件 is mail come in, no figure.
    bool not_a_figure = false;
    for (const re2::StringPiece between : {groups[4], groups[6]}) {
      if (View(between) != "来" && View(between) != "几") continue;
      const bool round =
          text::HasSuffix(number, "十") || text::HasSuffix(number, "百") ||
          text::HasSuffix(number, "千") || text::HasSuffix(number, "万") ||
          (!number.empty() && number.back() == '0');
      not_a_figure = not_a_figure || !round;
    }
    if (not_a_figure) continue;
    // 企业开办在0.5个工作日内办结: 内 after a span of time bounds it (not in
    // 12项内容, 5个内设机构, where it is no qualifier: 内 is none in the pack).
    if (m.qualifier == v1::QUALIFIER_EXACT && IsTimeUnit(m.unit) &&
        WithinFollows(sentence, m.end - begin)) {
      m.qualifier = v1::QUALIFIER_AT_MOST;
    }
    const size_t number_start = m.number_start - begin;
    const size_t number_end = m.number_end - begin;
    // kRe2 reads every clause at the first number; kFast the clauses this
    // number stands in (1,234 spans two), from where the reading before
    // stopped (a delimiter).
    if (!fast && names_scanned_to == 0) {
      find_names(0, sentence.size(), 0, sentence.size());
    } else if (fast && number_end > names_scanned_to) {
      // The clause's start, looked for no further back than the last
      // scan's end (a delimiter): the later of the two. No delimiter stands
      // between it and the number, nor between the number and the clause's
      // end; one may stand inside the number (1,234), or be where the
      // window opens when the number began before the last scan's end.
      const size_t from = ClauseBegin(sentence, names_scanned_to, number_start);
      const size_t to = ClauseEnd(sentence, number_end, sentence.size());
      find_names(from, to, std::max(from, number_start),
                 std::min(to, number_end));
    }
    // Names and numbers both come in text order: step past the names that
    // end before this number instead of testing every name each time.
    while (next_name < names.size() &&
           names[next_name].second <= m.number_start)
      ++next_name;
    bool named = false;
    for (size_t k = next_name;
         k < names.size() && names[k].first < m.number_end; ++k) {
      named = named || (m.number_start < names[k].second &&
                        m.number_end > names[k].first);
    }
    if (named || !Accept(t, begin, m, unit_word)) continue;
    if (!ReadRange(sentence, begin, factor, &m, &out)) continue;
    ShareTheLongerUnit(t, &out, m);
    out.push_back(m);
  }
  AddZeros(sentence, begin, &out);
  return out;
}

void NumberGrammar::AddZeros(std::string_view sentence, size_t begin,
                             std::vector<Mention>* out) {
  // A zero said in words: 差错件数为零, 败诉率由上年的8.3%降至零, a figure
  // of the measure the words before it or the level before it have. 零 is
  // rare, and looked for first.
  constexpr std::string_view kZero = "零";
  for (size_t z = sentence.find(kZero); z != std::string_view::npos;
       z = sentence.find(kZero, z + kZero.size())) {
    const size_t at = begin + z;
    const auto later = std::lower_bound(
        out->begin(), out->end(), at,
        [](const Mention& m, size_t p) { return m.start < p; });
    // Inside a figure (一百零五件): its own.
    if (later != out->begin() && std::prev(later)->end > at) continue;
    if (later != out->end() && later->start < at + kZero.size()) continue;
    const std::string_view head = sentence.substr(0, z);
    const std::string_view tail = sentence.substr(z + kZero.size());
    Mention m;
    m.start = at;
    m.end = at + kZero.size();
    m.number_start = m.start;
    m.number_end = m.end;
    m.chinese = true;
    // 为零, 降至零 ending the clause. (实现零败诉 is a boast, read as no
    // figure: the fixtures' golds have it so, 3个县区实现零败诉 a count.)
    size_t delimiter = 0;
    const bool clause_ends = tail.empty() ||
                             IsDelimiterAt(tail, 0, &delimiter) ||
                             text::HasPrefix(tail, "、");
    std::string_view verb;
    for (const std::string_view v :
         {"下降至", "下降为", "下降到", "减少至", "减少为", "降至", "降为",
          "降到", "减至", "减为", "为", "是"}) {
      if (text::HasSuffix(head, v)) {
        verb = v;
        break;
      }
    }
    if (!clause_ends || verb.empty()) continue;
    const std::string_view words = head.substr(0, head.size() - verb.size());
    if (later != out->begin() &&
        std::prev(later)->end == begin + words.size()) {
      m.unit = std::prev(later)->unit;  // the level it fell from
    } else if (text::HasSuffix(words, "率")) {
      m.unit = "%";
    } else if (text::HasSuffix(words, "件数") ||
               text::HasSuffix(words, "案件") || text::HasSuffix(words, "件")) {
      m.unit = "件";
    } else {
      continue;
    }
    out->insert(later, m);
  }
}

void NumberGrammar::ShareTheLongerUnit(std::string_view t,
                                       std::vector<Mention>* out,
                                       const Mention& m) {
  // 分别提高4.5个和2.1个百分点: the first figure's 个 is the second's
  // 个百分点 (个工作日, 个月) said once.
  // Asked at every mention: the cheapest test first, on views (a string's
  // == with a C string calls strlen).
  if (out->empty() || std::string_view(out->back().unit) != "个") return;
  const std::string_view unit = m.unit;
  if (unit != "pp" && unit != "工作日" && unit != "个月") return;
  Mention& before = out->back();
  if (before.end > m.start) return;
  const std::string_view between = t.substr(before.end, m.start - before.end);
  // Not 、: 排查隐患12个、3个月内整改 lists two things.
  if (between == "和" || between == "与" || between == "及") {
    before.unit = m.unit;
    before.before_noun = false;
  }
}

}  // namespace reportpipe::extractor
