// Segment and extract speed, in MB/s and reports/s, each beside the ceiling
// measured in the same run: a bare RE2 scan of the same text for one number
// pattern. Compare the two as a ratio; absolute numbers on a shared machine
// drift from run to run, the ratio much less (docs/PERFORMANCE.md).
//
// Inputs:
//   - BM_*: the real report (pingluo-2023.txt), one report an iteration;
//   - BM_Corpus_*: a GENERATED corpus of SYNTHETIC reports (10,000 by
//     default, --corpus_reports=N), one pass over all of them an iteration.
//     They are built in-process, deterministically, from the paragraphs of
//     the real report and of the four first fixtures (qinghe-2021…2023,
//     yunchuan-2023; not the later ones, so that the corpus and its figures
//     stay comparable across rounds): shuffled, repeated
//     to lengths from 1 KB to 32 KB, their digits changed. None of them is a
//     real report, and their figures mean nothing;
//   - BM_Scored_*: the reports the peer comparison scores (the real one and
//     every fixture; bench/peers), for our time per report beside the
//     peer's.
//
//   extract_bench [--corpus_reports=N] [--benchmark_* flags]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "benchmark/benchmark.h"
#include "lib/config/config_loader.h"
#include "lib/server/arena_message.h"
#include "re2/re2.h"
#include "services/extractor/extractor.h"
#include "services/segmenter/segmenter.h"
#include "tests/synthetic_region.h"

namespace reportpipe {
namespace {

int corpus_reports = 10000;

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

const std::string& SampleText() {
  static const std::string* text =
      new std::string(ReadText(REPORTPIPE_SOURCE_DIR "/../shared/corpus/pingluo-2023.txt"));
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

// --- The synthetic corpus -------------------------------------------------

// splitmix64: a small generator whose sequence is the same with every
// standard library, so the corpus is the same byte for byte everywhere
// (std::uniform_int_distribution is not specified that tightly).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // In [0, n), n > 0.
  uint64_t Below(uint64_t n) { return Next() % n; }
  // In [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) / 9007199254740992.0; }

 private:
  uint64_t state_;
};

std::string SyntheticRegion(int i) {
  return testing::SyntheticRegion(i, "合成");
}

// Body paragraphs of the source reports: their lines without the title. A
// line of more than 1,500 bytes (one report is flattened onto one line) is
// cut after a 。 so that a paragraph is a unit of about the usual size.
std::vector<std::string> ParagraphPool() {
  const std::string dir = REPORTPIPE_SOURCE_DIR "/tests/fixtures/corpus/";
  const std::vector<std::string> texts = {
      SampleText(), ReadText(dir + "qinghe-2021.txt"), ReadText(dir + "qinghe-2022.txt"),
      ReadText(dir + "qinghe-2023.txt"), ReadText(dir + "yunchuan-2023.txt")};
  std::vector<std::string> pool;
  for (const std::string& text : texts) {
    bool title_seen = false;
    for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipWhitespace())) {
      // The title is the first line that names the report; ours replaces it.
      if (!title_seen && absl::StrContains(line, "报告")) {
        title_seen = true;
        continue;
      }
      while (line.size() > 1500) {
        size_t cut = line.find("。", 1000);
        if (cut == absl::string_view::npos) break;
        cut += std::strlen("。");
        pool.emplace_back(line.substr(0, cut));
        line.remove_prefix(cut);
      }
      if (!line.empty()) pool.emplace_back(line);
    }
  }
  return pool;
}

// Each run of ASCII digits becomes other digits of the same length, except
// what looks like a year (19xx, 20xx), so that dates stay dates.
std::string VaryNumbers(const std::string& paragraph, Rng& rng) {
  std::string out = paragraph;
  size_t i = 0;
  while (i < out.size()) {
    if (out[i] < '0' || out[i] > '9') {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < out.size() && out[end] >= '0' && out[end] <= '9') ++end;
    const bool year = end - i == 4 && (out.compare(i, 2, "19") == 0 || out.compare(i, 2, "20") == 0);
    if (!year) {
      for (size_t k = i; k < end; ++k) {
        out[k] = static_cast<char>(k == i && end - i > 1 ? '1' + rng.Below(9) : '0' + rng.Below(10));
      }
    }
    i = end;
  }
  return out;
}

