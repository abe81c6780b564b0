#include "services/extractor/sentence_reader.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "lib/text/affixes.h"
#include "lib/text/heads.h"
#include "lib/text/numerals.h"
#include "lib/text/utf8.h"
#include "services/extractor/clauses.h"

namespace reportpipe::extractor {
namespace {

re2::StringPiece Piece(std::string_view s) { return {s.data(), s.size()}; }

// The first year written 19xx年 or 20xx年 in s, or 0. The same as
// PartialMatch of ((?:19|20)\d{2})年, without RE2: asked for every number,
// and most clauses name no year, so a search for 年 (E5 B9 B4) rules them out.
int FirstWrittenYear(std::string_view s) {
  for (size_t p = s.find("年", 4); p != std::string_view::npos;
       p = s.find("年", p + 3)) {
    const std::string_view y = s.substr(p - 4, 4);
    if (((y[0] == '1' && y[1] == '9') || (y[0] == '2' && y[1] == '0')) &&
        absl::ascii_isdigit(y[2]) && absl::ascii_isdigit(y[3])) {
      return (y[0] - '0') * 1000 + (y[1] - '0') * 100 + (y[2] - '0') * 10 +
             (y[3] - '0');
    }
  }
  return 0;
}

std::string_view Trimmed(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

bool IsRate(const std::string& unit) { return unit == "%" || unit == "pp"; }

// 企业开办：全流程用时从1.5个工作日缩减到4小时: the short heading before a
// colon that opens the clause at `clause_start`, which names what the
// clause's figures are of; empty if there is none. A heading that only
// announces (情况如下：, 其中：, 主要做法：) names nothing.
std::string_view ColonHeading(std::string_view t, size_t floor,
                              size_t clause_start) {
  if (clause_start <= floor + 1 || t[clause_start - 1] != ':') return {};
  const size_t colon = clause_start - 1;
  const std::string_view heading = Trimmed(t.substr(
      ClauseBegin(t, floor, colon), colon - ClauseBegin(t, floor, colon)));
  // Two to eight Han characters (three bytes each), nothing else.
  if (heading.size() < 6 || heading.size() > 24) return {};
  for (size_t p = 0; p < heading.size(); p += 3) {
    if (static_cast<unsigned char>(heading[p]) < 0xE4 ||
        static_cast<unsigned char>(heading[p]) > 0xE9) {
      return {};
    }
  }
  for (std::string_view w :
       {"如下", "情况", "做法", "措施", "其中", "包括", "主要", "具体", "分别",
        "目标", "为", "是", "有"}) {
    if (text::HasSuffix(heading, w) || text::HasPrefix(heading, w)) return {};
  }
  // Nor one that opens a point (一是…：, 首先：) or says where the figures
  // come from or when (经统计：, 截至目前：, 全年：, 工作成效：).
  if (heading.size() >= 6 && heading.compare(3, 3, "是") == 0) return {};
  for (std::string_view w :
       {"首先", "其次", "经统计", "经核查", "截至", "截止"}) {
    if (text::HasPrefix(heading, w)) return {};
  }
  for (std::string_view w :
       {"以下", "统计", "显示", "目前", "成效", "全年", "今年", "年度"}) {
    if (heading.find(w) != std::string_view::npos) return {};
  }
  return heading;
}

// Measure words of rounds and batches (分五期, 分三批). Not 次: 评分/扣分
// /部分 + N次 would read the words after the number as its label.
bool IsRound(const std::string& unit) {
  return unit == "期" || unit == "批" || unit == "轮";
}

// The words that let one of Label's rules apply (分别 a zipped list, 由/从/
// 较上年的, 较2021年的 a change from an earlier level, 均/都/全部/皆 a shared
// value), as bits: which of them stand in `left`. One walk over their heads,
// where a search for each would read the words once per word for every number.
enum RuleWord : uint32_t { kRespectively = 1, kFromLevel = 2, kShared = 4 };
uint32_t RuleWordsIn(std::string_view left) {
  struct Word {
    std::string_view text;
    uint32_t bit;
  };
  static constexpr Word kWords[] = {
      {"分别", kRespectively}, {"依次", kRespectively}, {"由", kFromLevel},
      {"从", kFromLevel},      {"较上", kFromLevel},    {"比上", kFromLevel},
      {"较去", kFromLevel},    {"比去", kFromLevel},    {"较2", kFromLevel},
      {"比2", kFromLevel},     {"较1", kFromLevel},     {"比1", kFromLevel},
      {"较清", kFromLevel},    {"较改", kFromLevel},    {"较精", kFromLevel},
      {"较调", kFromLevel},    {"比清", kFromLevel},    {"比改", kFromLevel},
      {"比精", kFromLevel},    {"比调", kFromLevel},    {"均", kShared},
      {"都", kShared},         {"全部", kShared},       {"皆", kShared}};
  static const text::HeadSet* const kHeads = [] {
    auto* heads = new text::HeadSet();
    for (const Word& w : kWords) heads->AddWord(w.text);
    return heads;
  }();
  uint32_t found = 0;
  for (size_t p = kHeads->Find(left, 0); p < left.size();
       p = kHeads->FindAfter(left, p)) {
    for (const Word& w : kWords) {
      if (text::HasWordAt(left, p, w.text)) found |= w.bit;
    }
  }
  return found;
}

// 省级、国家级民主法治示范村分别新增8个、2个: a level of government (a
// word of at most three characters ending in 级) listed before an item that
// opens with another level shares that item's head.
void ShareLevelHead(std::vector<std::string>* items) {
  constexpr size_t kMaxLevelBytes = 9;  // 国家级
  const std::string& last = items->back();
  const size_t level_end = last.find("级");
  if (level_end == std::string::npos || level_end + 3 > kMaxLevelBytes ||
      level_end + 3 == last.size()) {
    return;
  }
  const std::string head = last.substr(level_end + 3);
  for (size_t k = 0; k + 1 < items->size(); ++k) {
    std::string& item = (*items)[k];
    if (item.size() <= kMaxLevelBytes && text::HasSuffix(item, "级")) {
      item += head;
    }
  }
}

// Whether a bracket that is open at `from` closes before `to` in `t`
// (folded text: its brackets are ASCII).
bool BracketClosesBetween(std::string_view t, size_t from, size_t to) {
  int depth = 0;
  for (size_t p = from; p < to && p < t.size(); ++p) {
    if (t[p] == '(') {
      ++depth;
    } else if (t[p] == ')' && --depth < 0) {
      return true;
    }
  }
  return false;
}

// True when `s` opens with a Han ideograph or an opening quote: the start
// of a noun, not punctuation such as 、 or ）.
bool OpensWithWord(std::string_view s) {
  if (s.empty() || static_cast<unsigned char>(s[0]) < 0xE0) return false;
  char32_t c = 0;
  text::DecodeUtf8(s, 0, &c);
  return (c >= 0x4E00 && c <= 0x9FFF) || c == U'“' || c == U'‘';
}

}  // namespace

// One number of the sentence while it is being read.
struct SentenceReader::Slot {
  Mention m;
  size_t clause_start = 0;  // after the last delimiter before the number
  size_t left_start = 0;    // and after the previous number in the clause
  size_t right_end = 0;     // the next delimiter or number
  bool labelled = false;
  std::vector<std::string> labels;  // one metric for each (均 shares a value)
  v1::MetricKind kind = v1::METRIC_KIND_VALUE;
  v1::Direction direction = v1::DIRECTION_UNSPECIFIED;
  std::string_view pattern;  // a literal of this file: no copy each time
  int series_year = 0;       // set by a year series zipped with 分别
};

absl::StatusOr<std::unique_ptr<SentenceReader>> SentenceReader::Create(
    const config::v1::PatternPack& pack, const config::v1::Catalog& catalog) {
  auto r = std::unique_ptr<SentenceReader>(new SentenceReader());
  absl::StatusOr<std::unique_ptr<NumberGrammar>> grammar =
      NumberGrammar::Create(pack);
  if (!grammar.ok()) return grammar.status();
  r->grammar_ = *std::move(grammar);
  absl::StatusOr<std::unique_ptr<LabelRules>> labels = LabelRules::Create(pack);
  if (!labels.ok()) return labels.status();
  r->labels_ = *std::move(labels);
  absl::StatusOr<std::unique_ptr<CatalogMatcher>> matcher =
      CatalogMatcher::Create(catalog);
  if (!matcher.ok()) return matcher.status();
  r->catalog_ = *std::move(matcher);
  const std::string verbs =
      absl::StrCat("(", pack.change_up(), "|", pack.change_down(), ")");
  r->change_ = std::make_unique<RE2>(
      absl::StrCat("(", pack.change_basis(), ")[^,;:]{0,12}?", verbs, "了?$"));
  r->change_pp_ = std::make_unique<RE2>(absl::StrCat(verbs, "了?$"));
  r->basis_at_end_ =
      std::make_unique<RE2>(absl::StrCat("(", pack.change_basis(), ")$"));
  // The verb ends the words after the figure: 的增长率 is a rate, no change.
  r->verb_after_ = std::make_unique<RE2>(absl::StrCat("^的", verbs, "$"));
  r->up_ = std::make_unique<RE2>(absl::StrCat("^(?:", pack.change_up(), ")$"));
  // 分别为, 分别减少, and with a basis between (分别较上年减少5件、增加11件);
  // or another verb of what was done (人大代表建议、政协提案：分别承办54件、
  // 71件), and its object (财政收支、民生资金分别发现问题412个、466个), right
  // before the figure.
  r->respectively_ = std::make_unique<RE2>(
      absl::StrCat("(?:分别|依次)(", pack.change_basis(),
                   ")?(为|是|达到|达|占|压缩|减少|提高|增长|下降|降低|缩短|"
                   "增加|提升|多|少|"
                   // Not 分别是柳川区28件: 是 and 为 link a name to a figure.
                   "[^是为\\x00-\\x7F]\\p{Han}(?:\\p{Han}{1,6})?$)?"
                   // 分别增长了9.6%、4.2%: the verb's 了.
                   "了?"
                   // 分别占清理总数的32.5%: the whole the shares are of.
                   "(?:[^,;:。、]{1,16}?的)?$"));
  r->subset_words_.assign(pack.label_subset_words().begin(),
                          pack.label_subset_words().end());
  r->basis_ =
      std::make_unique<RE2>(absl::StrCat("(?:", pack.change_basis(), ")"));
  r->target_ =
      std::make_unique<RE2>(absl::StrCat("(", pack.target_markers(), ")"));
  r->cumulative_ =
      std::make_unique<RE2>(absl::StrCat("(", pack.cumulative_markers(), ")"));
  r->markers_ = std::make_unique<RE2>(
      absl::StrCat(r->target_->pattern(), "|", r->cumulative_->pattern()));
  for (const RE2* re :
       {r->change_.get(), r->change_pp_.get(), r->basis_at_end_.get(),
        r->verb_after_.get(), r->up_.get(), r->basis_.get(), r->target_.get(),
        r->cumulative_.get(), r->markers_.get(), r->respectively_.get()}) {
    if (!re->ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "pattern pack: bad pattern ", re->pattern(), ": ", re->error()));
    }
  }
  // Both read their basis and verb by position: a group of the pack's own
  // would shift them.
  for (const RE2* re : {r->change_.get(), r->respectively_.get()}) {
    if (re->NumberOfCapturingGroups() != 2) {
      return absl::InvalidArgumentError(
          "pattern pack: change_basis, change_up and change_down must hold no "
          "capturing group; write (?:…)");
    }
  }
  r->marker_words_ = std::make_unique<RequiredWords>(*r->markers_);
  r->basis_words_ = std::make_unique<RequiredWords>(*r->basis_);
  return r;
}

