// WordsByEnd (which FromLeft asks at every code point boundary), Unquote and
// Items, each against its plain definition.
#include "services/extractor/labels.h"

#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "reportpipe/config/v1/pack.pb.h"
#include "tests/random_pieces.h"

namespace reportpipe::extractor {
namespace {

// Unquote copies the bytes between quotation marks a run at a time; the
// plain definition drops each mark as a whole piece of text. Both agree on
// strings built from marks and their near neighbours (、《〈 share the lead
// byte E3 80 with 「」『』, and — … the lead E2 80 with “”‘’). Each string
// begins and ends with a Han character, so the separator trimming Unquote
// ends with has nothing to do.
TEST(UnquoteTest, DropsEveryQuotationMarkAndNothingElse) {
  const std::vector<std::string> marks = {"\"", "“",  "”",  "‘", "’",
                                          "「", "」", "『", "』"};
  // Near misses on the byte after E3 80 (》 8B, 【 90) and after E2 80
  // (‗ 97, ‚ 9A, ‛ 9B, „ 9E), next to the marks' own bytes.
  const std::vector<std::string> others = {"、", "《", "》", "【", "〈", "—",
                                           "…",  "‗",  "‚",  "‛",  "„",  "。",
                                           "一", "率", "a",  "1",  ","};
  std::mt19937 rng(1127);
  int with_marks = 0;
  for (int round = 0; round < 5000; ++round) {
    std::string in = "甲";
    std::string expected = "甲";
    const int pieces = static_cast<int>(rng() % 10);
    for (int i = 0; i < pieces; ++i) {
      if (rng() % 3 == 0) {
        in += marks[rng() % marks.size()];
        ++with_marks;
      } else {
        const std::string& o = others[rng() % others.size()];
        in += o;
        expected += o;
      }
    }
    in += "乙";
    expected += "乙";
    EXPECT_EQ(LabelRules::Unquote(in), expected) << in;
  }
  EXPECT_GT(with_marks, 1000);
  // Marks first, last, alone, and nothing at all.
  EXPECT_EQ(LabelRules::Unquote("“甲乙”"), "甲乙");
  EXPECT_EQ(LabelRules::Unquote("甲乙\""), "甲乙");
  EXPECT_EQ(LabelRules::Unquote("\"甲乙"), "甲乙");
  EXPECT_EQ(LabelRules::Unquote("“”『』\""), "");
  EXPECT_EQ(LabelRules::Unquote(""), "");
  // A lead byte pair with nothing after it at the end is kept as it is.
  EXPECT_EQ(LabelRules::Unquote("“甲”\xE2\x80"), "甲\xE2\x80");
}

// Items splits at 、 和 及 与 (three-byte characters, E3 80 81, E5 92 8C,
// E5 8F 8A, E4 B8 8E), testing words only where a byte can lead one. With a
// pack of no words the labels are the items themselves, so the split shows,
// on near misses that share lead bytes (《》 E3 80 8A/8B, 不 E4 B8 8D, 咊
// E5 92 8A) and separators side by side and at both ends. Texts are
// SYNTHETIC.
TEST(ItemsTest, SplitsAtEachSeparatorAndNowhereElse) {
  absl::StatusOr<std::unique_ptr<LabelRules>> rules =
      LabelRules::Create(config::v1::PatternPack());
  ASSERT_TRUE(rules.ok()) << rules.status();
  const std::vector<std::string> separators = {"、", "和", "及", "与"};
  // Words of two characters that no rule of an empty pack cuts, so that
  // each item comes back whole.
  const std::vector<std::string> others = {"审查", "《规》", "不予", "咊咊",
                                           "受理"};
  std::mt19937 rng(20261127);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    std::vector<std::string> expected(1);
    const int pieces = 1 + static_cast<int>(rng() % 8);
    for (int i = 0; i < pieces; ++i) {
      if (rng() % 3 == 0) {
        text += separators[rng() % separators.size()];
        expected.emplace_back();
      } else {
        const std::string& o = others[rng() % others.size()];
        text += o;
        expected.back() += o;
      }
    }
    // An empty item (separators side by side or at an end) gives none.
    std::vector<std::string> kept;
    for (const std::string& e : expected) {
      if (!e.empty()) kept.push_back(e);
    }
    EXPECT_EQ((*rules)->Items(text), kept) << text;
  }
}

// A bracketed aside (folded to ASCII brackets) stays with the item it
// follows: the 、 inside it separates nothing. A bracket never closed keeps
// the rest as one item; a stray closing one changes nothing. SYNTHETIC.
TEST(ItemsTest, KeepsABracketedAsideWithItsItem) {
  absl::StatusOr<std::unique_ptr<LabelRules>> rules =
      LabelRules::Create(config::v1::PatternPack());
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_EQ((*rules)->Items("维持、驳回、撤销(含变更、确认违法)和终止"),
            (std::vector<std::string>{"维持", "驳回", "撤销(含变更、确认违法)",
                                      "终止"}));
  EXPECT_EQ((*rules)->Items("维持、撤销(含变更、确认违法"),
            (std::vector<std::string>{"维持", "撤销(含变更、确认违法"}));
  EXPECT_EQ((*rules)->Items("维持)、撤销和终止"),
            (std::vector<std::string>{"维持)", "撤销", "终止"}));
}

// Words that hold a separator (及时, 参与, 和解, 涉及) are no list: 报备及时率
// is one item, and a label that opens or ends with such a word keeps it.
// Elsewhere 及, 与 and 和 still separate. SYNTHETIC.
TEST(ItemsTest, ReadsWordsThatHoldASeparator) {
  absl::StatusOr<std::unique_ptr<LabelRules>> rules =
      LabelRules::Create(config::v1::PatternPack());
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_EQ((*rules)->Items("报备率、报备及时率、规范率"),
            (std::vector<std::string>{"报备率", "报备及时率", "规范率"}));
  EXPECT_EQ((*rules)->Items("及时率及规范率"),
            (std::vector<std::string>{"及时率", "规范率"}));
  EXPECT_EQ(
      (*rules)->Items("审查合同、参与处理信访事项与调解和解率"),
      (std::vector<std::string>{"审查合同", "参与处理信访事项", "调解和解率"}));
  EXPECT_EQ((*rules)->Items("涉及企业和群众"),
            (std::vector<std::string>{"涉及企业", "群众"}));
  EXPECT_EQ(LabelRules::Unquote("及时办结率"), "及时办结率");
  EXPECT_EQ(LabelRules::Unquote("和解率"), "和解率");
  EXPECT_EQ(LabelRules::Unquote("案件涉及"), "案件涉及");
  EXPECT_EQ(LabelRules::Unquote("及办结率"), "办结率");
  EXPECT_EQ(LabelRules::Unquote("办结率和"), "办结率");
}

// Under 均, a rate word shared from the last item: items that name a thing
// take it, items that are a measure already keep their words, and a count
// or a last item with no rate word changes nothing. SYNTHETIC.
TEST(ShareRateWordTest, GivesTheLastItemsRateWordToThingsOnly) {
  using Items = std::vector<std::string>;
  Items items = {"人大代表建议", "政协委员提案办结率"};
  LabelRules::ShareRateWord(true, &items);
  EXPECT_EQ(items, (Items{"人大代表建议办结率", "政协委员提案办结率"}));
  items = {"群众满意度", "政府信息公开比例", "法治知晓率"};
  LabelRules::ShareRateWord(true, &items);
  EXPECT_EQ(items, (Items{"群众满意度", "政府信息公开比例", "法治知晓率"}));
  items = {"人大代表建议", "政协委员提案办结率"};
  LabelRules::ShareRateWord(false, &items);  // a count, not a rate
  EXPECT_EQ(items, (Items{"人大代表建议", "政协委员提案办结率"}));
  items = {"人大代表建议", "政协委员提案"};
  LabelRules::ShareRateWord(true, &items);
  EXPECT_EQ(items, (Items{"人大代表建议", "政协委员提案"}));
  items = {"建议", "办结率"};  // the last item is the rate word alone
  LabelRules::ShareRateWord(true, &items);
  EXPECT_EQ(items, (Items{"建议", "办结率"}));
}

// Two-character words before a last item that adds an object to its own two
// characters share that object; any other shape gives nothing, so the
// caller keeps its other readings. SYNTHETIC.
TEST(VerbsOfOneObjectTest, SharesTheLastItemsObject) {
  absl::StatusOr<std::unique_ptr<LabelRules>> rules =
      LabelRules::Create(config::v1::PatternPack());
  ASSERT_TRUE(rules.ok()) << rules.status();
  using Labels = std::vector<std::string>;
  EXPECT_EQ((*rules)->VerbsOfOneObject("制定、修改、废止政府规章"),
            (Labels{"制定政府规章", "修改政府规章", "废止政府规章"}));
  EXPECT_EQ((*rules)->VerbsOfOneObject("全年制定和废止规范性文件"),
            (Labels{"制定规范性文件", "废止规范性文件"}));
  // The shape alone decides: nouns of two characters share a head too
  // (the sentence reader asks only when Items cannot zip the list).
  EXPECT_EQ((*rules)->VerbsOfOneObject("民事、刑事、行政案件"),
            (Labels{"民事案件", "刑事案件", "行政案件"}));
  // Not that shape: an item of three characters after the first, an object
  // of one character, one item, a bracketed aside.
  EXPECT_EQ((*rules)->VerbsOfOneObject("律师、公证员、调解员"), Labels{});
  EXPECT_EQ((*rules)->VerbsOfOneObject("律师、法官、检察官"), Labels{});
  EXPECT_EQ((*rules)->VerbsOfOneObject("政府规章"), Labels{});
  EXPECT_EQ((*rules)->VerbsOfOneObject("维持、撤销(含变更、确认违法)"),
            Labels{});
}

// FromLeft cuts only from the ends of the words (quotation marks aside):
// time words before, a verb and what precedes it, a trailing word, a span of
// years or a verb of change after, and what stands before 的. Each case
// takes one of these steps; the pack is SYNTHETIC.
TEST(FromLeftTest, CutsTimeVerbsAndTrailingWords) {
  config::v1::PatternPack pack;
  pack.add_label_cut_words("办理");
  pack.add_label_cut_words("开展");
  pack.add_label_trailing_words("为");
  pack.add_label_trailing_words("达");
  pack.set_change_up("提高");
  pack.set_change_down("降低");
  absl::StatusOr<std::unique_ptr<LabelRules>> rules = LabelRules::Create(pack);
  ASSERT_TRUE(rules.ok()) << rules.status();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"2023年以来全年办理行政复议案件", "行政复议案件"},
      {"今年开展行政执法培训", "行政执法培训"},
      {"行政复议案件连续三年", "行政复议案件"},
      {"行政复议案件近三年", "行政复议案件"},
      // A span of years before, as a year before: 五年间, 近三年.
      {"五年间行政复议案件", "行政复议案件"},
      {"近三年", ""},
      {"行政复议纠错率降至", "行政复议纠错率"},
      {"行政复议纠错率提高到", "行政复议纠错率"},
      {"行政机关的败诉率为", "败诉率"},
      // A head of two characters after 的 keeps what qualifies it.
      {"具有法律专业背景的人员", "具有法律专业背景的人员"},
      {"、“行政复议”案件,", "行政复议案件"},
      {"办理", ""},
      {"全年办理", ""},
      {"达", ""},
  };
  for (const auto& [words, label] : cases) {
    EXPECT_EQ((*rules)->FromLeft(words), label) << words;
  }
}

