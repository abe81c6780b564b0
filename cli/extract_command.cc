// reportpipe extract FILE... [--format=jsonl|table]
// reportpipe explain FILE
// reportpipe patterns check [PACK]
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/declare.h"
#include "absl/strings/str_cat.h"
#include "cli/commands.h"
#include "cli/files.h"
#include "lib/config/config_loader.h"
#include "lib/json/json_line.h"
#include "services/extractor/examples.h"
#include "services/extractor/extractor.h"
#include "services/segmenter/segmenter.h"

ABSL_DECLARE_FLAG(std::string, encoding);
ABSL_FLAG(std::string, config_dir, "",
          "Directory of the pattern packs and catalog (default: "
          "$REPORTPIPE_CONFIG_DIR or the repository's config/).");

namespace reportpipe::cli {
namespace {

std::string EnumName(const std::string& full, const std::string& prefix) {
  return full.substr(0, prefix.size()) == prefix ? full.substr(prefix.size()) : full;
}

std::string PeriodText(const v1::Period& p) {
  switch (p.kind()) {
    case v1::PERIOD_KIND_YEAR:
      return p.year() ? absl::StrCat(p.year()) : "";
    case v1::PERIOD_KIND_CUMULATIVE:
      return "cumulative";
    case v1::PERIOD_KIND_RANGE:
      return absl::StrCat(p.year(), "..", p.end_year());
    default:
      return "";
  }
}

absl::StatusOr<std::unique_ptr<extractor::Extractor>> LoadExtractor(
    config::ExtractorConfig* config_out, const std::string& pack) {
  std::string dir = absl::GetFlag(FLAGS_config_dir);
  if (dir.empty()) dir = config::ConfigDir();
  absl::StatusOr<config::ExtractorConfig> config =
      config::LoadExtractorConfig(dir, pack);
  if (!config.ok()) return config.status();
  *config_out = *config;
  return extractor::Extractor::Create(*config);
}

void PrintMetricJson(const std::string& report, const v1::Metric& m) {
  json::JsonLine line;
  line.Add("report", report)
      .Add("indicator", m.indicator())
      .Add("canonical_id", m.canonical_id())
      .Add("value", m.value())
      .Add("unit", m.unit())
      .Add("qualifier", EnumName(v1::Qualifier_Name(m.qualifier()), "QUALIFIER_"))
      .Add("kind", EnumName(v1::MetricKind_Name(m.kind()), "METRIC_KIND_"))
      .Add("direction", m.direction() == v1::DIRECTION_UNSPECIFIED
                            ? std::string()
                            : EnumName(v1::Direction_Name(m.direction()), "DIRECTION_"))
      .Add("period", PeriodText(m.period()))
      .Add("topic", m.topic())
      .Add("section", m.section())
      .Add("sentence", m.sentence())
      .Add("start", m.span().start())
      .Add("end", m.span().end())
      .Add("pattern", m.pattern());
  std::cout << line.str() << "\n";
}

}  // namespace

int ExtractCommand(const std::vector<std::string>& args,
                   const std::string& format, bool explain) {
  if (args.empty()) {
    std::cerr << "usage: reportpipe " << (explain ? "explain FILE" : "extract FILE... [--format=jsonl|table]")
              << "\n";
    return 2;
  }
  if (format != "jsonl" && format != "table") {
    std::cerr << "reportpipe extract: --format must be jsonl or table\n";
    return 2;
  }
  config::ExtractorConfig config;
  absl::StatusOr<std::unique_ptr<extractor::Extractor>> ex =
      LoadExtractor(&config, "law_based_government");
  if (!ex.ok()) {
    std::cerr << "reportpipe: " << ex.status().message() << "\n";
    return 1;
  }
  absl::StatusOr<std::vector<std::string>> paths = ExpandReportPaths(args);
  if (!paths.ok()) {
    std::cerr << "reportpipe: " << paths.status().message() << "\n";
    return 1;
  }
  int failures = 0;
  for (const std::string& path : *paths) {
    absl::StatusOr<v1::Report> report = LoadReport(path, absl::GetFlag(FLAGS_encoding));
    absl::StatusOr<v1::SegmentedReport> segmented =
        report.ok() ? segmenter::SegmentReport(*report, {}) : report.status();
    absl::StatusOr<v1::ExtractedReport> extracted =
        segmented.ok() ? (*ex)->Extract(*segmented) : segmented.status();
    if (!extracted.ok()) {
      std::cerr << path << ": " << extracted.status().message() << "\n";
      ++failures;
      continue;
    }
    std::string last_sentence;
    for (const v1::Metric& m : extracted->metrics()) {
      if (explain) {
        if (m.sentence() != last_sentence) {
          std::cout << "\n[" << m.section() << "] " << m.sentence() << "\n";
          last_sentence = m.sentence();
        }
        const std::string text = extracted->report().text().substr(
            m.span().start(), m.span().end() - m.span().start());
        std::cout << "  " << text << "  →  " << m.indicator() << " = " << m.value()
                  << " " << m.unit() << "  "
                  << EnumName(v1::Qualifier_Name(m.qualifier()), "QUALIFIER_") << " "
                  << EnumName(v1::MetricKind_Name(m.kind()), "METRIC_KIND_")
                  << (m.canonical_id().empty() ? "" : "  [" + m.canonical_id() + "]")
                  << (m.topic().empty() ? "" : "  topic=" + m.topic())
                  << "  pattern=" << m.pattern() << "\n";
      } else if (format == "jsonl") {
        PrintMetricJson(path, m);
      } else {
        std::cout << m.section() << "\t" << m.indicator() << "\t" << m.value() << "\t"
                  << m.unit() << "\t" << m.canonical_id() << "\n";
      }
    }
  }
  return failures == 0 ? 0 : 1;
}

int PatternsCommand(const std::vector<std::string>& args) {
  if (args.empty() || args[0] != "check") {
    std::cerr << "usage: reportpipe patterns check [PACK]\n";
    return 2;
  }
  const std::string pack = args.size() > 1 ? args[1] : "law_based_government";
  config::ExtractorConfig config;
  absl::StatusOr<std::unique_ptr<extractor::Extractor>> ex = LoadExtractor(&config, pack);
  if (!ex.ok()) {
    std::cerr << "reportpipe patterns: " << ex.status().message() << "\n";
    return 1;
  }
  const extractor::ExampleReport report = extractor::CheckExamples(**ex, config);
  for (const extractor::ExampleFailure& f : report.failures) {
    std::cout << "FAIL " << f.owner << ": " << f.text << "\n  " << f.problem << "\n";
  }
  std::cout << pack << ": " << config.catalog.indicators_size() << " indicators, "
            << report.examples << " examples, " << report.failures.size()
            << " failed\n";
  return report.failures.empty() ? 0 : 1;
}

}  // namespace reportpipe::cli