std::string SentenceReader::PreviousClauseLabel(const SentenceContext& c,
                                                const std::vector<Slot>& slots,
                                                size_t clause_start) const {
  // The label of the clause before `clause_start`, for a clause that names
  // nothing itself (规范政府信息公开申请,全年办理18件).
  // The clause before ends where the delimiter before this one starts (。
  // is three bytes, the others one).
  const size_t delimiter = DelimiterStartBefore(c.text, c.begin, clause_start);
  if (delimiter <= c.begin) return "";
  // The comma of a number (1,046件) ends no clause.
  size_t prev_start = ClauseBegin(c.text, c.begin, delimiter);
  while (prev_start >= c.begin + 2 && c.text[prev_start - 1] == ',' &&
         absl::ascii_isdigit(c.text[prev_start - 2]) &&
         absl::ascii_isdigit(c.text[prev_start])) {
    prev_start = ClauseBegin(c.text, c.begin, prev_start - 1);
  }
  size_t prev_end = delimiter;
  const Slot* first = nullptr;
  for (const Slot& s : slots) {
    if (s.m.start >= prev_start && s.m.start < prev_end) {
      prev_end = s.m.start;
      first = &s;
    }
  }
  // 办理量较上年翻了一番，达3,540件: the change's label, not the words
  // before its figure (which hold its basis and verb).
  // So is an earlier level's (可办率2022年为93.0%，今年达到98.6%).
  if (first != nullptr &&
      (first->kind == v1::METRIC_KIND_CHANGE ||
       first->kind == v1::METRIC_KIND_PRIOR) &&
      !first->labels.empty()) {
    return first->labels[0];
  }
  return labels_->FromLeft(
      Trimmed(c.text.substr(prev_start, prev_end - prev_start)));
}

void SentenceReader::OfTheListBefore(const SentenceContext& c,
                                     size_t clause_start,
                                     std::string* label) const {
  // 公布重大行政决策事项目录，列入目录的事项共9项: what was put in the list
  // is of the list the clause before names. Most labels are no such thing,
  // and are left as they are without a copy.
  if (!text::HasPrefix(*label, "列入") && !text::HasPrefix(*label, "纳入")) {
    return;
  }
  if (std::string listed = OfTheListNamedBefore(c, clause_start, *label);
      !listed.empty()) {
    *label = std::move(listed);
  }
}

std::string SentenceReader::OfTheListNamedBefore(
    const SentenceContext& c, size_t clause_start,
    const std::string& label) const {
  // 列入目录的事项 (or 列入目录事项), and 列入事项 after a clause that
  // names the list.
  static const RE2 listed(
      "^(列入|纳入)(?:该|本)?(?:(目录|清单)的?(.{1,8})|(事项|项目|决策事项))$");
  std::string verb, container, head, bare_head;
  if (!RE2::FullMatch(label, listed, &verb, &container, &head, &bare_head)) {
    return {};
  }
  if (container.empty()) {
    head = bare_head;
    const std::string_view before =
        c.text.substr(c.begin, clause_start - c.begin);
    container = before.find("清单") != std::string_view::npos &&
                        before.find("目录") == std::string_view::npos
                    ? "清单"
                    : "目录";
  }
  // The list named before, in this sentence: the last 目录 that is not the
  // label's own (列入目录), with the words of its clause before it.
  const std::string_view before =
      c.text.substr(c.begin, clause_start - c.begin);
  for (size_t at = before.rfind(container); at != std::string_view::npos;
       at = at == 0 ? std::string_view::npos
                    : before.rfind(container, at - 1)) {
    const std::string_view words = before.substr(0, at);
    if (text::HasSuffix(words, "列入") || text::HasSuffix(words, "纳入"))
      continue;
    // 重大行政决策事项目录 → 列入重大行政决策事项目录的事项.
    const size_t start = ClauseBegin(c.text, c.begin, c.begin + at) - c.begin;
    const std::string thing = labels_->FromLeft(Trimmed(words.substr(start)));
    if (thing.empty()) return {};
    return absl::StrCat(verb, thing, container, "的", head);
  }
  const size_t delimiter = DelimiterStartBefore(c.text, c.begin, clause_start);
  if (delimiter <= c.begin || delimiter == clause_start) return {};
  const size_t prev_start = ClauseBegin(c.text, c.begin, delimiter);
  const std::string_view prev =
      Trimmed(c.text.substr(prev_start, delimiter - prev_start));
  // 以清单方式公开年度重大行政决策事项，列入目录的事项: the things made
  // public or drawn up.
  size_t object = std::string_view::npos;
  for (const std::string_view v :
       {"公开", "公布", "发布", "印发", "编制", "制定"}) {
    const size_t found = prev.rfind(v);
    if (found != std::string_view::npos &&
        (object == std::string_view::npos || found + v.size() > object)) {
      object = found + v.size();
    }
  }
  if (object == std::string_view::npos) return {};
  const std::string thing = labels_->FromLeft(prev.substr(object));
  if (thing.empty() || !text::HasSuffix(thing, head)) return {};
  return absl::StrCat(verb, container, "的", thing);
}

std::string SentenceReader::CanonicalId(const std::string& label,
                                        const std::string& topic,
                                        const std::string& unit) const {
  // 人大代表建议、政协提案共计215件: a total of several indicators is none of
  // them. A list whose items meet different entries gets no id.
  if (label.find("、") != std::string::npos) {
    std::string id;
    size_t start = 0;
    for (size_t sep = label.find("、"); start <= label.size();
         sep = label.find("、", start)) {
      const size_t end = sep == std::string::npos ? label.size() : sep;
      const std::string item =
          catalog_->Match(label.substr(start, end - start), topic, unit);
      if (!item.empty()) {
        if (!id.empty() && item != id) return "";
        id = item;
      }
      if (sep == std::string::npos) break;
      start = sep + 3;
    }
  }
  return catalog_->Match(label, topic, unit);
}