// A word of scope (全年, 全市) cut from the front leaves a bare verb and
// object: the words before it say whose, and stay. Where what is left says
// enough (行政复议案件), the cut is as before. SYNTHETIC.
TEST(FromLeftTest, KeepsTheSubjectBeforeAScopeWord) {
  config::v1::PatternPack pack;
  for (const char* w : {"全年", "全市", "办理"}) pack.add_label_cut_words(w);
  for (const char* w : {"全年", "全市"}) pack.add_label_scope_words(w);
  absl::StatusOr<std::unique_ptr<LabelRules>> rules = LabelRules::Create(pack);
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_EQ((*rules)->FromLeft("“一网通办”平台全年办件"), "一网通办平台办件");
  EXPECT_EQ((*rules)->FromLeft("热线全市受理"), "热线受理");
  EXPECT_EQ((*rules)->FromLeft("县政府全年行政复议案件"), "行政复议案件");
  // A verb is no scope word: what is left after it stands alone.
  EXPECT_EQ((*rules)->FromLeft("县政府办理办件"), "办件");
  // Nothing before the scope word: the bare words stay.
  EXPECT_EQ((*rules)->FromLeft("全市办件"), "办件");
}

// New registrations keep 新 and their verb; other verbs after 新, and 新
// inside 重新, are cut as before. A range's lower bound and its dash, and a
// bound head after its cut word (调处成功), are no part of a label.
// SYNTHETIC.
TEST(FromLeftTest, KeepsNewRegistrationsAndDropsARangesLowerBound) {
  config::v1::PatternPack pack;
  for (const char* w : {"设立", "登记", "培育", "调处", "作出"}) {
    pack.add_label_cut_words(w);
  }
  pack.add_label_bound_heads("成功");
  pack.add_label_trailing_words("控制在");
  absl::StatusOr<std::unique_ptr<LabelRules>> rules = LabelRules::Create(pack);
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_EQ((*rules)->FromLeft("全年新设立经营主体"), "新设立经营主体");
  EXPECT_EQ((*rules)->FromLeft("新登记市场主体"), "新登记市场主体");
  EXPECT_EQ((*rules)->FromLeft("设立经营主体"), "经营主体");
  EXPECT_EQ((*rules)->FromLeft("新培育法律明白人"), "法律明白人");
  EXPECT_EQ((*rules)->FromLeft("更新登记事项"), "事项");
  EXPECT_EQ((*rules)->FromLeft("调处成功"), "调处成功");
  EXPECT_EQ((*rules)->FromLeft("调处矛盾纠纷"), "矛盾纠纷");
  EXPECT_EQ((*rules)->FromLeft("修复办理时间控制在1—"), "修复办理时间");
  EXPECT_EQ((*rules)->FromLeft("办理时间控制在3-"), "办理时间");
  EXPECT_EQ((*rules)->FromLeft("办理时间控制在三～"), "办理时间");
  // A dash after no number is left alone (it is no range).
  EXPECT_EQ((*rules)->FromLeft("两法衔接—"), "两法衔接—");
  // The dashes that open a line of a list name nothing.
  EXPECT_EQ((*rules)->FromLeft("——法治督察"), "法治督察");
  EXPECT_EQ((*rules)->FromLeft("--法治督察"), "法治督察");
}

