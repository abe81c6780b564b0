// RequiredWords against RE2 itself: on random texts, a text the filter
// rules out never holds a match. The texts are SYNTHETIC, built from the
// patterns' own words, pieces of them, their neighbours in UTF-8 and
// punctuation.
#include "services/extractor/required_words.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "lib/config/config_loader.h"
#include "re2/re2.h"
#include "tests/random_pieces.h"

namespace reportpipe::extractor {
namespace {

// Checks the filter's promise on `rounds` random texts; returns how many it
// ruled out.
int RuledOut(const RE2& pattern, const std::vector<std::string>& pieces,
             uint32_t seed, int rounds) {
  const RequiredWords words(pattern);
  testing::RandomPieces texts(pieces, seed, 0, 10);
  int ruled_out = 0;
  for (int i = 0; i < rounds; ++i) {
    const std::string t = texts.Next();
    if (words.MayMatch(t)) continue;
    ++ruled_out;
    EXPECT_FALSE(RE2::PartialMatch(t, pattern))
        << pattern.pattern() << " in " << t;
  }
  return ruled_out;
}

TEST(RequiredWordsTest, NeverRulesOutATextWithAMatch) {
  const RE2 markers(
      "(力争|确保|目标是|控制在)|(累计|截至目前|(?:19|20)\\d{2}年以来)");
  ASSERT_TRUE(markers.ok());
  const std::vector<std::string> pieces = {
      "力争", "力",   "争",     "确保", "确",   "目标", "是",
      "控制", "在",   "累计",   "截至", "目前", "2023", "19",
      "年",   "以来", "年以来", "，",   "1",    "件"};
  const int ruled_out = RuledOut(markers, pieces, 20261127, 20000);
  // The filter has to do something: most of these texts lack every word.
  EXPECT_GT(ruled_out, 2000);
}

TEST(RequiredWordsTest, AConcatenationNeedsAWordOfEachPart) {
  // change_'s shape: a basis, up to 12 other characters, a verb at the end.
  const RE2 change("(同比|较上年)[^,;:]{0,12}?(增长|下降)了?$");
  ASSERT_TRUE(change.ok());
  const RequiredWords words(change);
  EXPECT_TRUE(words.filters());
  const std::vector<std::string> pieces = {
      "同比", "同", "较", "上年", "较上年", "增长", "下降", "了", "件", ","};
  EXPECT_GT(RuledOut(change, pieces, 7, 20000), 2000);
  EXPECT_FALSE(words.MayMatch("办理行政复议案件"));
  EXPECT_TRUE(words.MayMatch("较上年增长"));
}

TEST(RequiredWordsTest, PatternsWithoutWordsAreAlwaysAsked) {
  // Bare digits, words of fewer than three bytes, letters with case (and
  // other characters outside CJK), and a pattern that does not compile:
  // nothing can be ruled out.
  // (ꙀꙀ is U+A640, a Cyrillic capital whose lower case is U+A641: its
  // word would come lowercased and miss the text that matches.)
  for (const char* p :
       {"\\d+", "19|20", "ABC|甲乙丙", "ｘｙｚ|甲乙丙", "ꙀꙀ", "(unclosed"}) {
    const RE2 pattern(p, RE2::Quiet);
    const RequiredWords words(pattern);
    EXPECT_FALSE(words.filters()) << p;
    EXPECT_TRUE(words.MayMatch("")) << p;
    EXPECT_TRUE(words.MayMatch("其他文字")) << p;
  }
}

TEST(RequiredWordsTest, ACharacterClassGivesEachOfItsCharacters) {
  // A class of a few characters is a set of words of its own: a match of
  // the first alternative holds one of them.
  const RE2 pattern("[一二三]+|三项制度");
  const RequiredWords words(pattern);
  EXPECT_TRUE(words.filters());
  EXPECT_FALSE(words.MayMatch("其他文字"));
  EXPECT_TRUE(words.MayMatch("第二"));
  EXPECT_GT(
      RuledOut(pattern, {"一", "二", "三", "项", "制度", "丁", "上", "其"}, 3,
               5000),
      500);
}

TEST(RequiredWordsTest, TheShippedPackFiltersItsMarkersAndBases) {
  // The two filters the sentence reader relies on for speed. Should a pack
  // change make one of them unfilterable, results stay right but slower:
  // this says so.
  absl::StatusOr<config::ExtractorConfig> config =
      config::LoadExtractorConfig(config::ConfigDir());
  ASSERT_TRUE(config.ok()) << config.status();
  const config::v1::PatternPack& pack = config->pack;
  const RE2 markers("(" + pack.target_markers() + ")|(" +
                    pack.cumulative_markers() + ")");
  const RE2 basis("(?:" + pack.change_basis() + ")");
  EXPECT_TRUE(RequiredWords(markers).filters());
  EXPECT_TRUE(RequiredWords(basis).filters());
}

}  // namespace
}  // namespace reportpipe::extractor