// Report i: a title, then paragraphs drawn at random (with repeats) until
// the text reaches a length drawn log-uniformly from 1 KB to 32 KB.
std::string SyntheticReportText(const std::vector<std::string>& pool, int i) {
  Rng rng(0x5eed0000ULL + static_cast<uint64_t>(i));
  const size_t target = static_cast<size_t>(1024.0 * std::pow(32.0, rng.Unit()));
  const int year = 2019 + static_cast<int>(rng.Below(6));
  std::string text =
      absl::StrCat(SyntheticRegion(i), year, "年度法治政府建设情况报告\n");
  // Bounded: every paragraph adds at least a byte, and target is at most 32 KB.
  while (text.size() < target) {
    absl::StrAppend(&text, VaryNumbers(pool[rng.Below(pool.size())], rng), "\n");
  }
  return text;
}

struct Corpus {
  std::vector<v1::Report> reports;
  int64_t bytes = 0;
};

const Corpus& SyntheticCorpus() {
  static const Corpus* corpus = [] {
    auto* c = new Corpus;
    const std::vector<std::string> pool = ParagraphPool();
    c->reports.reserve(corpus_reports);
    for (int i = 0; i < corpus_reports; ++i) {
      v1::Report report;
      report.set_id(absl::StrCat("synthetic-", i));
      report.set_text(SyntheticReportText(pool, i));
      c->bytes += static_cast<int64_t>(report.text().size());
      c->reports.push_back(std::move(report));
    }
    return c;
  }();
  return *corpus;
}

// The corpus segmented once, for the extractor alone. Reports the segmenter
// refuses are left out (and counted): the extractor never sees them.
struct SegmentedCorpus {
  std::vector<v1::SegmentedReport> reports;
  int64_t bytes = 0;
  int refused = 0;
};

const SegmentedCorpus& SyntheticSegmented() {
  static const SegmentedCorpus* segmented = [] {
    auto* s = new SegmentedCorpus;
    for (const v1::Report& report : SyntheticCorpus().reports) {
      auto result = segmenter::SegmentReport(report, {});
      if (!result.ok()) {
        ++s->refused;
        continue;
      }
      s->bytes += static_cast<int64_t>(result->text().size());
      s->reports.push_back(*std::move(result));
    }
    return s;
  }();
  return *segmented;
}

// --- The ceiling ------------------------------------------------------------

// Every number in `text` by one RE2 pattern: the least any extractor of
// numbers has to do, so the fastest it could be on this machine right now.
int64_t BareRe2NumberScan(const std::string& text) {
  static const RE2 number("(\\d+(?:\\.\\d+)?)");
  int64_t found = 0;
  re2::StringPiece in(text);
  re2::StringPiece m;
  while (RE2::FindAndConsume(&in, number, &m)) ++found;
  return found;
}

// --- The real report ----------------------------------------------------

void BM_BareRe2NumberScan(benchmark::State& state) {
  const std::string& text = SampleText();
  int64_t found = 0;
  for (auto _ : state) {
    found += BareRe2NumberScan(text);
    benchmark::DoNotOptimize(found);
  }
  state.SetBytesProcessed(state.iterations() * text.size());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BareRe2NumberScan);

// Every report below is built as the servers' streams build it, into a
// message on an arena (lib/server/arena_message.h). A single-stage stream
// (SegmentStream, ExtractStream) answers on one message, emptied for the
// next; the chain's relay builds each report on an arena of its own, freed
// once sent (BM_ExtractForChain). The CLI's SegmentReport and Extract build
// on the heap instead.
using SegmentedOnArena = server::ArenaMessage<v1::SegmentedReport>;
using ExtractedOnArena = server::ArenaMessage<v1::ExtractedReport>;

// One report through both, as the ExtractStream caller sees it: the whole
// report carried back.
void SegmentAndExtract(const extractor::Extractor& e, const v1::Report& report,
                       SegmentedOnArena* segmented,
                       ExtractedOnArena* extracted) {
  absl::Status status =
      segmenter::SegmentReportInto(report, {}, segmented->Renew());
  if (status.ok()) {
    status = e.ExtractInto(*segmented->get(), extractor::ReportCopy::kWhole,
                           extracted->Renew());
  }
  benchmark::DoNotOptimize(status);
}

void BM_Segment(benchmark::State& state) {
  const v1::Report report = SampleReport();
  SegmentedOnArena segmented;
  for (auto _ : state) {
    absl::Status status =
        segmenter::SegmentReportInto(report, {}, segmented.Renew());
    benchmark::DoNotOptimize(status);
  }
  state.SetBytesProcessed(state.iterations() * report.text().size());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Segment);

