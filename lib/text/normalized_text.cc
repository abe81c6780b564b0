#include "lib/text/normalized_text.h"

#include <algorithm>
#include <cstdint>

#include "lib/text/utf8.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace reportpipe::text {
namespace {

#if defined(__SSE2__)
// Bytes of x from lo to lo + width, as 0xFF bytes.
inline __m128i InRange(__m128i x, unsigned char lo, unsigned char width) {
  const __m128i t = _mm_sub_epi8(x, _mm_set1_epi8(static_cast<char>(lo)));
  return _mm_cmpeq_epi8(
      _mm_min_epu8(t, _mm_set1_epi8(static_cast<char>(width))), t);
}

// How many bytes from `s` (a character boundary, with 18 bytes to read)
// fold to themselves and are well formed, in whole characters: ASCII from
// space to ~ and line breaks, and Han characters U+4000–U+9FFF other than
// 萬 and 億. Sixteen bytes are asked at once; 0 when the first is none.
// A lead's two continuation bytes are read at s+1 and s+2 (the loads
// there), so a character that ends past the sixteenth byte still counts.
size_t PlainBytes(const unsigned char* s) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
  const __m128i v1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + 1));
  const __m128i v2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + 2));
  const __m128i top_two = _mm_set1_epi8(static_cast<char>(0xC0));
  const __m128i continuation = _mm_set1_epi8(static_cast<char>(0x80));
  auto is_continuation = [&](__m128i x) {
    return _mm_cmpeq_epi8(_mm_and_si128(x, top_two), continuation);
  };
  auto is = [](__m128i x, unsigned char b) {
    return _mm_cmpeq_epi8(x, _mm_set1_epi8(static_cast<char>(b)));
  };
  const __m128i wan_or_yi = _mm_or_si128(
      _mm_and_si128(is(v, 0xE8), _mm_and_si128(is(v1, 0x90), is(v2, 0xAC))),
      _mm_and_si128(is(v, 0xE5), _mm_and_si128(is(v1, 0x84), is(v2, 0x84))));
  const __m128i lead = _mm_andnot_si128(wan_or_yi, InRange(v, 0xE4, 5));
  const __m128i whole = _mm_and_si128(
      lead, _mm_and_si128(is_continuation(v1), is_continuation(v2)));
  const __m128i ascii = _mm_or_si128(InRange(v, 0x20, 0x5E), is(v, '\n'));
  const unsigned leads = static_cast<unsigned>(_mm_movemask_epi8(whole));
  const unsigned continuations =
      static_cast<unsigned>(_mm_movemask_epi8(is_continuation(v)));
  // A continuation byte is well placed one or two bytes after a whole lead.
  const unsigned placed = (leads << 1) | (leads << 2);
  const unsigned ok = static_cast<unsigned>(_mm_movemask_epi8(ascii)) | leads |
                      (continuations & placed);
  const unsigned bad = ~ok & 0xFFFFu;
  if (bad != 0) return static_cast<size_t>(__builtin_ctz(bad));
  // All sixteen: a character opened at the fifteenth or sixteenth byte ends
  // after them.
  return (leads & 0x8000u) != 0 ? 18 : (leads & 0x4000u) != 0 ? 17 : 16;
}
#endif

// The length of the well-formed UTF-8 sequence at `pos` (2 to 4 bytes: no
// overlong form, no surrogate, nothing above U+10FFFF), or 0.
size_t WellFormedLength(std::string_view s, size_t pos) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b0 = byte(pos);
  const size_t len = b0 < 0xC2 ? 0 : b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : b0 < 0xF5 ? 4 : 0;
  if (len == 0 || pos + len > s.size()) return 0;
  for (size_t i = 1; i < len; ++i) {
    if ((byte(pos + i) & 0xC0) != 0x80) return 0;
  }
  const unsigned char b1 = byte(pos + 1);
  if ((b0 == 0xE0 && b1 < 0xA0) || (b0 == 0xED && b1 >= 0xA0) ||
      (b0 == 0xF0 && b1 < 0x90) || (b0 == 0xF4 && b1 >= 0x90)) {
    return 0;
  }
  return len;
}