// Measures (面积) and event verbs (召开) are asked by the sentence reader;
// each list answers only for its own words.
TEST(LabelRulesTest, KnowsMeasuresAndEventVerbs) {
  config::v1::PatternPack pack;
  pack.add_label_attribute_words("面积");
  pack.add_label_event_verbs("召开");
  pack.add_label_event_verbs("组织开展");
  absl::StatusOr<std::unique_ptr<LabelRules>> rules = LabelRules::Create(pack);
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_TRUE((*rules)->IsAttribute("面积"));
  EXPECT_FALSE((*rules)->IsAttribute("违建面积"));
  EXPECT_TRUE((*rules)->EndsWithEventVerb("围绕法治政府建设召开"));
  EXPECT_TRUE((*rules)->EndsWithEventVerb("组织开展"));
  EXPECT_FALSE((*rules)->EndsWithEventVerb("召开会议"));
  EXPECT_FALSE((*rules)->EndsWithEventVerb("开展"));
}

// A scope word must be a cut word and an activity word a stop word (each
// rule extends the word list's own cut), and neither may be empty: Create
// says which word breaks this.
TEST(LabelRulesTest, RefusesScopeAndActivityWordsOutsideTheirLists) {
  config::v1::PatternPack pack;
  pack.add_label_cut_words("全年");
  pack.add_label_stop_words("开展");
  pack.add_label_scope_words("全年");
  pack.add_label_activity_words("开展");
  ASSERT_TRUE(LabelRules::Create(pack).ok());
  config::v1::PatternPack scope = pack;
  scope.add_label_scope_words("全镇");
  absl::StatusOr<std::unique_ptr<LabelRules>> refused =
      LabelRules::Create(scope);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("全镇"), std::string::npos);
  config::v1::PatternPack activity = pack;
  activity.add_label_activity_words("完成");
  refused = LabelRules::Create(activity);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("完成"), std::string::npos);
  activity = pack;
  activity.add_label_activity_words("");
  EXPECT_FALSE(LabelRules::Create(activity).ok());
}

