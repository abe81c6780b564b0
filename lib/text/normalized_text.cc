#include "lib/text/normalized_text.h"

#include <algorithm>

#include "lib/text/utf8.h"

namespace reportpipe::text {

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
  size_t shift = 0;  // original − folded at the current position
  // Most code points fold to themselves: they are copied as runs of bytes,
  // and only a code point that changes is decoded into the output.
  size_t run_start = 0;
  size_t pos = 0;
  while (pos < original.size()) {
    const unsigned char lead = static_cast<unsigned char>(original[pos]);
    if (lead < 0x80 && lead != '\r' && lead != '\t') {
      ++pos;
      continue;
    }
    char32_t c;
    const int len = DecodeUtf8(original, pos, &c);
    const char32_t folded = FoldCodePoint(c);
    if (folded == c) {
      pos += len;
      continue;
    }
    out.text_.append(original.substr(run_start, pos - run_start));
    const size_t before = out.text_.size();
    AppendUtf8(folded, &out.text_);
    const size_t written = out.text_.size() - before;
    pos += len;
    run_start = pos;
    if (written != static_cast<size_t>(len)) {
      shift += len - written;  // folding only ever shortens
      out.anchors_.emplace_back(out.text_.size(), shift);
    }
  }
  out.text_.append(original.substr(run_start));
  return out;
}

size_t NormalizedText::ToOriginal(size_t pos) const {
  // The last anchor at or before pos holds the shift in force there.
  auto it = std::upper_bound(
      anchors_.begin(), anchors_.end(), pos,
      [](size_t p, const std::pair<size_t, size_t>& a) { return p < a.first; });
  --it;  // anchors_[0] is at 0, so it never underflows
  return pos + it->second;
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