// Whether bytes[pos..pos+2] is a Han character U+4000-U+9FFF (lead E4-E9,
// then two bytes 10xxxxxx) other than 萬 (E8 90 AC) and 億 (E5 84 84).
inline bool IsHanThatKeeps(const unsigned char* bytes, size_t pos, size_t n) {
  uint32_t word;
  if (!LoadThreeBytes(bytes, pos, n, &word)) return false;
  word &= 0xFFFFFFu;
  return (word & 0xC0C0F0u) == 0x8080E0u && (word & 0x0Fu) - 4u < 6u &&
         word != 0xAC90E8u && word != 0x8484E5u;
}

}  // namespace

char32_t FoldCodePoint(char32_t c) {
  if (c >= 0xFF01 && c <= 0xFF5E) return c - 0xFEE0;
  switch (c) {
    case 0x3000:  // ideographic space
    case 0x00A0:  // no-break space
    case 0x2002:
    case 0x2003:
    case 0x2009:
    case 0x200B:
    case 0xFEFF:  // byte order mark and zero-width no-break space
    case '\r':
    case '\t':
      return ' ';
    case 0xFE6A:  // small percent sign
      return '%';
    case 0x842C:  // 萬
      return 0x4E07;
    case 0x5104:  // 億
      return 0x4EBF;
    default:
      return c;
  }
}

NormalizedText NormalizedText::Fold(std::string_view original) {
  NormalizedText out;
  out.text_.reserve(original.size());
  out.anchors_.emplace_back(0, 0);
  size_t shift = 0;
  out.AppendFolded(original, &shift);
  return out;
}

NormalizedText NormalizedText::FoldWithout(
    std::string_view original, const std::vector<ByteSpan>& dropped) {
  NormalizedText out;
  out.text_.reserve(original.size());
  out.anchors_.emplace_back(0, 0);
  size_t shift = 0;
  size_t pos = 0;
  for (const ByteSpan& d : dropped) {
    // Out of order, overlapping or past the end: what is left of it.
    const size_t start = std::min(std::max(d.start, pos), original.size());
    const size_t end = std::min(std::max(d.end, start), original.size());
    out.AppendFolded(original.substr(pos, start - pos), &shift);
    if (end > start) {
      out.drops_.emplace_back(out.text_.size(), start);
      shift += end - start;
      out.anchors_.emplace_back(out.text_.size(), shift);
    }
    pos = end;
  }
  out.AppendFolded(original.substr(pos), &shift);
  return out;
}