// An activity word after the noun (完成, 开展) keeps the activity and its
// object, up to the next stop word: 企业 alone does not say what was
// counted. An activity with no object of its own, or a label that would run
// past twenty characters, ends at the activity as any stop word does. A
// leading 对 (whom the activity is for) is dropped. SYNTHETIC.
TEST(FromRightTest, KeepsTheActivityAfterANoun) {
  config::v1::PatternPack pack;
  for (const char* w : {"开展", "完成", "并"}) pack.add_label_stop_words(w);
  for (const char* w : {"开展", "完成"}) pack.add_label_activity_words(w);
  absl::StatusOr<std::unique_ptr<LabelRules>> rules = LabelRules::Create(pack);
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_EQ((*rules)->FromRight("企业完成信用修复"), "企业完成信用修复");
  EXPECT_EQ((*rules)->FromRight("企业开展法治体检并出具报告"),
            "企业开展法治体检");
  EXPECT_EQ((*rules)->FromRight("企业开展"), "企业");
  EXPECT_EQ((*rules)->FromRight("对执法人员开展轮训"), "执法人员开展轮训");
  // 对 without an activity after it may open a word: it stays.
  EXPECT_EQ((*rules)->FromRight("对口支援单位并出具报告"), "对口支援单位");
  EXPECT_EQ((*rules)->FromRight("部门和街道及社区主要负责人开展现场述法活动"),
            "部门和街道及社区主要负责人");
  // Not an activity word: the stop word ends the label.
  EXPECT_EQ((*rules)->FromRight("企业并出具报告"), "企业");
}