namespace {

// 每个村(社区), 每家: a figure for each part, naming no thing of its own
// (每万人拥有律师 names one). Four characters at most, brackets aside.
bool IsEachPart(std::string_view label) {
  constexpr size_t kMostBytes = 12;  // four Han characters
  if (!text::HasPrefix(label, "每")) return false;
  const size_t open = label.find('(');
  const size_t close = label.find(')');
  size_t size = label.size();
  if (open != std::string_view::npos && close != std::string_view::npos &&
      close > open) {
    size -= close + 1 - open;
  }
  return size <= kMostBytes;
}

// Whether a year written before 为 (2021年为268宗) is earlier than the
// report's: 2024年为15件 in a 2024 report states the year's own figure.
// No year written (上年为): earlier.
bool EarlierYear(const std::string& year, int report_year) {
  int y = 0;
  if (year.empty() || report_year == 0 || !absl::SimpleAtoi(year, &y))
    return true;
  return y < report_year;
}

// 较法定时限, 比上年: only what is compared with, whose subject went before.
// Only a known basis counts: 比较满意率 and 较大事故 open with 比 or 较 too.
// Four characters at most after 较 or 比: 比承诺时限提速 says what changed, so
// it names a thing of its own.
bool IsComparison(std::string_view label) {
  constexpr size_t kHan = 3;  // bytes of a Han character in UTF-8
  constexpr size_t kMostBytes = 4 * kHan;
  if (!text::HasPrefix(label, "较") && !text::HasPrefix(label, "比")) {
    return false;
  }
  const std::string_view basis = label.substr(kHan);
  bool known = false;
  for (std::string_view w : {"法定", "承诺", "上年", "上一", "去年", "同期",
                             "全省", "全市", "全国"}) {
    known = known || text::HasPrefix(basis, w);
  }
  return known && basis.size() <= kMostBytes;
}

}  // namespace

