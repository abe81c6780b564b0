// Segment and extract speed on the real report, in MB/s, beside the ceiling
// measured in the same run: a bare RE2 scan of the same text for one number
// pattern. Compare the two as a ratio; absolute numbers on a shared machine
// drift from run to run.
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "benchmark/benchmark.h"
#include "lib/config/config_loader.h"
#include "re2/re2.h"
#include "services/extractor/extractor.h"
#include "services/segmenter/segmenter.h"

namespace reportpipe {
namespace {

const std::string& SampleText() {
  static const std::string* text = [] {
    std::ifstream in(REPORTPIPE_SOURCE_DIR "/../shared/corpus/pingluo-2023.txt",
                     std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    return new std::string(buf.str());
  }();
  return *text;
}

const extractor::Extractor& SharedExtractor() {
  static const extractor::Extractor* e = [] {
    auto config = config::LoadExtractorConfig(config::ConfigDir());
    if (!config.ok()) std::abort();
    auto created = extractor::Extractor::Create(*config);
    if (!created.ok()) std::abort();
    return created->release();
  }();
  return *e;
}

v1::Report SampleReport() {
  v1::Report report;
  report.set_id("pingluo-2023");
  report.set_text(SampleText());
  return report;
}

// The ceiling: find every number in the text with one RE2 pattern.
void BM_BareRe2NumberScan(benchmark::State& state) {
  static const RE2 number("(\\d+(?:\\.\\d+)?)");
  const std::string& text = SampleText();
  int64_t found = 0;
  for (auto _ : state) {
    re2::StringPiece in(text);
    re2::StringPiece m;
    while (RE2::FindAndConsume(&in, number, &m)) ++found;
    benchmark::DoNotOptimize(found);
  }
  state.SetBytesProcessed(state.iterations() * text.size());
}
BENCHMARK(BM_BareRe2NumberScan);

void BM_Segment(benchmark::State& state) {
  const v1::Report report = SampleReport();
  for (auto _ : state) {
    auto segmented = segmenter::SegmentReport(report, {});
    benchmark::DoNotOptimize(segmented);
  }
  state.SetBytesProcessed(state.iterations() * report.text().size());
}
BENCHMARK(BM_Segment);

void BM_Extract(benchmark::State& state) {
  auto segmented = segmenter::SegmentReport(SampleReport(), {});
  const extractor::Extractor& e = SharedExtractor();
  for (auto _ : state) {
    auto extracted = e.Extract(*segmented);
    benchmark::DoNotOptimize(extracted);
  }
  state.SetBytesProcessed(state.iterations() * segmented->text().size());
}
BENCHMARK(BM_Extract);

// What the issue measures: a report's text to its labelled metrics.
void BM_SegmentAndExtract(benchmark::State& state) {
  const v1::Report report = SampleReport();
  const extractor::Extractor& e = SharedExtractor();
  for (auto _ : state) {
    auto segmented = segmenter::SegmentReport(report, {});
    auto extracted = e.Extract(*segmented);
    benchmark::DoNotOptimize(extracted);
  }
  state.SetBytesProcessed(state.iterations() * report.text().size());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SegmentAndExtract);

}  // namespace
}  // namespace reportpipe

BENCHMARK_MAIN();
