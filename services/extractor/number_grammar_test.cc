// NumberGrammar's fast method (windows, names by clause, the fast split)
// against RE2 over the whole text with its own submatch search: the same
// mentions, field by field, on the real report, the SYNTHETIC fixtures, every
// pack example, and strings made at random from the pack's own words.
#include "services/extractor/number_grammar.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "lib/config/config_loader.h"
#include "lib/text/normalized_text.h"
#include "tests/random_pieces.h"

namespace reportpipe::extractor {
namespace {

const std::string kRoot = REPORTPIPE_SOURCE_DIR;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

class NumberGrammarTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto config = config::LoadExtractorConfig(kRoot + "/config");
    ASSERT_TRUE(config.ok()) << config.status();
    pack_ = config->pack;
    auto grammar = NumberGrammar::Create(pack_);
    ASSERT_TRUE(grammar.ok()) << grammar.status();
    grammar_ = *std::move(grammar);
  }

  // Both methods on one text; returns how many mentions they found.
  size_t ExpectSameMentions(const std::string& original) {
    const text::NormalizedText folded = text::NormalizedText::Fold(original);
    const std::string& t = folded.text();
    const auto fast =
        grammar_->Find(t, 0, t.size(), NumberGrammar::Method::kFast);
    const auto re2 =
        grammar_->Find(t, 0, t.size(), NumberGrammar::Method::kRe2);
    EXPECT_EQ(fast.size(), re2.size()) << original;
    for (size_t i = 0; i < fast.size() && i < re2.size(); ++i) {
      const Mention& a = fast[i];
      const Mention& b = re2[i];
      const std::string where = t.substr(b.start, b.end - b.start);
      EXPECT_EQ(a.start, b.start) << where;
      EXPECT_EQ(a.end, b.end) << where;
      EXPECT_EQ(a.number_start, b.number_start) << where;
      EXPECT_EQ(a.number_end, b.number_end) << where;
      EXPECT_EQ(a.value, b.value) << where;
      EXPECT_EQ(a.unit, b.unit) << where;
      EXPECT_EQ(a.before_noun, b.before_noun) << where;
      EXPECT_EQ(a.qualifier, b.qualifier) << where;
      EXPECT_EQ(a.chinese, b.chinese) << where;
      EXPECT_EQ(a.doubled, b.doubled) << where;
    }
    return re2.size();
  }

  config::v1::PatternPack pack_;
  std::unique_ptr<NumberGrammar> grammar_;
};

TEST_F(NumberGrammarTest, FastMethodAgreesWithRe2OnTheReports) {
  std::vector<std::string> paths = {kRoot +
                                    "/../shared/corpus/pingluo-2023.txt"};
  for (const auto& entry :
       std::filesystem::directory_iterator(kRoot + "/tests/fixtures/corpus")) {
    if (entry.path().extension() == ".txt")
      paths.push_back(entry.path().string());
  }
  ASSERT_GE(paths.size(), 5u);
  for (const std::string& path : paths) {
    EXPECT_GT(ExpectSameMentions(ReadAll(path)), 40u) << path;
  }
}

TEST_F(NumberGrammarTest, FastMethodAgreesWithRe2OnEveryPackExample) {
  size_t found = 0;
  for (const config::v1::Example& example : pack_.examples()) {
    found += ExpectSameMentions(example.text());
  }
  EXPECT_GT(found, 60u);
}

// Random strings of numerals, digits, separators, units, qualifiers and
// pieces of the pack's names: the shapes SplitFast must leave to RE2
// (shares, 1,234, 五百分点 …), windows cut short by other characters, and
// names across and beside numbers and clause delimiters come up among them
// many times.
TEST_F(NumberGrammarTest, FastMethodAgreesWithRe2OnRandomStrings) {
  std::vector<std::string> pieces = {
      "一",   "二", "两",     "三",       "十",   "百",       "千",     "万",
      "亿",   "零", "半",     "五",       "1",    "2",        "30",     "4",
      "0",    ".",  ",",      "/",        "-",    "分之",     "百分之", "点",
      "第",   "共", "，",     "。",       "案件", "分",       "年",     "成立",
      "成",   "大", "十四五", "三项制度", "岁",   "〔2023〕", "号",     "+",
      "批",   "是", "；",     "\n",       "：",   "12345",    "热线",   "方面",
      "工作", "之", "证合一"};
  for (const config::v1::Unit& u : pack_.units()) pieces.push_back(u.word());
  for (const config::v1::QualifierWord& q : pack_.qualifiers()) {
    pieces.push_back(q.word());
  }
  testing::RandomPieces texts(pieces, 20261127, 1, 12);
  size_t found = 0;
  for (int i = 0; i < 20000; ++i) {
    found += ExpectSameMentions(texts.Next());
    if (HasFailure()) break;
  }
  EXPECT_GT(found, 3000u);
}

