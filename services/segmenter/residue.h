// Web-page residue around a scraped report: a leading | line, 发布时间/来源/
// 字号 lines, 【打印】【关闭】, and the 附件下载 / 扫一扫在手机上查看当前页面 tail.
// It is kept out of the sections so that no metric is read from it.
#ifndef REPORTPIPE_SERVICES_SEGMENTER_RESIDUE_H_
#define REPORTPIPE_SERVICES_SEGMENTER_RESIDUE_H_

#include <string_view>
#include <vector>

#include "lib/text/normalized_text.h"

namespace reportpipe::segmenter {

// Where residue stands in folded text.
struct Residue {
  // Residue spans in order, not overlapping.
  std::vector<text::ByteSpan> spans;
  // Where the text before the tail residue ends (the folded size when there
  // is no tail).
  size_t body_end = 0;
  // Where the leading residue ends: the title or body starts here.
  size_t head_end = 0;
};

// How FindResidue looks for the page metadata and the tail marker.
enum class ResidueScan {
  // RE2 only where a match can begin: each alternative of both patterns
  // opens with a word of its own (发布, 来源, 【 …), and one walk over the
  // text finds where those stand, which in a report is a handful of places.
  // The patterns' own scans read every byte at some 16 instructions a byte.
  kWordStarts,
  // RE2's own scan over the whole body and the second half: the reference
  // kWordStarts is tested against.
  kRe2,
};

// Finds the residue of folded text.
Residue FindResidue(std::string_view folded,
                    ResidueScan scan = ResidueScan::kWordStarts);

}  // namespace reportpipe::segmenter

#endif  // REPORTPIPE_SERVICES_SEGMENTER_RESIDUE_H_