// FromRight ends the label at the earliest stop word that leaves one
// before it, each word counting at its first occurrence only. Against the
// plain definition (a search for each word) on random SYNTHETIC texts of
// the words, their neighbours and other characters; no separators, years
// or verbs, so the label is the text up to that end.
TEST(FromRightTest, EndsAtTheFirstStopWordThatLeavesALabel) {
  config::v1::PatternPack pack;
  const std::vector<std::string> stops = {"实施", "推进", "全面", "实"};
  for (const std::string& w : stops) pack.add_label_stop_words(w);
  absl::StatusOr<std::unique_ptr<LabelRules>> rules = LabelRules::Create(pack);
  ASSERT_TRUE(rules.ok()) << rules.status();
  const std::vector<std::string> pieces = {"实施", "实", "施",   "推进", "推",
                                           "全面", "全", "事项", "行政", "a"};
  testing::RandomPieces texts(pieces, 20261127, 1, 9);
  int cut = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::string t = texts.Next();
    size_t end = t.size();
    for (const std::string& w : stops) {
      const size_t p = t.find(w);
      if (p != std::string::npos && p >= 6 && p < end) end = p;
    }
    const std::string expected = end >= 6 ? t.substr(0, end) : "";
    ASSERT_EQ((*rules)->FromRight(t), expected) << t;
    cut += end < t.size() && end >= 6;
  }
  EXPECT_GT(cut, 5000);
  // 实 first stands at 0, too early to leave a label: it is not looked for
  // again, though it stands at 6 too.
  EXPECT_EQ((*rules)->FromRight("实行政实事项"), "实行政实事项");
  // An empty stop word is found at 0 and never counts, not even where the
  // walk stops at a head (审 shares 实's first two bytes).
  pack.add_label_stop_words("");
  rules = LabelRules::Create(pack);
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_EQ((*rules)->FromRight("行政复议审查"), "行政复议审查");
}