void SentenceReader::Label(const SentenceContext& c,
                           std::vector<Slot>* slots) const {
  const std::string_view t = c.text;
  auto words = [&](size_t from, size_t to) {
    return Trimmed(t.substr(from, to > from ? to - from : 0));
  };
  auto previous_clause = [&](size_t clause_start) {
    return PreviousClauseLabel(c, *slots, clause_start);
  };
  // Between the numbers of a 分别 list: a separator, and in a list of
  // changes (分别减少5件、增加7件) each number's own verb.
  static const RE2 list_gap(
      "^(?:、|和|及|与|以及)?(增加|减少|增长|下降|提高|降低|提升|多|少)?$");
  static const RE2 shared(
      "^(.*?)(?:均|都|全部|皆)(?:已)?(?:达到|达|为|是|超过|在)?$");
  // 由, 从, 由上年的: the earlier level follows.
  // 由平均20个工作日: an average is still the earlier level; 由2021年的16天
  // names its year; 较上年的36家增加到49家 says 较 for 由 (with 的: 较上年
  // alone is the basis of a change), and so does 较清理前的3,386项.
  static const RE2 from(
      "((?:(?:由|从)(?:上年|上一年|去年|原来|原|以前|过去|法定|承诺|改革前|"
      "清理前|调整前|(?:19|20)"
      "\\d{2}年)?"
      "(?:的)?|(?:较|比)(?:上年|上一年|去年|(?:19|20)\\d{2}年|清理前|改革前|"
      "精简前|调整前)的)(?:平均)?)$");
  // The word that turns to the later level, and the lower bound of a range
  // the later level may be (缩短为3—5个工作日: 3 is no figure of its own).
  // 精简到2020年的2389项: the later level may name its year.
  static const RE2 to(
      "^[^,;:。]{0,18}?(?:至|到|为)"
      "(?:(?:19|20)\\d{2}年(?:底|末)?的|今年的|本年的|本年度的|当年的)?"
      "(?:\\d+(?:\\.\\d+)?(?:—|-|~|至|到))?$");
  // 召开听证会14场（上年为9场）: the earlier level of the figure before.
  static const RE2 prior_stated(
      "^[（(]?(.{0,30}?)(?:上年|上一年|上年度|去年|((?:19|20)\\d{2})年)"
      "(?:同期)?(?:为|是)$");
  // The label of the nearest figure before slot `i` in the sentence that
  // counts a whole (not 每个村…, a figure for each part): what a bare
  // measure (面积, 人数) or an earlier level is of.
  // With `counts_only`, a rate is passed over: 满意度达98.5%，涉案金额1.5亿元
  // has no 满意度涉案金额.
  // A figure in brackets right after another figure, closed before slot
  // `i`, is a part of that figure, not what slot `i` goes on about: 收到申请
  // 186件（其中不予受理9件），较上年增长近四成 is a change of the 186. (In
  // 开展联合抽查（145次），占全部的五分之二 the 145 is the one.)
  auto earlier_label = [&](size_t i, bool counts_only = false) -> std::string {
    auto fits = [&](const Slot& prev) {
      return prev.kind == v1::METRIC_KIND_VALUE && !prev.labels.empty() &&
             !text::HasPrefix(prev.labels[0], "每") &&
             !(counts_only && IsRate(prev.m.unit));
    };
    for (size_t k = i; k > 0; --k) {
      const Slot& prev = (*slots)[k - 1];
      if (!fits(prev)) continue;
      if (k >= 2 && BracketClosesBetween(t, prev.m.end, (*slots)[i].m.start)) {
        const Slot& whole = (*slots)[k - 2];
        const std::string_view gap = words(whole.m.end, prev.m.start);
        if (!gap.empty() && gap[0] == '(' && fits(whole)) {
          return whole.labels[0];
        }
      }
      return prev.labels[0];
    }
    return "";
  };
  // 办理人大代表建议98件、政协提案126件，办复率均为100%: the labels of the
  // counts listed (、 or 和 between them) in the clause just before slot
  // `i`'s, in order.
  auto listed_counts_before = [&](size_t i, size_t clause_start) {
    std::vector<std::string> out;
    size_t first = i;  // the first count of the list; copied only if two
    for (size_t k = i; k > 0; --k) {
      const Slot& prev = (*slots)[k - 1];
      if (prev.kind != v1::METRIC_KIND_VALUE || prev.labels.size() != 1 ||
          prev.m.end > clause_start || IsRate(prev.m.unit)) {
        break;
      }
      const std::string_view after =
          words(prev.m.end, k == i ? clause_start : (*slots)[k].m.start);
      const bool next_in_list =
          k == i ? Trimmed(after) == "," || Trimmed(after).empty()
                 : text::HasPrefix(after, "、") || text::HasPrefix(after, "和");
      if (!next_in_list) break;
      first = k - 1;
    }
    if (i - first < 2) return out;
    for (size_t k = first; k < i; ++k) out.push_back((*slots)[k].labels[0]);
    return out;
  };
  static const RE2 year_re("((?:19|20)\\d{2})年");
  static const RE2 since_re("((?:19|20)\\d{2})年以来");

  for (size_t i = 0; i < slots->size(); ++i) {
    Slot& s = (*slots)[i];
    if (s.labelled) continue;
    const std::string_view left = words(s.left_start, s.m.start);
    const std::string_view right = words(s.m.end, s.right_end);
    // 分别: items before it zipped with the numbers that follow.
    // 3至5个工作日: the upper end of a range is what its lower end is.
    if (i > 0 && s.m.qualifier == v1::QUALIFIER_AT_MOST) {
      const Slot& lower = (*slots)[i - 1];
      const std::string_view mark = words(lower.m.end, s.m.start);
      if (lower.m.qualifier == v1::QUALIFIER_AT_LEAST &&
          lower.m.unit == s.m.unit && !lower.labels.empty() &&
          (mark == "至" || mark == "到" || mark == "—" || mark == "–" ||
           mark == "-" || mark == "~")) {
        s.labels = lower.labels;
        s.kind = lower.kind;
        s.pattern = "range.upper";
        s.labelled = true;
        continue;
      }
    }
    // Each pattern below needs a word of its own; RuleWordsIn (and
    // basis_words_ for the change pattern) rules most numbers out before
    // RE2 is asked.
    const uint32_t rule_words = RuleWordsIn(left);
    re2::StringPiece first_basis, first_verb;
    // A verb with 了 after 分别 (分别增长了9.6%、4.2%) is read as before the
    // verbs of what was done were let in: by the rules after this one.
    if ((rule_words & kRespectively) != 0 &&
        RE2::PartialMatch(Piece(left), *respectively_, &first_basis,
                          &first_verb) &&
        std::string_view(first_verb.data(), first_verb.size()).find("了") ==
            std::string_view::npos) {
      // 分别发现问题: a verb of two characters, then what each item counts.
      static const RE2 han_only("\\p{Han}+");
      std::string object;
      if (first_basis.empty() && first_verb.size() > 6 &&
          RE2::FullMatch(first_verb, han_only)) {
        object = std::string(first_verb.substr(6));
        first_verb.remove_suffix(object.size());
      }
      std::vector<std::string> verbs = {
          std::string(first_verb.data(), first_verb.size())};
      size_t j = i + 1;
      while (j < slots->size() && (*slots)[j].clause_start == s.clause_start) {
        const std::string_view between =
            words((*slots)[j - 1].m.end, (*slots)[j].m.start);
        std::string verb;
        if (between.empty() || !RE2::FullMatch(Piece(between), list_gap, &verb))
          break;
        verbs.push_back(verb.empty() ? verbs.back() : verb);
        ++j;
      }
      const size_t run = j - i;
      size_t marker_at = left.rfind("分别");
      if (const size_t in_turn = left.rfind("依次");
          in_turn != std::string_view::npos &&
          (marker_at == std::string_view::npos || in_turn > marker_at)) {
        marker_at = in_turn;
      }
      const size_t marker =
          static_cast<size_t>(left.data() - t.data()) + marker_at;
      // 较上年分别减少5件、增加7件: a list of changes, of the figures before
      // it in the sentence when its clause names none (案件2,917件，罚没款
      // 4,386.5万元，同比分别增长9.6%、4.2%: the last figures, as many as
      // the list has, in their order).
      std::string head_words(words(s.clause_start, marker));
      const bool changes =
          RE2::Replace(&head_words, *basis_, "") || !first_basis.empty();
      std::vector<std::string> items = labels_->Items(head_words);
      // 以管委会为被申请人、被告的行政复议、行政诉讼案件分别为3件、2件: the
      // first items are a modifier's, which ends in the 的 of the first
      // item the figures are of.
      if (items.size() > run) {
        const std::string& first_own = items[items.size() - run];
        const size_t de = first_own.rfind("的");
        if (de != std::string::npos && de + 3 < first_own.size()) {
          items.erase(items.begin(), items.end() - run);
          items[0].erase(0, de + 3);
        }
      }
      // 建议247件、提案318件（上年分别为231件、296件）: the earlier levels of
      // the figures before it, as many as the list has.
      static const RE2 earlier_list(
          "^[（(]?(?:上年|上一年|上年度|去年|((?:19|20)\\d{2})年)(?:同期)?$");
      const size_t after_previous =
          i > 0 && (*slots)[i - 1].clause_start == s.clause_start
              ? (*slots)[i - 1].m.end
              : s.clause_start;
      std::string earlier_year;
      const bool priors = !changes &&
                          RE2::FullMatch(Piece(words(after_previous, marker)),
                                         earlier_list, &earlier_year) &&
                          EarlierYear(earlier_year, c.report_year);
      if (priors) items.clear();
      // A list that names no items in its clause is of the figures before
      // it (changes, earlier levels, or shares: 其中废止41件、修改17件，分别占
      // 清理总数的32.5%和13.5%), when there are as many.
      // 其中重点建议和重点提案，分别为12件、15件: the items may stand in the
      // clause before, when it holds no figure of its own.
      if (items.empty() && !changes && !priors) {
        const size_t delimiter =
            DelimiterStartBefore(t, c.begin, s.clause_start);
        if (delimiter > c.begin && delimiter < s.clause_start) {
          const size_t prev_start = ClauseBegin(t, c.begin, delimiter);
          bool figure = false;
          for (size_t k = 0; k < i; ++k) {
            figure = figure || ((*slots)[k].m.start >= prev_start &&
                                (*slots)[k].m.start < delimiter);
          }
          if (!figure) {
            std::vector<std::string> named =
                labels_->Items(words(prev_start, delimiter));
            if (named.size() == run) items = std::move(named);
          }
        }
      }
      if (items.empty()) {
        std::vector<std::string> before;
        for (size_t k = i; k > 0 && before.size() < run; --k) {
          const Slot& prev = (*slots)[k - 1];
          if (prev.kind == v1::METRIC_KIND_VALUE && !prev.labels.empty()) {
            before.push_back(prev.labels[0]);
          }
        }
        if (changes || priors || before.size() == run) {
          items.assign(before.rbegin(), before.rend());
        }
      }
      for (size_t k = 0; priors && k < run; ++k) {
        (*slots)[i + k].kind = v1::METRIC_KIND_PRIOR;
      }
      if (changes) {
        for (size_t k = 0; k < run; ++k) {
          Slot& member = (*slots)[i + k];
          member.kind = v1::METRIC_KIND_CHANGE;
          member.direction = RE2::FullMatch(verbs[k], *up_)
                                 ? v1::DIRECTION_UP
                                 : v1::DIRECTION_DOWN;
        }
      }
      if (items.size() != run) {
        std::vector<std::string> verbs_of_one =
            labels_->VerbsOfOneObject(head_words);
        if (verbs_of_one.size() == run) items = std::move(verbs_of_one);
      }
      // 代表、委员满意率分别为98.1%、97.6%: as under 均, the last item's rate
      // word is the rate of each, when every value is a percentage (in
      // 案件数量、败诉率分别下降12.5%、3.2个百分点 the items are not alike).
      bool all_percent = true;
      for (size_t k = 0; k < run; ++k) {
        all_percent = all_percent && (*slots)[i + k].m.unit == "%";
      }
      if (items.size() == run) {
        LabelRules::ShareRateWord(all_percent, &items);
        ShareLevelHead(&items);
      }
      std::vector<int> years;
      if (items.size() != run) {
        // A year series: 2019年、2020年、2021年…分别为, or 2019年以来 up to
        // the report's year.
        std::string_view head = t.substr(c.begin, s.m.start - c.begin);
        re2::StringPiece scan = Piece(head);
        std::string y;
        int since = 0;
        // 2016年至2020年分别为…: each year of the range, when there are as
        // many figures.
        static const RE2 year_range(
            "((?:19|20)\\d{2})年?(?:至|到|—|-|~)((?:19|20)\\d{2})年");
        std::string y2;
        int first = 0, last = 0;
        if (RE2::PartialMatch(Piece(head), year_range, &y, &y2) &&
            absl::SimpleAtoi(y, &first) && absl::SimpleAtoi(y2, &last) &&
            last >= first && static_cast<size_t>(last - first + 1) == run) {
          for (int k = first; k <= last; ++k) years.push_back(k);
        } else if (RE2::PartialMatch(Piece(head), since_re, &y) &&
                   absl::SimpleAtoi(y, &since) && c.report_year >= since &&
                   static_cast<size_t>(c.report_year - since + 1) == run) {
          for (int k = since; k <= c.report_year; ++k) years.push_back(k);
        } else if (const size_t near = head.find("近");
                   c.report_year != 0 && near != std::string_view::npos &&
                   near + 9 <= head.size() &&
                   head.compare(near + 6, 3, "年") == 0 &&
                   static_cast<size_t>(text::ChineseDigit(
                       text::CodePointBefore(head, 0, near + 6))) == run) {
          // 近三年…分别为7项、9项和11项: the years up to the report's.
          for (int k = c.report_year - static_cast<int>(run) + 1;
               k <= c.report_year; ++k) {
            years.push_back(k);
          }
        } else {
          while (RE2::FindAndConsume(&scan, year_re, &y)) {
            int v = 0;
            if (absl::SimpleAtoi(y, &v)) years.push_back(v);
          }
          if (years.size() != run) years.clear();
        }
      }
      for (size_t k = 0; k < run; ++k) {
        Slot& member = (*slots)[i + k];
        member.labelled = true;
        if (items.size() == run) {
          member.labels = {items[k] + object};
          member.pattern = "list.respectively";
        } else if (!object.empty()) {
          // Items that do not zip: what the verb's object is, as a count.
          member.labels = {labels_->FromLeft(left)};
          member.pattern = "count.noun_before";
        } else {
          std::string label =
              items.empty() ? previous_clause(s.clause_start) : items.back();
          if (!years.empty()) {
            // The label is what the series is of: the words before 分别
            // without the years.
            std::string head(words(s.clause_start, marker));
            static const RE2 year_list(
                "(?:(?:19|20)\\d{2}年(?:以来)?[、和至到—-]?)+");
            RE2::GlobalReplace(&head, year_list, "");
            std::string from_head = labels_->FromLeft(head);
            // 败诉案件数量总体回落，2016年至2020年分别为…: nothing but the
            // years before 分别; the clause before says what.
            if (from_head.empty()) from_head = previous_clause(s.clause_start);
            if (!from_head.empty()) label = from_head;
            // Each figure a VALUE of its own year (not an earlier level:
            // the comparison fills a year's row with it where that year's
            // report is silent, docs/AGGREGATOR.md).
            member.series_year = years[k];
            member.pattern = "series.years";
          } else {
            member.pattern = "list.respectively_unzipped";
          }
          member.labels = {label};
        }
      }
      continue;
    }
    // 由A压缩至B: A is the earlier level, B the level reached. Also several
    // pairs at once: 由32个部门、416项精简为18个部门、205项.
    re2::StringPiece from_words;
    if ((rule_words & kFromLevel) != 0 &&
        RE2::PartialMatch(Piece(left), from, &from_words)) {
      // The earlier levels run up to the word that turns to the later ones.
      size_t last_from = i;
      while (last_from + 1 < slots->size() &&
             (*slots)[last_from + 1].clause_start == s.clause_start &&
             !RE2::FullMatch(Piece(words((*slots)[last_from].m.end,
                                         (*slots)[last_from + 1].m.start)),
                             to)) {
        ++last_from;
      }
      const size_t pairs = last_from - i + 1;
      const bool found =
          last_from + pairs < slots->size() &&
          (*slots)[last_from + pairs].clause_start == s.clause_start &&
          last_from + 1 < slots->size() &&
          RE2::FullMatch(Piece(words((*slots)[last_from].m.end,
                                     (*slots)[last_from + 1].m.start)),
                         to);
      // The label of the earlier level(s): the words before 由/较…的, else
      // the clause before.
      auto from_label = [&] {
        std::string label =
            labels_->FromLeft(left.substr(0, left.size() - from_words.size()));
        return label.empty() ? previous_clause(s.clause_start) : label;
      };
      // 由过去的5至7天压缩到3天以内: the earlier level is a range, its two
      // ends the two earlier figures.
      const bool range_before =
          i + 2 < slots->size() && s.m.qualifier == v1::QUALIFIER_AT_LEAST &&
          (*slots)[i + 1].m.qualifier == v1::QUALIFIER_AT_MOST &&
          (*slots)[i + 1].m.unit == s.m.unit &&
          (*slots)[i + 2].clause_start == s.clause_start &&
          RE2::FullMatch(
              Piece(words((*slots)[i + 1].m.end, (*slots)[i + 2].m.start)), to);
      if (range_before) {
        const std::string label = from_label();
        for (size_t k = 0; k < 3; ++k) {
          Slot& member = (*slots)[i + k];
          member.labels = {label};
          member.kind = k < 2 ? v1::METRIC_KIND_PRIOR : v1::METRIC_KIND_VALUE;
          member.pattern = k < 2 ? "from_to.prior" : "from_to.value";
          member.labelled = true;
        }
        continue;
      }
      // Whether the next figure stands in this clause with only `verb_re`'s
      // words between (its verb in *verb): the earlier level and what
      // follows from it.
      auto next_after_verb = [&](const RE2& verb_re, re2::StringPiece* verb) {
        return !found && i + 1 < slots->size() &&
               (*slots)[i + 1].clause_start == s.clause_start &&
               RE2::FullMatch(Piece(words(s.m.end, (*slots)[i + 1].m.start)),
                              verb_re, verb);
      };
      // 较2021年的6项增加3项: one earlier level and the change from it.
      re2::StringPiece by_verb;
      if (next_after_verb(*change_pp_, &by_verb)) {
        const std::string label = from_label();
        s.labels = {label};
        s.kind = v1::METRIC_KIND_PRIOR;
        s.pattern = "from_by.prior";
        s.labelled = true;
        Slot& change = (*slots)[i + 1];
        change.labels = {label};
        change.kind = v1::METRIC_KIND_CHANGE;
        change.direction = RE2::FullMatch(by_verb, *up_) ? v1::DIRECTION_UP
                                                         : v1::DIRECTION_DOWN;
        change.pattern = "from_by.change";
        change.labelled = true;
        continue;
      }
      // 较清理前的3,386项精简36.6%: the earlier level, and the share cut
      // from it (a cut in percent is a level of its own, as 压减60% is).
      static const RE2 cut_by("^(精简|压减|压缩|缩减|削减)了?$");
      re2::StringPiece cut_verb;
      if (i + 1 < slots->size() && (*slots)[i + 1].m.unit == "%" &&
          s.m.unit != "%" && next_after_verb(cut_by, &cut_verb)) {
        const std::string label = from_label();
        s.labels = {label};
        s.kind = v1::METRIC_KIND_PRIOR;
        s.pattern = "from_cut.prior";
        s.labelled = true;
        Slot& cut = (*slots)[i + 1];
        cut.labels = {label + std::string(cut_verb.data(), cut_verb.size())};
        cut.pattern = "from_cut.share";
        cut.labelled = true;
        continue;
      }
      // 出庭应诉率百分之百，较2019年的61.8%大幅提升: the earlier level of
      // the figure before, compared with and no later level stated.
      static const RE2 rose_or_fell(
          "^(?:大幅|明显|显著|进一步|有所|稳步)?(?:提升|提高|增长|增加|上升|"
          "下降|降低|减少|缩短|改善)了?$");
      const bool last_in_clause =
          i + 1 >= slots->size() ||
          (*slots)[i + 1].clause_start != s.clause_start;
      if (!found && last_in_clause &&
          (from_words.starts_with("较") || from_words.starts_with("比")) &&
          RE2::FullMatch(Piece(right), rose_or_fell)) {
        // Its own words first (败诉率较2019年的12%明显下降), else the figure
        // before of its measure.
        std::string label =
            labels_->FromLeft(left.substr(0, left.size() - from_words.size()));
        for (size_t k = i; label.empty() && k > 0; --k) {
          const Slot& prev = (*slots)[k - 1];
          if (prev.kind == v1::METRIC_KIND_VALUE && prev.m.unit == s.m.unit &&
              !prev.labels.empty()) {
            label = prev.labels[0];
          }
        }
        if (label.empty()) label = previous_clause(s.clause_start);
        s.labels = {label};
        s.kind = v1::METRIC_KIND_PRIOR;
        s.pattern = "from.compared";
        s.labelled = true;
        continue;
      }
      // 由2021年的5名、2022年的7名增加到今年的9名: earlier levels, one a
      // year, then the one level reached, the clause's last figure.
      bool one_measure = true;
      for (size_t k = i; k <= last_from && k < slots->size(); ++k) {
        one_measure = one_measure && (*slots)[k].m.unit == s.m.unit;
      }
      const bool levels_then_one =
          !found && one_measure && pairs >= 2 && pairs <= 6 &&
          last_from + 1 < slots->size() &&
          (*slots)[last_from + 1].clause_start == s.clause_start &&
          (last_from + 2 >= slots->size() ||
           (*slots)[last_from + 2].clause_start != s.clause_start) &&
          (*slots)[last_from + 1].m.unit == s.m.unit &&
          RE2::FullMatch(Piece(words((*slots)[last_from].m.end,
                                     (*slots)[last_from + 1].m.start)),
                         to);
      if (levels_then_one) {
        const std::string label = from_label();
        for (size_t k = i; k <= last_from + 1; ++k) {
          Slot& member = (*slots)[k];
          member.labels = {label};
          member.kind =
              k <= last_from ? v1::METRIC_KIND_PRIOR : v1::METRIC_KIND_VALUE;
          member.pattern = k <= last_from ? "from_to.prior" : "from_to.value";
          member.labelled = true;
        }
        continue;
      }
      if (found && pairs <= 4) {
        const std::string label = from_label();
        for (size_t k = 0; k < 2 * pairs; ++k) {
          Slot& member = (*slots)[i + k];
          std::string item = label;
          // With several pairs each item names its own thing (部门, 项).
          if (pairs > 1 && member.m.before_noun) {
            const std::string noun =
                labels_->FromRight(words(member.m.end, member.right_end));
            if (!noun.empty() && noun.size() <= 12) item += noun;
          }
          member.labels = {item};
          member.kind =
              k < pairs ? v1::METRIC_KIND_PRIOR : v1::METRIC_KIND_VALUE;
          member.pattern = k < pairs ? "from_to.prior" : "from_to.value";
          member.labelled = true;
        }
        continue;
      }
    }
    // 合法性审查率、备案审查率均达100%: one value shared by the items.
    std::string items_text;
    const bool may_share = (rule_words & kShared) != 0;
    // Not the 均 of 平均, 人均, 年均 and the like (审理期限平均45日, 人均学法
    // 28.5小时, 年均1,200件).
    static const std::u32string kAverageOpeners = U"平人年日月户季";
    if (may_share && RE2::FullMatch(Piece(left), shared, &items_text) &&
        !items_text.empty() &&
        kAverageOpeners.find(text::CodePointBefore(
            items_text, 0, items_text.size())) == std::u32string::npos) {
      std::vector<std::string> items = labels_->Items(items_text);
      if (items.size() == 1 && IsRate(s.m.unit)) {
        // 办理人大代表建议98件、政协提案126件，办复率均为100%: the rate is
        // each listed count's.
        const std::vector<std::string> counted =
            listed_counts_before(i, s.clause_start);
        if (counted.size() > 1) {
          const std::string rate = items[0];
          items.clear();
          for (const std::string& count : counted)
            items.push_back(count + rate);
        }
      }
      if (!items.empty()) {
        LabelRules::ShareRateWord(IsRate(s.m.unit), &items);
        s.labels = items;
        s.pattern = items.size() > 1 ? "list.shared" : "count.noun_before";
        s.labelled = true;
        continue;
      }
    }
    // Most lefts ending in 为 are a rate's (败诉率为): those without 年 are
    // passed over before RE2 is asked.
    // 网上可办率2021年为85.2%: the words before the year name what it is.
    std::string prior_year, prior_of;
    if (left.size() <= 60 &&
        (text::HasSuffix(left, "为") || text::HasSuffix(left, "是")) &&
        left.find("年") != std::string_view::npos &&
        RE2::FullMatch(Piece(left), prior_stated, &prior_of, &prior_year) &&
        EarlierYear(prior_year, c.report_year)) {
      std::string label = labels_->FromLeft(prior_of);
      // With its name before the year only in a report of known year: else
      // 2023年为 could be the report's own.
      if (!label.empty() && c.report_year == 0) label.clear();
      if (label.empty()) label = earlier_label(i);
      if (label.empty()) label = previous_clause(s.clause_start);
      s.labels = {label};
      s.kind = v1::METRIC_KIND_PRIOR;
      s.pattern = "prior.stated";
      s.labelled = true;
      continue;
    }
    // 会前学法23次，是上年的2.3倍: a multiple of an earlier level is of
    // the figure before (约为上年的1.8倍: about so much).
    static const RE2 multiple_of_earlier(
        "^(约|大约)?(?:是|为|相当于)(?:上年|去年|上一年|上年度|(?:19|20)"
        "\\d{2}年)(?:同期)?的$");
    re2::StringPiece about;
    if (std::string_view(s.m.unit) == "倍" && text::HasSuffix(left, "的") &&
        RE2::FullMatch(Piece(left), multiple_of_earlier, &about)) {
      std::string label = earlier_label(i);
      if (label.empty()) label = previous_clause(s.clause_start);
      if (!about.empty() && s.m.qualifier == v1::QUALIFIER_EXACT) {
        s.m.qualifier = v1::QUALIFIER_ABOUT;
      }
      s.labels = {label};
      s.pattern = "multiple.of_earlier";
      s.labelled = true;
      continue;
    }
    // 同比下降2.4个百分点, 较上一年提高13.8%.
    re2::StringPiece basis, verb;
    // change_ holds a basis (basis_), so words without one cannot match it.
    const bool may_have_basis = basis_words_->MayMatch(left);
    bool change = (may_have_basis &&
                   RE2::PartialMatch(Piece(left), *change_, &basis, &verb)) ||
                  ((s.m.unit == "pp" || s.m.doubled) &&
                   RE2::PartialMatch(Piece(left), *change_pp_, &verb));
    // 实现同比18.3%的增长: the basis before the figure, its verb after it.
    // The 的 is a cheap test before either pattern is asked.
    const bool verb_after =
        !change && may_have_basis && text::HasPrefix(right, "的") &&
        RE2::PartialMatch(Piece(left), *basis_at_end_, &basis) &&
        RE2::PartialMatch(Piece(right), *verb_after_, &verb);
    change = change || verb_after;
    // 检查频次下降37.5%: a percent right after a verb of rise or fall is
    // the change, though no basis is named. Not after a verb of cutting
    // (审批时限压缩45%, 提速40%): that figure is the cut, a level of its own.
    static const RE2 percent_change(
        "(增长|提高|提升|上升|增加|增多|上涨|下降|减少|降低|回落|下滑)了?$");
    // The verbs end in these characters (or 了): a cheap test first.
    const auto ends_in_verb = [&left] {
      static const std::u32string kVerbEnds = U"长高升加多涨降少低落滑了";
      return kVerbEnds.find(text::CodePointBefore(left, 0, left.size())) !=
             std::u32string::npos;
    };
    if (!change && std::string_view(s.m.unit) == "%" && ends_in_verb() &&
        RE2::PartialMatch(Piece(left), percent_change, &verb)) {
      change = true;
    }
    // 企业数量净增1,086家: a net rise or fall is a change in any unit.
    static const RE2 net_change("(净(?:增|减)(?:加|长|少)?)了?$");
    // Asked of nearly every figure: the last character, then whether 净
    // (幅, 速) stands within the last four, before any pattern.
    const std::string_view tail =
        left.substr(left.size() > 12 ? left.size() - 12 : 0);
    const char32_t last = text::CodePointBefore(left, 0, left.size());
    const bool net = !change &&
                     (last == U'增' || last == U'减' || last == U'加' ||
                      last == U'长' || last == U'少' || last == U'了') &&
                     tail.find("净") != std::string_view::npos &&
                     RE2::PartialMatch(Piece(left), net_change, &verb);
    const bool size_near = (last == U'幅' || last == U'速' || last == U'为' ||
                            last == U'达' || last == U'到' || last == U'是') &&
                           (tail.find("幅") != std::string_view::npos ||
                            tail.find("速") != std::string_view::npos);
    change = change || net;
    // 新收申请1,028件，增幅46.2%: the size of a rise or fall is of the
    // figure before (or of the words before it).
    static const RE2 rise_or_fall(
        "(?:同比)?(增幅|涨幅|增速|降幅|减幅)(?:为|达到|达|是)?$");
    re2::StringPiece size_word;
    if (!change && size_near && IsRate(s.m.unit) &&
        RE2::PartialMatch(Piece(left), rise_or_fall, &size_word)) {
      s.kind = v1::METRIC_KIND_CHANGE;
      s.direction = size_word == "降幅" || size_word == "减幅"
                        ? v1::DIRECTION_DOWN
                        : v1::DIRECTION_UP;
      const size_t cut = size_word.data() - left.data();
      std::string label = labels_->FromLeft(left.substr(0, cut));
      if (label.empty()) label = earlier_label(i);
      if (label.empty()) label = previous_clause(s.clause_start);
      s.labels = {label};
      s.pattern = "change.rise_or_fall";
      s.labelled = true;
      continue;
    }
    // 比上年多出具97份: a basis, 多 or 少, and the verb of what was done.
    static const RE2 more_done(
        "((?:较|比)(?:上年|去年|上一年|上年度)(?:同期)?)"
        "(多|少)\\p{Han}{1,2}了?$");
    if (!change && may_have_basis &&
        RE2::PartialMatch(Piece(left), more_done, &basis, &verb)) {
      change = true;
    }
    if (change) {
      s.kind = v1::METRIC_KIND_CHANGE;
      s.direction =
          RE2::FullMatch(verb, *up_) ||
                  (net &&
                   text::HasPrefix(std::string_view(verb.data(), verb.size()),
                                   "净增"))
              ? v1::DIRECTION_UP
              : v1::DIRECTION_DOWN;
      size_t cut = basis.empty() ? verb.data() - left.data()
                                 : basis.data() - left.data();
      // 较上年净增六千余名: a basis before a verb found without one.
      if (re2::StringPiece before_verb;
          basis.empty() && RE2::PartialMatch(Piece(left.substr(0, cut)),
                                             *basis_at_end_, &before_verb)) {
        cut = before_verb.data() - left.data();
      }
      std::string label = labels_->FromLeft(left.substr(0, cut));
      if (label.empty()) label = earlier_label(i);
      if (label.empty()) label = previous_clause(s.clause_start);
      // 人数比上年增长14.4%: the number of what the sentence counted; so
      // is an average's (办件量达36.8万件，五年间年均增长17.4%).
      if (labels_->IsAttribute(label) || label == "年均" || label == "平均") {
        const std::string thing = earlier_label(i, /*counts_only=*/true);
        if (!thing.empty()) label = thing + label;
      } else if (constexpr size_t kHeadBytes = 6; label.size() <= kHeadBytes) {
        // 行政诉讼案件201件…案件总量较2020年下降27%: a head of two
        // characters stands for the fuller name of the count before.
        const std::string thing = earlier_label(i, /*counts_only=*/true);
        if (thing.size() > label.size() && text::HasSuffix(thing, label)) {
          label = thing;
        }
      }
      s.labels = {label};
      s.pattern = verb_after ? "change.verb_after"
                  : basis.empty()
                      ? (s.m.unit == "%" ? "change.percent" : "change.points")
                      : "change.against_basis";
      s.labelled = true;
      continue;
    }
    // 从上年的96件增加到143件，增加了47件: a clause of a change verb alone
    // (with 了) after a level is the change of that level.
    static const RE2 bare_change(
        "^(增加|增长|提高|提升|上升|增多|减少|下降|降低|缩短|压缩|压减|精简|"
        "缩减)了$");
    // 办理环节由6个并为2个，减少4个环节: without 了, when the figure is
    // the difference of an earlier level and the level after it just before.
    auto is_difference = [&] {
      for (size_t k = i; k >= 2; --k) {
        const Slot& later = (*slots)[k - 1];
        const Slot& earlier = (*slots)[k - 2];
        if (later.kind == v1::METRIC_KIND_VALUE &&
            earlier.kind == v1::METRIC_KIND_PRIOR) {
          const double difference = std::abs(earlier.m.value - later.m.value);
          return later.m.unit == s.m.unit && earlier.m.unit == s.m.unit &&
                 std::abs(difference - s.m.value) <=
                     1e-9 * std::max(1.0, s.m.value);
        }
      }
      return false;
    };
    static const RE2 bare_verb(
        "^(增加|增长|提高|提升|上升|增多|减少|下降|降低|缩短|压缩|压减|精简|"
        "缩减)$");
    if ((text::HasSuffix(left, "了") &&
         RE2::FullMatch(Piece(left), bare_change, &verb)) ||
        (left.size() == 6 && RE2::FullMatch(Piece(left), bare_verb, &verb) &&
         is_difference())) {
      // The level it changes: the nearest figure before, of the same unit
      // or changed in percent (精简了44.4%), or a rate changed in points
      // (办理案件143件，增加了3个乡镇 changes no count of 案件).
      const Slot* level = nullptr;
      for (size_t k = i; k > 0 && level == nullptr; --k) {
        const Slot& prev = (*slots)[k - 1];
        if (prev.kind == v1::METRIC_KIND_VALUE && !prev.labels.empty()) {
          level = &prev;
        }
      }
      const bool of_level =
          level != nullptr && (level->m.unit == s.m.unit || s.m.unit == "%" ||
                               (s.m.unit == "pp" && level->m.unit == "%"));
      const std::string label = of_level ? level->labels[0] : std::string();
      if (!label.empty()) {
        s.kind = v1::METRIC_KIND_CHANGE;
        s.direction =
            RE2::FullMatch(verb, *up_) ? v1::DIRECTION_UP : v1::DIRECTION_DOWN;
        s.labels = {label};
        s.pattern = "change.bare_verb";
        s.labelled = true;
        continue;
      }
    }
    // 办理时间平均缩短4.5天: a span of time cut by so much is a change,
    // though no basis is named (缩短至4.5天, with 至 between, is the level).
    static const RE2 time_cut("(缩短|压缩|压减|减少|节省|节约)了?$");
    if (IsTimeUnit(s.m.unit) &&
        RE2::PartialMatch(Piece(left), time_cut, &verb)) {
      s.kind = v1::METRIC_KIND_CHANGE;
      s.direction = v1::DIRECTION_DOWN;
      std::string label =
          labels_->FromLeft(left.substr(0, verb.data() - left.data()));
      if (label.empty()) label = earlier_label(i);
      if (label.empty()) label = previous_clause(s.clause_start);
      s.labels = {label};
      s.pattern = "change.time_cut";
      s.labelled = true;
      continue;
    }
    // A count: its noun before it, or after a classifier (12项涉企…事项).
    // 分五期对执法人员开展轮训: in so many rounds, of what follows.
    const bool noun_after =
        !right.empty() &&
        ((s.m.before_noun && OpensWithWord(right) &&
          !labels_->OpensWithStopWord(right)) ||
         right.substr(0, 3) == "的" ||
         (text::HasSuffix(left, "连续") && s.m.unit == "年") ||
         (text::HasSuffix(left, "分") && IsRound(s.m.unit)) ||
         // 召开三次专题会议: an event verb's object follows the figure.
         (labels_->EndsWithEventVerb(left) && OpensWithWord(right) &&
          !labels_->OpensWithStopWord(right)) ||
         // 区司法局对23件涉疫文件开展审查: after 对 the figure opens the
         // object of what is done, and the words before it are its doer;
         // after a verb with 了 (搞了3次培训, 培训了200名执法人员), likewise.
         ((text::HasSuffix(left, "对") || text::HasSuffix(left, "了")) &&
          OpensWithWord(right) && !labels_->OpensWithStopWord(right)));
    std::string label;
    if (noun_after) {
      label = labels_->FromRight(right,
                                 /*object_only=*/text::HasSuffix(left, "对"));
      s.pattern = "count.noun_after";
      // 会前学法十一个专题: a noun of two characters after a classifier says
      // little alone; the words just before the figure say of what.
      if (label.size() == 6 && s.m.before_noun && !left.empty()) {
        const std::string of_what = labels_->FromLeft(left);
        if (!of_what.empty() && of_what.find(label) == std::string::npos) {
          label = of_what + label;
        }
      }
    }
    // 其中乡镇执法队办理的占17%左右: a share of what the words before 占
    // name.
    if (label.empty() && IsRate(s.m.unit) && text::HasSuffix(left, "占")) {
      std::string_view subject = left.substr(0, left.size() - 3);
      if (text::HasSuffix(subject, "的")) subject.remove_suffix(3);
      if (const std::string of_what = labels_->FromLeft(subject);
          !of_what.empty()) {
        label = of_what + "占比";
        s.pattern = "share.subject";
      }
    }
    if (label.empty()) {
      label = labels_->FromLeft(left);
      s.pattern = "count.noun_before";
      // 受理行政复议案件1,046件，年均约209件: an average alone is of what
      // the clause before counts.
      if (label.size() == 6 && text::HasSuffix(label, "均")) {
        const std::string before = previous_clause(s.clause_start);
        if (!before.empty()) label = before + label;
      }
      // 开展公平竞争审查，审查文件48份: a clause that opens with the word the
      // clause before ends in goes on with the same thing, which that
      // clause names (公平竞争审查文件). Not a rate: 案卷合格率 after a
      // clause about 案卷 names its rate already.
      // The clause before is labelled only when its words end in that word:
      // FromLeft is the dearest step of a label, and most clauses fail this.
      // Byte offsets are safe: the label opens on a character, so equal
      // bytes are whole characters at both ends.
      constexpr size_t kWord = 6;  // the shared word: two Han characters
      const size_t delimiter =
          s.clause_start > c.begin
              ? DelimiterStartBefore(t, c.begin, s.clause_start)
              : c.begin;
      if (label.size() > kWord && s.left_start == s.clause_start &&
          !text::HasSuffix(label, "率") && delimiter >= c.begin + kWord &&
          t.compare(delimiter - kWord, kWord, label, 0, kWord) == 0) {
        const std::string before = previous_clause(s.clause_start);
        if (before.size() > kWord &&
            before.compare(before.size() - kWord, kWord, label, 0, kWord) ==
                0) {
          label = before + label.substr(kWord);
        }
      }
    }
    if (label.empty() && OpensWithWord(right)) {
      label = labels_->FromRight(right);
      s.pattern = "count.noun_after";
    }
    // 评查行政执法案卷两次、共计402卷: the noun before the clause's
    // earlier number.
    if (label.empty() && i > 0 &&
        (*slots)[i - 1].clause_start == s.clause_start &&
        !(*slots)[i - 1].labels.empty()) {
      label = (*slots)[i - 1].labels[0];
      s.pattern = "count.clause_noun";
    }
    if (label.empty()) {
      label = previous_clause(s.clause_start);
      s.pattern = "count.previous_clause";
    }
    // 9个镇各配备2名专职法治干部，共计18名: a total that names nothing is
    // of the nearest figure before in its measure.
    // Only where one figure before it has that measure: after 30件…、20件…，
    // 共计50件 the total is of both, and names neither.
    if (label.empty()) {
      const Slot* only = nullptr;
      int same_measure = 0;
      for (size_t k = 0; k < i; ++k) {
        const Slot& prev = (*slots)[k];
        if (prev.kind == v1::METRIC_KIND_VALUE && prev.m.unit == s.m.unit) {
          ++same_measure;
          only = &prev;
        }
      }
      if (same_measure == 1 && !only->labels.empty()) {
        label = only->labels[0];
        s.pattern = "count.total_of_before";
      }
    }
    // 拆除违法建设148处、面积3.62万平方米: a bare measure is of what the
    // figure before counts; 每个村（社区）不少于10名: a figure for each part
    // is of the same thing; so are a comparison (较法定时限缩短约八成) and a
    // share (调解和解结案81宗，占审结案件的比例为29.5%).
    const bool each_part = IsEachPart(label);
    const bool share = IsRate(s.m.unit) && text::HasPrefix(label, "占");
    if (each_part || share || labels_->IsAttribute(label) ||
        IsComparison(label)) {
      std::string thing = earlier_label(i, /*counts_only=*/true);
      // 举办执法培训班，参训近900人次: with no figure before, a bare measure
      // is of what the clause before names.
      if (thing.empty() && labels_->IsAttribute(label)) {
        thing = previous_clause(s.clause_start);
      }
      if (!thing.empty()) label = each_part ? label + thing : thing + label;
    }
    s.labels = {label};
    s.labelled = true;
  }
}

