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

absl::StatusOr<v1::ExtractedReport> ExtractorService::ExtractCounted(
    const v1::SegmentedReport& report, ReportCopy copy) {
  const absl::Time start = absl::Now();
  stats_->AddReportsIn();
  absl::StatusOr<v1::ExtractedReport> extracted = extractor_->Extract(report, copy);
  if (extracted.ok()) {
    stats_->AddReportsOut();
    stats_->AddMetrics(extracted->metrics_size());
  } else {
    stats_->AddErrors();
  }
  stats_->RecordLatency(absl::Now() - start);
  return extracted;
}

grpc::ServerUnaryReactor* ExtractorService::Extract(
    grpc::CallbackServerContext* context, const v1::ExtractRequest* request,
    v1::ExtractResponse* response) {
  absl::StatusOr<v1::ExtractedReport> extracted =
      ExtractCounted(request->segmented_report());
  if (extracted.ok()) {
    *response->mutable_extracted_report() = *std::move(extracted);
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(server::ToGrpcStatus(extracted.status()));
  return reactor;
}

grpc::ServerBidiReactor<v1::ExtractStreamRequest, v1::ExtractStreamResponse>*
ExtractorService::ExtractStream(grpc::CallbackServerContext* /*context*/) {
  return new server::OrderedStream<v1::ExtractStreamRequest,
                                   v1::ExtractStreamResponse>(
      [this](const v1::ExtractStreamRequest& in, v1::ExtractStreamResponse* out) {
        absl::StatusOr<v1::ExtractedReport> extracted =
            ExtractCounted(in.segmented_report());
        if (extracted.ok()) {
          *out->mutable_extracted_report() = *std::move(extracted);
          return;
        }
        *out->mutable_receipt() =
            server::RejectedReceipt(in.segmented_report().report_id(), extracted.status());
      });
}

grpc::ServerBidiReactor<v1::SubmitSegmentedReportsRequest, v1::SubmitSegmentedReportsResponse>*
ExtractorService::SubmitSegmentedReports(grpc::CallbackServerContext* context) {
  using Relay = server::RelayStream<v1::SubmitSegmentedReportsRequest,
                                    v1::SubmitSegmentedReportsResponse, v1::IngestStreamRequest,
                                    v1::IngestStreamResponse>;
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
    absl::StatusOr<v1::ExtractedReport> extracted =
        ExtractCounted(in.segmented_report(), ReportCopy::kIdentity);
    absl::Status status = extracted.status();
    if (extracted.ok()) {
      *out->mutable_extracted_report() = *std::move(extracted);
      status = server::CheckMessageSize(*out, max_message_bytes_,
                                        "the report with its metrics");
      if (status.ok()) return true;
      stats_->AddErrors();
    }
    *receipt = server::RejectedReceipt(in.segmented_report().report_id(), status);
    return false;
  };
  hooks.start_downstream = [this](grpc::ClientContext* c, auto* reactor) {
    aggregator_->async()->IngestStream(c, reactor);
  };
  hooks.receipt_of = [](const v1::IngestStreamResponse& r) -> const v1::Receipt& {
    return r.receipt();
  };
  hooks.answer = [](v1::Receipt r, v1::SubmitSegmentedReportsResponse* out) {
    *out->mutable_receipt() = std::move(r);
  };
  hooks.on_end = [](const grpc::Status& status, int64_t reports) {
    server::LogEvent(status.ok() ? server::Severity::kInfo : server::Severity::kWarning,
                     "submit_stream_ended",
                     {{"service", "extractor"}, {"reports", reports},
                      {"code", static_cast<int>(status.error_code())},
                      {"error", status.error_message()}});
  };
  return new Relay(context, std::move(hooks), kChainWindow);
}

}  // namespace reportpipe::extractor
