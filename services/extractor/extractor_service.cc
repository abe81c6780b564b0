#include "services/extractor/extractor_service.h"

#include <string>
#include <utility>

#include "absl/time/clock.h"
#include "lib/server/grpc_status.h"
#include "lib/server/log.h"
#include "lib/server/ordered_stream.h"
#include "lib/server/receipts.h"
#include "lib/server/relay_stream.h"

namespace reportpipe::extractor {

absl::Status ExtractorService::ExtractCounted(const v1::SegmentedReport& report,
                                              ReportCopy copy,
                                              v1::ExtractedReport* out) {
  return Counted([&] { return extractor_->ExtractInto(report, copy, out); },
                 out);
}

absl::Status ExtractorService::ExtractCounted(v1::SegmentedReport* report,
                                              v1::ExtractedReport* out) {
  return Counted([&] { return extractor_->ExtractMoving(report, out); }, out);
}

absl::Status ExtractorService::Counted(
    const std::function<absl::Status()>& extract, v1::ExtractedReport* out) {
  const absl::Time start = absl::Now();
  stats_->AddReportsIn();
  absl::Status extracted = extract();
  if (extracted.ok()) {
    stats_->AddReportsOut();
    stats_->AddMetrics(out->metrics_size());
  } else {
    stats_->AddErrors();
  }
  stats_->RecordLatency(absl::Now() - start);
  return extracted;
}

grpc::ServerUnaryReactor* ExtractorService::Extract(
    grpc::CallbackServerContext* context, const v1::ExtractRequest* request,
    v1::ExtractResponse* response) {
  absl::Status extracted =
      ExtractCounted(request->segmented_report(), ReportCopy::kWhole,
                     response->mutable_extracted_report());
  if (!extracted.ok()) response->clear_extracted_report();
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(server::ToGrpcStatus(extracted));
  return reactor;
}

grpc::ServerBidiReactor<v1::ExtractStreamRequest, v1::ExtractStreamResponse>*
ExtractorService::ExtractStream(grpc::CallbackServerContext* /*context*/) {
  return new server::OrderedStream<v1::ExtractStreamRequest,
                                   v1::ExtractStreamResponse>(
      [this](v1::ExtractStreamRequest* in, v1::ExtractStreamResponse* out) {
        // `out` is on the stream's arena, beside `in`: the metrics are built
        // there, and the report is moved over rather than copied.
        absl::Status extracted = ExtractCounted(
            in->mutable_segmented_report(), out->mutable_extracted_report());
        if (extracted.ok()) return;
        out->clear_extracted_report();
        *out->mutable_receipt() = server::RejectedReceipt(
            in->segmented_report().report_id(), extracted);
      });
}

grpc::ServerBidiReactor<v1::SubmitSegmentedReportsRequest,
                        v1::SubmitSegmentedReportsResponse>*
ExtractorService::SubmitSegmentedReports(grpc::CallbackServerContext* context) {
  using Relay =
      server::RelayStream<v1::SubmitSegmentedReportsRequest,
                          v1::SubmitSegmentedReportsResponse,
                          v1::IngestStreamRequest, v1::IngestStreamResponse>;
  if (aggregator_ == nullptr) {
    // This server was started as a single stage, without --aggregator.
    return new server::RefusedStream<v1::SubmitSegmentedReportsRequest,
                                     v1::SubmitSegmentedReportsResponse>(
        grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                     "this extractor has no aggregator to pass reports on to "
                     "(start it with --aggregator=ADDR)"));
  }
  Relay::Hooks hooks;
  hooks.process = [this](const v1::SubmitSegmentedReportsRequest& in,
                         v1::IngestStreamRequest* out, v1::Receipt* receipt) {
    // The aggregator stores the report's identity and metrics, not its text.
    // `out` is on an arena of the relay's: the metrics are built there.
    absl::Status status =
        ExtractCounted(in.segmented_report(), ReportCopy::kIdentity,
                       out->mutable_extracted_report());
    if (status.ok()) {
      status = server::CheckMessageSize(*out, max_message_bytes_,
                                        "the report with its metrics");
      if (status.ok()) return true;
      stats_->AddErrors();
    }
    *receipt =
        server::RejectedReceipt(in.segmented_report().report_id(), status);
    return false;
  };
  hooks.start_downstream = [this](grpc::ClientContext* c, auto* reactor) {
    aggregator_->async()->IngestStream(c, reactor);
  };
  hooks.receipt_of =
      [](const v1::IngestStreamResponse& r) -> const v1::Receipt& {
    return r.receipt();
  };
  hooks.answer = [](v1::Receipt r, v1::SubmitSegmentedReportsResponse* out) {
    *out->mutable_receipt() = std::move(r);
  };
  hooks.on_end = [](const grpc::Status& status, int64_t reports) {
    server::LogEvent(
        status.ok() ? server::Severity::kInfo : server::Severity::kWarning,
        "submit_stream_ended",
        {{"service", "extractor"},
         {"reports", reports},
         {"code", static_cast<int>(status.error_code())},
         {"error", status.error_message()}});
  };
  return new Relay(context, std::move(hooks), kChainWindow);
}

}  // namespace reportpipe::extractor
