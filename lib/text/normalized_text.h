// Text folded to one form for matching, with an exact map back to the
// original bytes.
//
// Reports mix full-width and half-width forms freely (（一） and (一), ２０２３
// and 2023, ％ and %). Patterns are written once against the folded form, and
// every span found in it is mapped back to the byte offsets of the original
// input, which is what callers see.
//
//   NormalizedText folded = NormalizedText::Fold(original);
//   size_t pos = folded.text().find("(一)");
//   Span span = folded.ToOriginal(pos, pos + 4);  // bytes of "（一）" in original
#ifndef REPORTPIPE_LIB_TEXT_NORMALIZED_TEXT_H_
#define REPORTPIPE_LIB_TEXT_NORMALIZED_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reportpipe::text {

// A byte range [start, end).
struct ByteSpan {
  size_t start = 0;
  size_t end = 0;
};

// Folds one code point: full-width ASCII forms (U+FF01–FF5E) to ASCII,
// ideographic and no-break spaces to ' ', '\r' to ' ', 萬/億 to 万/亿. Other
// code points are returned unchanged.
char32_t FoldCodePoint(char32_t c);

class NormalizedText {
 public:
  // Folds UTF-8 text (see FoldCodePoint). Bytes that are not UTF-8 become
  // '?', one for one: the result is always UTF-8.
  static NormalizedText Fold(std::string_view original);

  // As Fold, with the `dropped` spans of the original (in order, not
  // overlapping) left out of the folded text: a hard line break inside a
  // sentence of a PDF-made text, a page number and running header between
  // its halves. An original offset inside a dropped span maps to the folded
  // offset where the span was.
  static NormalizedText FoldWithout(std::string_view original,
                                    const std::vector<ByteSpan>& dropped);

  // The folded text.
  const std::string& text() const { return text_; }
  // False if the original was not UTF-8 (some bytes became '?'). Fold reads
  // every sequence as ValidateUtf8 does, so a caller that needs valid input
  // asks this instead of reading the text twice.
  bool well_formed() const { return well_formed_; }

  // The original offset of folded offset `pos` (0 ≤ pos ≤ text().size()).
  // Offsets at code point boundaries map to boundaries.
  size_t ToOriginal(size_t pos) const;

  // As ToOriginal, for the end of a span: where spans were dropped at
  // `pos`, the original offset where the first of them began.
  size_t ToOriginalEnd(size_t pos) const;

  // The folded offset of original offset `pos`; an offset inside a folded
  // code point maps to that code point's start.
  size_t FromOriginal(size_t pos) const;

  // The original span of folded span [start, end). Its end stops before
  // a dropped span that follows it (FoldWithout), where ToOriginal(end)
  // would be past it.
  ByteSpan ToOriginal(size_t start, size_t end) const {
    return {ToOriginal(start), ToOriginalEnd(end)};
  }

 private:
  // Folds `original` onto the end of text_, `*shift` being original −
  // folded at its start; leaves the shift at its end there.
  void AppendFolded(std::string_view original, size_t* shift);

  std::string text_;
  // Where the folded-to-original shift changes: from anchors_[k].first on,
  // original = folded + anchors_[k].second. Few entries for typical text, so
  // the map costs far less than an offset per byte.
  std::vector<std::pair<size_t, size_t>> anchors_;
  bool well_formed_ = true;
  // Where FoldWithout dropped spans: the folded offset and the original
  // offset where each dropped span began, in order.
  std::vector<std::pair<size_t, size_t>> drops_;
};

}  // namespace reportpipe::text

#endif  // REPORTPIPE_LIB_TEXT_NORMALIZED_TEXT_H_
