// Walks that look at every character of a text for the few where one of a
// set of words may begin (a number's first character, a page-furniture
// word). Most characters begin none: the first two bytes of a character
// say so in one bit, no decoding, no word compared, and where the
// processor has SSSE3 sixteen bytes are ruled out at a time (heads.cc).
#ifndef REPORTPIPE_LIB_TEXT_HEADS_H_
#define REPORTPIPE_LIB_TEXT_HEADS_H_

#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "lib/text/utf8.h"

namespace reportpipe::text {

// A set of heads. A word's head is its first character, whole: a Chinese
// word's three bytes (一 is the head of 一律, and 丁, which shares its
// first two bytes, is none), a one-byte word's byte followed by anything
// or nothing. A head may also be given as two bytes followed by anything
// (AddPair), for a range of characters.
class HeadSet {
 public:
  // Adds the head of a word. A word whose first character is not three
  // bytes long (é, or a character cut short) has its first two bytes as
  // its head. An empty word has no head and is not added.
  void AddWord(std::string_view word);
  // Adds one head of two bytes, followed by anything.
  void AddPair(unsigned char first, unsigned char second);
  // Adds every head that opens with this byte: for a one-byte word (a
  // digit), with any byte or none after it.
  void AddFirstByte(unsigned char first);

  // Whether a head of the set stands at byte `pos` of `text` (the last byte
  // is read with a zero byte after it).
  bool At(std::string_view text, size_t pos) const {
    return HeadAt(reinterpret_cast<const unsigned char*>(text.data()),
                  text.size(), pos);
  }

  // The first character boundary at or after `pos` where a head of the set
  // stands (the last byte of the text is read with a zero byte after it), or
  // text.size(). `pos` must be a boundary of valid UTF-8.
  size_t Find(std::string_view text, size_t pos) const {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const size_t n = text.size();
    if (pos < n && n - pos >= kBlockReach && block_filter_) {
      const size_t found = FindByBlocks(s, n, &pos);
      if (found != kNotInBlocks) return found;
    }
    // Every byte is asked, not only each character's first: a step of one
    // byte does not wait for the last byte's length to be looked up, so the
    // loads of successive bytes overlap (perf: the walk took a third of the
    // time of one that stepped a character at a time). A head found on a
    // continuation byte (only a set with a pair that no word of valid UTF-8
    // opens with has one) is passed over: the answer stays the first
    // character boundary. One 16-bit load gives both bytes as the index.
    for (; pos + 1 < n; ++pos) {
      uint16_t pair;
      std::memcpy(&pair, s + pos, 2);
      if (Has(bits_, pair) && (s[pos] & 0xC0) != 0x80 &&
          ThirdByteFits(s, n, pos, pair)) {
        return pos;
      }
    }
    if (pos + 1 == n && Has(bits_, Index(s[pos], 0)) &&
        (s[pos] & 0xC0) != 0x80 && Has(any_third_, Index(s[pos], 0))) {
      return pos;
    }
    return n;
  }

  // As Find, from the character after the one at `pos` (a boundary before
  // the text's end): the next head after one already found.
  size_t FindAfter(std::string_view text, size_t pos) const {
    return Find(text,
                pos + kSequenceLength[static_cast<unsigned char>(text[pos])]);
  }

 private:
  using PairBits = std::array<uint64_t, 1024>;
  // FindByBlocks reads a block of sixteen bytes and the two after it.
  static constexpr size_t kBlockReach = 18;
  static constexpr size_t kNotInBlocks = ~size_t{0};

  // Looks sixteen bytes at a time from *pos for a head, while a block and
  // the two bytes after it lie before `n`: the head's position, or
  // kNotInBlocks with *pos at the first byte left unread (which may be
  // inside a character: Find's byte walk passes continuation bytes over).
  size_t FindByBlocks(const unsigned char* s, size_t n, size_t* pos) const;
  // Sets the block filter's tables from first_bytes_ and pairs_.
  void BuildFilter();

  // Whether the head whose first two bytes, `pair`, stand at `pos` (a head
  // of bits_) goes on as one does: anything after a pair of any_third_, a
  // three-byte character of characters_ otherwise.
  bool ThirdByteFits(const unsigned char* s, size_t n, size_t pos,
                     uint16_t pair) const {
    if (Has(any_third_, pair)) return true;
    if (pos + 2 >= n || (s[pos + 2] & 0xC0) != 0x80) return false;
    return characters_.test((s[pos] & 0x0Fu) << 12 | (s[pos + 1] & 0x3Fu) << 6 |
                            (s[pos + 2] & 0x3Fu));
  }
  bool HeadAt(const unsigned char* s, size_t n, size_t pos) const {
    const uint16_t pair = Index(s[pos], pos + 1 < n ? s[pos + 1] : 0);
    return Has(bits_, pair) && ThirdByteFits(s, n, pos, pair);
  }

  // The two bytes as a 16-bit word in the machine's own order, so that a
  // plain load of them from the text is the index.
  static uint16_t Index(unsigned char first, unsigned char second) {
    const unsigned char bytes[2] = {first, second};
    uint16_t pair;
    std::memcpy(&pair, bytes, 2);
    return pair;
  }
  static void Set(PairBits* bits, unsigned first, unsigned second) {
    const uint16_t i = Index(static_cast<unsigned char>(first),
                             static_cast<unsigned char>(second));
    (*bits)[i >> 6] |= uint64_t{1} << (i & 63);
  }
  static bool Has(const PairBits& bits, uint16_t i) {
    return (bits[i >> 6] >> (i & 63)) & 1;
  }

  // The first two bytes of every head.
  PairBits bits_{};
  // Those of heads that go on with anything: pairs and first bytes.
  PairBits any_third_{};
  // Three-byte heads, by code point (all are below U+10000).
  std::bitset<0x10000> characters_;

  // The block filter (heads.cc). A byte can only begin a head if it is one
  // of first_bytes_, or it and the two bytes after it are those of a head of
  // pairs_ (a head's third byte may be anything). Both are asked of sixteen
  // bytes at a time: a byte's place in a set is read off two tables of
  // sixteen entries, one by its low four bits and one by its high four,
  // whose entries are masks of eight groups. The bytes a filter lets
  // through at a position are those whose two entries share a group
  // ("shufti", as Hyperscan calls it; three positions together, "Teddy").
  // A group holds more than one byte, so a filter lets through bytes
  // outside its set (Find then asks bits_, as it does of every byte let
  // through), never stops one in it.
  struct Pair {
    unsigned char first = 0;
    unsigned char second = 0;
    std::bitset<256> thirds;
  };
  std::bitset<256> first_bytes_;
  std::vector<Pair> pairs_;
  bool block_filter_ = false;  // the processor has SSSE3
  // Tables by low and high four bits: for first_bytes_, then the first,
  // second and third bytes of pairs_.
  std::array<std::array<uint8_t, 16>, 8> tables_{};
};

}  // namespace reportpipe::text

#endif  // REPORTPIPE_LIB_TEXT_HEADS_H_
