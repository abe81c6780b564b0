#include "services/segmenter/segmenter_service.h"

#include <string>
#include <utility>

#include "absl/time/clock.h"
#include "lib/server/grpc_status.h"

namespace reportpipe::segmenter {
namespace {

using StreamReactor = grpc::ServerBidiReactor<v1::SegmentStreamRequest,
                                              v1::SegmentStreamResponse>;

// Reads a report, segments it, writes the answer, then reads the next: one
// operation in flight at a time, so the reactor needs no lock, and the order
// of the answers is the order of the reports.
class SegmentStreamReactor final : public StreamReactor {
 public:
  explicit SegmentStreamReactor(SegmenterService* service) : service_(service) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // The client has sent its last report (or went away).
      Finish(grpc::Status::OK);
      return;
    }
    response_.Clear();
    absl::StatusOr<v1::SegmentedReport> segmented =
        service_->SegmentCounted(request_.report());
    if (segmented.ok()) {
      *response_.mutable_segmented_report() = *std::move(segmented);
    } else {
      v1::Receipt* receipt = response_.mutable_receipt();
      receipt->set_report_id(request_.report().id());
      receipt->set_outcome(v1::RECEIPT_OUTCOME_REJECTED);
      receipt->set_status_code(static_cast<int>(segmented.status().code()));
      receipt->set_status_message(std::string(segmented.status().message()));
    }
    StartWrite(&response_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {  // The stream is broken; the client will not see this status.
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "write failed"));
      return;
    }
    StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  SegmenterService* service_;
  v1::SegmentStreamRequest request_;
  v1::SegmentStreamResponse response_;
};

}  // namespace

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

StreamReactor* SegmenterService::SegmentStream(
    grpc::CallbackServerContext* /*context*/) {
  return new SegmentStreamReactor(this);
}

}  // namespace reportpipe::segmenter
