#include "services/aggregator/store_admission.h"

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/text/content_hash.h"
#include "lib/text/utf8.h"

namespace reportpipe::aggregator {
namespace {

void Reject(const absl::Status& status, v1::Receipt* receipt) {
  receipt->set_outcome(v1::RECEIPT_OUTCOME_REJECTED);
  // absl and grpc status codes share their numbers.
  receipt->set_status_code(static_cast<int>(status.code()));
  receipt->set_status_message(std::string(status.message()));
}

// A metric's sentence, named by this pointer so that CheckTexts can tell it
// from the other texts of a metric.
constexpr const char* kSentence = "sentence";

// What is wrong with `text`, worded to follow the field's name, or empty.
// NUL is valid UTF-8 but PostgreSQL text cannot hold it. The caller names
// the field only when this finds something: a report has some 60 metrics of
// 8 texts each, and building 500 names a report to throw them away showed
// in the aggregator's profile.
std::string Problem(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) return " contains a NUL byte";
  if (absl::Status status = text::ValidateUtf8(text); !status.ok()) {
    return absl::StrCat(": ", status.message());
  }
  return std::string();
}

absl::Status CheckTexts(const v1::ExtractedReport& extracted) {
  const v1::SegmentedReport& report = extracted.report();
  const v1::ReportMetadata& metadata = report.metadata();
  for (const auto& [text, what] :
       {std::pair<std::string_view, const char*>{report.report_id(), "id"},
        {report.source(), "source"},
        {report.content_hash(), "content hash"},
        {metadata.region(), "region"},
        {metadata.title(), "title"},
        {extracted.pattern_pack_version(), "pattern pack version"}}) {
    if (std::string problem = Problem(text); !problem.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(what, problem));
    }
  }
  // Metrics of one sentence come one after another and carry the same
  // sentence: comparing it with the last one checked is cheaper than
  // validating it again.
  std::string_view checked_sentence;
  bool sentence_checked = false;
  for (int i = 0; i < extracted.metrics_size(); ++i) {
    const v1::Metric& metric = extracted.metrics(i);
    const std::string_view sentence = metric.sentence();
    for (const auto& [text, what] : {std::pair<std::string_view, const char*>{
                                         metric.indicator(), "indicator"},
                                     {metric.canonical_id(), "canonical id"},
                                     {metric.unit(), "unit"},
                                     {metric.period().text(), "period"},
                                     {metric.section(), "section"},
                                     {sentence, kSentence},
                                     {metric.topic(), "topic"},
                                     {metric.pattern(), "pattern"}}) {
      const bool is_sentence = what == kSentence;
      if (is_sentence && sentence_checked && text == checked_sentence) continue;
      if (std::string problem = Problem(text); !problem.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("metric ", i + 1, " ", what, problem));
      }
      if (is_sentence) {
        checked_sentence = text;
        sentence_checked = true;
      }
    }
  }
  return absl::OkStatus();
}

std::string TypeName(v1::ReportType type) {
  const std::string& name = v1::ReportType_Name(type);
  return name.empty() ? absl::StrCat("report type ", static_cast<int>(type))
                      : name;
}

}  // namespace

v1::Receipt Admit(const v1::ExtractedReport* extracted) {
  v1::Receipt receipt;
  if (extracted == nullptr) {
    Reject(absl::InvalidArgumentError("no report was given"), &receipt);
    return receipt;
  }
  const v1::SegmentedReport& report = extracted->report();
  const v1::ReportMetadata& metadata = report.metadata();
  receipt.set_report_id(report.report_id());
  receipt.set_region(metadata.region());
  receipt.set_year(metadata.year());
  receipt.set_report_type(metadata.report_type());
  receipt.set_content_hash(report.content_hash().empty()
                               ? text::ContentHash(report.text())
                               : report.content_hash());

  const std::string name = report.report_id().empty()
                               ? std::string("(without id)")
                               : absl::StrCat("\"", report.report_id(), "\"");
  if (metadata.region().empty() || metadata.year() == 0) {
    const char* missing =
        metadata.region().empty()
            ? (metadata.year() == 0 ? "region or year" : "region")
            : "year";
    Reject(absl::FailedPreconditionError(absl::StrCat(
               "report ", name, " has no ", missing,
               ": its title could not be read; send region and year with the "
               "report")),
           &receipt);
    return receipt;
  }
  if (!metadata.is_law_based_government_report()) {
    Reject(absl::FailedPreconditionError(absl::StrCat(
               "report ", name, " is a ", TypeName(metadata.report_type()),
               ", not an annual report on law-based government (",
               metadata.classification_reason().empty()
                   ? "no reason given"
                   : metadata.classification_reason(),
               "): it is not stored beside the region's reports")),
           &receipt);
    return receipt;
  }
  if (absl::Status status = CheckTexts(*extracted); !status.ok()) {
    Reject(absl::InvalidArgumentError(
               absl::StrCat("report ", name, ": ", status.message())),
           &receipt);
  }
  return receipt;
}

}  // namespace reportpipe::aggregator
