// Clause boundaries in folded text: , ; : ! ? 。 and line ends. 、 is not
// one: it joins the items of a list within a clause. The sentence reader
// walks clauses to find a number's words; the number grammar looks for
// non-metric names within the clauses a number stands in.
#ifndef REPORTPIPE_SERVICES_EXTRACTOR_CLAUSES_H_
#define REPORTPIPE_SERVICES_EXTRACTOR_CLAUSES_H_

#include <array>
#include <cstddef>
#include <string_view>

namespace reportpipe::extractor {

// The bytes a delimiter can begin with: the clause walks ask at every byte
// of a sentence, and one look-up settles nearly all of them.
inline constexpr std::array<bool, 256> kMayBeginDelimiter = [] {
  std::array<bool, 256> table{};
  for (const char c : {',', ';', ':', '!', '?', '\n'}) {
    table[static_cast<unsigned char>(c)] = true;
  }
  table[0xE3] = true;
  return table;
}();

// Whether a delimiter begins at byte `p` of `t`; if so, its length in *len.
inline bool IsDelimiterAt(std::string_view t, size_t p, size_t* len) {
  const unsigned char c = static_cast<unsigned char>(t[p]);
  if (!kMayBeginDelimiter[c]) return false;
  if (c != 0xE3) {
    *len = 1;
    return true;
  }
  // 。 is E3 80 82; the other full-width marks were folded to ASCII.
  if (p + 2 < t.size() && t[p + 1] == '\x80' && t[p + 2] == '\x82') {
    *len = 3;
    return true;
  }
  return false;
}

// Whether a delimiter ends just before byte `p` (p > floor), looking no
// further back than `floor`: the backward form of IsDelimiterAt.
inline bool DelimiterEndsAt(std::string_view t, size_t floor, size_t p) {
  const unsigned char c = static_cast<unsigned char>(t[p - 1]);
  if (c == 0x82) {
    return p >= floor + 3 && t[p - 3] == '\xE3' && t[p - 2] == '\x80';
  }
  return c < 0x80 && kMayBeginDelimiter[c];
}

// The start of the clause that holds byte `pos`: just after the last
// delimiter in [floor, pos), or floor (also when pos is not past floor).
inline size_t ClauseBegin(std::string_view t, size_t floor, size_t pos) {
  for (size_t p = pos; p > floor; --p) {
    if (DelimiterEndsAt(t, floor, p)) return p;
  }
  return floor;
}

// Where the delimiter that ends just before `pos` starts (pos - 3 for 。,
// pos - 1 for the others), looking no further back than `floor`; pos when
// no delimiter ends there.
inline size_t DelimiterStartBefore(std::string_view t, size_t floor,
                                   size_t pos) {
  if (pos <= floor || !DelimiterEndsAt(t, floor, pos)) return pos;
  return static_cast<unsigned char>(t[pos - 1]) == 0x82 ? pos - 3 : pos - 1;
}

// The first delimiter in [pos, end), or end.
inline size_t ClauseEnd(std::string_view t, size_t pos, size_t end) {
  for (size_t p = pos; p < end; ++p) {
    size_t len = 0;
    if (IsDelimiterAt(t, p, &len)) return p;
  }
  return end;
}

}  // namespace reportpipe::extractor

#endif  // REPORTPIPE_SERVICES_EXTRACTOR_CLAUSES_H_
