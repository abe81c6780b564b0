#include "services/segmenter/segmenter_service.h"

#include <string>
#include <utility>

#include "absl/time/clock.h"
#include "lib/server/grpc_status.h"
#include "lib/server/log.h"
#include "lib/server/ordered_stream.h"
#include "lib/server/receipts.h"
#include "lib/server/relay_stream.h"

namespace reportpipe::segmenter {

absl::Status SegmenterService::SegmentCounted(const v1::Report& report,
                                              v1::SegmentedReport* out) {
  const absl::Time start = absl::Now();
  stats_->AddReportsIn();
  absl::Status segmented = SegmentReportInto(report, options_, out);
  if (segmented.ok()) {
    stats_->AddReportsOut();
  } else {
    stats_->AddErrors();
  }
  stats_->RecordLatency(absl::Now() - start);
  return segmented;
}

void SegmenterService::AnswerOne(const v1::Report& report,
                                 v1::SegmentStreamResponse* response) {
  absl::Status segmented =
      SegmentCounted(report, response->mutable_segmented_report());
  if (segmented.ok()) return;
  response->clear_segmented_report();
  *response->mutable_receipt() =
      server::RejectedReceipt(report.id(), segmented);
}

grpc::ServerUnaryReactor* SegmenterService::Segment(
    grpc::CallbackServerContext* context, const v1::SegmentRequest* request,
    v1::SegmentResponse* response) {
  absl::Status segmented =
      SegmentCounted(request->report(), response->mutable_segmented_report());
  if (!segmented.ok()) response->clear_segmented_report();
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(server::ToGrpcStatus(segmented));
  return reactor;
}

grpc::ServerBidiReactor<v1::SegmentStreamRequest, v1::SegmentStreamResponse>*
SegmenterService::SegmentStream(grpc::CallbackServerContext* /*context*/) {
  return new server::OrderedStream<v1::SegmentStreamRequest,
                                   v1::SegmentStreamResponse>(
      [this](v1::SegmentStreamRequest* request,
             v1::SegmentStreamResponse* response) {
        AnswerOne(request->report(), response);
      });
}

grpc::ServerBidiReactor<v1::SubmitReportsRequest, v1::SubmitReportsResponse>*
SegmenterService::SubmitReports(grpc::CallbackServerContext* context) {
  using Relay = server::RelayStream<v1::SubmitReportsRequest, v1::SubmitReportsResponse,
                                    v1::SubmitSegmentedReportsRequest,
                                    v1::SubmitSegmentedReportsResponse>;
  if (extractor_ == nullptr) {
    // This server was started as a single stage, without --extractor.
    return new server::RefusedStream<v1::SubmitReportsRequest, v1::SubmitReportsResponse>(
        grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                     "this segmenter has no extractor to pass reports on to "
                     "(start it with --extractor=ADDR)"));
  }
  Relay::Hooks hooks;
  hooks.process = [this](const v1::SubmitReportsRequest& in,
                         v1::SubmitSegmentedReportsRequest* out,
                         v1::Receipt* receipt) {
    // `out` is on an arena of the relay's: the segments are built there.
    absl::Status status =
        SegmentCounted(in.report(), out->mutable_segmented_report());
    if (status.ok()) {
      status = server::CheckMessageSize(*out, limits_.max_message_bytes,
                                        "the report's segment tree");
      if (status.ok()) return true;
      stats_->AddErrors();
    }
    *receipt = server::RejectedReceipt(in.report().id(), status);
    return false;
  };
  hooks.start_downstream = [this](grpc::ClientContext* c, auto* reactor) {
    extractor_->async()->SubmitSegmentedReports(c, reactor);
  };
  hooks.receipt_of = [](const v1::SubmitSegmentedReportsResponse& r) -> const v1::Receipt& {
    return r.receipt();
  };
  hooks.answer = [](v1::Receipt r, v1::SubmitReportsResponse* out) {
    *out->mutable_receipt() = std::move(r);
  };
  hooks.on_end = [](const grpc::Status& status, int64_t reports) {
    server::LogEvent(status.ok() ? server::Severity::kInfo : server::Severity::kWarning,
                     "submit_stream_ended",
                     {{"service", "segmenter"}, {"reports", reports},
                      {"code", static_cast<int>(status.error_code())},
                      {"error", status.error_message()}});
  };
  return new Relay(context, std::move(hooks), kChainWindow, limits_.max_reports_per_stream);
}

}  // namespace reportpipe::segmenter