// Extract on the real report, segmented once beforehand, carrying back as
// much of the report as `copy` says: kWhole as ExtractStream answers (the
// report moved from its request into the answer beside it on one arena,
// emptied for the next), kIdentity as the chain's relay sends reports on
// (each on an arena of its own, freed once sent).
void ExtractSample(benchmark::State& state, extractor::ReportCopy copy) {
  auto segmented = segmenter::SegmentReport(SampleReport(), {});
  if (!segmented.ok()) {
    state.SkipWithError("the sample report did not segment");
    return;
  }
  const extractor::Extractor& e = SharedExtractor();
  // The request is copied in, as the stream reads it off the wire, just
  // before it is used (its bytes are as warm as a request just parsed);
  // then the answer is built beside it and the arena emptied, as the
  // stream does once the answer is written. Only the second part is timed,
  // on a clock of its own: Google Benchmark's PauseTiming reads the CPU
  // clock through a system call, some microseconds a report here.
  SegmentedOnArena request;
  for (auto _ : state) {
    if (copy == extractor::ReportCopy::kWhole) {
      v1::SegmentedReport* in = request.Renew();
      *in = *segmented;
      const auto start = std::chrono::steady_clock::now();
      auto* answer =
          google::protobuf::Arena::CreateMessage<v1::ExtractedReport>(
              request.arena());
      absl::Status status = e.ExtractMoving(in, answer);
      benchmark::DoNotOptimize(status);
      request.Release();
      state.SetIterationTime(std::chrono::duration<double>(
                                 std::chrono::steady_clock::now() - start)
                                 .count());
    } else {
      ExtractedOnArena sent_on;
      absl::Status status = e.ExtractInto(*segmented, copy, sent_on.Renew());
      benchmark::DoNotOptimize(status);
    }
  }
  state.SetBytesProcessed(state.iterations() * segmented->text().size());
  state.SetItemsProcessed(state.iterations());
}

// The whole report carried back, as ExtractStream answers (the Extract call
// and the CLI copy it instead, on the heap): the figure.
void BM_Extract(benchmark::State& state) {
  ExtractSample(state, extractor::ReportCopy::kWhole);
}
BENCHMARK(BM_Extract)->UseManualTime();

// Only the report's identity carried back (ReportCopy::kIdentity), as the
// extractor does in the chain: no copy of the text and segments.
void BM_ExtractForChain(benchmark::State& state) {
  ExtractSample(state, extractor::ReportCopy::kIdentity);
}
BENCHMARK(BM_ExtractForChain);

// What the issue measures: a report's text to its labelled metrics.
void BM_SegmentAndExtract(benchmark::State& state) {
  const v1::Report report = SampleReport();
  const extractor::Extractor& e = SharedExtractor();
  SegmentedOnArena segmented;
  ExtractedOnArena extracted;
  for (auto _ : state) SegmentAndExtract(e, report, &segmented, &extracted);
  state.SetBytesProcessed(state.iterations() * report.text().size());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SegmentAndExtract);

// --- The synthetic corpus: one iteration is one pass over all of it --------

void BM_Corpus_BareRe2NumberScan(benchmark::State& state) {
  const Corpus& corpus = SyntheticCorpus();
  int64_t found = 0;
  for (auto _ : state) {
    for (const v1::Report& report : corpus.reports) found += BareRe2NumberScan(report.text());
    benchmark::DoNotOptimize(found);
  }
  state.SetBytesProcessed(state.iterations() * corpus.bytes);
  state.SetItemsProcessed(state.iterations() * corpus.reports.size());
}
BENCHMARK(BM_Corpus_BareRe2NumberScan)->Unit(benchmark::kMillisecond);

void BM_Corpus_Segment(benchmark::State& state) {
  const Corpus& corpus = SyntheticCorpus();
  int64_t refused = 0;
  SegmentedOnArena segmented;
  for (auto _ : state) {
    for (const v1::Report& report : corpus.reports) {
      absl::Status status =
          segmenter::SegmentReportInto(report, {}, segmented.Renew());
      if (!status.ok()) ++refused;
      benchmark::DoNotOptimize(status);
    }
  }
  state.SetBytesProcessed(state.iterations() * corpus.bytes);
  state.SetItemsProcessed(state.iterations() * corpus.reports.size());
  state.counters["refused"] = static_cast<double>(refused) / state.iterations();
}
BENCHMARK(BM_Corpus_Segment)->Unit(benchmark::kMillisecond);

