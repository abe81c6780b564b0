// Walks that look at every character of a text for the few where one of a
// set of words may begin (a number's first character, a page-furniture
// word). Most characters begin none, and the first two bytes of a character
// say so in one bit: no decoding, no word compared.
#ifndef REPORTPIPE_LIB_TEXT_HEADS_H_
#define REPORTPIPE_LIB_TEXT_HEADS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "lib/text/utf8.h"

namespace reportpipe::text {

// A set of heads: the first two bytes of words.
class HeadSet {
 public:
  // Adds the head of a word: its first two bytes, or for a word of one byte
  // that byte with any byte or none after it. An empty word has no head and
  // is not added.
  void AddWord(std::string_view word) {
    if (word.size() == 1) AddFirstByte(static_cast<unsigned char>(word[0]));
    if (word.size() < 2) return;
    Set(static_cast<unsigned char>(word[0]),
        static_cast<unsigned char>(word[1]));
  }
  // Adds one head.
  void AddPair(unsigned char first, unsigned char second) {
    Set(first, second);
  }
  // Adds every head that opens with this byte: for a one-byte word (a
  // digit), with any byte or none after it.
  void AddFirstByte(unsigned char first) {
    for (unsigned second = 0; second < 256; ++second) Set(first, second);
  }

  // Whether a head of the set stands at byte `pos` of `text` (the last byte
  // is read with a zero byte after it).
  bool At(std::string_view text, size_t pos) const {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    return Has(Index(s[pos], pos + 1 < text.size() ? s[pos + 1] : 0));
  }

  // The first character boundary at or after `pos` where a head of the set
  // stands (the last byte of the text is read with a zero byte after it), or
  // text.size(). `pos` must be a boundary of valid UTF-8.
  size_t Find(std::string_view text, size_t pos) const {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const size_t n = text.size();
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
      if (Has(pair) && (s[pos] & 0xC0) != 0x80) return pos;
    }
    if (pos + 1 == n && Has(Index(s[pos], 0)) && (s[pos] & 0xC0) != 0x80) {
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
  // The two bytes as a 16-bit word in the machine's own order, so that a
  // plain load of them from the text is the index.
  static uint16_t Index(unsigned char first, unsigned char second) {
    const unsigned char bytes[2] = {first, second};
    uint16_t pair;
    std::memcpy(&pair, bytes, 2);
    return pair;
  }
  void Set(unsigned first, unsigned second) {
    const uint16_t i = Index(static_cast<unsigned char>(first),
                             static_cast<unsigned char>(second));
    bits_[i >> 6] |= uint64_t{1} << (i & 63);
  }
  bool Has(uint16_t i) const { return (bits_[i >> 6] >> (i & 63)) & 1; }

  std::array<uint64_t, 1024> bits_{};
};

}  // namespace reportpipe::text

#endif  // REPORTPIPE_LIB_TEXT_HEADS_H_
