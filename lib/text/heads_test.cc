// HeadSet::Find against the plain definition: the first character boundary
// at or after a position where a head of the set stands: a word's first
// character, or a pair of bytes given as a head. On random strings of
// ASCII, two-, three- and four-byte characters: a word that shares its
// first character (发展 with 发布), which is a head; characters that share
// two bytes with a word's first (丁, 上, 七 with 一; 协 with 半; 〇 with 【)
// and near misses that share only the first byte (也, 吧, ア), which are
// not, even where the set holds the pair of bytes inside one of them (the
// last two of 也). Texts are long enough for the block filter (heads.cc) to
// read many blocks, and short enough for the byte walk alone.
#include "lib/text/heads.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "lib/text/utf8.h"
#include "tests/random_pieces.h"

namespace reportpipe::text {
namespace {

// Checks set.Find from every boundary of random texts against is_head;
// returns how many finds were heads.
template <typename IsHead>
int CheckFind(const HeadSet& set, IsHead is_head,
              const std::vector<std::string>& pieces, int max_pieces) {
  testing::RandomPieces texts(pieces, 20261127, 0, max_pieces);
  int found = 0;
  for (int i = 0; i < 4000; ++i) {
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
      EXPECT_EQ(set.Find(t, from), expected) << t << " from " << from;
      if (set.Find(t, from) != expected) return found;
      found += expected < t.size();
    }
  }
  return found;
}

const std::vector<std::string>& Pieces() {
  static const auto* const kPieces = new std::vector<std::string>{
      "a",  "7",    "77",   "一", "丁", "上", "七", "半", "协", "【",
      "〇", "发布", "发展", "é",  "😀",  "，", "\n", "也", "吧", "ア"};
  return *kPieces;
}

TEST(HeadSetTest, FindsTheFirstBoundaryWithAHead) {
  const std::vector<std::string> heads = {"一", "半", "【", "发布"};
  HeadSet set;
  for (const std::string& w : heads) set.AddWord(w);
  set.AddFirstByte('7');
  // A pair that opens with a continuation byte: the last two bytes of 也
  // (E4 B9 9F). No character boundary has it, so Find must pass it over.
  set.AddPair(0xB9, 0x9F);
  auto is_head = [&](const std::string& t, size_t p) {
    if (t[p] == '7') return true;
    for (const std::string& w : heads) {
      if (t.compare(p, 3, w, 0, 3) == 0) return true;  // its first character
    }
    return false;
  };
  EXPECT_GT(CheckFind(set, is_head, Pieces(), 12), 4000);
  // Long enough that most finds start 18 bytes or more before the end.
  EXPECT_GT(CheckFind(set, is_head, Pieces(), 80), 100000);
}

// Heads given as pairs, more than the filter has groups: a group holds
// several, and lets through bytes of no head. Find must still find every
// head, and only heads.
TEST(HeadSetTest, FindsHeadsWhenTheFilterIsWiderThanTheSet) {
  HeadSet set;
  std::vector<std::string> heads;
  // Twelve pairs: 'a' then 0x11, 0x22, … 0x77, and E4 then 0x88, 0x99,
  // 0xAA, 0xB8 (一's) and 0xBB. In order, they fill eight groups two or one
  // at a time: (a, 11) and (a, 22) let a! (0x21) through, (E4, AA) and
  // (E4, B8) 二 (E4 BA) and U+4A00 (E4 A8).
  for (int high = 1; high < 8; ++high) {
    heads.push_back({'a', static_cast<char>(high * 16 + high)});
  }
  for (const unsigned char second : {0x88, 0x99, 0xAA, 0xB8, 0xBB}) {
    heads.push_back({'\xE4', static_cast<char>(second)});
  }
  for (const std::string& h : heads) {
    set.AddPair(static_cast<unsigned char>(h[0]),
                static_cast<unsigned char>(h[1]));
  }
  auto is_head = [&](const std::string& t, size_t p) {
    if (p + 1 >= t.size()) return false;
    for (const std::string& w : heads) {
      if (t[p] == w[0] && t[p + 1] == w[1]) return true;
    }
    return false;
  };
  // Heads: aw (0x77), a3 (0x33), 一 and 丁 (E4 B8), U+4640 (E4 99 80) and
  // U+4A80 (E4 AA 80). Not heads: a5, a!, 二, U+4A00, 也 (E4 B9) and U+4240
  // (E4 89 80).
  const std::vector<std::string> pieces = {"a",
                                           "w",
                                           "3",
                                           "5",
                                           "7",
                                           "一",
                                           "丁",
                                           "也",
                                           "ア",
                                           "aw",
                                           "a3",
                                           "a5",
                                           "a!",
                                           "二",
                                           "aE",
                                           "\xE4\x99\x80",
                                           "\xE4\xAA\x80",
                                           "\xE4\x89\x80",
                                           "\xE4\xA8\x80"};
  EXPECT_GT(CheckFind(set, is_head, pieces, 80), 10000);
}

// The heads of a number, much as the extractor's number grammar has them:
// the digits, and numerals whose first two bytes many common characters
// share (不, 上, 下, 中, 个, 为 with 一, 三, 七, 万, 两). Their third bytes
// tell them apart, in groups of the filter that hold several numerals each (廿
// and 壹 make ten pairs of first bytes, more than the eight groups).
TEST(HeadSetTest, FindsNumeralsAmongCharactersThatShareTheirFirstTwoBytes) {
  const std::string numerals = "零一二两三四五六七八九十百千万亿半廿壹";
  HeadSet set;
  for (char d = '0'; d <= '9'; ++d)
    set.AddFirstByte(static_cast<unsigned char>(d));
  for (size_t p = 0; p < numerals.size(); p += 3) {
    set.AddWord(numerals.substr(p, 3));
  }
  auto is_head = [&](const std::string& t, size_t p) {
    if (t[p] >= '0' && t[p] <= '9') return true;
    for (size_t q = 0; q < numerals.size(); q += 3) {
      if (t.compare(p, 3, numerals, q, 3) == 0) return true;
    }
    return false;
  };
  const std::vector<std::string> pieces = {
      "一", "三", "万", "两", "半", "十", "廿", "亿", "5",  "。",
      "，", "不", "上", "下", "中", "个", "为", "与", "协", "【",
      "举", "年", "件", "案", "率", "%",  "a",  "\n"};
  EXPECT_GT(CheckFind(set, is_head, pieces, 80), 100000);
}

}  // namespace
}  // namespace reportpipe::text
