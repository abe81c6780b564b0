// UTF-8 checks and conversion from GB18030.
//
// Reports arrive as bytes. Everything downstream works on valid UTF-8, so the
// segmenter checks it first and names the first bad byte in its error, which
// lets a caller find the damage in a 50 MB file.
#ifndef REPORTPIPE_LIB_TEXT_UTF8_H_
#define REPORTPIPE_LIB_TEXT_UTF8_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "absl/base/config.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace reportpipe::text {

// OK when `bytes` is valid UTF-8 (no overlong forms, no surrogates, nothing
// above U+10FFFF); otherwise INVALID_ARGUMENT naming the offset of the first
// invalid byte.
absl::Status ValidateUtf8(std::string_view bytes);

// Whether `byte` continues a UTF-8 sequence (10xxxxxx): a cut there would
// split a character.
inline bool IsContinuationByte(char byte) {
  return (static_cast<unsigned char>(byte) & 0xC0) == 0x80;
}

// The length of the UTF-8 sequence a byte leads: 1 for ASCII, 2, 3 or 4 by
// its high bits. A continuation byte counts 1 (a walk from a boundary of
// valid text never meets one); C0, C1 and F5–FF, which valid UTF-8 never
// holds, count as their high bits say (DecodeUtf8 steps one byte there).
inline constexpr std::array<unsigned char, 256> kSequenceLength = [] {
  std::array<unsigned char, 256> length{};
  for (size_t b = 0; b < 256; ++b) {
    length[b] = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
  }
  return length;
}();

// The code point that ends just before `pos`, looking no further back than
// `floor` (0 when pos is not past floor). For valid UTF-8.
inline char32_t CodePointBefore(std::string_view text, size_t floor,
                                size_t pos);

// The first code point boundary at or after `pos` in [pos, end): past any
// continuation bytes (after a step of one byte into a character).
inline size_t NextBoundary(std::string_view text, size_t pos, size_t end) {
  while (pos < end && IsContinuationByte(text[pos])) {
    ++pos;
  }
  return pos;
}

// Decodes the code point at `pos` of valid UTF-8 and returns its byte length.
// `pos` must be at a code point boundary of text that ValidateUtf8 accepted.
// Inline: the segmenter and the extractor call it at nearly every character.
inline int DecodeUtf8(std::string_view text, size_t pos, char32_t* code_point) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data()) + pos;
  const unsigned char lead = s[0];
  if (lead < 0x80) {
    *code_point = lead;
    return 1;
  }
  if (lead >= 0xE0 && lead <= 0xEF) {  // most of a Chinese report
    *code_point =
        ((lead & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
    return 3;
  }
  if (lead >= 0xC2 && lead <= 0xDF) {
    *code_point = ((lead & 0x1Fu) << 6) | (s[1] & 0x3Fu);
    return 2;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    *code_point = ((lead & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) |
                  ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
    return 4;
  }
  // Not reached for validated text; step one byte so callers progress.
  *code_point = 0xFFFD;
  return 1;
}

inline char32_t CodePointBefore(std::string_view text, size_t floor,
                                size_t pos) {
  if (pos <= floor) return 0;
  size_t p = pos - 1;
  while (p > floor && pos - p < 4 && IsContinuationByte(text[p])) --p;
  char32_t c = 0;
  DecodeUtf8(text, p, &c);
  return c;
}

// Reads s[i..i+2] into the low three bytes of `word`, s[i] lowest, for
// tests of a whole three-byte sequence at once (a Han character is one);
// false when fewer than three bytes are left. Where a fourth byte follows it
// is read in the same load and left in the top byte: mask it off (or test
// only the low three bytes). Callers ask at every character, so the common
// case costs one comparison and one load. `i` must not be past `n`.
inline bool LoadThreeBytes(const unsigned char* s, size_t i, size_t n,
                           uint32_t* word) {
#if defined(ABSL_IS_LITTLE_ENDIAN)
  if (n - i >= 4) {
    std::memcpy(word, s + i, 4);
    return true;
  }
#endif
  if (n - i < 3) return false;
  *word = uint32_t{s[i]} | uint32_t{s[i + 1]} << 8 | uint32_t{s[i + 2]} << 16;
  return true;
}

// Appends the UTF-8 form of `code_point`.
void AppendUtf8(char32_t code_point, std::string* out);

// Converts GB18030 (which includes GBK and GB2312) to UTF-8 with glibc's
// iconv. INVALID_ARGUMENT naming the offset when the bytes are not GB18030.
absl::StatusOr<std::string> Gb18030ToUtf8(std::string_view bytes);

// True when every byte is ASCII white space.
bool IsBlank(std::string_view bytes);

}  // namespace reportpipe::text

#endif  // REPORTPIPE_LIB_TEXT_UTF8_H_
