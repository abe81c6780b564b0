// Turns the bytes of a report as sent into UTF-8 text the segmenter can read,
// or a status a person understands.
#ifndef REPORTPIPE_SERVICES_SEGMENTER_REPORT_TEXT_H_
#define REPORTPIPE_SERVICES_SEGMENTER_REPORT_TEXT_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "reportpipe/v1/report.pb.h"

namespace reportpipe::segmenter {

// Decodes report.text by report.encoding and rejects what is not a text
// report: RESOURCE_EXHAUSTED over `max_bytes`; INVALID_ARGUMENT for invalid
// UTF-8 or GB18030 (naming the byte offset), empty or blank text, control
// characters such as NUL, and HTML or JSON pages sent instead of text.
absl::StatusOr<std::string> DecodeReportText(const v1::Report& report,
                                             size_t max_bytes);

}  // namespace reportpipe::segmenter

#endif  // REPORTPIPE_SERVICES_SEGMENTER_REPORT_TEXT_H_
