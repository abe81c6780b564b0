// Chinese numerals: 一 … 九十九 for heading markers, 两千余 and 五万 for counts.
#ifndef REPORTPIPE_LIB_TEXT_NUMERALS_H_
#define REPORTPIPE_LIB_TEXT_NUMERALS_H_

#include <cstdint>
#include <optional>
#include <string_view>

namespace reportpipe::text {

// The digit value of a Chinese numeral character (零/〇 0, 一 1, 两 2 … 九 9),
// or -1.
int ChineseDigit(char32_t c);

// True for the characters ParseChineseNumber reads: digits and 十百千万亿.
bool IsChineseNumeralChar(char32_t c);

// Reads a whole Chinese numeral written in UTF-8: 十二 → 12, 二十 → 20,
// 一百零八 → 108, 两千 → 2000, 三万五千 → 35000, 二〇二三 → 2023 (digit by
// digit). nullopt when the text is empty, holds anything else, or reads as
// 10^18 or more (亿亿亿, nineteen digits): no report's figure, and beyond
// what int64_t is sure to hold while it is read.
std::optional<int64_t> ParseChineseNumber(std::string_view utf8);

}  // namespace reportpipe::text

#endif  // REPORTPIPE_LIB_TEXT_NUMERALS_H_
