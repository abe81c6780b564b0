// Finds the numbers of a sentence with their qualifiers and measure words,
// as the pattern pack describes them.
//
//   近六百场    → 600 场, NEARLY        57.95万件 → 579500 件
//   30余件      → 30 件, MORE_THAN      八成以上  → 80 %, AT_LEAST
//   百分之百    → 100 %                 2.4个百分点 → 2.4 pp
//
// A number without a measure word is no metric (12345, 二十大), and neither
// is one inside a name the pack lists (三项制度, 〔2025〕33号).
#ifndef REPORTPIPE_SERVICES_EXTRACTOR_NUMBER_GRAMMAR_H_
#define REPORTPIPE_SERVICES_EXTRACTOR_NUMBER_GRAMMAR_H_

#include <bitset>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "lib/text/code_point_set.h"
#include "lib/text/heads.h"
#include "re2/re2.h"
#include "reportpipe/config/v1/pack.pb.h"
#include "reportpipe/v1/metric.pb.h"

namespace reportpipe::extractor {

// One number with its qualifiers and unit, in folded text.
struct Mention {
  // The whole mention: qualifiers, number and unit.
  size_t start = 0;
  size_t end = 0;
  // The number alone.
  size_t number_start = 0;
  size_t number_end = 0;
  // The value, multipliers applied.
  double value = 0;
  // The canonical unit (件, %, pp, 工作日).
  std::string unit;
  // The unit stands before its noun (12项事项).
  bool before_noun = false;
  // How exactly it is stated.
  v1::Qualifier qualifier = v1::QUALIFIER_EXACT;
  // Written in Chinese numerals.
  bool chinese = false;
  // 翻了一番: a doubling, read as a rise of 100 % (翻两番 300 %).
  bool doubled = false;
};

// Whether `last`, a character that alone is a qualifier or a filler (约,
// 为, 均), closes a word with `before`: 公约, 节约, 签约; 行为, 作为; 人均,
// 年均.
// Such a 约 qualifies no figure (居民公约12份), and no label drops the
// character (违法行为1,326件, 人均9.7元).
bool ClosesWord(char32_t before, char32_t last);

// Whether a canonical unit is a span of time (工作日, 天, 小时 …): 内 after
// one bounds it, and a cut of one is a change.
bool IsTimeUnit(std::string_view unit);

// Words tried in a fixed order at the start of a text: the first that the
// text begins with. SplitFast asks its four lists five times for every
// number, and most asks (qualifiers before, between and after a number)
// find none; a set of the words' first two bytes says so without comparing
// any word.
class PrefixWords {
 public:
  PrefixWords() = default;
  explicit PrefixWords(std::vector<std::string> words_in_order);

  // The first word `text` begins with, as a piece of `text`; empty if none.
  re2::StringPiece FirstIn(re2::StringPiece text) const;

 private:
  static size_t Head(unsigned char first, unsigned char second) {
    return size_t{first} << 8 | second;
  }

  std::vector<std::string> words_;
  std::bitset<1 << 16> heads_;       // first two bytes of the longer words
  std::bitset<256> one_byte_words_;  // words of one byte
  // The words (their indexes, in order) that a text of these first two
  // bytes may begin with.
  absl::flat_hash_map<uint16_t, std::vector<size_t>> by_head_;
};

class NumberGrammar {
 public:
  // Compiles the pack's units, qualifiers and non-metric names.
  static absl::StatusOr<std::unique_ptr<NumberGrammar>> Create(
      const config::v1::PatternPack& pack);

  // How Find goes about it. Both give the same mentions.
  enum class Method {
    // Only windows that can hold a match are read: from a character that
    // can open a number (a digit, a numeral, 半) back as far as the longest
    // qualifier before, forward to the first character no word of the
    // pattern has; a window without a unit's last character, 之 or / is
    // passed over. A report's numbers take up a fifth of its bytes, and
    // RE2's DFA costs some 16 instructions a byte it reads. In a window a
    // match is first read off the text at each start it can have, taking
    // the words in the pattern's own order of preference (SplitFrom); RE2
    // is asked only where that cannot say (shares, 1,234, a choice that has
    // to be undone, no match), and its submatch search only when the
    // reading does not reach the end of RE2's match. Names are looked for
    // in the clauses a number stands in, not in the whole text.
    kFast,
    // RE2 over the whole text for numbers and over every clause for names,
    // and its submatch search for every match: the reference kFast is
    // tested against.
    kRe2,
  };

  // A measure word's canonical unit and factor (万元 → 元, 10000; % → %),
  // or nothing for a word the pack does not know.
  std::optional<std::pair<std::string, double>> Unit(
      std::string_view word) const;

