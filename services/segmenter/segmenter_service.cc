#include "services/segmenter/segmenter_service.h"

#include <string>
#include <utility>

#include "absl/time/clock.h"
#include "lib/server/grpc_status.h"
#include "lib/server/ordered_stream.h"

namespace reportpipe::segmenter {

absl::StatusOr<v1::SegmentedReport> SegmenterService::SegmentCounted(
    const v1::Report& report) {
  const absl::Time start = absl::Now();
  stats_->AddReportsIn();
  absl::StatusOr<v1::SegmentedReport> segmented =
      SegmentReport(report, options_);
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
  absl::StatusOr<v1::SegmentedReport> segmented = SegmentCounted(report);
  if (segmented.ok()) {
    *response->mutable_segmented_report() = *std::move(segmented);
    return;
  }
  v1::Receipt* receipt = response->mutable_receipt();
  receipt->set_report_id(report.id());
  receipt->set_outcome(v1::RECEIPT_OUTCOME_REJECTED);
  receipt->set_status_code(static_cast<int>(segmented.status().code()));
  receipt->set_status_message(std::string(segmented.status().message()));
}

grpc::ServerUnaryReactor* SegmenterService::Segment(
    grpc::CallbackServerContext* context, const v1::SegmentRequest* request,
    v1::SegmentResponse* response) {
  absl::StatusOr<v1::SegmentedReport> segmented =
      SegmentCounted(request->report());
  if (segmented.ok()) {
    *response->mutable_segmented_report() = *std::move(segmented);
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(server::ToGrpcStatus(segmented.status()));
  return reactor;
}

grpc::ServerBidiReactor<v1::SegmentStreamRequest, v1::SegmentStreamResponse>*
SegmenterService::SegmentStream(grpc::CallbackServerContext* /*context*/) {
  return new server::OrderedStream<v1::SegmentStreamRequest,
                                   v1::SegmentStreamResponse>(
      [this](const v1::SegmentStreamRequest& request,
             v1::SegmentStreamResponse* response) {
        AnswerOne(request.report(), response);
      });
}

}  // namespace reportpipe::segmenter
