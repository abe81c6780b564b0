// libFuzzer target: any bytes as a report's text, in either encoding. The
// segmenter must answer with a tree or a status, never crash, and what it
// returns must hold together: UTF-8 text, every span inside it, every parent
// before its child.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "lib/text/utf8.h"
#include "services/segmenter/segmenter.h"

namespace {

// Stops the run with a message libFuzzer keeps beside the crashing input.
void Fail(const char* what) {
  std::fprintf(stderr, "segmenter_fuzzer: %s\n", what);
  std::abort();
}

bool Inside(const reportpipe::v1::Span& span, size_t size) {
  return span.start() <= span.end() && span.end() <= size;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  reportpipe::v1::Report report;
  // The first byte picks the encoding, and now and then a small size limit
  // so that the refusals are exercised too; the rest is the text. The seed
  // corpus starts its files with a byte that picks UTF-8 and no limit.
  report.set_encoding(data[0] & 1 ? reportpipe::v1::ENCODING_GB18030
                                  : reportpipe::v1::ENCODING_UTF8);
  reportpipe::segmenter::SegmenterOptions options;
  if ((data[0] & 6) == 6) options.max_report_bytes = 64;
  report.set_text(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  auto segmented = reportpipe::segmenter::SegmentReport(report, options);
  if (!segmented.ok()) return 0;

  const std::string& text = segmented->text();
  if (!reportpipe::text::ValidateUtf8(text).ok()) Fail("text is not UTF-8");
  if (!Inside(segmented->metadata().title_span(), text.size())) {
    Fail("title span outside the text");
  }
  for (int i = 0; i < segmented->segments_size(); ++i) {
    const reportpipe::v1::Segment& s = segmented->segments(i);
    if (!Inside(s.span(), text.size())) Fail("segment span outside the text");
    if (!Inside(s.heading_span(), text.size())) Fail("heading span outside the text");
    // -1 at the top, else an earlier segment (segmenter.proto).
    if (s.parent() < -1 || s.parent() >= i) Fail("parent not before its child");
  }
  return 0;
}