void BM_Corpus_Extract(benchmark::State& state) {
  const SegmentedCorpus& corpus = SyntheticSegmented();
  const extractor::Extractor& e = SharedExtractor();
  int64_t metrics = 0;
  ExtractedOnArena extracted;
  for (auto _ : state) {
    for (const v1::SegmentedReport& report : corpus.reports) {
      absl::Status status = e.ExtractInto(report, extractor::ReportCopy::kWhole,
                                          extracted.Renew());
      if (status.ok()) metrics += extracted.get()->metrics_size();
      benchmark::DoNotOptimize(status);
    }
  }
  state.SetBytesProcessed(state.iterations() * corpus.bytes);
  state.SetItemsProcessed(state.iterations() * corpus.reports.size());
  state.counters["metrics_per_report"] =
      static_cast<double>(metrics) /
      std::max<double>(1.0, static_cast<double>(state.iterations() * corpus.reports.size()));
  state.counters["refused_by_segmenter"] = corpus.refused;
}
BENCHMARK(BM_Corpus_Extract)->Unit(benchmark::kMillisecond);

void BM_Corpus_SegmentAndExtract(benchmark::State& state) {
  const Corpus& corpus = SyntheticCorpus();
  const extractor::Extractor& e = SharedExtractor();
  SegmentedOnArena segmented;
  ExtractedOnArena extracted;
  for (auto _ : state) {
    for (const v1::Report& report : corpus.reports) {
      SegmentAndExtract(e, report, &segmented, &extracted);
    }
  }
  state.SetBytesProcessed(state.iterations() * corpus.bytes);
  state.SetItemsProcessed(state.iterations() * corpus.reports.size());
}
BENCHMARK(BM_Corpus_SegmentAndExtract)->Unit(benchmark::kMillisecond);

// --- The scored files: the peer comparison's time per report ---------------

// The reports scripts/bench scores the peer and us on: the real one and
// every SYNTHETIC fixture (tests/fixtures/corpus/*.txt, in name order), so
// that both times are per report of the same texts. One iteration is one
// pass over them.
const std::vector<v1::Report>& ScoredReports() {
  static const std::vector<v1::Report>* reports = [] {
    auto* r = new std::vector<v1::Report>;
    r->push_back(SampleReport());
    std::vector<std::filesystem::path> paths;
    for (const auto& entry : std::filesystem::directory_iterator(
             REPORTPIPE_SOURCE_DIR "/tests/fixtures/corpus/")) {
      if (entry.path().extension() == ".txt") paths.push_back(entry.path());
    }
    std::sort(paths.begin(), paths.end());
    for (const std::filesystem::path& path : paths) {
      v1::Report report;
      report.set_id(path.stem().string());
      report.set_text(ReadText(path.string()));
      r->push_back(std::move(report));
    }
    return r;
  }();
  return *reports;
}

void BM_Scored_SegmentAndExtract(benchmark::State& state) {
  const std::vector<v1::Report>& reports = ScoredReports();
  const extractor::Extractor& e = SharedExtractor();
  int64_t bytes = 0;
  for (const v1::Report& report : reports) bytes += static_cast<int64_t>(report.text().size());
  SegmentedOnArena segmented;
  ExtractedOnArena extracted;
  for (auto _ : state) {
    for (const v1::Report& report : reports) {
      SegmentAndExtract(e, report, &segmented, &extracted);
    }
  }
  state.SetBytesProcessed(state.iterations() * bytes);
  state.SetItemsProcessed(state.iterations() * reports.size());
}
BENCHMARK(BM_Scored_SegmentAndExtract);

}  // namespace
}  // namespace reportpipe

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  // benchmark::Initialize has taken its own flags out of argv; ours is left.
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    constexpr absl::string_view kFlag = "--corpus_reports=";
    const absl::string_view arg = argv[i];
    if (absl::StartsWith(arg, kFlag)) {
      if (!absl::SimpleAtoi(arg.substr(kFlag.size()), &reportpipe::corpus_reports) ||
          reportpipe::corpus_reports < 1) {
        std::cerr << "extract_bench: --corpus_reports must be a positive number\n";
        return 2;
      }
      continue;
    }
    argv[kept++] = argv[i];
  }
  argc = kept;
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