// Names are matched against each clause on its own (pack.proto), so a
// pattern that could reach across a delimiter, or that anchors on ^ or $,
// means the same in both methods. SYNTHETIC names and texts.
TEST_F(NumberGrammarTest, NamesAreMatchedClauseByClause) {
  config::v1::PatternPack pack = pack_;
  for (const char* pattern : {"宣传周.{0,10}", "^三项", "[0-9]+场$"}) {
    pack.add_non_metrics()->set_pattern(pattern);
  }
  auto grammar = NumberGrammar::Create(pack);
  ASSERT_TRUE(grammar.ok()) << grammar.status();
  pack_ = pack;
  grammar_ = *std::move(grammar);
  // The name cannot reach past the comma: 30场 is a count.
  EXPECT_EQ(ExpectSameMentions("举办宣传周,开展宣讲30场活动"), 1u);
  // Within one clause it covers the number.
  EXPECT_EQ(ExpectSameMentions("举办宣传周开展宣讲30场活动"), 0u);
  // ^ and $ at the ends of each clause, not only of the text.
  EXPECT_EQ(ExpectSameMentions("办理12件,三项工作"), 1u);
  EXPECT_EQ(ExpectSameMentions("办理12件,建立三项工作"), 2u);
  EXPECT_EQ(ExpectSameMentions("宣讲30场,办理12件"), 1u);
  EXPECT_EQ(ExpectSameMentions("宣讲30场活动,办理12件"), 2u);
  testing::RandomPieces texts(
      {"宣传周", "三项", "工作", "12", "件", "活动", "场", "宣讲", ",", "。",
       "；", "\n", "、", "三", "30", "1,234", ",567"},
      20261128, 1, 14);
  size_t found = 0;
  for (int i = 0; i < 5000 && !HasFailure(); ++i) {
    found += ExpectSameMentions(texts.Next());
  }
  EXPECT_GT(found, 1000u);
}

