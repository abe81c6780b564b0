// HeadSet::Find against the plain definition: the first character boundary
// at or after a position whose first two bytes (the last byte with a zero
// after it) are a head of the set. On random strings of ASCII, two-, three-
// and four-byte characters: characters that share both head bytes with a
// word (丁, 上, 七 with 一; 协 with 半; 〇 with 【; 发展 with 发布), which are
// heads by this definition, and near misses that share only the first byte
// (也, 吧, ア), which are not, even where the set holds the pair of bytes
// inside one of them (the last two of 也).
#include "lib/text/heads.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "lib/text/utf8.h"
#include "tests/random_pieces.h"

namespace reportpipe::text {
namespace {

TEST(HeadSetTest, FindsTheFirstBoundaryWithAHead) {
  const std::vector<std::string> heads = {"一", "半", "【", "发布"};
  HeadSet set;
  for (const std::string& w : heads) set.AddWord(w);
  set.AddFirstByte('7');
  // A pair that opens with a continuation byte: the last two bytes of 也
  // (E4 B9 9F). No character boundary has it, so Find must pass it over.
  set.AddPair(0xB9, 0x9F);
  auto is_head = [&](const std::string& t, size_t p) {
    const unsigned char first = static_cast<unsigned char>(t[p]);
    if (first == '7') return true;
    if (p + 1 >= t.size()) return false;
    for (const std::string& w : heads) {
      if (t[p] == w[0] && t[p + 1] == w[1]) return true;
    }
    return false;
  };
  const std::vector<std::string> pieces = {
      "a",  "7",    "77",   "一", "丁", "上", "七", "半", "协", "【",
      "〇", "发布", "发展", "é",  "😀",  "，", "\n", "也", "吧", "ア"};
  testing::RandomPieces texts(pieces, 20261127, 0, 12);
  int found = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::string t = texts.Next();
    std::vector<size_t> boundaries;
    for (size_t p = 0; p < t.size();) {
      boundaries.push_back(p);
      char32_t c;
      p += DecodeUtf8(t, p, &c);
    }
    for (const size_t from : boundaries) {
      size_t expected = t.size();
      for (const size_t p : boundaries) {
        if (p >= from && is_head(t, p)) {
          expected = p;
          break;
        }
      }
      ASSERT_EQ(set.Find(t, from), expected) << t << " from " << from;
      found += expected < t.size();
    }
  }
  EXPECT_GT(found, 20000);
}

}  // namespace
}  // namespace reportpipe::text