std::vector<FoundSpan> SentenceReader::Read(
    const SentenceContext& c,
    google::protobuf::RepeatedPtrField<v1::Metric>* metrics) const {
  std::vector<FoundSpan> out;
  std::vector<Mention> own_mentions;  // when the caller found none for it
  if (c.mentions == nullptr) {
    own_mentions = grammar_->Find(c.text, c.begin, c.end);
  }
  const std::vector<Mention>& mentions =
      c.mentions != nullptr ? *c.mentions : own_mentions;
  if (mentions.empty()) return out;
  std::vector<Slot> slots(mentions.size());
  // ClauseBegin(c.text, c.begin, start) for each mention in turn, in one
  // walk over the sentence: the walk visits the same positions whichever
  // mention it stops at.
  size_t walk = c.begin, clause_start = c.begin;
  size_t passed = 0;  // the first earlier mention that may still hold `walk`
  for (size_t i = 0; i < mentions.size(); ++i) {
    Slot& s = slots[i];
    s.m = mentions[i];
    while (walk < s.m.start) {
      // The comma of an earlier number (由2,310次下降到1,472次) divides no
      // clauses: the pair must stay in one clause for the from-to rule.
      while (passed < i && mentions[passed].end <= walk) ++passed;
      if (passed < i && mentions[passed].start <= walk) {
        walk = mentions[passed].end;
        continue;
      }
      size_t len = 0;
      if (IsDelimiterAt(c.text, walk, &len)) {
        clause_start = walk + len;
        walk += len;
      } else {
        ++walk;
      }
    }
    s.clause_start = clause_start;
    s.left_start = s.clause_start;
    if (i > 0 && mentions[i - 1].end > s.left_start)
      s.left_start = mentions[i - 1].end;
    s.right_end = ClauseEnd(c.text, s.m.end, c.end);
    if (i + 1 < mentions.size() && mentions[i + 1].start < s.right_end) {
      s.right_end = mentions[i + 1].start;
    }
  }
  Label(c, &slots);

  const std::string_view t = c.text;
  // Where the sentence first names a target or a cumulative period: a
  // number after that point is one. Found once, not once per number.
  const std::string_view sentence = t.substr(c.begin, c.end - c.begin);
  // The first marker of either kind; the other kind is then looked for
  // from there on, since none of it starts earlier. At a start where both
  // match, markers_ takes the target, as target_ alone would.
  size_t target_at = std::string_view::npos;
  size_t cumulative_at = std::string_view::npos;
  re2::StringPiece cumulative_match;
  re2::StringPiece first[2];  // the first marker; the target group
  if (marker_words_->MayMatch(sentence) &&
      markers_->Match(Piece(sentence), 0, sentence.size(), RE2::UNANCHORED,
                      first, 2)) {
    const size_t at = first[0].data() - sentence.data();
    re2::StringPiece other;
    const bool target = first[1].data() != nullptr;
    const bool found = (target ? *cumulative_ : *target_)
                           .Match(Piece(sentence), at, sentence.size(),
                                  RE2::UNANCHORED, &other, 1);
    const size_t other_at = found ? c.begin + (other.data() - sentence.data())
                                  : std::string_view::npos;
    if (target) {
      target_at = c.begin + at;
      cumulative_at = other_at;
      cumulative_match = other;
    } else {
      cumulative_at = c.begin + at;
      cumulative_match = first[0];
      target_at = other_at;
    }
  }
  std::string first_count;  // the sentence's first count: a bare rate's topic
  for (Slot& s : slots) {
    v1::MetricKind kind = s.kind;
    // In a plan every figure is a target, a planned change too
    // (再压缩5个百分点). A planned cut (力争审批时间再缩短5天) is a target too.
    if (((kind == v1::METRIC_KIND_VALUE || s.pattern == "change.time_cut") &&
         target_at < s.m.start) ||
        (c.plan && kind != v1::METRIC_KIND_PRIOR)) {
      kind = v1::METRIC_KIND_TARGET;
    }
    v1::Period period;
    if (s.series_year != 0) {
      period.set_kind(v1::PERIOD_KIND_YEAR);
      period.set_year(s.series_year);
      period.set_text(absl::StrCat(s.series_year, "年"));
    } else if (cumulative_at < s.m.start) {
      period.set_kind(v1::PERIOD_KIND_CUMULATIVE);
      period.set_text(
          std::string(cumulative_match.data(), cumulative_match.size()));
    } else if (const int y = FirstWrittenYear(
                   t.substr(s.clause_start, s.m.start - s.clause_start));
               y != 0) {
      period.set_kind(v1::PERIOD_KIND_YEAR);
      period.set_year(y);
      if (y != c.report_year) period.set_text(absl::StrCat(y, "年"));
    } else if (c.report_year != 0) {
      period.set_kind(v1::PERIOD_KIND_YEAR);
      period.set_year(c.report_year);
    }
    for (std::string& label : s.labels) {
      out.push_back({s.m.start, s.m.end});
      v1::Metric& m = *metrics->Add();
      m.set_value(s.m.value);
      // 全年办件5万左右: a bare 万 takes the measure its label ends in.
      std::string_view unit = s.m.unit;
      if (unit == "万") {
        for (std::string_view measure :
             {"件", "人次", "人", "户", "次", "份"}) {
          if (text::HasSuffix(label, measure)) {
            unit = measure;
            break;
          }
        }
      }
      m.set_unit(unit.data(), unit.size());
      m.set_qualifier(s.m.qualifier);
      m.set_kind(kind);
      m.set_direction(s.direction);
      *m.mutable_period() = period;
      m.set_pattern(s.pattern.data(), s.pattern.size());
      // Bare rates and stage words (受理, 办结, 化解成功: four characters at
      // most) take the sentence's first
      // count as their topic.
      // A head of two characters after 的 (列入目录的事项) counts as bare
      // too: FromLeft keeps what qualifies it, but not what it is about.
      const bool bare = text::HasSuffix(label, "率") || label.size() <= 12 ||
                        LabelRules::HasShortHeadAfterDe(label);
      if (bare && kind != v1::METRIC_KIND_CHANGE) {
        // The counts before it in the sentence; else what the clause before
        // names (行政执法证件考试,通过率为88.8%); else the sentence before.
        std::string topic = first_count != label ? first_count : "";
        if (topic.empty())
          topic = PreviousClauseLabel(c, slots, s.clause_start);
        if (topic.empty()) topic.assign(c.previous_topic);
        // An empty string set on an arena message still costs an arena
        // string; most metrics have no topic and no canonical id.
        if (!topic.empty()) m.set_topic(std::move(topic));
      }
      bool subset = false;
      for (const std::string& w : subset_words_) {
        subset = subset || label.compare(0, w.size(), w) == 0;
      }
      OfTheListBefore(c, s.clause_start, &label);
      if (const std::string_view heading =
              ColonHeading(t, c.begin, s.clause_start);
          !heading.empty() && label.find(heading) == std::string::npos &&
          (label.empty() || heading.find(label) == std::string_view::npos)) {
        label.insert(0, heading.data(), heading.size());
      }
      if (!subset) {
        std::string id = CanonicalId(label, m.topic(), m.unit());
        if (!id.empty()) m.set_canonical_id(std::move(id));
      }
      // Last: nothing reads the slot's labels after this loop but the line
      // below, which reads the metric's.
      m.set_indicator(std::move(label));
    }
    if (first_count.empty() && s.kind == v1::METRIC_KIND_VALUE &&
        !IsRate(s.m.unit) && !s.labels.empty()) {
      const int first_of_slot =
          metrics->size() - static_cast<int>(s.labels.size());
      first_count = metrics->Get(first_of_slot).indicator();
    }
  }
  return out;
}

}  // namespace reportpipe::extractor
