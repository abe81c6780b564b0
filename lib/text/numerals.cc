#include "lib/text/numerals.h"

#include "lib/text/utf8.h"

namespace reportpipe::text {

int ChineseDigit(char32_t c) {
  switch (c) {
    case U'零':
    case U'〇':
      return 0;
    case U'一':
      return 1;
    case U'二':
    case U'两':
      return 2;
    case U'三':
      return 3;
    case U'四':
      return 4;
    case U'五':
      return 5;
    case U'六':
      return 6;
    case U'七':
      return 7;
    case U'八':
      return 8;
    case U'九':
      return 9;
    default:
      return -1;
  }
}

namespace {

int64_t UnitValue(char32_t c) {
  switch (c) {
    case U'十':
      return 10;
    case U'百':
      return 100;
    case U'千':
      return 1000;
    case U'万':
      return 10000;
    case U'亿':
      return 100000000;
    default:
      return 0;
  }
}

}  // namespace

bool IsChineseNumeralChar(char32_t c) {
  return ChineseDigit(c) >= 0 || UnitValue(c) > 0;
}

std::optional<int64_t> ParseChineseNumber(std::string_view utf8) {
  // No figure in a report comes near this; a numeral run that does (亿亿亿…,
  // a long string of digits) is no number, and reading it would overflow.
  constexpr int64_t kLimit = 1'000'000'000'000'000'000;  // 10^18
  if (utf8.empty()) return std::nullopt;
  // Validate first so DecodeUtf8 only ever sees whole sequences.
  if (!ValidateUtf8(utf8).ok()) return std::nullopt;
  int64_t above_yi = 0;  // everything already multiplied by 亿
  int64_t wan = 0;       // the 万 group below it
  int64_t section = 0;   // the group below 万 (十百千)
  int64_t digit = 0;     // a digit waiting for its unit
  bool any_unit = false;
  int64_t sequence = 0;  // the digit-by-digit reading (二〇二三)
  for (size_t pos = 0; pos < utf8.size();) {
    char32_t c;
    pos += DecodeUtf8(utf8, pos, &c);
    const int d = ChineseDigit(c);
    if (d >= 0) {
      if (sequence > (kLimit - d) / 10) return std::nullopt;
      sequence = sequence * 10 + d;
      digit = d;
      continue;
    }
    const int64_t unit = UnitValue(c);
    if (unit == 0) return std::nullopt;
    any_unit = true;
    if (unit == 100000000) {
      // Each group below is under 10^8 · 10^4 · 10, far from the limit; the
      // sum above 亿 is what grows with each 亿.
      const int64_t group = wan + section + digit;
      const int64_t sum = above_yi + (group == 0 ? 1 : group);
      if (sum > kLimit / unit) return std::nullopt;
      above_yi = sum * unit;
      wan = section = 0;
    } else if (unit == 10000) {
      const int64_t group = section + digit;
      wan = (group == 0 ? 1 : group) * unit;
      section = 0;
    } else {
      // 十 alone means 一十; 零 never takes a unit.
      section += (digit == 0 ? 1 : digit) * unit;
    }
    digit = 0;
  }
  if (!any_unit) return sequence;
  return above_yi + wan + section + digit;
}

}  // namespace reportpipe::text