  // The mentions in folded text [begin, end), in order.
  std::vector<Mention> Find(std::string_view text, size_t begin, size_t end,
                            Method method = Method::kFast) const;

 private:
  struct UnitInfo {
    std::string canonical;
    double factor = 1;
    bool before_noun = false;
    std::vector<std::string> only_after;
  };
  // Gives the mention before `m` in `out` the unit of `m` when only 和, 与
  // or 及 stand between and its own 个 is the head of that unit.
  static void ShareTheLongerUnit(std::string_view text,
                                 std::vector<Mention>* out, const Mention& m);
  bool Accept(std::string_view text, size_t begin, const Mention& m,
              std::string_view unit_word) const;
  // Fills the 9 groups of a whole match the way RE2 would, taking at each
  // step the choice the pattern prefers; false when that choice does not
  // lead to the match's end, or the match may be a share (left to RE2).
  bool SplitFast(re2::StringPiece match, re2::StringPiece* groups) const;
  // The same reading from the start of `piece`, with no match to end at:
  // the length of the match RE2 would find anchored there, its 9 groups
  // filled, when every step's first choice completes the pattern; npos when
  // this cannot say (a choice would have to be undone, or a share), which
  // is also its answer where nothing matches.
  size_t SplitFrom(re2::StringPiece piece, re2::StringPiece* groups) const;
  // A range before `upper` (3至5个工作日, 10%—15%): its lower end, AT_LEAST,
  // appended to `out` when bare (it takes the upper end's unit and
  // multiplier `factor`), and the upper end made AT_MOST. False when the
  // range is of ordinals (第3至5条), whose upper end is no figure either.
  bool ReadRange(std::string_view sentence, size_t begin, double factor,
                 Mention* upper, std::vector<Mention>* out) const;
  // The next window of `t` at or after `pos` that may hold a match, as
  // [*from, *to); false when none is left. No match starts in [pos, *from),
  // and every match that starts in [*from, *to) ends there too. *opener is
  // where the window's first digit, numeral or 半 stands.
  bool NextWindow(std::string_view t, size_t pos, size_t* from, size_t* to,
                  size_t* opener) const;
  // The first match in a window, the one RE2's unanchored search of it
  // finds, into groups[0]; false if none. A match starts with a qualifier
  // before its number or with the number, so before the opener only where a
  // qualifier stands: each of those starts is tried with SplitFrom, then
  // with RE2 anchored there (an anchored search needs no second, backward
  // pass to find the match's start); then the opener with SplitFrom, and
  // failing that one unanchored RE2 search from the opener to the window's
  // end, which also finds a match that starts after it. *split: SplitFrom
  // read the match, and all 9 groups are filled.
  bool FirstMatchInWindow(std::string_view t, size_t from, size_t opener,
                          size_t to, re2::StringPiece* groups,
                          bool* split) const;

  // Adds the zeros said in words (为零, 降至零) that stand in
  // `sentence` (at `begin` of the text), in order among `out`'s mentions.
  static void AddZeros(std::string_view sentence, size_t begin,
                       std::vector<Mention>* out);

  std::unique_ptr<RE2> number_;
  std::unique_ptr<RE2> non_metric_;
  std::vector<std::pair<std::string, UnitInfo>> units_;
  // Indexes into units_ by word, looked up by a view of the text's unit
  // word: Accept and Find ask for every number, and a scan of all units
  // compared every word. (Debian's Abseil has an absl::string_view of its
  // own, not std::string_view, so the look-ups convert.)
  absl::flat_hash_map<std::string, std::vector<size_t>> units_by_word_;
  std::vector<std::pair<std::string, v1::Qualifier>> before_, between_, after_;
  // Each alternation's words in the order the pattern tries them.
  PrefixWords before_words_, between_words_, unit_words_, after_words_;
  // For NextWindow: every character a match can hold; those that can end a
  // unit or a share (之, /), one of which a window needs; the characters
  // that can open a number; the longest qualifier before a number, in
  // bytes.
  text::CodePointSet match_characters_, match_needs_;
  text::HeadSet opener_heads_;
  size_t longest_before_ = 0;
};

// A figure with the binary error of its multiplication rounded away: to
// millionths, or past a billion to twelve significant digits.
double RoundFigure(double value);

// The value of a number as written: Arabic with separators and decimals,
// Chinese numerals, 百分之X, 半. nullopt when it is none of these.
std::optional<double> ParseNumber(std::string_view number);

}  // namespace reportpipe::extractor

#endif  // REPORTPIPE_SERVICES_EXTRACTOR_NUMBER_GRAMMAR_H_
