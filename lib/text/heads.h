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

namespace reportpipe::text {

// The length of the UTF-8 sequence a byte leads (1 for a continuation byte,
// which a walk from a boundary of valid text never meets).
inline constexpr std::array<unsigned char, 256> kSequenceLength = [] {
  std::array<unsigned char, 256> length{};
  for (size_t b = 0; b < 256; ++b) {
    length[b] = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
  }
  return length;
}();

// A set of heads: the first two bytes of words.
class HeadSet {
 public:
  // Adds the head of a word of two bytes or more.
  void AddWord(std::string_view word) {
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
    // One 16-bit load gives both bytes as the index (see Index).
    while (pos + 1 < n) {
      uint16_t pair;
      std::memcpy(&pair, s + pos, 2);
      if (Has(pair)) return pos;
      pos += kSequenceLength[s[pos]];
    }
    if (pos + 1 == n && Has(Index(s[pos], 0))) return pos;
    return n;
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
