// Splits a paragraph into sentences.
#ifndef REPORTPIPE_SERVICES_SEGMENTER_SENTENCES_H_
#define REPORTPIPE_SERVICES_SEGMENTER_SENTENCES_H_

#include <string_view>
#include <vector>

#include "lib/text/normalized_text.h"

namespace reportpipe::segmenter {

// Splits folded text [begin, end) at 。！？； (folded: 。 ! ? ;) and keeps the
// mark with its sentence. Never splits inside quotes (“” ‘’ 「」 『』 ") or
// brackets (() 《》 【】 []), unless one is left open for more than a few
// hundred bytes, which is a stray mark and not a quotation. Leading and
// trailing white space is left out of every sentence.
//
// A line break ends a sentence, unless `wrapped`: the paragraph's lines were
// broken at the page's width (a PDF-made text) and a break is no boundary.
std::vector<text::ByteSpan> SplitSentences(std::string_view folded,
                                           size_t begin, size_t end,
                                           bool wrapped = false);

}  // namespace reportpipe::segmenter

#endif  // REPORTPIPE_SERVICES_SEGMENTER_SENTENCES_H_
