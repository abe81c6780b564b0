// The extractor: a segmented report → its metrics, labelled with their
// indicators.
//
//   absl::StatusOr<config::ExtractorConfig> config =
//       config::LoadExtractorConfig(config::ConfigDir());
//   absl::StatusOr<std::unique_ptr<Extractor>> extractor =
//       Extractor::Create(*config);
//   absl::StatusOr<v1::ExtractedReport> metrics =
//       (*extractor)->Extract(segmented_report);
//   // or, onto a message that may live on an arena:
//   absl::Status status = (*extractor)->ExtractInto(
//       segmented_report, ReportCopy::kWhole, arena_report);
//   // or moving the report over (one arena for both):
//   absl::Status status = (*extractor)->ExtractMoving(
//       &segmented_report_on_arena, report_on_same_arena);
//
// Patterns are compiled once in Create; Extract is const and safe to call
// from many threads at once.
#ifndef REPORTPIPE_SERVICES_EXTRACTOR_EXTRACTOR_H_
#define REPORTPIPE_SERVICES_EXTRACTOR_EXTRACTOR_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lib/config/config_loader.h"
#include "reportpipe/v1/metric.pb.h"
#include "reportpipe/v1/report.pb.h"
#include "services/extractor/sentence_reader.h"

namespace reportpipe::extractor {

// How much of the segmented report an ExtractedReport carries back.
enum class ReportCopy {
  // All of it: text and segments too (Extract, ExtractStream, the CLI).
  kWhole,
  // Its identity only: id, source, metadata and content hash (computed here
  // when the segmenter left it empty), without text or segments. The chain
  // passes this on to the aggregator, which stores neither; it halves what
  // the extractor serialises and the aggregator parses per report.
  kIdentity,
  // Nothing: the caller puts the report in itself (ExtractMoving).
  kNone,
};

class Extractor {
 public:
  // Compiles the pack and catalog; INVALID_ARGUMENT names what is wrong.
  static absl::StatusOr<std::unique_ptr<Extractor>> Create(
      const config::ExtractorConfig& config);

  // The metrics of a segmented report, in document order. INVALID_ARGUMENT
  // when its text is not UTF-8 or a segment's span lies outside it.
  absl::StatusOr<v1::ExtractedReport> Extract(
      const v1::SegmentedReport& report,
      ReportCopy copy = ReportCopy::kWhole) const;

  // The same into `out`, which must be empty; on an error `out` is left
  // untouched. Everything is built where `out` lives: the streams pass a
  // message on a protobuf arena (lib/server/arena_message.h), so the
  // metrics, their strings' objects and the copied segments come from a
  // few blocks and are freed together, not one by one.
  absl::Status ExtractInto(const v1::SegmentedReport& report, ReportCopy copy,
                           v1::ExtractedReport* out) const;

  // ExtractInto with the whole report carried back, moved from `report`
  // rather than copied: ExtractStream's answer, built beside its request on
  // one arena, where the move exchanges pointers (on different arenas it is
  // a copy). `report` is left holding what `out` held; on an error both are
  // left untouched.
  absl::Status ExtractMoving(v1::SegmentedReport* report,
                             v1::ExtractedReport* out) const;

  // The metrics of one sentence standing alone (examples, tests, explain).
  std::vector<v1::Metric> ExtractSentence(std::string_view sentence, bool plan,
                                          int report_year) const;

  const std::string& pack_version() const { return pack_version_; }

 private:
  std::unique_ptr<SentenceReader> reader_;
  std::string pack_version_;
};

}  // namespace reportpipe::extractor

#endif  // REPORTPIPE_SERVICES_EXTRACTOR_EXTRACTOR_H_