TEST(WordsByEndTest, LongestStrictSuffixAndExactWords) {
  WordsByEnd words;
  for (const char* w : {"办理", "依法办理", "开展", "展", "审查"}) words.Add(w);
  words.Add("办理");  // twice is once

  // The word a look-up found, or "(none)".
  const auto word = [](const std::string* found) {
    return found == nullptr ? std::string("(none)") : *found;
  };
  EXPECT_EQ(word(words.LongestSuffixOf("全年依法办理")), "依法办理");
  // A word as long as the text is not a suffix of it "and shorter".
  EXPECT_EQ(word(words.LongestSuffixOf("依法办理")), "办理");
  EXPECT_EQ(words.LongestSuffixOf("办理"), nullptr);
  EXPECT_EQ(words.LongestSuffixOf("合法性审"), nullptr);
  EXPECT_EQ(words.LongestSuffixOf(""), nullptr);
  EXPECT_EQ(word(words.LongestSuffixOf("组织开展")), "开展");

  // A strict suffix first, else the word equal to the text.
  EXPECT_EQ(word(words.LongestSuffixOrSelf("全年依法办理")), "依法办理");
  EXPECT_EQ(word(words.LongestSuffixOrSelf("依法办理")), "办理");
  EXPECT_EQ(word(words.LongestSuffixOrSelf("办理")), "办理");
  EXPECT_EQ(words.LongestSuffixOrSelf("合法性审"), nullptr);
  EXPECT_EQ(words.LongestSuffixOrSelf(""), nullptr);

  EXPECT_TRUE(words.Contains("办理"));
  EXPECT_TRUE(words.Contains("展"));
  EXPECT_FALSE(words.Contains("理"));
  EXPECT_FALSE(words.Contains("法办理"));
  EXPECT_FALSE(words.Contains(""));
}

// Random words and texts over a small alphabet (so suffixes collide often),
// checked against comparing every word. Texts also hold 丞, which no word
// does and which ends in the same byte as 办 (9E), and é, a two-byte
// character: the one-bit filters must pass both over correctly.
TEST(WordsByEndTest, AgreesWithComparingEveryWord) {
  const std::vector<std::string> alphabet = {"办", "理", "审", "查",
                                             "a",  "率", "é"};
  const std::vector<std::string> text_alphabet = {"办", "理", "审", "查",
                                                  "a",  "率", "é",  "丞"};
  std::mt19937 random(20261127);
  auto make_from = [&](const std::vector<std::string>& from, int max_chars) {
    std::string s;
    const int n = 1 + static_cast<int>(random() % max_chars);
    for (int i = 0; i < n; ++i) s += from[random() % from.size()];
    return s;
  };
  auto make = [&](int max_chars) { return make_from(alphabet, max_chars); };
  std::vector<std::string> list;
  WordsByEnd words;
  for (int i = 0; i < 40; ++i) {
    list.push_back(make(4));
    words.Add(list.back());
  }
  for (int t = 0; t < 5000; ++t) {
    const std::string text = make_from(text_alphabet, 7);
    const std::string* expected = nullptr;
    bool contained = false;
    for (const std::string& w : list) {
      const bool suffix =
          text.size() >= w.size() &&
          std::string_view(text).substr(text.size() - w.size()) == w;
      if (suffix && w.size() < text.size() &&
          (expected == nullptr || w.size() > expected->size())) {
        expected = &w;
      }
      contained = contained || w == text;
    }
    const std::string* found = words.LongestSuffixOf(text);
    ASSERT_EQ(found == nullptr, expected == nullptr) << text;
    if (found != nullptr) {
      EXPECT_EQ(*found, *expected) << text;
    }
    EXPECT_EQ(words.Contains(text), contained) << text;
    const std::string* either = words.LongestSuffixOrSelf(text);
    if (expected != nullptr) {
      ASSERT_NE(either, nullptr) << text;
      EXPECT_EQ(*either, *expected) << text;
    } else if (contained) {
      ASSERT_NE(either, nullptr) << text;
      EXPECT_EQ(*either, text);
    } else {
      EXPECT_EQ(either, nullptr) << text;
    }
  }
}

}  // namespace
}  // namespace reportpipe::extractor
