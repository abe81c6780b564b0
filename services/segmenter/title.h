// Reads a report's title and, from it, the region, year and report type.
//
// Titles come in a handful of shapes (../shared/docs/REPORTS.md):
//   平罗县2023年度法治政府建设情况报告
//   平罗县人民政府关于2023年度法治政府建设情况的报告
//   中共X县委 X县人民政府关于…的报告
//   2025年X县法治政府建设情况
// and look-alikes (政府信息公开工作年度报告, 工作要点, templates with *次) are
// recognised here so that they are never merged into a region's values.
#ifndef REPORTPIPE_SERVICES_SEGMENTER_TITLE_H_
#define REPORTPIPE_SERVICES_SEGMENTER_TITLE_H_

#include <string>
#include <string_view>

#include "lib/text/normalized_text.h"
#include "reportpipe/v1/report.pb.h"

namespace reportpipe::segmenter {

// Where the title stands in the folded text, and the text after it.
struct TitleSpan {
  // The title in folded text; empty (start == end) when none was found.
  text::ByteSpan span;
  // Where the body starts in folded text.
  size_t body_start = 0;
};

// Finds the title in folded text from `from` on: the first line when it reads
// as a title, the two first lines when the second opens with 关于, or the
// head of a flattened page's only line up to the end of 报告.
TitleSpan FindTitle(std::string_view folded, size_t from);

// Reads region, year and report type from a folded title (empty when none),
// with `body` (the folded text after it) for the year when the title has
// none and for look-alike markers. Fields the request set win over what is
// read here; the caller merges them.
v1::ReportMetadata ReadMetadata(std::string_view title, std::string_view body);

// `s` with each year written in numerals (二〇二三年, 一九九九年) in
// Arabic digits (2023年), for reading a title's region and year.
std::string WithArabicYears(std::string_view s);

// The region named in a title, or "" (exposed for tests).
std::string ReadRegion(std::string_view title);

}  // namespace reportpipe::segmenter

#endif  // REPORTPIPE_SERVICES_SEGMENTER_TITLE_H_
