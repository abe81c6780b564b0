// libFuzzer target: any text through the segmenter and then the extractor
// with the shipped pattern pack and catalog. Whatever the segmenter accepts
// the extractor must take (it is the segmenter's own output), and every
// metric it finds must point inside the text and carry a finite value.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "lib/config/config_loader.h"
#include "services/extractor/extractor.h"
#include "services/segmenter/segmenter.h"

namespace {

void Fail(const char* what) {
  std::fprintf(stderr, "extractor_fuzzer: %s\n", what);
  std::abort();
}

bool Inside(const reportpipe::v1::Span& span, size_t size) {
  return span.start() <= span.end() && span.end() <= size;
}

// Compiled once: compiling the pack per input would leave little time for
// the inputs. Extract is const, so nothing carries over between inputs.
const reportpipe::extractor::Extractor& SharedExtractor() {
  static const reportpipe::extractor::Extractor* extractor = [] {
    auto config = reportpipe::config::LoadExtractorConfig(reportpipe::config::ConfigDir());
    if (!config.ok()) Fail("cannot load config/ (REPORTPIPE_CONFIG_DIR?)");
    auto created = reportpipe::extractor::Extractor::Create(*config);
    if (!created.ok()) Fail("the shipped pattern pack does not compile");
    return created->release();
  }();
  return *extractor;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  SharedExtractor();  // fail at start-up, not on the first input
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  reportpipe::v1::Report report;
  report.set_text(std::string(reinterpret_cast<const char*>(data), size));
  auto segmented = reportpipe::segmenter::SegmentReport(report, {});
  if (!segmented.ok()) return 0;
  auto extracted = SharedExtractor().Extract(*segmented);
  if (!extracted.ok()) Fail("the extractor refused the segmenter's output");
  const size_t n = segmented->text().size();
  for (const reportpipe::v1::Metric& m : extracted->metrics()) {
    if (!Inside(m.span(), n)) Fail("metric span outside the text");
    if (!Inside(m.sentence_span(), n)) Fail("sentence span outside the text");
    if (!std::isfinite(m.value())) Fail("metric value is not finite");
  }
  return 0;
}
