#include "services/extractor/examples.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace reportpipe::extractor {
namespace {

std::string Describe(const v1::Metric& m) {
  return absl::StrCat(m.indicator(), "=", m.value(), m.unit(), " ",
                      v1::Qualifier_Name(m.qualifier()), " ",
                      v1::MetricKind_Name(m.kind()), " [", m.canonical_id(),
                      "]");
}

void Check(const Extractor& extractor, const std::string& owner,
           const config::v1::Example& example, ExampleReport* report) {
  ++report->examples;
  const std::vector<v1::Metric> got =
      extractor.ExtractSentence(example.text(), example.in_plan(), 2023);
  auto fail = [&](std::string problem) {
    report->failures.push_back({owner, example.text(), std::move(problem)});
  };
  if (static_cast<int>(got.size()) != example.metrics_size()) {
    std::string found;
    for (const v1::Metric& m : got)
      absl::StrAppend(&found, "\n    ", Describe(m));
    fail(absl::StrCat("expected ", example.metrics_size(), " metrics, found ",
                      got.size(), ":", found));
    return;
  }
  for (int i = 0; i < example.metrics_size(); ++i) {
    const config::v1::ExpectedMetric& want = example.metrics(i);
    const v1::Metric& m = got[i];
    const v1::Qualifier qualifier =
        want.qualifier() == v1::QUALIFIER_UNSPECIFIED ? v1::QUALIFIER_EXACT
                                                      : want.qualifier();
    const v1::MetricKind kind = want.kind() == v1::METRIC_KIND_UNSPECIFIED
                                    ? v1::METRIC_KIND_VALUE
                                    : want.kind();
    std::string problems;
    if (std::fabs(m.value() - want.value()) > 1e-6) {
      absl::StrAppend(&problems, " value ", m.value(), " != ", want.value(),
                      ";");
    }
    if (m.unit() != want.unit()) {
      absl::StrAppend(&problems, " unit ", m.unit(), " != ", want.unit(), ";");
    }
    if (m.indicator().find(want.indicator_contains()) == std::string::npos) {
      absl::StrAppend(&problems, " indicator '", m.indicator(), "' lacks '",
                      want.indicator_contains(), "';");
    }
    if (!want.indicator_lacks().empty() &&
        m.indicator().find(want.indicator_lacks()) != std::string::npos) {
      absl::StrAppend(&problems, " indicator '", m.indicator(), "' holds '",
                      want.indicator_lacks(), "';");
    }
    if (m.qualifier() != qualifier) {
      absl::StrAppend(&problems, " qualifier ",
                      v1::Qualifier_Name(m.qualifier()), ";");
    }
    if (m.kind() != kind) {
      absl::StrAppend(&problems, " kind ", v1::MetricKind_Name(m.kind()), ";");
    }
    if (want.direction() != v1::DIRECTION_UNSPECIFIED &&
        m.direction() != want.direction()) {
      absl::StrAppend(&problems, " direction ",
                      v1::Direction_Name(m.direction()), ";");
    }
    if (!want.canonical_id().empty() &&
        m.canonical_id() != want.canonical_id()) {
      absl::StrAppend(&problems, " canonical_id '", m.canonical_id(), "' != '",
                      want.canonical_id(), "';");
    }
    if (!want.topic_contains().empty() &&
        m.topic().find(want.topic_contains()) == std::string::npos) {
      absl::StrAppend(&problems, " topic '", m.topic(), "' lacks '",
                      want.topic_contains(), "';");
    }
    if (want.period_kind() != v1::PERIOD_KIND_UNSPECIFIED &&
        m.period().kind() != want.period_kind()) {
      absl::StrAppend(&problems, " period ",
                      v1::PeriodKind_Name(m.period().kind()), ";");
    }
    if (want.period_year() != 0 && m.period().year() != want.period_year()) {
      absl::StrAppend(&problems, " period year ", m.period().year(), ";");
    }
    if (!problems.empty()) fail(absl::StrCat("metric ", i + 1, ":", problems));
  }
}

}  // namespace

ExampleReport CheckExamples(const Extractor& extractor,
                            const config::ExtractorConfig& config) {
  ExampleReport report;
  for (const config::v1::Example& e : config.pack.examples()) {
    Check(extractor, "pack", e, &report);
  }
  for (const config::v1::Indicator& ind : config.catalog.indicators()) {
    for (const config::v1::Example& e : ind.examples()) {
      config::v1::Example checked = e;
      // In its own entry's examples, the metric named by the entry's first
      // expected word must carry the entry's id: the example proves the
      // catalog entry, not only the grammar.
      for (auto& want : *checked.mutable_metrics()) {
        if (want.canonical_id().empty() && &want == &checked.metrics(0) &&
            checked.metrics_size() == 1) {
          want.set_canonical_id(ind.id());
        }
      }
      Check(extractor, ind.id(), checked, &report);
    }
  }
  return report;
}

}  // namespace reportpipe::extractor