// An empty measure word or qualifier is refused: an empty unit would let a
// bare number match.
TEST_F(NumberGrammarTest, EmptyWordsAreRefused) {
  config::v1::PatternPack unit = pack_;
  unit.add_units()->set_word("");
  EXPECT_EQ(NumberGrammar::Create(unit).status().code(),
            absl::StatusCode::kInvalidArgument);
  config::v1::PatternPack qualifier = pack_;
  auto* q = qualifier.add_qualifiers();
  q->set_position(config::v1::QualifierWord::POSITION_AFTER);
  q->set_qualifier(v1::QUALIFIER_AT_LEAST);
  EXPECT_EQ(NumberGrammar::Create(qualifier).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// Numbers of every length the pattern lets through, 40 digits included:
// both methods agree, and the value is strtod's (to twelve significant
// digits past a billion, RoundFigure).
TEST_F(NumberGrammarTest, LongNumbersAreRead) {
  for (int digits = 1; digits <= 40; ++digits) {
    std::string number;
    // 7s and 8s: no hotline number (12345) among them, which is a name.
    for (int i = 0; i < digits; ++i) number += i % 2 == 0 ? '7' : '8';
    const std::string text = "办理案件" + number + "件";
    ASSERT_EQ(ExpectSameMentions(text), 1u) << number;
    const std::vector<Mention> found = grammar_->Find(text, 0, text.size());
    ASSERT_EQ(found.size(), 1u);
    const double expected = std::strtod(number.c_str(), nullptr);
    EXPECT_NEAR(found[0].value, expected,
                std::max(1e-6, std::abs(expected) * 1e-11))
        << number;
  }
}

// Shapes read here rather than through the pack: a doubling, a list's size,
// a figure after a word's colon (folded from ：) and one after a time's, a
// vague amount, a range after a hyphen, a score, multipliers after digits.
TEST_F(NumberGrammarTest, DoublingsListSizesAndColons) {
  struct Case {
    std::string text;
    std::vector<double> values;
  };
  const std::vector<Case> cases = {
      {"办理量较上年翻了一番", {100}},
      {"立案量翻两番", {300}},
      {"经过一番努力，三番五次上门", {}},
      {"集中在欠薪、厂房租赁、征迁补偿三类", {}},
      {"涉及欠薪、租赁两类5件", {5}},
      {"集中在欠薪、租赁三类", {3}},
      {"联合检查：42次", {42}},
      {"配比为1:5名", {}},
      {"新收两件、办结两件", {2, 2}},
      {"对食品、药品、特种设备开展专项检查三次", {3}},
      {"参训人数一百人，另有几十人旁听", {100}},
      {"缩短为3-5个工作日，2024-03-28天", {3, 5}},
      {"三至五万人，1,000至2,000元，从85%到93%", {30000, 50000, 2000, 85, 93}},
      {"10%-15%，1.5-2天，2000-5000元", {10, 15, 1.5, 2, 2000, 5000}},
      {"九成一线干部，下降0.5百分点", {90, 0.5}},
      {"依照第3至5条，再压减10%—15%", {10, 15}},
      {"合格率在九成五以上", {95}},
      {"会议于9时30分召开，考核得分95.5分", {95.5}},
      {"培训3千余人，追回2千万元", {3000, 20000000}},
  };
  for (const Case& c : cases) {
    ExpectSameMentions(c.text);
    const text::NormalizedText folded = text::NormalizedText::Fold(c.text);
    const std::vector<Mention> found =
        grammar_->Find(folded.text(), 0, folded.text().size());
    std::vector<double> values;
    for (const Mention& m : found) values.push_back(m.value);
    EXPECT_EQ(values, c.values) << c.text;
    for (const Mention& m : found) {
      EXPECT_EQ(m.doubled, m.unit == "%" && m.value >= 100) << c.text;
    }
  }
}

// A pack's words are not checked for UTF-8 when it is read. Words cut
// short in the middle of a character, long enough to live on the heap
// (where a read past their end shows under ASan), are refused with a clear
// error, not read past.
TEST_F(NumberGrammarTest, WordsCutShortInACharacterAreRefusedSafely) {
  config::v1::PatternPack pack = pack_;
  pack.add_units()->set_word("件件件件件件\xE4");
  auto* q = pack.add_qualifiers();
  q->set_word("不少于不少于不少于\xE4");
  q->set_position(config::v1::QualifierWord::POSITION_BEFORE);
  q->set_qualifier(v1::QUALIFIER_AT_LEAST);
  auto grammar = NumberGrammar::Create(pack);
  ASSERT_FALSE(grammar.ok());
  EXPECT_EQ(grammar.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(grammar.status().message().find("UTF-8"), std::string::npos)
      << grammar.status();
}

// ParseNumber reads Arabic numbers of up to 15 digits itself; it must give
// the very double strtod gives (commas dropped), on every shape the number
// pattern lets through and on near misses that go to strtod instead.
TEST(ParseNumberTest, ArabicNumbersAreTheDoubleStrtodGives) {
  auto by_strtod = [](const std::string& number) -> std::optional<double> {
    std::string digits;
    for (char c : number) {
      if (c != ',') digits.push_back(c);
    }
    char* end = nullptr;
    const double v = std::strtod(digits.c_str(), &end);
    if (end != digits.c_str() + digits.size()) return std::nullopt;
    return v;
  };
  std::mt19937 random(20261127);
  std::uniform_int_distribution<int> digit(0, 9), length(1, 30), shape(0, 9);
  int compared = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string number(1, static_cast<char>('0' + digit(random)));
    const int n = length(random);
    const int point = shape(random) < 6
                          ? std::uniform_int_distribution<int>(1, n)(random)
                          : -1;
    for (int k = 1; k < n; ++k) {
      if (k == point) number += '.';
      if (point < 0 && shape(random) == 0) number += ',';
      number += static_cast<char>('0' + digit(random));
    }
    if (shape(random) == 0) number += '.';  // a trailing point: strtod's
    const std::optional<double> ours = ParseNumber(number);
    const std::optional<double> reference = by_strtod(number);
    ASSERT_EQ(ours.has_value(), reference.has_value()) << number;
    if (ours) {
      ASSERT_EQ(*ours, *reference) << number;
      ++compared;
    }
  }
  EXPECT_GT(compared, 150000);
  for (const std::string number :
       {"0.1", "0.3", "57.95", "999999999999999", "123456789012345.6",
        "1,234.5", "4.02", "0.000000000000001", "9999999999999999999",
        "92233720368547758079", "123456789012345678901234567890"}) {
    EXPECT_EQ(ParseNumber(number), by_strtod(number)) << number;
  }
}

}  // namespace
}  // namespace reportpipe::extractor
