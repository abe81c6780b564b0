#include "lib/text/affixes.h"

#include <random>
#include <string>

#include "gtest/gtest.h"

namespace reportpipe::text {
namespace {

TEST(AffixesTest, ChineseWords) {
  EXPECT_TRUE(HasPrefix("百分之九十", "百分之"));
  EXPECT_FALSE(HasPrefix("百分点", "百分之"));
  EXPECT_TRUE(HasSuffix("行政复议案件", "案件"));
  EXPECT_FALSE(HasSuffix("件", "案件"));
  EXPECT_TRUE(HasWordAt("共办理案件", 3, "办理"));
  EXPECT_FALSE(HasWordAt("共办理案件", 6, "办理"));
  EXPECT_FALSE(HasWordAt("共办理", 9, "办理"));
  EXPECT_FALSE(HasWordAt("共办理", 10, "办"));
  EXPECT_EQ(FindLast("机关的败诉的率", "的"), 15u);
  EXPECT_EQ(FindLast("败诉率", "的"), std::string_view::npos);
  EXPECT_TRUE(HasPrefix("", ""));
  EXPECT_TRUE(HasSuffix("x", ""));
}

// The one-byte shortcut must never change an answer: compare with the plain
// definition over random strings from a small alphabet, where partial
// matches (same last byte, different rest) are common.
TEST(AffixesTest, SameAnswersAsPlainComparison) {
  std::mt19937 rng(20261127);
  const std::string alphabet[] = {"a",  "b",        "、",  "和",
                                  "及", "\xE4\xB8", "\x8C"};
  auto random_string = [&](int max_parts) {
    std::string s;
    const int n = static_cast<int>(rng() % (max_parts + 1));
    for (int i = 0; i < n; ++i) s += alphabet[rng() % std::size(alphabet)];
    return s;
  };
  for (int round = 0; round < 20000; ++round) {
    const std::string s = random_string(6);
    const std::string w = random_string(3);
    const std::string_view sv(s), wv(w);
    EXPECT_EQ(HasPrefix(sv, wv), sv.substr(0, wv.size()) == wv)
        << s << " / " << w;
    EXPECT_EQ(HasSuffix(sv, wv),
              sv.size() >= wv.size() && sv.substr(sv.size() - wv.size()) == wv)
        << s << " / " << w;
    EXPECT_EQ(FindLast(sv, wv), sv.rfind(wv)) << s << " / " << w;
    const size_t pos = rng() % (s.size() + 2);
    EXPECT_EQ(HasWordAt(sv, pos, wv),
              pos <= sv.size() && sv.substr(pos, wv.size()) == wv)
        << s << " / " << w << " at " << pos;
  }
}

}  // namespace
}  // namespace reportpipe::text
