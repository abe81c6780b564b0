// The segmenter: a report's text → its segment tree and metadata.
//
//   v1::Report report;
//   report.set_text(bytes);
//   absl::StatusOr<v1::SegmentedReport> segmented =
//       segmenter::SegmentReport(report, segmenter::SegmenterOptions{});
//
// Plain functions over protobuf messages: the gRPC service, the CLI and the
// tests all call this.
#ifndef REPORTPIPE_SERVICES_SEGMENTER_SEGMENTER_H_
#define REPORTPIPE_SERVICES_SEGMENTER_SEGMENTER_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "reportpipe/v1/report.pb.h"

namespace reportpipe::segmenter {

struct SegmenterOptions {
  // Reports larger than this are refused with RESOURCE_EXHAUSTED. Real
  // reports run 10–100 KB; 16 MiB leaves room for the largest attachments.
  size_t max_report_bytes = 16 << 20;
};

// Segments one report. Errors: INVALID_ARGUMENT for text that is not a
// report's text (invalid UTF-8 or GB18030 with the byte offset, empty,
// blank, binary, HTML or JSON); RESOURCE_EXHAUSTED over the size limit.
// A look-alike (an information-disclosure report, a plan, a template) is no
// error: it is segmented and its metadata says what it is and why.
absl::StatusOr<v1::SegmentedReport> SegmentReport(
    const v1::Report& report, const SegmenterOptions& options);

// The same into `out`, which must be empty; on an error `out` is left
// untouched. The segments are made where `out` lives: the streams pass a
// message on a protobuf arena (lib/server/arena_message.h), so a report's
// hundreds of segments come from a few blocks and are freed together.
absl::Status SegmentReportInto(const v1::Report& report,
                               const SegmenterOptions& options,
                               v1::SegmentedReport* out);

}  // namespace reportpipe::segmenter

#endif  // REPORTPIPE_SERVICES_SEGMENTER_SEGMENTER_H_