void NormalizedText::AppendFolded(std::string_view original, size_t* shift_io) {
  size_t shift = *shift_io;  // original − folded at the current position
  // Most code points fold to themselves: they are copied as runs of bytes,
  // and only a code point that changes is decoded into the output.
  size_t run_start = 0;
  size_t pos = 0;
  const auto* bytes = reinterpret_cast<const unsigned char*>(original.data());
  while (pos < original.size()) {
    const unsigned char lead = static_cast<unsigned char>(original[pos]);
#if defined(__SSE2__)
    // A run of plain text sixteen bytes at a time, where one may begin
    // (not at punctuation, which is asked of one character at a time).
    if (original.size() - pos >= 18 &&
        ((lead >= 0xE4 && lead <= 0xE9) || (lead >= 0x20 && lead < 0x7F))) {
      const size_t plain = PlainBytes(bytes + pos);
      if (plain != 0) {
        pos += plain;
        continue;
      }
    }
#endif
    if (lead < 0x80 && lead != '\r' && lead != '\t') {
      ++pos;
      continue;
    }
    // Han characters U+4000-U+9FFF (lead bytes E4-E9, no overlong or
    // surrogate forms among them) are most of a report, and of them only 萬
    // and 億 fold: pass a run of the rest over without decoding, each
    // character tested on one word.
    if (IsHanThatKeeps(bytes, pos, original.size())) {
      do {
        pos += 3;
      } while (IsHanThatKeeps(bytes, pos, original.size()));
      continue;
    }
    // The punctuation of a Chinese text, on its bytes: 、。《》【】 (U+3001–
    // U+303F, E3 80 81–BF) and — “” ‘’ … (U+2000–U+203F, E2 80 80–BF) fold
    // to themselves, but for the spaces U+3000, U+2002, U+2003, U+2009 and
    // U+200B; ，：；（）！？％ (U+FF01–U+FF5E, EF BC 81–BF and EF BD 80–9E)
    // fold to ASCII, 0xFEE0 lower.
    if ((lead == 0xE3 || lead == 0xE2 || lead == 0xEF) &&
        pos + 3 <= original.size()) {
      const unsigned char b1 = bytes[pos + 1];
      const unsigned char b2 = bytes[pos + 2];
      const bool trail = (b2 & 0xC0) == 0x80;
      if (trail && b1 == 0x80 &&
          ((lead == 0xE3 && b2 != 0x80) ||
           (lead == 0xE2 && b2 != 0x82 && b2 != 0x83 && b2 != 0x89 &&
            b2 != 0x8B))) {
        pos += 3;
        continue;
      }
      if (lead == 0xEF && trail &&
          ((b1 == 0xBC && b2 >= 0x81) || (b1 == 0xBD && b2 <= 0x9E))) {
        text_.append(original.substr(run_start, pos - run_start));
        text_.push_back(static_cast<char>(b1 == 0xBC ? b2 - 0x60 : b2 - 0x20));
        pos += 3;
        run_start = pos;
        shift += 2;
        anchors_.emplace_back(text_.size(), shift);
        continue;
      }
    }
    // (Here an ASCII byte is \r or \t, which fold to a space.)
    const size_t len = lead < 0x80 ? 1 : WellFormedLength(original, pos);
    if (len == 0) {
      // Not UTF-8 (callers validate first; examples and fuzzed packs may
      // not): '?' for the byte, one for one, so the folded text is always
      // UTF-8 and no offset moves.
      well_formed_ = false;
      text_.append(original.substr(run_start, pos - run_start));
      text_.push_back('?');
      run_start = ++pos;
      continue;
    }
    char32_t c;
    DecodeUtf8(original, pos, &c);
    const char32_t folded = FoldCodePoint(c);
    if (folded == c) {
      pos += len;
      continue;
    }
    text_.append(original.substr(run_start, pos - run_start));
    const size_t before = text_.size();
    AppendUtf8(folded, &text_);
    const size_t written = text_.size() - before;
    pos += len;
    run_start = pos;
    if (written != len) {
      shift += len - written;  // folding only ever shortens
      anchors_.emplace_back(text_.size(), shift);
    }
  }
  text_.append(original.substr(run_start));
  *shift_io = shift;
}

size_t NormalizedText::ToOriginal(size_t pos) const {
  // The last anchor at or before pos holds the shift in force there.
  auto it = std::upper_bound(
      anchors_.begin(), anchors_.end(), pos,
      [](size_t p, const std::pair<size_t, size_t>& a) { return p < a.first; });
  --it;  // anchors_[0] is at 0, so it never underflows
  return pos + it->second;
}

size_t NormalizedText::ToOriginalEnd(size_t pos) const {
  auto drop = std::lower_bound(
      drops_.begin(), drops_.end(), pos,
      [](const std::pair<size_t, size_t>& d, size_t p) { return d.first < p; });
  if (drop != drops_.end() && drop->first == pos) return drop->second;
  return ToOriginal(pos);
}

size_t NormalizedText::FromOriginal(size_t pos) const {
  // Anchors are ordered in both coordinates: find the last one at or before
  // pos in original terms.
  auto it = std::upper_bound(
      anchors_.begin(), anchors_.end(), pos,
      [](size_t p, const std::pair<size_t, size_t>& a) {
        return p < a.first + a.second;
      });
  --it;
  const size_t folded = pos - it->second;
  // Inside a code point that folding shortened: clamp to the next anchor.
  auto next = it + 1;
  if (next != anchors_.end() && folded > next->first) return next->first;
  return std::min(folded, text_.size());
}

}  // namespace reportpipe::text
