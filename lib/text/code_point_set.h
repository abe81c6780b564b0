// A set of code points, one bit each below U+10000: where a walk over text
// has found a place a word may stand (its first two bytes, its last byte),
// one bit for the whole character settles most places before any word is
// compared. Many common Han characters share their first two bytes with a
// word's (并 and 年, 上 and 与) or their last byte.
#ifndef REPORTPIPE_LIB_TEXT_CODE_POINT_SET_H_
#define REPORTPIPE_LIB_TEXT_CODE_POINT_SET_H_

#include <bitset>
#include <cstddef>
#include <string_view>

#include "lib/text/utf8.h"

namespace reportpipe::text {

// A code point above U+FFFF counts as a member once any such was added:
// every use is safe with a superset (a candidate the exact comparison after
// turns down).
class CodePointSet {
 public:
  // Adds every code point of a UTF-8 word. A pack's words are not checked
  // for UTF-8: a sequence cut short by the word's end is not decoded (it
  // could read past the end), and counts as every code point above U+FFFF
  // would; folded text never holds it.
  void Add(std::string_view word) {
    for (size_t p = 0; p < word.size();) {
      if (p + kSequenceLength[static_cast<unsigned char>(word[p])] >
          word.size()) {
        astral_ = true;
        return;
      }
      char32_t c = 0;
      p += DecodeUtf8(word, p, &c);
      AddCodePoint(c);
    }
  }

  void AddCodePoint(char32_t c) {
    if (c < 0x10000) {
      bits_[c] = true;
    } else {
      astral_ = true;
    }
  }

  bool Contains(char32_t c) const { return c < 0x10000 ? bits_[c] : astral_; }

 private:
  std::bitset<0x10000> bits_;
  bool astral_ = false;
};

}  // namespace reportpipe::text

#endif  // REPORTPIPE_LIB_TEXT_CODE_POINT_SET_H_
