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
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
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
};

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
};

class NumberGrammar {
 public:
  // Compiles the pack's units, qualifiers and non-metric names.
  static absl::StatusOr<std::unique_ptr<NumberGrammar>> Create(
      const config::v1::PatternPack& pack);

  // How Find splits a match into its parts (qualifiers, number, unit).
  enum class Split {
    // Words read off the match in the pattern's own order of preference,
    // RE2's submatch search only when that does not reach the match's end
    // (shares, 1,234, a choice that has to be undone). The same result,
    // about five times faster: RE2's submatch search over this pattern cost
    // more than everything else Find does.
    kFast,
    // RE2's submatch search for every match: the reference the fast split
    // is tested against.
    kRe2,
  };

  // The mentions in folded text [begin, end), in order.
  std::vector<Mention> Find(std::string_view text, size_t begin, size_t end,
                            Split split = Split::kFast) const;

 private:
  struct UnitInfo {
    std::string canonical;
    double factor = 1;
    bool before_noun = false;
    std::vector<std::string> only_after;
  };
  bool Accept(std::string_view text, size_t begin, const Mention& m,
              const std::string& unit_word) const;
  // Fills the 9 groups of a whole match the way RE2 would, taking at each
  // step the choice the pattern prefers; false when that choice does not
  // lead to the match's end, or the match may be a share (left to RE2).
  bool SplitFast(re2::StringPiece match, re2::StringPiece* groups) const;

  std::unique_ptr<RE2> number_;
  std::unique_ptr<RE2> non_metric_;
  std::vector<std::pair<std::string, UnitInfo>> units_;
  // Indexes into units_ by word: Accept and Find ask for every number, and
  // a scan of all units compared every word.
  std::unordered_map<std::string, std::vector<size_t>> units_by_word_;
  std::vector<std::pair<std::string, v1::Qualifier>> before_, between_, after_;
  // Each alternation's words in the order the pattern tries them.
  PrefixWords before_words_, between_words_, unit_words_, after_words_;
};

// The value of a number as written: Arabic with separators and decimals,
// Chinese numerals, 百分之X, 半. nullopt when it is none of these.
std::optional<double> ParseNumber(std::string_view number);

}  // namespace reportpipe::extractor

#endif  // REPORTPIPE_SERVICES_EXTRACTOR_NUMBER_GRAMMAR_H_
