// Finds the heading markers of a report body (GB/T 9704-2012 levels and the
// inline points below them).
//
//   level 1  一、 第一部分   level 4  (1)
//   level 2  (一)            level 5  一是 二是 …, or ① when no 一是 is open
//   level 3  1. 1、          level 6  ① ② inside an 一是 point
//
// 第一部分 opens a section only at a line's start, and only in a report
// whose sections are not numbered 一、 (there the parts stand above them).
// An appendix (附表, 附件 at a line's start after the last section heading)
// is added by the segmenter as a part of the top level (segmenter.cc).
//
// A marker counts at the start of a line or after 。：；！？ or white space
// (flattened pages carry the whole report on one line), and only when its
// number continues the numbering of its level under the same parent. That
// check is what keeps 1.5万件, 统一是 and （2021—2025年） out.
#ifndef REPORTPIPE_SERVICES_SEGMENTER_HEADINGS_H_
#define REPORTPIPE_SERVICES_SEGMENTER_HEADINGS_H_

#include <string>
#include <string_view>
#include <vector>

#include "lib/text/normalized_text.h"

namespace reportpipe::segmenter {

// One accepted heading marker, in folded text.
struct Heading {
  // 1–6, see above.
  int level = 0;
  // The number the marker carries (一 → 1, ③ → 3).
  int number = 0;
  // True for an inline point (一是, ①), false for a section heading.
  bool point = false;
  // The marker, from its first byte to its last (一、, (一), 1., (1), 一是).
  text::ByteSpan marker;
  // The heading text after the marker, up to its closing mark, the line end
  // or the next marker.
  text::ByteSpan heading;
  // True when the heading stood alone on its line (or, on a flattened page,
  // ran into the next section marker with no closing mark); false for a
  // run-in heading that opens a paragraph.
  bool standalone = false;
  // The marker folded to its path form: 一, (一), 1, (1), 一是, ①.
  std::string path_part;
};

// Whether a marker can begin with this character of folded text: '(', an
// ASCII digit, 一…九, 两, 十, 第 or ①…⑳.
bool CanOpenMarker(char32_t c);

// A test on the bytes at `pos` that holds for every character CanOpenMarker
// accepts (and for a few hundred others): the Han numerals begin E4 B8–BA,
// E5 85, E5 8D or E5 9B, 第 E7 AC and the circled numbers E2 91, so two
// bytes rule out nearly every other character before one is decoded. Needs pos
// < end <= folded.size(); a second byte at or past `end` counts as absent.
bool MayOpenMarker(std::string_view folded, size_t pos, size_t end);

// Finds the headings in folded text [begin, end), in order.
std::vector<Heading> FindHeadings(std::string_view folded, size_t begin,
                                  size_t end);

}  // namespace reportpipe::segmenter

#endif  // REPORTPIPE_SERVICES_SEGMENTER_HEADINGS_H_
