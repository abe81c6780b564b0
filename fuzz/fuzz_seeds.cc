// Writes the seeds scripts/fuzz generates at fuzz time, beside the small
// synthetic ones checked in under fuzz/corpus/:
//
//   fuzz_seeds OUT_DIR REPORT.txt...
//
// For each report: OUT_DIR/segmenter/NAME (a NUL selector byte — UTF-8, no
// size limit, see segmenter_fuzzer.cc — then the text), OUT_DIR/extractor/
// NAME (the text), and OUT_DIR/ingest/NAME.pb (the report segmented and
// extracted with the shipped pack, as the binary ExtractedReport the
// extractor sends the aggregator). The ingest fuzzer mutates real messages
// that way instead of finding the protobuf structure from nothing.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "lib/config/config_loader.h"
#include "services/extractor/extractor.h"
#include "services/segmenter/segmenter.h"

namespace {

bool WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: fuzz_seeds OUT_DIR REPORT.txt...\n";
    return 2;
  }
  const std::string out = argv[1];
  auto config = reportpipe::config::LoadExtractorConfig(reportpipe::config::ConfigDir());
  if (!config.ok()) {
    std::cerr << "fuzz_seeds: " << config.status() << "\n";
    return 1;
  }
  auto extractor = reportpipe::extractor::Extractor::Create(*config);
  if (!extractor.ok()) {
    std::cerr << "fuzz_seeds: " << extractor.status() << "\n";
    return 1;
  }
  for (int i = 2; i < argc; ++i) {
    const std::string path = argv[i];
    std::ifstream in(path, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
      std::cerr << "fuzz_seeds: cannot read " << path << "\n";
      return 1;
    }
    const std::string name = path.substr(path.rfind('/') + 1);
    reportpipe::v1::Report report;
    report.set_id(name);
    report.set_source(path);
    report.set_text(text);
    auto segmented = reportpipe::segmenter::SegmentReport(report, {});
    if (!segmented.ok()) {
      std::cerr << "fuzz_seeds: " << path << ": " << segmented.status() << "\n";
      return 1;
    }
    auto extracted = (*extractor)->Extract(*segmented);
    if (!extracted.ok()) {
      std::cerr << "fuzz_seeds: " << path << ": " << extracted.status() << "\n";
      return 1;
    }
    if (!WriteFile(out + "/segmenter/" + name, std::string(1, '\0') + text) ||
        !WriteFile(out + "/extractor/" + name, text) ||
        !WriteFile(out + "/ingest/" + name + ".pb", extracted->SerializeAsString())) {
      std::cerr << "fuzz_seeds: cannot write under " << out << "\n";
      return 1;
    }
    std::cout << name << ": " << extracted->metrics_size() << " metrics\n";
  }
  return 0;
}
