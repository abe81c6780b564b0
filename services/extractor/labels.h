// Reads an indicator label out of the words around a number, in the report's
// own words: 办理人大代表建议39件 → 人大代表建议, 12项涉企经营许可事项实施… →
// 涉企经营许可事项, 败诉率为21.6% → 败诉率.
#ifndef REPORTPIPE_SERVICES_EXTRACTOR_LABELS_H_
#define REPORTPIPE_SERVICES_EXTRACTOR_LABELS_H_

#include <array>
#include <bitset>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "lib/text/code_point_set.h"
#include "lib/text/heads.h"
#include "re2/re2.h"
#include "reportpipe/config/v1/pack.pb.h"

namespace reportpipe::extractor {

// Words indexed by their last code point, to find which word ends at a
// position without comparing every word there.
class WordsByEnd {
 public:
  void Add(const std::string& word);
  // The longest word that `s` ends with (and is longer than), or nullptr.
  const std::string* LongestSuffixOf(std::string_view s) const;
  // As LongestSuffixOf; failing that, the word equal to `s`, or nullptr. One
  // look-up where FromLeft asked both at every code point boundary.
  const std::string* LongestSuffixOrSelf(std::string_view s) const;
  bool Contains(std::string_view word) const;

 private:
  // The words that end in the same code point as `s` (longest first), or
  // nullptr when none does: a byte, then a bit, then the map.
  const std::vector<std::string>* EndingLike(std::string_view s) const;

  // Abseil's open-addressing map: FromLeft asks it about 400 times a report,
  // and std::unordered_map's division by a prime and chained buckets made
  // these look-ups 3% of Extract's time (perf).
  absl::flat_hash_map<char32_t, std::vector<std::string>> by_last_;
  // Whether any word ends in this byte. FromLeft asks at every character
  // boundary of a clause and nearly always in vain: one byte answers many
  // asks before the last code point is decoded.
  std::array<bool, 256> last_byte_{};
  // Whether any word ends in these two bytes (8 KiB): a Han character's last
  // byte is shared by many characters, its last two by few, so most asks
  // that pass the byte end here, before the code point is decoded.
  std::bitset<65536> last_two_;
  // The last character of each word. A Han character ends in one of 64
  // bytes, most of them some word's, so most texts pass the byte; nearly
  // all of those still end in a character no word ends in, which one bit
  // says before the map is hashed.
  text::CodePointSet last_characters_;
};

class LabelRules {
 public:
  static absl::StatusOr<std::unique_ptr<LabelRules>> Create(
      const config::v1::PatternPack& pack);

  // The label in the words before a number (its clause up to the number):
  // verbs and fillers cut from the front, 为/达/均 from the end. Empty when
  // nothing but verbs is left (全年办理18件), so the caller looks further.
  std::string FromLeft(std::string_view words) const;

  // The label in the words after a number whose classifier stands before
  // its noun (4个国家级…, 39家行政执法单位共…), ended at a stop word. An
  // activity after the noun (对执法人员开展轮训) is part of it, unless
  // `object_only` (对23件文件开展审查: the figure counts the 文件).
  std::string FromRight(std::string_view words, bool object_only = false) const;

  // Splits a list of items (合法性审查率、备案审查率; 回复率和采纳率) and
  // labels each.
  std::vector<std::string> Items(std::string_view words) const;

  // Two-character words that share the last item's object (制定、修改、
  // 废止政府规章 → 制定政府规章, 修改政府规章, 废止政府规章): each item
  // before the last is two characters (the first may carry words before
  // them), the last two and an object. Empty when the words are not of that
  // shape. The sentence reader asks only when Items cannot zip a 分别 list
  // (制定 alone is a cut word, so Items drops it); a longer verb in the last
  // item (宣布失效) is cut after its first two characters.
  std::vector<std::string> VerbsOfOneObject(std::string_view words) const;

  // 人大代表建议和政协委员提案办结率均为100%: for a rate shared by items
  // (均), the items before the last take the last one's rate word (its last
  // three characters: 办结率, 满意率, 审查率), unless they are a measure
  // already (率, 度, 比例, 比重, 占比). Nothing changes for a count.
  static void ShareRateWord(bool rate, std::vector<std::string>* items);

  // Whether `label` is only a measure of a thing (面积, 人数; see
  // label_attribute_words): the caller puts the thing in front.
  bool IsAttribute(std::string_view label) const {
    // Most labels are longer than any such word: no look-up for them.
    return label.size() <= longest_attribute_ && attributes_.Contains(label);
  }

  // Whether `words` end in a verb whose object is an event (召开; see
  // label_event_verbs): a figure after them counts the noun after it.
  bool EndsWithEventVerb(std::string_view words) const {
    return event_verbs_.LongestSuffixOrSelf(words) != nullptr;
  }

  // Whether `s` opens with a stop word (开展, 实现): what follows a number
  // there is an activity, not the noun the number counts.
  bool OpensWithStopWord(std::string_view s) const;

  // Whether what follows the last 的 of `label` is a head of two
  // characters or fewer (人员, 事项): FromLeft keeps what qualifies such a
  // head, and the sentence reader gives the label a topic as if it were
  // bare. False without a 的.
  static bool HasShortHeadAfterDe(std::string_view label);

  // Removes quotation marks, then the separators (、和及与, spaces, commas,
  // brackets) at both ends.
  static std::string Unquote(std::string_view words);
  // As Unquote, as a view: of `words` itself when it holds no mark, else
  // of *buffer, which receives the copy without them.
  static std::string_view UnquoteView(std::string_view words,
                                      std::string* buffer);

 private:
  // The items of a list as written, split at 、和及与 outside brackets and
  // outside words that hold one (及时, 参与): views of `s`.
  static std::vector<std::string_view> SplitItems(std::string_view s);
  std::string_view StripTrailing(std::string_view s) const;
  std::string_view WithoutLeadingTime(std::string_view s) const;
  WordsByEnd cut_;
  WordsByEnd trailing_;
  WordsByEnd bound_heads_;
  // Where the words after a number stop being its label (FromRight).
  size_t StopWordEnd(std::string_view s) const;
  // With an activity word at `end` (see label_activity_words), where the
  // label ends instead: before the next stop word after the activity, or
  // at the end of `s`. `end` itself otherwise.
  size_t ActivityEnd(std::string_view s, size_t end) const;
  std::vector<std::string> activities_;
  WordsByEnd scope_;
  WordsByEnd attributes_;
  size_t longest_attribute_ = 0;
  WordsByEnd event_verbs_;
  std::vector<std::string> stop_;
  text::HeadSet stop_heads_;
  std::unique_ptr<RE2> leading_time_;
  std::unique_ptr<RE2> trailing_verb_;
};

}  // namespace reportpipe::extractor

#endif  // REPORTPIPE_SERVICES_EXTRACTOR_LABELS_H_
